"""Resource limits of one sandbox, with DESIGN.md's defaults."""

from dataclasses import asdict, dataclass

GIB = 2**30
MIB = 2**20
# Fields given in bytes; exercise.toml may write them as "2g", "256m".
SIZE_FIELDS = ("memory", "tmpfs", "max_message")


@dataclass(frozen=True)
class Limits:
    """What a submission may use. Times are seconds on the reference machine."""

    memory: int = 2 * GIB
    cpus: float = 1.0
    pids: int = 256
    tmpfs: int = 256 * MIB
    call_timeout: float = 60.0
    submission_timeout: float = 300.0
    startup_timeout: float = 30.0
    max_message: int = 256 * MIB
    output_keep: int = 64 * 1024

    @property
    def threads(self):
        return max(1, int(self.cpus))

    def describe(self):
        """The limits as a report shows them."""
        return asdict(self)


def parse_size(value):
    """Bytes from an int or a text such as "2g", "256MiB", "64k"; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    units = {"k": 2**10, "m": MIB, "g": GIB}
    text = str(value).strip().lower().removesuffix("b").removesuffix("i")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def human_bytes(n):
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"
