"""Exercise 07 graded end to end in the Docker sandbox: reference, stub, an honest GAN in
another style, and the baselines and cheats the thresholds must stop. Each submission is
graded once (module-scoped fixtures); the tests look at its one report.

Rubric: networks build 10, generate shape and range 10, generate is a function of z 10,
no memorisation 10, Frechet distance 25, class coverage 15, confidence 10, training time 10.
Near-copies of real digits get none of the FD, coverage and confidence points; samples that
do not look like digits (FD at or above the zero bar) none of the coverage and memorisation
points; speed counts only for a generator that learns.
"""

import base64
import struct
import zlib

import numpy as np
import pytest
from click.testing import CliRunner

from mlgrade.cli.main import main
from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.report import Report
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, load_module, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "07-gan-digits"
REFERENCE = ROOT / "graders" / "07-gan-digits" / "reference.py"
STUB = ROOT / "exercises" / "07-gan-digits" / "solution.py"
NETWORKS, RANGE, FUNCTION, COPIES, FD, COVERAGE, CONFIDENCE, TIME = (
    "Generator() maps",
    "generate returns",
    "the same z gives",
    "the samples are not near-copies",
    "Frechet distance",
    "the samples cover",
    "the host's classifier",
    "train_gan and the first generate",
)
API = {NETWORKS, RANGE, FUNCTION}
QUALITY = {COPIES, FD, COVERAGE, CONFIDENCE, TIME}


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("07", root=ROOT)


def graded(exercise, source):
    return grade_submission(exercise, source, sandbox="docker")


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (NETWORKS, RANGE, FUNCTION, COPIES, FD, COVERAGE, CONFIDENCE, TIME))


@pytest.fixture(scope="module")
def reference(docker_client, tmp_path_factory):
    """The reference, graded as an instructor does, report to a file: the picture of its
    samples goes beside it."""
    folder = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(
        main, ["grade", "07", str(REFERENCE), "--format", "json", "--output", str(folder / "alice.json")]
    )
    assert result.exit_code == 0, result.output
    return Report.from_json((folder / "alice.json").read_text()), folder


def test_reference_gets_full_marks_and_a_picture(reference):
    report, folder = reference
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 8
    fd = check(report, FD).measured["value"]
    confidence = check(report, CONFIDENCE).measured["value"]
    assert 0.8 < fd < 2.2 and 0.82 < confidence < 0.92, (fd, confidence)
    assert check(report, COPIES).measured["value"] < 0.05
    timing = check(report, TIME).measured
    assert timing["value"] <= timing["full_at"] and timing["speed_factor"] > 0, timing
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True
    assert report.artifacts == ["alice.samples.png"]
    picture = (folder / "alice.samples.png").read_bytes()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n") and len(picture) > 2000
    assert "a picture of the first 100 samples is saved beside the report" in check(report, RANGE).output


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, docker_client):
    report = graded(exercise, STUB)
    assert (report.score, report.max_score) == (0, 100) and len(report.tests) == 8
    assert "`Generator.__init__` is not implemented yet" in check(report, NETWORKS).output, report.to_json()
    for start in (RANGE, FUNCTION, COPIES, FD, COVERAGE, CONFIDENCE, TIME):
        assert "`train_gan` is not implemented yet" in check(report, start).output, start


def test_an_honest_conv_gan_gets_full_marks(exercise, docker_client):
    report = graded(exercise, CASES / "honest_conv_dcgan.py")
    assert report.score == 100, report.to_json()


@pytest.mark.parametrize(
    ("name", "score", "lost_checks"),
    [
        ("random_noise.py", 30, QUALITY),
        ("mean_image.py", 20, QUALITY | {FUNCTION}),
        ("diagonal_gaussian.py", 30, QUALITY),
    ],
)
def test_baselines_that_are_not_digits_get_only_the_api_points(exercise, docker_client, name, score, lost_checks):
    report = graded(exercise, CASES / name)
    assert report.score == score, report.to_json()
    assert lost(report) == lost_checks
    assert "only counts for samples that look like digits" in check(report, COVERAGE).output
    if name == "mean_image.py":
        assert "the generator ignores much of z" in check(report, FUNCTION).output


@pytest.mark.parametrize(
    "name",
    [
        "copies_training_digits.py",
        "carries_public_digits.py",
        "noisy_copies.py",
        "blends_of_neighbours.py",
        "blends_of_random_pairs.py",
    ],
)
def test_near_copies_of_real_digits_get_no_quality_points(exercise, docker_client, name):
    report = graded(exercise, CASES / name)
    assert report.score == 30, report.to_json()
    assert lost(report) == QUALITY
    assert check(report, COPIES).measured["value"] > 0.5
    for start in (FD, COVERAGE, CONFIDENCE):
        assert "near-copies of real digits" in check(report, start).output, start


def test_the_carried_digits_are_the_public_ones():
    """The cheat really carries every public digit (else the test above proves little)."""
    from sklearn.datasets import load_digits

    source = (CASES / "carries_public_digits.py").read_text()
    namespace = {}
    exec(source.split("\nclass Generator")[0].split("LATENT_DIM = 32\n")[1], namespace)
    pixels = np.frombuffer(zlib.decompress(base64.b64decode("".join(namespace["DIGITS"]))), dtype=np.uint8)
    assert np.array_equal(pixels.reshape(-1, 64), load_digits().data.astype(np.uint8))


@pytest.fixture(scope="module")
def data():
    return load_module(ROOT / "graders" / "07-gan-digits" / "data.py", "data_07")


def test_split_and_latents_are_fixed_and_disjoint(data):
    digits, again = data.hidden_digits(), data.hidden_digits()
    assert digits.train.shape == (1200, 1, 8, 8) and digits.held_out.shape == (597, 1, 8, 8)
    assert digits.train.dtype == np.float32 and digits.train.min() == -1.0 and digits.train.max() == 1.0
    assert np.array_equal(digits.train, again.train) and np.bincount(digits.held_out_labels).min() >= 45
    assert np.array_equal(data.latents(), data.latents()) and not np.array_equal(data.latents(), data.latents(stream=1))


def test_near_copy_rule_catches_copies_noise_and_blends_but_not_noise(data):
    digits = data.hidden_digits()
    judge = data.hidden_judge(digits)
    train = digits.train.reshape(-1, 64).astype(np.float64)
    rng = np.random.default_rng(3)
    picked = train[rng.integers(0, len(train), 500)]
    squared = ((picked[:, None] - train[None]) ** 2).sum(-1)
    squared[squared == 0] = np.inf
    blends = (picked + train[squared.argmin(1)]) / 2
    noisy = np.clip(picked + rng.normal(0.0, 0.3, picked.shape), -1, 1)
    assert judge.score(picked).copy_share == 1.0
    assert judge.score(blends).copy_share > 0.95
    assert judge.score(noisy).copy_share > 0.5
    noise = judge.score(rng.uniform(-1, 1, (500, 64)))
    assert noise.copy_share == 0.0 and noise.fd > 5 and noise.confidence < 0.7


def test_picture_is_a_png_of_the_grid():
    picture = load_module(ROOT / "graders" / "07-gan-digits" / "picture.py", "picture_07")
    images = np.linspace(-1, 1, 100 * 64, dtype=np.float32).reshape(100, 1, 8, 8)
    data = picture.png_bytes(picture.grid(images))
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    side = 10 * (8 * picture.SCALE + picture.GAP) + picture.GAP
    assert (width, height) == (side, side)
    start = data.index(b"IDAT") + 4
    raw = zlib.decompress(data[start : start + struct.unpack(">I", data[start - 8 : start - 4])[0]])
    assert len(raw) == height * (width + 1)
