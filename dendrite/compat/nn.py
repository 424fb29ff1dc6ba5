"""``tf.nn``: activations, the fused cross-entropies, ``l2_loss``, ``moments``, and the NHWC convolution and
pooling ops, each on dendrite.autodiff.ops so a GradientTape follows them."""
import numpy as np

from ..autodiff import ops
from .tensor_api import _t, add_n, gather, wrap as _unary


relu = _unary(ops.relu)
sigmoid = _unary(ops.sigmoid)
tanh = _unary(ops.tanh)
elu = _unary(ops.elu)
selu = _unary(ops.selu)
softplus = _unary(ops.softplus)
softsign = _unary(ops.softsign)
swish = silu = _unary(ops.swish)


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
    return ops.l2_normalize(_t(x), axis=-1 if axis is None and dim is None else (dim if axis is None else axis),
                            epsilon=epsilon)


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


def _pool2d(op, owner):
    def f(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
        _nhwc(data_format, owner)
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
        if rank not in (1, 2):
            raise ValueError(f"{owner}: dendrite pools 3-D (batch, width, channels) and 4-D (NHWC) inputs; "
                             f"received rank {rank + 2}.")
        return (one if rank == 1 else two)(input, ksize, strides, padding, data_format or ("NWC", "NHWC")[rank - 1])
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


max_pool = _pool_nd(max_pool1d, max_pool2d, "tf.nn.max_pool")
avg_pool = _pool_nd(avg_pool1d, avg_pool2d, "tf.nn.avg_pool")


def _transpose_padding(in_len, target, k, stride, dilation, padding):
    """Keras's output_padding that makes a transposed convolution's length ``target`` (None: the default)."""
    k = k + (k - 1) * (dilation - 1)
    default = in_len * stride if padding == "same" else in_len * stride + max(k - stride, 0)
    if target is None or target == default:
        return None
    pad = k // 2 if padding == "same" else 0
    extra = target - ((in_len - 1) * stride + k - 2 * pad)
    if not 0 <= extra < max(stride, 1) + 1:
        raise ValueError(f"tf.nn.conv_transpose: an output length of {target} is not reachable from length {in_len} "
                         f"with kernel {k}, stride {stride} and padding {padding!r}.")
    return extra


def _conv_transpose(rank, owner):
    def f(input, filters, output_shape, strides, padding="SAME", data_format=None, dilations=None, name=None):  # noqa: A002
        _nhwc(data_format, owner)
        x, k = _t(input), _t(filters)
        strides = _spatial(strides, rank, owner, "strides")
        dil = (1,) * rank if dilations is None else _spatial(dilations, rank, owner, "dilations")
        target = [int(v) for v in np.asarray(_t(output_shape).value).ravel()][1:1 + rank]
        pad = str(padding).lower()
        out_pad = [_transpose_padding(x.shape[1 + i], target[i], k.shape[i], strides[i], dil[i], pad)
                   for i in range(rank)]
        out_pad = None if all(p is None for p in out_pad) else tuple(0 if p is None else p for p in out_pad)
        op = ops.conv1d_transpose if rank == 1 else ops.conv2d_transpose
        args = (strides[0], pad, None if out_pad is None else out_pad[0], dil[0]) if rank == 1 else \
            (strides, pad, out_pad, dil)
        return op(x, k, None, *args)
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


conv2d_transpose = _conv_transpose(2, "tf.nn.conv2d_transpose")
conv1d_transpose = _conv_transpose(1, "tf.nn.conv1d_transpose")


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.depthwise_conv2d")
    dil = 1 if dilations is None else _spatial(dilations, 2, "tf.nn.depthwise_conv2d", "dilations")
    return ops.depthwise_conv2d(_t(input), _t(filter), None, _spatial(strides, 2, "tf.nn.depthwise_conv2d", "strides"),
                                str(padding).lower(), dilation_rate=dil)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None, dilations=None,
                     name=None):  # noqa: A002
    deep = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return ops.conv2d(deep, _t(pointwise_filter), strides=1, padding="valid")


def atrous_conv2d(value, filters, rate, padding, name=None):
    return conv2d(value, filters, 1, padding, dilations=rate)


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None):  # noqa: A002
    rank = _t(input).ndim - 2
    if rank == 1:
        return conv1d(input, filters, strides or 1, padding, data_format or "NWC", dilations)
    if rank == 2:
        return conv2d(input, filters, strides or 1, padding, data_format or "NHWC", dilations)
    raise ValueError(f"tf.nn.convolution: dendrite convolves 3-D (NWC) and 4-D (NHWC) inputs; received rank {rank + 2}.")


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """``labels * -log(sigmoid(logits)) * pos_weight + (1 - labels) * -log(1 - sigmoid(logits))``, computed stably."""
    z, x = _t(labels), _t(logits)
    log_weight = ops.add(1.0, ops.multiply(ops.subtract(_t(pos_weight), 1.0), z))
    stable = ops.add(ops.log(ops.add(1.0, ops.exp(ops.negative(ops.abs(x))))), ops.relu(ops.negative(x)))
    return ops.add(ops.multiply(ops.subtract(1.0, z), x), ops.multiply(log_weight, stable))


def crelu(features, axis=-1, name=None):
    x = _t(features)
    return ops.concatenate([ops.relu(x), ops.relu(ops.negative(x))], axis=axis)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    z, c = _t(targets), _t(log_input)
    loss = ops.subtract(ops.exp(c), ops.multiply(z, c))
    if compute_full_loss:  # Stirling's approximation of log(z!), for z > 1
        zv = z.value
        stirling = np.where(zv > 1, zv * np.log(np.maximum(zv, 1)) - zv + 0.5 * np.log(2 * np.pi * np.maximum(zv, 1)),
                            0.0).astype(loss.dtype)
        loss = ops.add(loss, stirling)
    return loss


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    """``x / (bias + alpha * sum of x² over the 2r+1 neighbouring channels) ** beta``."""
    x = _t(input)
    c = x.shape[-1]
    padded = ops.pad(ops.square(x), [(0, 0)] * (x.ndim - 1) + [(depth_radius, depth_radius)])
    window = ops.getitem(padded, (Ellipsis, slice(0, c)))
    for d in range(1, 2 * depth_radius + 1):
        window = ops.add(window, ops.getitem(padded, (Ellipsis, slice(d, d + c))))
    return ops.divide(x, ops.power(ops.add(ops.multiply(window, float(alpha)), float(bias)), float(beta)))


lrn = local_response_normalization


def zero_fraction(value, name=None):
    from ..autodiff import Tensor
    return Tensor(np.float32(np.mean(np.asarray(_t(value).value) == 0)))


def in_top_k(targets, predictions, k, name=None):
    from .tf_math import in_top_k as math_in_top_k
    return math_in_top_k(targets, predictions, k)


def embedding_lookup(params, ids, max_norm=None, name=None):
    return gather(params, ids)


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    from ..autodiff import Tensor
    x = np.asarray(_t(input).value)
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return Tensor(np.take_along_axis(x, idx, -1)), Tensor(idx.astype(np.int32))


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
         "sparse_softmax_cross_entropy_with_logits sigmoid_cross_entropy_with_logits l2_loss l2_normalize moments "
         "batch_normalization bias_add dropout conv2d conv1d max_pool2d max_pool avg_pool2d avg_pool "
         "embedding_lookup top_k compute_average_loss scale_regularization_loss max_pool1d avg_pool1d "
         "conv2d_transpose conv1d_transpose depthwise_conv2d separable_conv2d atrous_conv2d convolution "
         "weighted_cross_entropy_with_logits crelu log_poisson_loss local_response_normalization lrn zero_fraction "
         "in_top_k")
__all__ = NAMES.split()
