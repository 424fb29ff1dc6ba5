"""The overlap losses of image segmentation, Dice and Tversky, as Keras 3 defines them.

Both sum over ``axis`` (None: over everything, one loss for the batch; -1 or (1, 2, ...): one per sample or
position): Dice is ``1 - 2 * sum(y * p) / (sum(y) + sum(p) + eps)``, Tversky ``1 - tp / (tp + alpha * a +
beta * b + eps)`` with ``tp = sum(y * p)``, ``a = sum(y * (1 - p))`` (missed foreground) and ``b = sum((1 - y) *
p)`` (false foreground), in Keras's order of alpha and beta.
"""
from ..autodiff import ops
from ..utils.validation import is_int, number
from .classes import _SOBS, LossFunctionWrapper
from .inputs import EPSILON, _prepare
from .symbolic import symbolic_aware


def _kept(name, axis):
    """The axis as the config keeps it (a list stays a list), checked."""
    checked = _axis(name, axis)
    return list(checked) if isinstance(checked, tuple) else checked


def _axis(name, axis):
    if axis is None or is_int(axis):
        return axis
    if isinstance(axis, (list, tuple)) and axis and all(is_int(a) for a in axis):
        return tuple(int(a) for a in axis)
    raise ValueError(f"{name}: axis must be None (all axes), an int or a list of ints. Received: axis={axis!r}.")


@symbolic_aware
def dice(y_true, y_pred, axis=None):
    y_true, y_pred = _prepare("dice", y_true, y_pred)
    axis = _axis("dice", axis)
    overlap = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)), EPSILON)
    return ops.subtract(1.0, ops.divide(ops.multiply(overlap, 2.0), total))


@symbolic_aware
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    y_true, y_pred = _prepare("tversky", y_true, y_pred)
    axis = _axis("tversky", axis)
    alpha, beta = number("tversky", "alpha", alpha), number("tversky", "beta", beta)
    overlap = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    missed = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    extra = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(ops.add(overlap, ops.add(ops.multiply(missed, alpha), ops.multiply(extra, beta))), EPSILON)
    return ops.subtract(1.0, ops.divide(overlap, denominator))


class Dice(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=_kept("Dice", axis))


class Tversky(LossFunctionWrapper):
    def __init__(self, alpha=0.5, beta=0.5, reduction=_SOBS, name="tversky", axis=None, dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=number("Tversky", "alpha", alpha),
                         beta=number("Tversky", "beta", beta), axis=_kept("Tversky", axis))
