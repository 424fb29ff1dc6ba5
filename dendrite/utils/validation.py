"""The checks of user arguments that many parts of dendrite share, each with one message form:

    <owner>: `<name>` must be <what is expected>. Received: <name>=<value>.

where the owner says whose argument it is (a layer's ``who``, "Adam", "Sequential 'm'.fit()"; None where the
caller's own message already says it).

Also the conversion of user data (arrays, nested lists, DataFrames) to an array of numbers, which refuses
text and ragged nested lists with an error that says where the data goes wrong and how to fix it, instead of
NumPy's "could not convert string to float" or "inhomogeneous shape".
"""
import math
import numbers

import numpy as np


def is_int(value):
    """An int (Python or NumPy), and not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _integer_scalar(value):
    """The int in a 0-d integer array or Tensor (``tf.size(x)``, ``np.int64(3)`` as an array), else None."""
    array = getattr(value, "value", value)
    dtype = getattr(array, "dtype", None)
    if getattr(array, "shape", None) == () and getattr(dtype, "kind", None) in ("i", "u"):
        return int(array)
    return None


def _fail(owner, name, value, expected, hint, accepted_type, label=None):
    """The uniform error; the value's type is shown when it is not of the ``accepted_type`` asked for."""
    shown = f"{value!r}" if label else f"{name}={value!r}"
    plain = value is None or (isinstance(value, accepted_type) and not isinstance(value, bool))
    note = "" if plain else f" (type {type(value).__name__})"
    prefix = "" if owner is None else f"{owner}: "
    return ValueError(f"{prefix}{label or f'`{name}`'} must be {expected}. Received: {shown}{note}."
                      + (f" {hint}" if hint else ""))


def int_at_least(owner, name, value, minimum, allow_none=False, hint=""):
    """``value`` as an int when it is an integer >= ``minimum`` (a bool is not), else a ValueError naming owner and
    argument; with ``allow_none``, None passes through."""
    if value is None and allow_none:
        return None
    if is_int(value) and value >= minimum:
        return int(value)
    scalar = _integer_scalar(value)  # tf.keras 2 read int(units): a 0-d integer tensor (tf.size(...)) passed
    if scalar is not None and scalar >= minimum:
        return scalar
    expected = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
    raise _fail(owner, name, value, expected + (" or None" if allow_none else ""), hint, numbers.Integral)


def positive_int(owner, name, value, allow_none=False, hint=""):
    """:func:`int_at_least` 1: batch sizes, units, window sizes, step counts."""
    return int_at_least(owner, name, value, 1, allow_none, hint)


def positive_int_tuple(owner, name, value, n):
    """An int or a sequence of ``n`` ints as a tuple of ``n`` positive ints (kernel sizes, strides, pool
    sizes), else a ValueError naming owner and argument."""
    if is_int(value):
        return (positive_int(owner, name, value),) * n
    try:
        out = tuple(value)
    except TypeError:
        out = ()
    if len(out) != n or not all(is_int(v) and v >= 1 for v in out):
        each = "a positive integer" + (f" or a tuple of {n} positive integers" if n > 1 else " (or a tuple of one)")
        raise ValueError(f"{owner}: `{name}` must be {each}. Received: {name}={value!r}.")
    return tuple(int(v) for v in out)


def non_negative_int(owner, name, value, allow_none=False, hint=""):
    """:func:`int_at_least` 0: epochs, seeds."""
    return int_at_least(owner, name, value, 0, allow_none, hint)


def _bounds_text(low, high, low_open, high_open):
    if low is not None and high is not None:
        return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"a number {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"a number {'<' if high_open else '<='} {high:g}"
    return "a finite number"


def number(owner, name, value, low=None, high=None, low_open=False, high_open=False, allow_none=False,
           hint="", label=None):
    """``value`` as a float when it is a finite real number (not a bool, not NaN) within the bounds, else a
    ValueError naming owner and argument (``low_open`` / ``high_open``: the bound itself is excluded). A 0-d
    array counts as its number. ``label`` replaces "`name`" where the value is not an argument (say, what a
    schedule returned)."""
    if value is None and allow_none:
        return None
    v = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    ok = isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)
    if ok:
        v = float(v)
        ok = not ((low is not None and (v < low or (low_open and v == low)))
                  or (high is not None and (v > high or (high_open and v == high))))
    if ok:
        return v
    expected = _bounds_text(low, high, low_open, high_open) + (" or None" if allow_none else "")
    raise _fail(owner, name, value, expected, hint, numbers.Real, label)


# ------------------------------------------------------------- user data to arrays
def _length(item):
    """The number of entries of a nested-list level, or None for a scalar."""
    if isinstance(item, (str, bytes)) or not hasattr(item, "__len__"):
        return None
    return len(item)


def _ragged_spot(data, name):
    """Where a nested list stops being rectangular: "x[1][0] has 3 entries while x[0][0] has 2", or None. The
    lengths along the first entries (x, x[0], x[0][0], ...) are what every other entry is held to."""
    shape, item = [], data
    while _length(item) is not None:
        shape.append(_length(item))
        item = item[0] if shape[-1] else None

    def describe(k):
        return "a single value" if k is None else f"{k} entr{'y' if k == 1 else 'ies'}"

    def walk(item, path, depth):
        n = _length(item)
        expected = shape[depth] if depth < len(shape) else None
        if n != expected:
            return f"{path} has {describe(n)} while {name}{'[0]' * depth} has {describe(expected)}"
        for i, child in enumerate(item if n else ()):
            spot = walk(child, f"{path}[{i}]", depth + 1)
            if spot is not None:
                return spot
        return None
    return walk(data, name, 0)


def _first_string(arr):
    for v in arr.flat:
        if isinstance(v, (str, bytes)):
            return v
    return None


_EXPECTED = "numbers in a rectangular array (one row per sample, every row the same shape)"
_PAD = ("Pad the rows to one length (for example with zeros) or cut them to the shortest, then pass a NumPy "
        "array.")


def _not_numeric(x, arr, name):
    """(what was received, how to fix it) for data whose array came out as text or Python objects."""
    text = ("Text must be turned into numbers first (for example token ids or one-hot vectors); strings that "
            f"spell numbers convert with np.asarray({name}, dtype='float32').")
    if isinstance(x, (str, bytes)):
        return f"{name}={x!r} (a {type(x).__name__})", text
    sample = _first_string(arr)
    if sample is not None:
        return f"an array of strings (dtype {arr.dtype}, shape {arr.shape}, such as {sample!r})", text
    spot = _ragged_spot(x, name)
    if spot is not None:
        return f"a ragged nested list ({spot})", _PAD
    return f"an array of Python objects (dtype object, shape {arr.shape})", "Pass a NumPy array of numbers."


def numeric_array(x, owner, name, asarray=np.asarray):
    """``x`` as an array (``asarray``, NumPy's by default) for a numeric input; text and ragged nested lists
    are refused with a ValueError naming the owner and the argument and saying how to fix the data."""
    prefix = "" if owner is None else f"{owner}: "
    try:
        arr = asarray(x)
    except ValueError as e:
        spot = _ragged_spot(x, name)
        if spot is None:
            raise
        raise ValueError(f"{prefix}`{name}` must be {_EXPECTED}. Received: a ragged nested list ({spot}). "
                         f"{_PAD}") from e
    if arr.dtype.kind in "USO":
        received, fix = _not_numeric(x, arr, name)
        raise ValueError(f"{prefix}`{name}` must be {_EXPECTED}. Received: {received}. {fix}")
    return arr
