"""Reshaping layers: ZeroPadding2D, Cropping2D, UpSampling2D and their 1-D forms for images and sequences;
Permute and RepeatVector for any sample.

For images ``padding`` and ``cropping`` take Keras's three forms: an int (the same on every
side), a pair (symmetric_rows, symmetric_cols), or a pair of pairs
((top, bottom), (left, right)); for sequences an int or a pair (before, after).
"""
import numpy as np

from ..autodiff import ops
from ..backend import standardize_data_format
from ..utils.validation import is_int, positive_int
from .base import Layer
from .input_spec import ImageSpec, InputSpec, normalize_tuple


def _sides(value, arg, owner):
    """Keras's int / pair / pair-of-pairs forms -> ((top, bottom), (left, right)) of non-negative ints."""
    out = None
    if is_int(value):
        out = ((int(value),) * 2,) * 2
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        if all(is_int(v) for v in value):
            out = tuple((int(v), int(v)) for v in value)
        elif all(isinstance(v, (tuple, list)) and len(v) == 2 and all(is_int(u) for u in v) for v in value):
            out = tuple((int(v[0]), int(v[1])) for v in value)
    if out is None or any(v < 0 for pair in out for v in pair):
        raise ValueError(
            f"Layer '{owner}': `{arg}` must be a non-negative int, a tuple of 2 non-negative ints "
            f"(symmetric rows, symmetric cols), or a tuple of 2 tuples of 2 ints ((top, bottom), (left, right)); "
            f"received {arg}={value!r}.")
    return out


def _ends(value, arg, owner):
    """A 1-D layer's int / (before, after) -> ((before, after),) of non-negative ints."""
    pair = (value, value) if is_int(value) else value
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(is_int(v) and v >= 0 for v in pair)):
        raise ValueError(f"Layer '{owner}': `{arg}` must be a non-negative int or a tuple of 2 non-negative ints "
                         f"(before, after); received {arg}={value!r}.")
    return ((int(pair[0]), int(pair[1])),)


class _Spatial(Layer):
    """Shared by the layers here: ``rank`` spatial axes, channels last or first."""

    rank = 2
    _has_data_format = True  # False: Keras's Cropping1D and UpSampling1D take channels-last sequences only

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.input_spec = ImageSpec(self.rank, self.data_format)

    def _hw_axes(self):
        start = 2 if self.data_format == "channels_first" else 1
        return tuple(range(start, start + self.rank))

    def _ends_arg(self, value, arg):
        """A padding / cropping argument in Keras's forms -> one (before, after) pair per spatial axis."""
        return (_sides if self.rank == 2 else _ends)(value, arg, self.name)

    def _ends_config(self, pairs):
        """Those pairs as Keras writes them: ((top, bottom), (left, right)), or (before, after) in 1-D."""
        return pairs if self.rank == 2 else pairs[0]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, size in zip(self._hw_axes(), self._new_sizes(input_shape)):
            shape[axis] = size
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        if self._has_data_format:
            config["data_format"] = self.data_format
        return config


class _ZeroPadding(_Spatial):
    """Adds zeros at both ends of each spatial axis."""

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = self._ends_arg(padding, "padding")

    def _new_sizes(self, shape):
        return tuple(None if shape[a] is None else shape[a] + sum(p) for a, p in zip(self._hw_axes(), self.padding))

    def call(self, inputs, training=None):
        width = [(0, 0)] * (self.rank + 2)
        for axis, pair in zip(self._hw_axes(), self.padding):
            width[axis] = pair
        return ops.pad(inputs, width)

    def get_config(self):
        return {**super().get_config(), "padding": self._ends_config(self.padding)}


class ZeroPadding2D(_ZeroPadding):
    """Adds rows and columns of zeros around each image."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding1D(_ZeroPadding):
    """Adds zeros at the start and end of each sequence: ``padding`` an int or (before, after)."""

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class _Cropping(_Spatial):
    """Removes cells from both ends of each spatial axis."""

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = self._ends_arg(cropping, "cropping")

    def _new_sizes(self, shape):
        out = []
        for axis, (lo, hi) in zip(self._hw_axes(), self.cropping):
            if shape[axis] is not None and lo + hi >= shape[axis]:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): cropping={self._ends_config(self.cropping)} "
                    f"removes {lo + hi} of the {shape[axis]} cells on axis {axis} of the input shape "
                    f"{tuple(shape)}, leaving nothing. Each pair in `cropping` must sum to less than the matching "
                    "spatial size.")
            out.append(None if shape[axis] is None else shape[axis] - lo - hi)
        return tuple(out)

    def call(self, inputs, training=None):
        self._new_sizes(inputs.shape)
        index = [slice(None)] * (self.rank + 2)
        for axis, (lo, hi) in zip(self._hw_axes(), self.cropping):
            index[axis] = slice(lo, inputs.shape[axis] - hi)
        return ops.getitem(inputs, tuple(index))

    def get_config(self):
        return {**super().get_config(), "cropping": self._ends_config(self.cropping)}


class Cropping2D(_Cropping):
    """Removes rows and columns from the edges of each image."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping1D(_Cropping):
    """Removes steps from the start and end of each (batch, steps, channels) sequence: ``cropping`` an int or
    (start, end)."""

    rank = 1
    _has_data_format = False

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, "channels_last", **kwargs)


def _nearest(x, sizes):
    """Channels-last ``x`` with each position of its spatial axes repeated ``sizes`` times along that axis."""
    n, *spatial, c = x.shape
    y = ops.reshape(x, (n, *[v for d in spatial for v in (d, 1)], c))
    y = ops.broadcast_to(y, (n, *[v for d, f in zip(spatial, sizes) for v in (d, f)], c))
    return ops.reshape(y, (n, *[d * f for d, f in zip(spatial, sizes)], c))


def bilinear_matrix(n_in, n_out, dtype):
    """(n_out, n_in) weights of half-pixel-centred linear interpolation from n_in samples to n_out (TensorFlow's
    and Keras 3's resize without antialiasing): output i reads position (i + 0.5) * n_in / n_out - 0.5,
    clamped to the first and last sample."""
    src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    lo = np.floor(src)
    frac = src - lo
    lo = lo.astype(np.int64)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(m, (rows, np.clip(lo, 0, n_in - 1)), 1 - frac)
    np.add.at(m, (rows, np.clip(lo + 1, 0, n_in - 1)), frac)
    return m.astype(dtype)


def _nearest_rows(n_in, n_out):
    """For each of n_out outputs, the input pixel containing its centre."""
    return np.minimum(np.floor((np.arange(n_out) + 0.5) * (n_in / n_out)).astype(np.int64), n_in - 1)


def resize_nhwc(x, height, width, interpolation):
    """A (N, H, W, C) Tensor resized to (N, height, width, C): 'bilinear' (two products with bilinear_matrix) or
    'nearest' (two gathers of the pixels that contain the output pixels' centres)."""
    n, h, w, c = x.shape
    if interpolation == "nearest":
        if h != height:
            x = ops.take(x, _nearest_rows(h, height), axis=1)
        return x if w == width else ops.take(x, _nearest_rows(w, width), axis=2)
    if h != height:
        x = ops.reshape(ops.matmul(bilinear_matrix(h, height, x.dtype), ops.reshape(x, (n, h, w * c))),
                        (n, height, w, c))
    if w != width:
        x = ops.reshape(ops.matmul(bilinear_matrix(w, width, x.dtype), ops.reshape(x, (n * height, w, c))),
                        (n, height, width, c))
    return x


class UpSampling2D(_Spatial):
    """Repeats rows and columns ``size`` times ('nearest') or interpolates them linearly ('bilinear')."""

    _INTERPOLATIONS = ("nearest", "bilinear")

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = normalize_tuple(size, 2, "size", self.name)
        if interpolation not in self._INTERPOLATIONS:
            raise ValueError(f"Layer '{self.name}': interpolation must be one of {self._INTERPOLATIONS} in dendrite; "
                             f"received interpolation={interpolation!r}.")
        self.interpolation = interpolation

    def _new_sizes(self, shape):
        return tuple(None if shape[a] is None else shape[a] * f for a, f in zip(self._hw_axes(), self.size))

    def call(self, inputs, training=None):
        x = inputs
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 2, 3, 1))
        if self.interpolation == "nearest":
            x = _nearest(x, self.size)
        else:
            x = resize_nhwc(x, x.shape[1] * self.size[0], x.shape[2] * self.size[1], "bilinear")
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 3, 1, 2))
        return x

    def get_config(self):
        return {**super().get_config(), "size": self.size, "interpolation": self.interpolation}


class UpSampling1D(_Spatial):
    """Repeats each step of a (batch, steps, channels) sequence ``size`` times."""

    rank = 1
    _has_data_format = False

    def __init__(self, size=2, **kwargs):
        super().__init__("channels_last", **kwargs)
        self.size = positive_int(self.who, "size", size, hint="UpSampling1D takes one int, as in Keras.")

    def _new_sizes(self, shape):
        return (None if shape[1] is None else shape[1] * self.size,)

    def call(self, inputs, training=None):
        return _nearest(inputs, (self.size,))

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class Permute(Layer):
    """Reorders the axes of each sample: ``dims`` is a permutation of 1..n (axis 0, the batch, stays first), e.g.
    Permute((2, 1)) turns (batch, steps, features) into (batch, features, steps)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            given = tuple(dims)
        except TypeError:
            given = None
        if given is None or not all(is_int(d) for d in given) or sorted(given) != list(range(1, len(given) + 1)):
            raise ValueError(f"{self.who}: `dims` must be a permutation of the sample axes 1..n (axis 0, the "
                             "batch, is not included), e.g. (2, 1) to swap the two axes of (batch, steps, "
                             f"features). Received: dims={dims!r}.")
        self.dims = tuple(int(d) for d in given)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs, training=None):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats each (batch, features) sample ``n`` times: the output is (batch, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = positive_int(self.who, "n", n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs, training=None):
        batch, features = inputs.shape
        # times ones (not a broadcast view): a fresh array, and the tape sums the gradient over the copies
        return ops.multiply(ops.reshape(inputs, (batch, 1, features)), np.ones((1, self.n, 1), inputs.dtype))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
