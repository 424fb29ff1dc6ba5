"""keras.ops.nn: activations, one-hot encodings, the cross-entropies, convolutions and pooling (1-D and 2-D,
channels-last or channels-first), normalizations, top-k and attention, on dendrite's differentiable ops.
Keras's defaults are kept: ``gelu(approximate=True)``, ``leaky_relu(negative_slope=0.2)``, ``hard_sigmoid`` as
relu6(x + 3) / 6, cross-entropies whose probabilities are clipped to [epsilon, 1 - epsilon]."""
from ... import backend, losses
from ..nn import _spatial
from .convert import arr, const, floatx, flt, np, on_floats, ops, t
from .numpy_math import logsumexp as _logsumexp
from .numpy_array import moveaxis, take_along_axis


relu = on_floats(ops.relu, "relu")


def relu6(x):
    return ops.clip(ops.relu(flt(x)), 0.0, 6.0)


sigmoid = on_floats(ops.sigmoid, "sigmoid")


softplus = on_floats(ops.softplus, "softplus")


softsign = on_floats(ops.softsign, "softsign")


silu = on_floats(ops.swish, "silu")


swish = silu


def gelu(x, approximate=True):
    return ops.gelu(flt(x), approximate=approximate)


def elu(x, alpha=1.0):
    return ops.elu(flt(x), alpha)


selu = on_floats(ops.selu, "selu")


def celu(x, alpha=1.0):
    x = flt(x)
    return ops.add(ops.relu(x), ops.minimum(ops.multiply(alpha, ops.subtract(ops.exp(ops.divide(
        ops.minimum(x, 0.0), alpha)), 1.0)), 0.0))


def leaky_relu(x, negative_slope=0.2):
    return ops.leaky_relu(flt(x), negative_slope=negative_slope)


hard_sigmoid = on_floats(ops.hard_sigmoid, "hard_sigmoid")


def hard_silu(x):
    x = flt(x)
    return ops.multiply(x, ops.hard_sigmoid(x))


hard_swish = hard_silu


def hard_tanh(x):
    return ops.clip(flt(x), -1.0, 1.0)


def log_sigmoid(x):
    return ops.negative(ops.softplus(ops.negative(flt(x))))


def softmax(x, axis=-1):
    x = flt(x)
    if axis is None:
        return ops.reshape(ops.softmax(ops.reshape(x, (-1,))), x.shape)
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    x = flt(x)
    if axis is None:
        return ops.reshape(ops.log_softmax(ops.reshape(x, (-1,))), x.shape)
    return ops.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    return ops.sparsemax(flt(x), axis=axis)


def glu(x, axis=-1):
    x = flt(x)
    half = x.shape[axis] // 2
    if x.shape[axis] % 2:
        raise ValueError(f"keras.ops.glu: axis {axis} must have an even length (it is split in halves); received "
                         f"shape {x.shape}.")
    a = ops.getitem(x, (Ellipsis, slice(0, half)) + (slice(None),) * (-1 - axis) if axis < 0 else
                    (slice(None),) * axis + (slice(0, half),))
    b = ops.getitem(x, (Ellipsis, slice(half, None)) + (slice(None),) * (-1 - axis) if axis < 0 else
                    (slice(None),) * axis + (slice(half, None),))
    return ops.multiply(a, ops.sigmoid(b))


def hard_shrink(x, threshold=0.5):
    x = flt(x)
    return ops.where(np.abs(x.value) > threshold, x, const(np.zeros((), x.dtype)))


def soft_shrink(x, threshold=0.5):
    x = flt(x)
    shrunk = ops.subtract(x, ops.multiply(const(np.sign(x.value)), threshold))
    return ops.where(np.abs(x.value) > threshold, shrunk, const(np.zeros((), x.dtype)))


def tanh_shrink(x):
    x = flt(x)
    return ops.subtract(x, ops.tanh(x))


def threshold(x, threshold, default_value):  # noqa: F811 - Keras's argument name
    x = flt(x)
    return ops.where(x.value > threshold, x, const(np.asarray(default_value, x.dtype)))


def squareplus(x, b=4):
    x = flt(x)
    return ops.multiply(ops.add(x, ops.sqrt(ops.add(ops.square(x), float(b)))), 0.5)


def sparse_plus(x):
    x = flt(x)
    mid = ops.multiply(ops.square(ops.add(x, 1.0)), 0.25)
    return ops.where(x.value <= -1, const(np.zeros((), x.dtype)), ops.where(x.value >= 1, x, mid))


def sparse_sigmoid(x):
    x = flt(x)
    return ops.clip(ops.multiply(ops.add(x, 1.0), 0.5), 0.0, 1.0)


# ------------------------------------------------------------------------------------------- encodings
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    idx = arr(x).astype(np.int64)
    out = (idx[..., None] == np.arange(int(num_classes))).astype(np.dtype(dtype) if dtype else floatx())
    return const(np.moveaxis(out, -1, axis) if axis != -1 else out)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", num_classes)
    idx = arr(inputs).astype(np.int64)
    if idx.ndim == 1:
        idx = idx[None]
        squeeze = True
    else:
        squeeze = False
    out = np.zeros(idx.shape[:-1] + (int(num_classes),), np.dtype(dtype) if dtype else floatx())
    valid = (idx >= 0) & (idx < num_classes)
    rows = np.nonzero(valid)
    out[rows[:-1] + (idx[valid],)] = 1
    out = out[0] if squeeze else out
    return const(np.moveaxis(out, -1, axis) if axis != -1 else out)


# ----------------------------------------------------------------------------------------- cross-entropies
def _clip_probs(output):
    eps = backend.epsilon()
    return ops.clip(output, eps, 1.0 - eps)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy (no mean), as Keras's op."""
    output = flt(output)
    target = ops.cast(t(target), output.dtype) if t(target).dtype.kind == "f" else const(arr(target).astype(
        output.dtype))
    if target.shape != output.shape:
        raise ValueError(f"keras.ops.binary_crossentropy: `target` and `output` must have the same shape; "
                         f"received {target.shape} and {output.shape}.")
    if from_logits:
        return ops.sigmoid_cross_entropy(output, target)
    p = _clip_probs(output)
    return ops.negative(ops.add(ops.multiply(target, ops.log(p)),
                                ops.multiply(ops.subtract(1.0, target), ops.log(ops.subtract(1.0, p)))))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per sample, as Keras's op: the loss function's values (dendrite.losses), before any reduction."""
    return losses.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return losses.sparse_categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


# ----------------------------------------------------------------------------------- convolution & pooling
def _channels_first(data_format):
    fmt = backend.standardize_data_format(data_format, "keras.ops") if data_format else backend.image_data_format()
    return fmt == "channels_first"


def _layout(fn):
    """Run ``fn`` on channels-last tensors, moving the channels of a channels-first input and output."""
    def call(inputs, *args, data_format=None, **kwargs):
        x = flt(inputs)
        if x.ndim not in (3, 4, 5):
            raise ValueError(f"keras.ops.{fn.__name__}: expected a 1-D, 2-D or 3-D input with batch and channel "
                             f"axes (rank 3, 4 or 5); received rank {x.ndim} (shape {x.shape}).")
        first = _channels_first(data_format)
        if first:
            x = moveaxis(x, 1, -1)
        out = fn(x, *args, **kwargs)
        return moveaxis(out, -1, 1) if first else out
    call.__name__ = fn.__name__
    return call


def _strides(value, n, name):
    return _spatial(value, n, f"keras.ops.{name}", "strides")


@_layout
def conv(x, kernel, strides=1, padding="valid", dilation_rate=1):
    k, n = flt(kernel), x.ndim - 2
    s, d = _strides(strides, n, "conv"), _spatial(dilation_rate, n, "keras.ops.conv", "dilation_rate")
    groups = x.shape[-1] // k.shape[-2]
    if n == 1:
        return ops.conv1d(x, k, strides=s[0], padding=padding, dilation_rate=d[0], groups=groups)
    conv_nd = ops.conv2d if n == 2 else ops.conv3d
    return conv_nd(x, k, strides=s, padding=padding, dilation_rate=d, groups=groups)


@_layout
def conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    k, n = flt(kernel), x.ndim - 2
    s, d = _strides(strides, n, "conv_transpose"), _spatial(dilation_rate, n, "keras.ops.conv_transpose",
                                                            "dilation_rate")
    if n == 1:
        return ops.conv1d_transpose(x, k, strides=s[0], padding=padding, output_padding=output_padding,
                                    dilation_rate=d[0])
    transpose_nd = ops.conv2d_transpose if n == 2 else ops.conv3d_transpose
    return transpose_nd(x, k, strides=s, padding=padding, output_padding=output_padding, dilation_rate=d)


@_layout
def depthwise_conv(x, kernel, strides=1, padding="valid", dilation_rate=1):
    k, n = flt(kernel), x.ndim - 2
    s, d = _strides(strides, n, "depthwise_conv"), _spatial(dilation_rate, n, "keras.ops.depthwise_conv",
                                                            "dilation_rate")
    if n == 3:
        raise ValueError(f"keras.ops.depthwise_conv: expected a 1-D or 2-D input (rank 3 or 4), as Keras; "
                         f"received rank 5 (shape {x.shape}).")
    if n == 1:
        return ops.depthwise_conv1d(x, k, strides=s[0], padding=padding, dilation_rate=d[0])
    return ops.depthwise_conv2d(x, k, strides=s, padding=padding, dilation_rate=d)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    mid = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format=data_format,
                         dilation_rate=dilation_rate)
    return conv(mid, pointwise_kernel, 1, "valid", data_format=data_format)


def _pool(name, op1, op2, op3):
    @_layout
    def pool(x, pool_size, strides=None, padding="valid"):
        n = x.ndim - 2
        size = _spatial(pool_size, n, f"keras.ops.{name}", "pool_size")
        s = size if strides is None else _strides(strides, n, name)
        return op1(x, size[0], s[0], padding) if n == 1 else (op2 if n == 2 else op3)(x, size, s, padding)
    pool.__name__ = name
    return pool


max_pool = _pool("max_pool", ops.max_pool1d, ops.max_pool2d, ops.max_pool3d)


def adaptive_average_pool(inputs, output_size, data_format=None):
    from ...layers.adaptive_pooling import adaptive_pool
    return adaptive_pool(flt(inputs), output_size, "average", data_format, "keras.ops.adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    from ...layers.adaptive_pooling import adaptive_pool
    return adaptive_pool(flt(inputs), output_size, "max", data_format, "keras.ops.adaptive_max_pool")
average_pool = _pool("average_pool", ops.avg_pool1d, ops.avg_pool2d, ops.avg_pool3d)


# ------------------------------------------------------------------------------------------ normalization
def moments(x, axes, keepdims=False, synchronized=False):
    x = flt(x)
    axes = tuple(int(a) for a in np.atleast_1d(axes))
    mean = ops.mean(x, axis=axes, keepdims=True)
    variance = ops.mean(ops.square(ops.subtract(x, mean)), axis=axes, keepdims=keepdims)
    return (mean if keepdims else ops.squeeze(mean, axes)), variance


def _along(v, axis, ndim):
    v = flt(v)
    return v if v.ndim != 1 else ops.reshape(v, tuple(-1 if i == axis % ndim else 1 for i in range(ndim)))


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = flt(x)
    inv = ops.divide(1.0, ops.sqrt(ops.add(_along(variance, axis, x.ndim), epsilon)))
    if scale is not None:
        inv = ops.multiply(inv, _along(scale, axis, x.ndim))
    out = ops.multiply(ops.subtract(x, _along(mean, axis, x.ndim)), inv)
    return out if offset is None else ops.add(out, _along(offset, axis, x.ndim))


def normalize(x, axis=-1, order=2, epsilon=None):
    x = flt(x)
    eps = backend.epsilon() if epsilon is None else epsilon
    if order == 2:
        norm = ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), eps * eps))
    else:
        norm = ops.maximum(ops.power(ops.sum(ops.power(ops.abs(x), float(order)), axis=axis, keepdims=True),
                                     1.0 / order), eps)
    return ops.divide(x, norm)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x = flt(x)
    eps = backend.epsilon() if epsilon is None else epsilon
    rms = ops.sqrt(ops.add(ops.mean(ops.square(x), axis=axis, keepdims=True), eps))
    return ops.multiply(ops.divide(x, rms), flt(scale))


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x = flt(x)
    mean, var = moments(x, axis, keepdims=True)
    out = ops.divide(ops.subtract(x, mean), ops.sqrt(ops.add(var, backend.epsilon() if epsilon is None else epsilon)))
    out = out if gamma is None else ops.multiply(out, flt(gamma))
    return out if beta is None else ops.add(out, flt(beta))


# ------------------------------------------------------------------------------------------ top-k, attention
def top_k(x, k, sorted=True):  # noqa: A002 - Keras's name
    x = t(x)
    idx = np.argsort(-x.value, axis=-1, kind="stable")[..., :int(k)]
    return take_along_axis(x, idx, -1), const(idx.astype(np.int32))


def in_top_k(targets, predictions, k):
    p = arr(predictions)
    target = arr(targets).astype(np.int64)
    score = np.take_along_axis(p, target[:, None], -1)
    return const((p > score).sum(axis=-1) < int(k))


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False, **kwargs):
    """softmax(q k^T * scale + bias, masked) v over (batch, length, heads, dim) tensors, as Keras's op."""
    from .numpy_array import einsum
    q, k, v = flt(query), flt(key), flt(value)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    logits = ops.multiply(einsum("btnh,bsnh->bnts", q, k), float(scale))
    if bias is not None:
        logits = ops.add(logits, flt(bias))
    keep = None if mask is None else np.broadcast_to(arr(mask).astype(bool), logits.shape)
    if is_causal:
        causal = np.tril(np.ones(logits.shape[-2:], bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        logits = ops.where(np.broadcast_to(keep, logits.shape), logits,
                           const(np.asarray(np.finfo(logits.dtype).min, logits.dtype)))
    return einsum("bnts,bsnh->btnh", ops.softmax(logits, axis=-1), v)


logsumexp = _logsumexp  # keras.ops.nn's as well as keras.ops.numpy's


def _blocks(x, block_size, data_format, to_depth):
    x = flt(x)
    first = _channels_first(data_format)
    if first:
        x = moveaxis(x, 1, -1)
    n, h, w, c = x.shape
    b = int(block_size)
    if to_depth:
        y = ops.reshape(ops.transpose(ops.reshape(x, (n, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5)),
                        (n, h // b, w // b, b * b * c))
    else:
        y = ops.reshape(ops.transpose(ops.reshape(x, (n, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5)),
                        (n, h * b, w * b, c // (b * b)))
    return moveaxis(y, -1, 1) if first else y


def space_to_depth(x, block_size, data_format=None):
    return _blocks(x, block_size, data_format, True)


def depth_to_space(x, block_size, data_format=None):
    return _blocks(x, block_size, data_format, False)


def psnr(x1, x2, max_val):
    a, b = flt(x1), flt(x2)
    mse = ops.mean(ops.square(ops.subtract(a, b)))
    return ops.subtract(20.0 * np.log10(max_val), ops.multiply(ops.log(mse), 10.0 / np.log(10.0)))


NAMES = (
    "relu relu6 sigmoid softplus softsign silu swish gelu elu selu celu leaky_relu hard_sigmoid hard_silu hard_swish "
    "hard_tanh log_sigmoid softmax log_softmax sparsemax glu hard_shrink soft_shrink tanh_shrink threshold squareplus "
    "sparse_plus sparse_sigmoid one_hot multi_hot binary_crossentropy categorical_crossentropy "
    "sparse_categorical_crossentropy conv conv_transpose depthwise_conv separable_conv max_pool average_pool moments "
    "adaptive_average_pool adaptive_max_pool "
    "batch_normalization normalize rms_normalization layer_normalization top_k in_top_k dot_product_attention "
    "space_to_depth depth_to_space psnr logsumexp")
