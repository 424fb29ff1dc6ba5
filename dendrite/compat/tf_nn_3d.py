"""``tf.nn``'s 3-D convolution and pooling on NDHWC volumes (conv3d, conv3d_transpose, max_pool3d, avg_pool3d),
in TensorFlow's argument conventions (strides and ksize as 5 ints with 1 at batch and channels), over the
ops the Conv3D and pooling layers use."""
from ..autodiff import ops
from .keras_ops.convert import flt
from .nn import _spatial
from .tf_nn_extra import _output_padding


def _ndhwc(data_format, owner):
    if data_format not in (None, "NDHWC", "channels_last"):
        raise NotImplementedError(f"{owner}: dendrite runs channels-last (NDHWC) only; received "
                                  f"data_format={data_format!r}. Transpose the input to NDHWC.")


def _volume(x, owner):
    if x.ndim != 5:
        raise ValueError(f"{owner}: expected a 5-D input (batch, depth, height, width, channels); "
                         f"received shape {x.shape}.")
    return x


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):  # noqa: A002
    owner = "tf.nn.conv3d"
    _ndhwc(data_format, owner)
    x = _volume(flt(input), owner)
    d = 1 if dilations is None else _spatial(dilations, 3, owner, "dilations")
    return ops.conv3d(x, flt(filters), strides=_spatial(strides, 3, owner, "strides"),
                      padding=str(padding).lower(), dilation_rate=d)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NDHWC",  # noqa: A002
                     dilations=None, name=None):
    owner = "tf.nn.conv3d_transpose"
    _ndhwc(data_format, owner)
    x, k = _volume(flt(input), owner), flt(filters)
    s = _spatial(strides, 3, owner, "strides")
    d = (1, 1, 1) if dilations is None else _spatial(dilations, 3, owner, "dilations")
    pad = str(padding).lower()
    extra = _output_padding(x, k, output_shape, s, pad, d, 3)
    return ops.conv3d_transpose(x, k, strides=s, padding=pad, output_padding=extra and tuple(extra), dilation_rate=d)


def _pool3d(op, owner):
    def f(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
        _ndhwc(data_format, owner)
        return op(_volume(flt(input), owner), _spatial(ksize, 3, owner, "ksize"),
                  _spatial(strides, 3, owner, "strides"), str(padding).lower())
    f.__name__ = owner.rsplit(".", 1)[-1]
    return f


max_pool3d = _pool3d(ops.max_pool3d, "tf.nn.max_pool3d")
avg_pool3d = _pool3d(ops.avg_pool3d, "tf.nn.avg_pool3d")

NAMES = "conv3d conv3d_transpose max_pool3d avg_pool3d"
