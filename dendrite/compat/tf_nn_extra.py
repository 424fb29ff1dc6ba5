"""``tf.nn`` names beyond compat/nn: transposed, depthwise, separable and generic convolutions, 1-D pooling,
local response normalization, space/depth rearrangement, the weighted and Poisson losses, moment helpers and
crelu, in TensorFlow's argument conventions (NHWC, strides with 1 at batch and channels), differentiable."""
import numpy as np

from ..autodiff import ops
from ..autodiff.ops.conv.geometry import deconv_output_length
from .keras_ops import nn as _knn
from .keras_ops.convert import arr, const, flt
from .nn import _nhwc, _spatial
from .tf_math import in_top_k as _in_top_k
from .tf_math_extra import zero_fraction as _zero_fraction


def _output_padding(x, kernel, output_shape, strides, padding, dilations, n):
    """The output_padding making the transposed convolution's spatial size the ``output_shape`` asked for."""
    want = [int(v) for v in np.asarray(arr(output_shape)).ravel()][1:1 + n]
    natural = [deconv_output_length(x.shape[1 + i], kernel.shape[i], strides[i], dilations[i], padding)
               for i in range(n)]
    if want == natural:  # TensorFlow's own output size: no extra padding (also for even kernels)
        return None
    pads = []
    for i in range(n):
        base = deconv_output_length(x.shape[1 + i], kernel.shape[i], strides[i], dilations[i], padding, 0)
        extra = want[i] - base
        if not 0 <= extra < max(strides[i], 1):
            raise ValueError(f"tf.nn.conv_transpose: output_shape {want} cannot come from an input of spatial size "
                             f"{x.shape[1:1 + n]} with strides {strides} and padding {padding!r}.")
        pads.append(extra)
    return pads


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC",  # noqa: A002
                     dilations=None, name=None):
    _nhwc(data_format, "tf.nn.conv2d_transpose")
    x, k = flt(input), flt(filters)
    s = _spatial(strides, 2, "tf.nn.conv2d_transpose", "strides")
    d = (1, 1) if dilations is None else _spatial(dilations, 2, "tf.nn.conv2d_transpose", "dilations")
    pad = str(padding).lower()
    op = _output_padding(x, k, output_shape, s, pad, d, 2)
    return ops.conv2d_transpose(x, k, strides=s, padding=pad, output_padding=op and tuple(op), dilation_rate=d)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC",  # noqa: A002
                     dilations=None, name=None):
    _nhwc(data_format, "tf.nn.conv1d_transpose")
    x, k = flt(input), flt(filters)
    s = _spatial(strides, 1, "tf.nn.conv1d_transpose", "strides")
    d = (1,) if dilations is None else _spatial(dilations, 1, "tf.nn.conv1d_transpose", "dilations")
    pad = str(padding).lower()
    op = _output_padding(x, k, output_shape, s, pad, d, 1)
    return ops.conv1d_transpose(x, k, strides=s[0], padding=pad, output_padding=op and op[0], dilation_rate=d[0])


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,  # noqa: A002
                   dilations=None, name=None):
    rank = flt(input).ndim
    if rank == 5:
        from .tf_nn_3d import conv3d_transpose
        return conv3d_transpose(input, filters, output_shape, strides, padding, dilations=dilations)
    fn = conv1d_transpose if rank == 3 else conv2d_transpose
    return fn(input, filters, output_shape, strides, padding, dilations=dilations)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.depthwise_conv2d")
    d = (1, 1) if dilations is None else _spatial(dilations, 2, "tf.nn.depthwise_conv2d", "dilations")
    return ops.depthwise_conv2d(flt(input), flt(filter), strides=_spatial(strides, 2, "tf.nn.depthwise_conv2d",
                                                                          "strides"),
                                padding=str(padding).lower(), dilation_rate=d)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    mid = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return ops.conv2d(mid, flt(pointwise_filter), strides=1, padding="valid")


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None,  # noqa: A002
                name=None):
    x = flt(input)
    if data_format != "NDHWC":
        _nhwc(data_format, "tf.nn.convolution")
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"tf.nn.convolution: expected a 1-D, 2-D or 3-D input with batch and channel axes "
                         f"(rank 3, 4 or 5); received shape {x.shape}.")
    n = x.ndim - 2
    s = 1 if strides is None else _spatial(strides, n, "tf.nn.convolution", "strides")
    d = 1 if dilations is None else _spatial(dilations, n, "tf.nn.convolution", "dilations")
    return _knn.conv(x, filters, s, str(padding).lower(), data_format="channels_last", dilation_rate=d)


def atrous_conv2d(value, filters, rate, padding, name=None):
    return ops.conv2d(flt(value), flt(filters), strides=1, padding=str(padding).lower(), dilation_rate=int(rate))


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,  # noqa: A002
         dilations=None, name=None):
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise ValueError(f"tf.nn.pool: pooling_type must be 'MAX' or 'AVG'; received {pooling_type!r}.")
    fn = _knn.max_pool if kind == "MAX" else _knn.average_pool
    return fn(input, window_shape, strides, str(padding).lower(), data_format="channels_last")


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    """x / (bias + alpha * sum of x^2 over the 2r + 1 channels around each) ** beta."""
    x = flt(input)
    c, r = x.shape[-1], int(depth_radius)
    sq = ops.pad(ops.square(x), [(0, 0)] * (x.ndim - 1) + [(r, r)])
    window = ops.getitem(sq, (Ellipsis, slice(0, c)))
    for k in range(1, 2 * r + 1):
        window = ops.add(window, ops.getitem(sq, (Ellipsis, slice(k, k + c))))
    return ops.divide(x, ops.power(ops.add(ops.multiply(window, float(alpha)), float(bias)), float(beta)))


lrn = local_response_normalization


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.space_to_depth")
    return _knn.space_to_depth(input, block_size, "channels_last")


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    _nhwc(data_format, "tf.nn.depth_to_space")
    return _knn.depth_to_space(input, block_size, "channels_last")


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """(1 - z) x + (1 + (q - 1) z) (log(1 + exp(-|x|)) + max(-x, 0)), TensorFlow's stable form."""
    x, z = flt(logits), flt(labels)
    log_weight = ops.add(ops.multiply(ops.subtract(flt(pos_weight), 1.0), z), 1.0)
    soft = ops.add(ops.log(ops.add(ops.exp(ops.negative(ops.abs(x))), 1.0)), ops.relu(ops.negative(x)))
    return ops.add(ops.multiply(ops.subtract(1.0, z), x), ops.multiply(log_weight, soft))


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    c, z = flt(log_input), flt(targets)
    loss = ops.subtract(ops.exp(c), ops.multiply(z, c))
    if compute_full_loss:
        zv = z.value
        stirling = np.where(zv > 1, zv * np.log(np.where(zv > 1, zv, 1)) - zv + 0.5 * np.log(2 * np.pi *
                                                                                                np.where(zv > 1, zv, 1)),
                            0).astype(zv.dtype)
        loss = ops.add(loss, const(stirling))
    return loss


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    divisor = ops.divide(1.0, flt(counts))
    mean = ops.multiply(flt(mean_ss), divisor)
    variance = ops.subtract(ops.multiply(flt(variance_ss), divisor), ops.square(mean))
    if shift is not None:
        mean = ops.add(mean, flt(shift))
    return mean, variance


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    x = flt(x)
    axes = tuple(int(a) for a in np.atleast_1d(axes))
    count = const(np.asarray(np.prod([x.shape[a] for a in axes]), x.dtype))
    centred = x if shift is None else ops.subtract(x, flt(shift))
    return (count, ops.sum(centred, axis=axes, keepdims=keepdims),
            ops.sum(ops.square(centred), axis=axes, keepdims=keepdims), None if shift is None else flt(shift))


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    x, w = flt(x), flt(frequency_weights)
    axes = tuple(int(a) for a in np.atleast_1d(axes))
    w = ops.broadcast_to(w, np.broadcast_shapes(x.shape, w.shape))
    total = ops.sum(w, axis=axes, keepdims=True)
    mean = ops.divide(ops.sum(ops.multiply(x, w), axis=axes, keepdims=True), total)
    var = ops.divide(ops.sum(ops.multiply(ops.square(ops.subtract(x, mean)), w), axis=axes, keepdims=True), total)
    if not keepdims:
        mean, var = ops.squeeze(mean, axes), ops.squeeze(var, axes)
    return mean, var


def crelu(features, axis=-1, name=None):
    x = flt(features)
    return ops.concatenate([ops.relu(x), ops.relu(ops.negative(x))], axis=axis)


def in_top_k(targets, predictions, k, name=None):
    return _in_top_k(targets, predictions, k)


zero_fraction = _zero_fraction  # tf.nn.zero_fraction is tf.math's


NAMES = ("conv2d_transpose conv1d_transpose conv_transpose depthwise_conv2d separable_conv2d convolution "
         "atrous_conv2d pool local_response_normalization lrn space_to_depth depth_to_space "
         "weighted_cross_entropy_with_logits log_poisson_loss normalize_moments sufficient_statistics "
         "weighted_moments crelu in_top_k zero_fraction")
