"""More of Keras 2's ``keras.backend`` (K): the 3-D and transposed / depthwise / separable convolutions, pool3d,
spatial_3d_padding, resize_volumes, in_top_k, cast_to_floatx, the sparse helpers and ``rnn``, Keras 2's loop of a
step function over the timesteps (what custom recurrent layers of that era call).

The convolutions take Keras 2's arguments (``data_format`` 'channels_last' or 'channels_first': a
channels_first input is transposed around the channels_last ops) and TensorFlow's kernel layouts; all are
differentiable."""
import numpy as np

from .. import backend as _backend
from ..autodiff import Tensor, ops
from . import tensor_api as T
from .keras_ops.convert import flt


def _first(data_format, who):
    fmt = data_format or _backend.image_data_format()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"keras.backend.{who}: `data_format` must be 'channels_last' or 'channels_first'; received "
                         f"data_format={data_format!r}.")
    return fmt == "channels_first"


def _to_last(x, first):
    return ops.transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,)) if first else x


def _to_first(x, first):
    return ops.transpose(x, (0, x.ndim - 1) + tuple(range(1, x.ndim - 1))) if first else x


def _channels_last(fn, x, data_format, who):
    first = _first(data_format, who)
    return _to_first(fn(_to_last(flt(x), first)), first)


def _rank(x, n, who, what):
    if flt(x).ndim != n:
        raise ValueError(f"keras.backend.{who}: expected a rank-{n} input ({what}); received shape "
                         f"{tuple(flt(x).shape)}.")


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """Kernel (kh, kw, out_channels, in_channels); ``output_shape`` the full output shape (batch first), in the
    layout of ``data_format``."""
    from .tf_nn_extra import conv2d_transpose as tf_conv2d_transpose
    _rank(x, 4, "conv2d_transpose", "a batch of images")
    first = _first(data_format, "conv2d_transpose")
    shape = list(output_shape)
    if first:
        shape = [shape[0]] + shape[2:] + [shape[1]]
    out = tf_conv2d_transpose(_to_last(flt(x), first), kernel, shape, strides, padding.upper(),
                              dilations=dilation_rate)
    return _to_first(out, first)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)):
    _rank(x, 5, "conv3d", "a batch of volumes")
    return _channels_last(lambda v: ops.conv3d(v, flt(kernel), strides=strides, padding=padding,
                                               dilation_rate=dilation_rate), x, data_format, "conv3d")


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    _rank(x, 4, "depthwise_conv2d", "a batch of images")
    return _channels_last(lambda v: ops.depthwise_conv2d(v, flt(depthwise_kernel), strides=strides, padding=padding,
                                                         dilation_rate=dilation_rate), x, data_format,
                          "depthwise_conv2d")


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    _rank(x, 4, "separable_conv2d", "a batch of images")

    def run(v):
        mid = ops.depthwise_conv2d(v, flt(depthwise_kernel), strides=strides, padding=padding,
                                   dilation_rate=dilation_rate)
        return ops.conv2d(mid, flt(pointwise_kernel), strides=1, padding="valid")
    return _channels_last(run, x, data_format, "separable_conv2d")


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    _rank(x, 5, "pool3d", "a batch of volumes")
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"keras.backend.pool3d: `pool_mode` must be 'max' or 'avg'; received pool_mode={pool_mode!r}.")
    fn = ops.max_pool3d if pool_mode == "max" else ops.avg_pool3d
    return _channels_last(lambda v: fn(v, pool_size, strides, padding), x, data_format, "pool3d")


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    _rank(x, 5, "spatial_3d_padding", "a batch of volumes")
    pads = [[0, 0]] + [list(p) for p in padding]
    pads = [[0, 0]] + pads if _first(data_format, "spatial_3d_padding") else pads + [[0, 0]]
    return T.pad(x, pads)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Each voxel repeated depth_factor x height_factor x width_factor times (Keras 2's nearest upsampling)."""
    _rank(x, 5, "resize_volumes", "a batch of volumes")
    start = 2 if _first(data_format, "resize_volumes") else 1
    out = flt(x)
    for axis, factor in zip(range(start, start + 3), (depth_factor, height_factor, width_factor)):
        out = ops.take(out, np.repeat(np.arange(out.shape[axis]), int(factor)), axis=axis)
    return out


def in_top_k(predictions, targets, k):
    """Whether each target's score is among the k largest of its row (ties count as in, as TensorFlow's);
    Keras 2's argument order (predictions first)."""
    from .tf_math import in_top_k as tf_in_top_k
    return tf_in_top_k(np.asarray(T._t(targets).value).reshape(-1), predictions, k)


def cast_to_floatx(x):
    """``x`` as a NumPy array of floatx (a tensor: cast to floatx)."""
    if isinstance(x, Tensor):
        return ops.cast(x, _backend.floatx())
    return np.asarray(x, dtype=_backend.floatx())


def is_sparse(tensor):
    from .tf_sparse import SparseTensor
    return isinstance(tensor, SparseTensor)


def to_dense(tensor):
    if is_sparse(tensor):
        from .tf_sparse import to_dense as sparse_to_dense
        return sparse_to_dense(tensor)
    return tensor


def _flat(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False,
        input_length=None, time_major=False, zero_output_for_mask=False, return_all_outputs=True):
    """Keras 2's loop: ``step_function(input_t, states [+ constants]) -> (output_t, new_states)`` over the time
    axis (1, or 0 with ``time_major``), in reverse with ``go_backwards``. With a (batch, time) ``mask``, a masked
    step keeps the states and repeats the previous output (zeros with ``zero_output_for_mask``). Returns
    ``(last_output, outputs, new_states)``; ``outputs`` stacks the outputs in processing order along the time
    axis (only the last one when not ``return_all_outputs``)."""
    x = flt(inputs)
    if x.ndim < 3:
        raise ValueError(f"keras.backend.rnn: `inputs` must have rank 3 or more, (batch, time, ...); received shape "
                         f"{tuple(x.shape)}.")
    if time_major:
        x = ops.transpose(x, (1, 0) + tuple(range(2, x.ndim)))
    steps = x.shape[1]
    if mask is not None:
        mask = np.asarray(T._t(mask).value).astype(bool)
        if time_major:
            mask = mask.T
        mask = mask.reshape(mask.shape[0], steps)
    states = [flt(s) for s in _flat(initial_states)]
    extra = _flat(constants) if constants is not None else []
    outputs, previous = [], None
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    for t in order:
        out, new = step_function(ops.getitem(x, (slice(None), t)), states + extra)
        out, new = flt(out), [flt(s) for s in _flat(new)]
        if mask is not None:
            m = mask[:, t]
            new = [ops.where(m.reshape((-1,) + (1,) * (s.ndim - 1)), s, old) for s, old in zip(new, states)]
            fallback = previous if previous is not None and not zero_output_for_mask else \
                Tensor(np.zeros(out.shape, out.dtype))
            out = ops.where(m.reshape((-1,) + (1,) * (out.ndim - 1)), out, fallback)
        states, previous = new, out
        outputs.append(out)
    if not outputs:
        raise ValueError("keras.backend.rnn: the input has no timesteps (time axis of size 0).")
    stacked = ops.stack(outputs if return_all_outputs else outputs[-1:], axis=1)
    if time_major:
        stacked = ops.transpose(stacked, (1, 0) + tuple(range(2, stacked.ndim)))
    return outputs[-1], stacked, states


NAMES = ("conv2d_transpose conv3d depthwise_conv2d separable_conv2d pool3d spatial_3d_padding resize_volumes in_top_k "
         "cast_to_floatx is_sparse to_dense rnn")
