"""Checks graders run on what a submission returned, failing with a message that says what to fix."""

import numpy as np

from mlgrade.sandbox.submission import Remote


def as_array(value, what, *, shape=None, dtype=None, kind=None, finite=True):
    """``value`` as a numpy array that has the expected shape and dtype, or an AssertionError.

    ``kind`` is a numpy dtype kind string ("f" for any float, "i" for any signed int);
    ``dtype`` an exact dtype. ``shape`` may use None for "any size" on an axis.
    """
    expected = _expectation(shape, dtype, kind)
    if isinstance(value, Remote):
        raise AssertionError(f"{what} returned a {value.type_name} object; expected {expected}")
    if not isinstance(value, np.ndarray):
        raise AssertionError(f"{what} returned a {type(value).__name__}; expected {expected}")
    if shape is not None and (
        value.ndim != len(shape) or any(want is not None and got != want for got, want in zip(value.shape, shape))
    ):
        raise AssertionError(f"{what} returned an array of shape {value.shape}; expected {expected}")
    if dtype is not None and value.dtype != np.dtype(dtype):
        raise AssertionError(f"{what} returned an array of dtype {value.dtype}; expected {expected}")
    if kind is not None and value.dtype.kind not in kind:
        raise AssertionError(f"{what} returned an array of dtype {value.dtype}; expected {expected}")
    if finite and value.dtype.kind in "fc" and not np.isfinite(value).all():
        bad = int((~np.isfinite(value)).sum())
        raise AssertionError(f"{what} returned {bad} NaN or infinite value(s)")
    return value


def as_number(value, what):
    """``value`` as a finite float, or an AssertionError naming what came back."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "biuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AssertionError(f"{what} returned {_kind_of(value)}; expected a number")
    if not np.isfinite(value):
        raise AssertionError(f"{what} returned {value}; expected a finite number")
    return float(value)


def returns_self(returned, obj, what):
    """Assert that a call on ``obj`` (``fit``, say) returned ``obj`` itself, as scikit-learn's API does."""
    if not (isinstance(returned, Remote) and returned.same_as(obj)):
        raise AssertionError(f"{what} must return self; it returned {_kind_of(returned)}")


def speed_counts_only_if(learns, subject, measured):
    """The runtime gate: a fast run that learns nothing earns no speed points.

    ``subject`` says what counts ("a model that learns (accuracy 0.70 or more)"),
    ``measured`` what this submission reached ("accuracy 0.412").
    """
    if not learns:
        raise AssertionError(f"not scored: speed only counts for {subject}; this one reached {measured}")


def relative_error(got, want):
    """Norm-wise relative error, robust to tiny references."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    return float(np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-12))


def _expectation(shape, dtype, kind):
    parts = ["an array"]
    if shape is not None:
        parts.append(
            "of shape ("
            + ", ".join("any" if s is None else str(s) for s in shape)
            + ("," if len(shape) == 1 else "")
            + ")"
        )
    if dtype is not None:
        parts.append(f"and dtype {np.dtype(dtype)}")
    elif kind is not None:
        parts.append({"f": "of floats", "i": "of integers", "iu": "of integers"}.get(kind, f"of kind {kind}"))
    return " ".join(parts)


def _kind_of(value):
    if isinstance(value, Remote):
        return f"a {value.type_name} object"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"
