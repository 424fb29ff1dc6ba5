"""``tf.debugging``: the run-time checks TensorFlow programs make on tensor values and shapes
(``assert_equal``, ``assert_near``, ``assert_rank``, ``check_numerics``, ...). A failed check raises
``InvalidArgumentError`` (a ValueError) with the program's message and the values that failed, as eager
TensorFlow does; a passing one returns None."""
import numpy as np

from ..autodiff import array_of


class InvalidArgumentError(ValueError):
    """What a failed tf.debugging check raises (``tf.errors.InvalidArgumentError``)."""


def _arr(x):
    return np.asarray(array_of(x))


def _fail(check, message, detail):
    raise InvalidArgumentError(f"{message + ': ' if message else ''}{check} failed: {detail}")


def _compare(name, test, symbol):
    def check(x, y, message=None, summarize=None, name=None):
        a, b = _arr(x), _arr(y)
        ok = test(a, b)
        if not np.all(ok):
            _fail(f"tf.debugging.{check.__name__}", message, f"x {symbol} y does not hold for x = {a}, y = {b}.")
    check.__name__ = name
    return check


assert_equal = _compare("assert_equal", np.equal, "==")
assert_none_equal = _compare("assert_none_equal", np.not_equal, "!=")
assert_less = _compare("assert_less", np.less, "<")
assert_less_equal = _compare("assert_less_equal", np.less_equal, "<=")
assert_greater = _compare("assert_greater", np.greater, ">")
assert_greater_equal = _compare("assert_greater_equal", np.greater_equal, ">=")


def _sign(name, test, words):
    def check(x, message=None, summarize=None, name=None):
        a = _arr(x)
        if not np.all(test(a)):
            _fail(f"tf.debugging.{check.__name__}", message, f"x is not {words}: x = {a}.")
    check.__name__ = name
    return check


assert_positive = _sign("assert_positive", lambda a: a > 0, "all positive")
assert_negative = _sign("assert_negative", lambda a: a < 0, "all negative")
assert_non_negative = _sign("assert_non_negative", lambda a: a >= 0, "all non-negative")
assert_non_positive = _sign("assert_non_positive", lambda a: a <= 0, "all non-positive")


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    a, b = _arr(x), _arr(y)
    eps = np.finfo(a.dtype if a.dtype.kind == "f" else np.float32).eps
    rtol, atol = (10 * eps if rtol is None else rtol), (10 * eps if atol is None else atol)
    if not np.allclose(a, b, rtol=rtol, atol=atol):
        _fail("tf.debugging.assert_near", message, f"x and y are not close (rtol={rtol}, atol={atol}): "
                                                   f"x = {a}, y = {b}.")


def assert_rank(x, rank, message=None, name=None):
    if _arr(x).ndim != int(rank):
        _fail("tf.debugging.assert_rank", message, f"expected rank {int(rank)}, the tensor has rank {_arr(x).ndim} "
                                                   f"(shape {_arr(x).shape}).")


def assert_type(tensor, tf_type, message=None, name=None):
    if _arr(tensor).dtype != np.dtype(tf_type):
        _fail("tf.debugging.assert_type", message, f"expected dtype {np.dtype(tf_type).name}, the tensor has "
                                                   f"{_arr(tensor).dtype.name}.")


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Each (tensor, shape) pair: the shape's ints must match; named dimensions must agree across tensors."""
    seen = {}
    for tensor, shape in (shapes.items() if isinstance(shapes, dict) else shapes):
        actual = _arr(tensor).shape
        if len(shape) != len(actual):
            _fail("tf.debugging.assert_shapes", message, f"expected rank {len(shape)} ({tuple(shape)}), a tensor "
                                                         f"has shape {actual}.")
        for want, have in zip(shape, actual):
            if isinstance(want, str):
                if seen.setdefault(want, have) != have:
                    _fail("tf.debugging.assert_shapes", message, f"dimension '{want}' is {seen[want]} in one "
                                                                 f"tensor and {have} in another (shape {actual}).")
            elif want is not None and int(want) != have:
                _fail("tf.debugging.assert_shapes", message, f"expected shape {tuple(shape)}, a tensor has "
                                                             f"shape {actual}.")


def check_numerics(tensor, message, name=None):
    a = _arr(tensor)
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        _fail("tf.debugging.check_numerics", message, "the tensor has NaN or Inf values.")
    return tensor


def assert_all_finite(t=None, msg=None, name=None, x=None, message=None):  # TensorFlow 1 (t, msg), 2 (x, message)
    return check_numerics(t if x is None else x, message or msg)


def assert_rank_at_least(x, rank, message=None, name=None):
    if _arr(x).ndim < int(rank):
        _fail("tf.debugging.assert_rank_at_least", message, f"expected rank at least {int(rank)}, the tensor has "
                                                            f"rank {_arr(x).ndim} (shape {_arr(x).shape}).")


def assert_rank_in(x, ranks, message=None, name=None):
    if _arr(x).ndim not in [int(r) for r in ranks]:
        _fail("tf.debugging.assert_rank_in", message, f"expected a rank in {[int(r) for r in ranks]}, the tensor "
                                                      f"has rank {_arr(x).ndim} (shape {_arr(x).shape}).")


def assert_scalar(tensor, message=None, name=None):
    if _arr(tensor).ndim != 0:
        raise ValueError(f"{message + ': ' if message else ''}tf.debugging.assert_scalar: expected a scalar, "
                         f"received shape {_arr(tensor).shape}.")
    return tensor


def assert_integer(x, message=None, name=None):
    if _arr(x).dtype.kind not in "iu":
        raise TypeError(f"{message + ': ' if message else ''}tf.debugging.assert_integer: expected an integer "
                        f"tensor, received dtype {_arr(x).dtype.name}.")


def assert_same_float_dtype(tensors=None, dtype=None):
    """The one float dtype the tensors (and ``dtype``) share, float32 when none is given; ValueError otherwise."""
    kinds = {_arr(t).dtype for t in (tensors or [])} | ({np.dtype(dtype)} if dtype is not None else set())
    if len(kinds) > 1 or any(k.kind != "f" for k in kinds):
        raise ValueError(f"tf.debugging.assert_same_float_dtype: expected one float dtype; received "
                         f"{sorted(k.name for k in kinds)}.")
    from .dtypes import as_dtype
    return as_dtype(kinds.pop() if kinds else "float32")


def assert_proper_iterable(values):
    if isinstance(values, (str, bytes)) or np.ndim(values) == 0 and not hasattr(values, "__iter__"):
        raise TypeError(f"tf.debugging.assert_proper_iterable: expected a list, tuple or other iterable of "
                        f"values (not a string or a single tensor); received {type(values).__name__}.")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TensorFlow's name
    """``tf.debugging.Assert`` (``tf.Assert``): InvalidArgumentError listing ``data`` when ``condition`` is false."""
    if not bool(np.all(_arr(condition))):
        shown = ", ".join(str(_arr(d)) if hasattr(d, "shape") or isinstance(d, (list, tuple)) else str(d)
                          for d in data)
        raise InvalidArgumentError(f"assertion failed: [{shown}]")


def is_numeric_tensor(tensor):
    from ..autodiff import Tensor
    return isinstance(tensor, Tensor) and _arr(tensor).dtype.kind in "biufc"


_SWITCHES = {"check_numerics": False, "traceback_filtering": True}


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    _SWITCHES["check_numerics"] = True  # (recorded; dendrite's ops do not check every result)


def disable_check_numerics():
    _SWITCHES["check_numerics"] = False


def enable_traceback_filtering():
    _SWITCHES["traceback_filtering"] = True


def disable_traceback_filtering():
    _SWITCHES["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _SWITCHES["traceback_filtering"]


_PLACEMENT_LOG = [False]


def set_log_device_placement(enabled):
    """``tf.debugging.set_log_device_placement(True)``: TensorFlow then logs each op's device; dendrite runs every
    op on the CPU and says so once instead."""
    from ._notes import note
    _PLACEMENT_LOG[0] = bool(enabled)
    if enabled:
        note(("debugging", "placement"), "tf.debugging.set_log_device_placement: dendrite runs every op on "
                                         "/job:localhost/replica:0/task:0/device:CPU:0 and logs no per-op placement.")


def get_log_device_placement():
    return _PLACEMENT_LOG[0]


NAMES = ("set_log_device_placement get_log_device_placement assert_equal assert_none_equal assert_less assert_less_equal assert_greater assert_greater_equal "
         "assert_positive assert_negative assert_non_negative assert_non_positive assert_near assert_rank "
         "assert_type assert_shapes check_numerics assert_all_finite assert_rank_at_least assert_rank_in assert_scalar "
         "assert_integer assert_same_float_dtype assert_proper_iterable Assert is_numeric_tensor enable_check_numerics "
         "disable_check_numerics enable_traceback_filtering disable_traceback_filtering "
         "is_traceback_filtering_enabled")
