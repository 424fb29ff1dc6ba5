"""Reducing per-sample losses over the batch, as Keras 3's ``reduce_weighted_values``: the reduction names,
sample weights broadcast over the per-sample losses, and an optional mask (``ignore_class``)."""
import numpy as np

from ..autodiff import array_of, ops

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Reduction:
    """The reduction names as constants (tf.keras's ``losses.Reduction``)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    MEAN = "mean"
    MEAN_WITH_SAMPLE_WEIGHT = "mean_with_sample_weight"


def _standardize_reduction(reduction, name):
    if reduction == "auto":
        return "sum_over_batch_size"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Loss '{name}': reduction must be one of {list(_REDUCTIONS)}. "
                         f"Received: reduction={reduction!r}.")
    return reduction


def _broadcast_weight(name, weight, shape):
    """Per-sample weights broadcast over the trailing axes of the per-sample losses."""
    original = weight.shape
    while weight.ndim > len(shape) and weight.shape[-1] == 1:
        weight = weight.reshape(weight.shape[:-1])
    if weight.ndim < len(shape):
        weight = weight.reshape(weight.shape + (1,) * (len(shape) - weight.ndim))
    try:
        ok = np.broadcast_shapes(weight.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"Loss '{name}': sample_weight of shape {original} does not match the per-sample "
                         f"losses of shape {tuple(shape)}. Pass one weight per sample, shape {tuple(shape[:1])}.")
    return weight


def _reduce(name, values, sample_weight, mask, reduction):
    """Keras 3's reduce_weighted_values: weight (and mask), then sum or average."""
    if sample_weight is not None or mask is not None:
        dtype = values.dtype
        weight = None
        if sample_weight is not None:
            weight = np.asarray(array_of(sample_weight), dtype=dtype)
            if values.ndim:
                weight = _broadcast_weight(name, weight, values.shape)
        if mask is not None:
            m = mask.astype(dtype)
            if reduction in ("mean", "sum_over_batch_size"):
                valid = m.sum()
                m *= m.size / valid if valid else 0.0
            weight = m if weight is None else weight * m
        values = ops.multiply(values, weight)
        if reduction == "mean_with_sample_weight" and values.ndim and values.size:
            total = float(np.broadcast_to(weight, values.shape).sum())
            return _per_replica(ops.divide(ops.sum(values), total) if total else ops.multiply(ops.sum(values), 0.0))
    if reduction in (None, "none") or values.ndim == 0 or values.shape == (0,):
        return values
    return ops.sum(values) if reduction == "sum" else _per_replica(ops.mean(values))


def _per_replica(mean):
    """A mean over the batch, divided by num_replicas_in_sync inside ``strategy.run`` on several processes (as
    Keras 3 does under TensorFlow), so that the sum over the replicas is the mean over the global batch."""
    from ..distribute.distribution import replica_loss_scale  # (imported here: distribute needs the losses)
    scale = replica_loss_scale()
    return mean if scale == 1.0 else ops.multiply(mean, scale)
