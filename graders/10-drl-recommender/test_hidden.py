"""Hidden grader of 10-drl-recommender. Runs on the host; the submission runs in the sandbox.

The agent trains and stays in the sandbox; the host plays it. The host builds the public
RecSim itself (the exercise's recsim.py, the very file the sandbox gets) with hidden users and
a hidden seed, and at each of the 20 steps sends the observations of all the hidden users in
one `act` call, checks the items that come back and steps its own simulator with them. The
submission never sees a click, a seed or the simulator's state, and nothing it says about its
own clicks is used.

Sandbox calls of one grading, all in one fresh sandbox: the import of solution.py, train_agent
once, act 20 times (one per step, each on the 2000 hidden users' observations, 1.2 MB of
float32), act once more for the determinism check, and one inspection of the agent (the
nn.Module note): 24 calls. An act call of the reference costs about 5 ms of the sandbox's CPU
and 18 ms of wall time per step, simulator included; the whole episode under half a second
against 25 s of training. One call per user and step would be 40 000 calls: about 7 minutes at 10 ms each.

Whether the agent holds a torch nn.Module is only what the sandbox says about it, so it is
reported for information and worth no points (as 06's LSTM). The clicks do not show that RL was
used either: a hand-written rule on the public item vectors may pass (README, "Calibration").
"""

import numpy as np
import pytest

from mlgrade.grading import Remote, speed_counts_only_if

from data import EVAL_USERS, replay_probe, seeds
from play import checked_items, habits, load_recsim, play

TRAIN_TIMEOUT = 300  # reference-machine seconds for the one call of train_agent (the reference: 25-27 s)
CLICKS_FULL, CLICKS_ZERO = 12.0, 10.0  # mean clicks per 20-step episode over the hidden users
LEARNS = 11.0  # the training time counts only from this mean


@pytest.fixture(scope="session")
def recsim(exercise):
    """The public simulator, from the exercise's folder (what the sandbox got beside solution.py)."""
    return load_recsim(exercise.public_dir)


@pytest.fixture(scope="session")
def episode(submission, recsim):
    """Train in a fresh sandbox and play one episode of the hidden users: one act call per step.

    Timed together is all the work that produces the scored recommendations: the import (the
    fresh sandbox puts it inside the block, so training at import time counts), train_agent and
    the 20 act calls (which a lazy train_agent could leave the training to). The stopwatch
    counts the submission's calls only, not the host's simulator between them.
    """
    sim = recsim(EVAL_USERS, seeds()["evaluation"])
    first_observations = sim.reset()
    submission.restart()

    def policy(observations, step):
        reply = submission.call("act", agent, observations)
        what = f"act on the observations of {sim.n_users} users (step {step + 1} of {sim.horizon})"
        return checked_items(reply, sim.n_users, sim.n_items, what)

    with submission.stopwatch() as watch:
        agent = submission.call("train_agent", seed=seeds()["training"], _timeout=TRAIN_TIMEOUT)
        played = play(sim, first_observations, policy)
    return dict(played, agent=agent, seconds=watch.seconds, mean=float(played["clicks"].mean()))


@pytest.mark.points(10)
def test_act_returns_item_ids(episode):
    """act returns one item id per user, integers in [0, 50), at every step of the episode"""


@pytest.mark.points(10)
def test_act_is_deterministic(submission, episode, recsim):
    """act is deterministic: the same observations (some of them, in another order) get the same items"""
    pairs = replay_probe(EVAL_USERS, recsim.horizon)
    observations = np.stack([episode["observations"][step][user] for step, user in pairs])
    before = np.array([episode["items"][step][user] for step, user in pairs])
    what = f"act on {len(pairs)} observations it had been sent before"
    again = checked_items(submission.call("act", episode["agent"], observations), len(pairs), recsim.n_items, what)
    differ = int((again != before).sum())
    assert differ == 0, (
        f"act chose other items for {differ} of {len(pairs)} observations when the host sent them a "
        f"second time, in another order and in another batch. `act` must be greedy and depend on "
        f"each row alone: no sampling, no dropout or batch statistics (put your network in eval "
        f"mode), no memory of earlier calls."
    )


@pytest.mark.points(60)
def test_mean_clicks(episode, recsim, credit):
    """mean clicks per 20-step episode of hidden users, played on the host"""
    repeats, new = habits(episode["items"], window=5)
    credit.note(
        f"{EVAL_USERS} hidden users (new preference vectors, a new seed), one {recsim.horizon}-step "
        f"episode each; of your recommendations {100 * new:.0f}% showed a user an item for the first "
        f"time and {100 * repeats:.0f}% repeated an item the user had been shown in the last 5 steps"
    )
    credit.measure(
        "mean clicks per user over the episode",
        episode["mean"],
        full_at=CLICKS_FULL,
        zero_at=CLICKS_ZERO,
        fmt="{:.2f}",
    )
    if episode["mean"] < CLICKS_FULL:
        credit.note(
            "For scale: a random item at each step gets about 5.9 clicks, the six most popular items "
            "in turn 7.7, and the best fixed sequence of 20 items (the same for every user) 9.1. "
            "Full credit needs recommendations that follow each user's clicks."
        )


@pytest.mark.points(20)
def test_training_time(episode, credit, exercise):
    """train_agent runs within the time budget"""
    speed_counts_only_if(
        episode["mean"] >= LEARNS,
        f"an agent that learns (mean clicks {LEARNS:g} or more)",
        f"mean clicks {episode['mean']:.2f}",
    )
    credit.runtime(
        "Importing solution.py, train_agent and the 20 act calls of the episode",
        episode["seconds"],
        exercise.budgets["train"],
    )


def _remotes(value):
    """The sandbox objects in what train_agent returned (a tuple or dict of them works for act too)."""
    if isinstance(value, Remote):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _remotes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _remotes(item)


@pytest.mark.points(0)
def test_agent_holds_a_torch_module(submission, episode, credit):
    """for information, 0 points: the trained agent holds a torch nn.Module"""
    agent = episode["agent"]
    remotes = list(_remotes(agent))
    assert remotes, (
        f"train_agent returned plain data ({type(agent).__name__}); the exercise asks for an agent "
        f"that holds a torch nn.Module"
    )
    layers = set()
    for remote in remotes:
        described = submission.describe(remote)
        found = described.get("layers") if isinstance(described, dict) else None
        layers |= {str(x)[:40] for x in found[:50]} if isinstance(found, list) else set()
    credit.note(
        "Reported by your own code in the sandbox, which the grader cannot verify: worth no points. "
        f"The agent ({', '.join(r.type_name for r in remotes)}) reports the torch layers "
        f"{', '.join(sorted(layers)) or 'none'}; the grader looks at the object itself and at the "
        f"nn.Modules among its attributes."
    )
    assert layers, "the exercise asks for an agent that holds a torch nn.Module"
