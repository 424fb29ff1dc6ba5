"""``tf.nn``: activations, the fused cross-entropies, ``l2_loss``, ``moments``, and the NHWC convolution and
pooling ops, each on dendrite.autodiff.ops so a GradientTape follows them."""
from collections import namedtuple

import numpy as np

from ..autodiff import ops
from .tensor_api import _t, add_n, gather, wrap as _unary


TopKV2 = namedtuple("TopKV2", ["values", "indices"])  # top_k's result, as TensorFlow names its parts

relu = _unary(ops.relu)
sigmoid = _unary(ops.sigmoid)
tanh = _unary(ops.tanh)
elu = _unary(ops.elu)
selu = _unary(ops.selu)
softplus = _unary(ops.softplus)
softsign = _unary(ops.softsign)
_swish = _unary(ops.swish)


def swish(features, beta=1.0, name=None):
    """``features * sigmoid(beta * features)`` (tf.nn.swish / tf.nn.silu; beta 1 is dendrite's swish op)."""
    if isinstance(beta, (int, float)) and beta == 1.0:
        return _swish(features)
    x = _t(features)
    return ops.multiply(x, ops.sigmoid(ops.multiply(x, ops.cast(_t(beta), x.dtype))))


silu = swish


def gelu(features, approximate=False, name=None):
    return ops.gelu(_t(features), approximate=approximate)


def leaky_relu(features, alpha=0.2, name=None):
    return ops.leaky_relu(_t(features), negative_slope=alpha)


def relu6(features, name=None):
    return ops.clip(ops.relu(_t(features)), 0.0, 6.0)


def softmax(logits, axis=None, name=None):
    return ops.softmax(_t(logits), axis=-1 if axis is None else axis)


def log_softmax(logits, axis=None, name=None):
    return ops.log_softmax(_t(logits), axis=-1 if axis is None else axis)


def _last(x, axis):
    return x if axis in (-1, x.ndim - 1) else ops.transpose(x, tuple(i for i in range(x.ndim) if i != axis % x.ndim)
                                                            + (axis % x.ndim,))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """One cross-entropy per example: -sum(labels * log_softmax(logits)) over ``axis``."""
    logits, labels = _t(logits), _t(labels)
    if labels.shape != logits.shape:
        raise ValueError(f"tf.nn.softmax_cross_entropy_with_logits: `labels` and `logits` must have the same shape;"
                         f" received labels {labels.shape} and logits {logits.shape}.")
    return ops.softmax_cross_entropy(_last(logits, axis), ops.cast(_last(labels, axis), logits.dtype))


softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    labels = np.asarray(_t(labels).value).astype(np.int64)
    return ops.sparse_softmax_cross_entropy(_t(logits), labels)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    logits = _t(logits)
    return ops.sigmoid_cross_entropy(logits, ops.cast(_t(labels), logits.dtype))


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return ops.multiply(ops.sum(ops.square(_t(t))), 0.5)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """TensorFlow's ``x / sqrt(max(sum(x**2, axis), epsilon))``: over every axis when ``axis`` is None, and
    ``epsilon`` bounds the squared norm (dendrite's op bounds the norm: sqrt(epsilon) is the same bound)."""
    x = _t(x)
    axis = dim if axis is None else axis
    axes = tuple(range(len(x.shape))) if axis is None else axis
    return ops.l2_normalize(x, axis=axes, epsilon=float(np.sqrt(epsilon)))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) over ``axes``."""
    x = _t(x)
    axes = tuple(int(a) for a in np.atleast_1d(axes))
    mean = ops.mean(x, axis=axes, keepdims=True)
    variance = ops.mean(ops.square(ops.subtract(x, mean)), axis=axes, keepdims=keepdims)
    return (mean if keepdims else ops.squeeze(mean, axes)), variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    inv = ops.divide(1.0, ops.sqrt(ops.add(_t(variance), variance_epsilon)))
    if scale is not None:
        inv = ops.multiply(inv, _t(scale))
    out = ops.multiply(ops.subtract(_t(x), _t(mean)), inv)
    return out if offset is None else ops.add(out, _t(offset))


def bias_add(value, bias, data_format=None, name=None):
    value = _t(value)
    if data_format in ("NCHW", "NCW", "NCDHW"):
        return ops.add(value, ops.reshape(_t(bias), (-1,) + (1,) * (value.ndim - 2)))
    return ops.add(value, _t(bias))


def dropout(x, rate=None, noise_shape=None, seed=None, name=None, keep_prob=None):
    """Always applied, as in TensorFlow: zero with probability ``rate``, scale the rest by 1 / (1 - rate)."""
    if rate is None:
        if keep_prob is None:
            raise ValueError("tf.nn.dropout: pass `rate` (the fraction to drop).")
        rate = 1.0 - keep_prob
    return ops.dropout(_t(x), float(rate), noise_shape=noise_shape, seed=seed)


def _nhwc(data_format, owner):
    if data_format not in (None, "NHWC", "NWC", "channels_last"):
        raise NotImplementedError(f"{owner}: dendrite runs channels-last (NHWC) only; received "
                                  f"data_format={data_format!r}. Transpose the input to NHWC.")


def _spatial(value, n, owner, name):
    """TensorFlow's strides/ksize: an int, a spatial list, or a full list with 1 at batch and channels."""
    value = [int(v) for v in np.atleast_1d(value)]
    if len(value) == 1:
        return tuple(value * n)
    if len(value) == n:
        return tuple(value)
    if len(value) == n + 2 and value[0] == value[-1] == 1:
        return tuple(value[1:-1])
    raise ValueError(f"{owner}: expected `{name}` as an int, {n} ints or {n + 2} ints with 1 at batch and "
                     f"channels; received {name}={value}.")


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.conv2d")
    dil = 1 if dilations is None else _spatial(dilations, 2, "tf.nn.conv2d", "dilations")
    return ops.conv2d(_t(input), _t(filters), strides=_spatial(strides, 2, "tf.nn.conv2d", "strides"),
                      padding=str(padding).lower(), dilation_rate=dil)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.conv1d")
    dil = 1 if dilations is None else _spatial(dilations, 1, "tf.nn.conv1d", "dilations")[0]
    return ops.conv1d(_t(input), _t(filters), strides=_spatial(stride, 1, "tf.nn.conv1d", "stride")[0],
                      padding=str(padding).lower(), dilation_rate=dil)


def _depth_window(ksize):
    """The depth window of a TensorFlow ksize with 1 at batch and a window over channels (ksize=(1, 1, 1, 3)),
    or None."""
    value = [int(v) for v in np.atleast_1d(ksize)]
    return value[3] if len(value) == 4 and value[0] == 1 and value[3] != 1 else None


def _depth_max_pool(x, ksize, strides, owner):
    """Max pooling across channels (TensorFlow's depthwise max pooling): windows of ``k`` channels, stride ``k``."""
    k = _depth_window(ksize)
    size = [int(v) for v in np.atleast_1d(strides)]
    if [int(v) for v in np.atleast_1d(ksize)][1:3] != [1, 1] or size != [1, 1, 1, k] or x.shape[-1] % k:
        raise ValueError(f"{owner}: pooling across channels needs ksize (1, 1, 1, k) and strides (1, 1, 1, k) with "
                         f"the channels ({x.shape[-1]}) divisible by k, as TensorFlow's depthwise max pooling; "
                         f"received ksize={ksize}, strides={strides}.")
    return ops.max(ops.reshape(x, tuple(x.shape[:-1]) + (x.shape[-1] // k, k)), axis=-1)


def _pool2d(op, owner):
    def f(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
        _nhwc(data_format, owner)
        if op is ops.max_pool2d and _depth_window(ksize):
            return _depth_max_pool(_t(input), ksize, strides, owner)
        return op(_t(input), _spatial(ksize, 2, owner, "ksize"), _spatial(strides, 2, owner, "strides"),
                  str(padding).lower())
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


max_pool2d = _pool2d(ops.max_pool2d, "tf.nn.max_pool2d")
avg_pool2d = _pool2d(ops.avg_pool2d, "tf.nn.avg_pool2d")


def _pool1d(op, owner):
    def f(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
        _nhwc(data_format, owner)
        return op(_t(input), _spatial(ksize, 1, owner, "ksize")[0], _spatial(strides, 1, owner, "strides")[0],
                  str(padding).lower())
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


max_pool1d = _pool1d(ops.max_pool1d, "tf.nn.max_pool1d")
avg_pool1d = _pool1d(ops.avg_pool1d, "tf.nn.avg_pool1d")


def _pool_nd(one, two, owner):
    def f(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
        rank = _t(input).ndim - 2
        if rank not in (1, 2, 3):
            raise ValueError(f"{owner}: expected a 3-D (batch, width, channels), 4-D (NHWC) or 5-D (NDHWC) "
                             f"input; received rank {rank + 2}.")
        if rank == 3:
            from . import tf_nn_3d
            three = getattr(tf_nn_3d, owner.rsplit(".", 1)[-1] + "3d")
            return three(input, ksize, strides, padding, data_format or "NDHWC")
        return (one if rank == 1 else two)(input, ksize, strides, padding, data_format or ("NWC", "NHWC")[rank - 1])
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


max_pool = _pool_nd(max_pool1d, max_pool2d, "tf.nn.max_pool")
avg_pool = _pool_nd(avg_pool1d, avg_pool2d, "tf.nn.avg_pool")


def embedding_lookup(params, ids, max_norm=None, name=None):
    return gather(params, ids)


def top_k(input, k=1, sorted=True, index_type=np.int32, name=None):  # noqa: A002
    """The ``k`` largest values along the last axis and their indices (of ``index_type``, int32 or int64)."""
    from ..autodiff import Tensor
    from .dtypes import as_dtype
    index_dtype = np.dtype(as_dtype(index_type))
    if index_dtype not in (np.int32, np.int64, np.int16):
        raise ValueError(f"tf.math.top_k: index_type must be tf.int16, tf.int32 or tf.int64; received "
                         f"index_type={index_type!r}.")
    x = np.asarray(_t(input).value)
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return TopKV2(Tensor(np.take_along_axis(x, idx, -1)), Tensor(idx.astype(index_dtype)))


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """The per-example losses summed and divided by ``global_batch_size`` (by default this replica's batch times
    the strategy's num_replicas_in_sync): summed over the replicas, the mean over the global batch."""
    loss = _t(per_example_loss)
    if sample_weight is not None:
        loss = ops.multiply(loss, _t(sample_weight))
    n = global_batch_size or loss.shape[0] * _replicas()
    return ops.divide(ops.sum(loss), float(n))


def scale_regularization_loss(regularization_loss, name=None):
    """The regularization losses (one, or a list of them, summed) divided by num_replicas_in_sync, so that the
    sum over the replicas counts them once."""
    if isinstance(regularization_loss, (list, tuple)):
        regularization_loss = add_n(list(regularization_loss)) if regularization_loss else 0.0
    return ops.divide(_t(regularization_loss), float(_replicas()))


def _replicas():
    from ..distribute import get_strategy
    return get_strategy().num_replicas_in_sync


NAMES = ("relu sigmoid tanh elu selu softplus softsign swish silu gelu leaky_relu relu6 softmax log_softmax "
         "softmax_cross_entropy_with_logits softmax_cross_entropy_with_logits_v2 "
         "sparse_softmax_cross_entropy_with_logits sigmoid_cross_entropy_with_logits l2_loss l2_normalize "
         "moments batch_normalization bias_add dropout conv2d conv1d max_pool2d max_pool avg_pool2d avg_pool "
         "embedding_lookup top_k compute_average_loss scale_regularization_loss max_pool1d avg_pool1d")
__all__ = NAMES.split()
