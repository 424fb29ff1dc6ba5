"""Preprocessing layers, as Keras has them: Normalization (feature-wise standardisation learned by ``adapt``),
Rescaling (x * scale + offset) and CategoryEncoding (integer tokens to one-hot, multi-hot or count vectors);
the image ones (Resizing, CenterCrop) are in image_preprocessing.

``Normalization(axis=-1)`` keeps one mean and variance per position of ``axis`` (several axes, or None for a
single scalar pair) and computes ``(x - mean) / max(sqrt(variance), 1e-7)``, or with ``invert=True``
``mean + x * max(sqrt(variance), 1e-7)``. The statistics come from ``adapt(data)`` (population variance, as
NumPy's ``var``; an iterable of batches is combined batch by batch) or are given as ``mean=`` and
``variance=``. Adapted statistics are non-trainable weights ``mean``, ``variance`` and ``count`` (so
``summary()`` counts 2 * features + 1 parameters, as Keras does).
"""
import numpy as np

from .. import backend
from ..autodiff import Tensor, constant, ops
from ..autodiff.tensor import array_of
from ..utils.validation import is_int, number, positive_int
from .base import Layer
from .integer_inputs import IntegerInputs, indices
from .normalization import _resolve_axes

EPSILON = backend.epsilon()


def _samples(data):
    """An array of samples from an array, a list, a DataFrame or a Tensor (fit's conversion), numeric only."""
    from ..models.data_adapters.arrays import _as_array  # not at import time: models import the layers
    arr = _as_array(data, "data")
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"Normalization.adapt: expected numeric data; received an array of dtype {arr.dtype}.")
    return arr


class Normalization(Layer):
    """Standardises inputs with a mean and variance per position of ``axis``, learned by ``adapt``."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif is_int(axis):
            axis = (int(axis),)
        else:
            try:
                axis = tuple(int(a) for a in axis)
            except TypeError:
                raise ValueError(f"Normalization '{self.name}': `axis` must be an int, a tuple of ints or None; "
                                 f"received axis={axis!r}.") from None
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization '{self.name}': give both `mean` and `variance`, or neither (then call "
                             f"adapt(data)); received mean={mean!r} and variance={variance!r}.")
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError(f"Normalization '{self.name}': `mean` and `variance` must have the same shape; received "
                             f"shapes {np.shape(mean)} and {np.shape(variance)}.")
        if mean is not None and np.ndim(mean) > len(self.axis):
            raise ValueError(f"Normalization '{self.name}': `mean` may have at most one dimension per kept axis "
                             f"{self.axis}; received mean of shape {np.shape(mean)}.")
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        self._keep = tuple(sorted(set(_resolve_axes(self, self.axis, input_shape, first_axis=True))))
        ndim = len(input_shape)
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        self._broadcast = tuple(input_shape[d] if d in self._keep else 1 for d in range(ndim))
        stats_shape = tuple(input_shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight("mean", stats_shape, "zeros", trainable=False)
            self.adapt_variance = self.add_weight("variance", stats_shape, "ones", trainable=False)
            # as Keras 3: kept for old saved models (and counted by summary), never updated by adapt
            self.count = self.add_weight("count", (), "zeros", trainable=False, dtype="int64")
        else:
            # given statistics line up with the trailing kept axes, then broadcast over all of them
            expanded = [1] * ndim
            mean = np.asarray(self.input_mean, self.dtype)
            for i in range(1, mean.ndim + 1):
                expanded[self._keep[-i]] = mean.shape[-i]
            try:
                self._given = (np.broadcast_to(mean.reshape(expanded), self._broadcast),
                               np.broadcast_to(np.asarray(self.input_variance, self.dtype).reshape(expanded),
                                               self._broadcast))
            except ValueError:
                raise ValueError(f"Normalization '{self.name}': `mean` of shape {mean.shape} does not fit the kept "
                                 f"axes {self._keep} of inputs shaped {input_shape}.") from None
        self.built = True

    def adapt(self, data):
        """Set the mean and variance from ``data``: an array (a nested list, a DataFrame) of samples, or a list
        or iterable of batch arrays, or a Dataset of batches (of x, or of (x, y) tuples whose x is taken): their
        statistics are combined as if all were one array."""
        if isinstance(data, (list, tuple)) and data and all(hasattr(b, "shape") for b in data):
            batches = (_samples(b) for b in data)  # a list of arrays is a list of batches, as in Keras
        elif not hasattr(data, "cardinality") and (hasattr(data, "__len__") or hasattr(data, "shape")
                                                   or hasattr(data, "to_numpy")):
            batches = [_samples(data)]
        elif hasattr(data, "__iter__"):  # batches of x, or of (x, y) whose x is taken: a Dataset, a generator
            if hasattr(data, "cardinality") and data.cardinality() == -1:
                raise ValueError(f"Normalization '{self.name}'.adapt: the dataset is infinite (repeat() without a "
                                 "count); adapt on a finite one, e.g. dataset.take(100).")
            batches = (_samples(b[0] if isinstance(b, tuple) else b) for b in data)
        else:
            raise TypeError(f"Normalization '{self.name}'.adapt: expected an array of samples or an iterable of "
                            f"batches; received {type(data).__name__}.")
        if self.input_mean is not None:
            raise ValueError(f"Normalization '{self.name}': this layer was given `mean` and `variance`; adapt() "
                             "cannot replace them. Create the layer without them to learn them from data.")
        mean = var = None
        count = 0
        for batch in batches:
            if batch.ndim == 0 or batch.size == 0:
                raise ValueError(f"Normalization '{self.name}'.adapt: received a batch of shape {batch.shape} "
                                 f"({'a single number' if batch.ndim == 0 else 'no values'}); pass an array of "
                                 "samples, or a list of such arrays.")
            if not self.built:
                self.build(batch.shape)  # as Keras: the first batch's own shape (only the kept axes matter)
            expected = tuple(self.adapt_mean.shape)
            if batch.ndim != len(self._broadcast) or tuple(batch.shape[d] for d in self._keep) != expected:
                raise ValueError(f"Normalization '{self.name}'.adapt: data of shape {batch.shape} does not match "
                                 f"the layer's statistics of shape {expected} on axes {self._keep}.")
            b = batch.astype(np.float64)
            n = int(np.prod([batch.shape[d] for d in self._reduce])) if self._reduce else 1
            b_mean, b_var = b.mean(axis=self._reduce), b.var(axis=self._reduce)
            if mean is None:
                mean, var, count = b_mean, b_var, n
                continue
            total = count + n
            w_new = n / total
            new_mean = mean * (1 - w_new) + b_mean * w_new
            var = (var + (mean - new_mean) ** 2) * (1 - w_new) + (b_var + (b_mean - new_mean) ** 2) * w_new
            mean, count = new_mean, total
        if mean is None:
            raise ValueError(f"Normalization '{self.name}'.adapt: received no batches.")
        self.adapt_mean.assign(mean.astype(self.adapt_mean.value.dtype))
        self.adapt_variance.assign(var.astype(self.adapt_variance.value.dtype))

    def _stats(self):
        if self.input_mean is not None:
            return self._given
        return self.adapt_mean.value.reshape(self._broadcast), self.adapt_variance.value.reshape(self._broadcast)

    @property
    def mean(self):
        """The mean in use, shaped to broadcast against the inputs (e.g. (1, 9)); None before building."""
        return constant(self._stats()[0]) if self.built else None

    @property
    def variance(self):
        """The variance in use, shaped like ``mean``; None before building."""
        return constant(self._stats()[1]) if self.built else None

    def call(self, inputs, training=None):
        if self._keep and inputs.ndim != len(self._broadcast):  # (scalar statistics broadcast to any rank)
            raise ValueError(f"Normalization '{self.name}': expected inputs of rank {len(self._broadcast)} (as when "
                             f"it was built or adapted); received shape {tuple(inputs.shape)}.")
        mean, variance = self._stats()
        scale = np.maximum(np.sqrt(variance), EPSILON).astype(inputs.dtype, copy=False)
        mean = mean.astype(inputs.dtype, copy=False)
        if self.invert:
            return ops.add(ops.multiply(inputs, scale), mean)
        return ops.divide(ops.subtract(inputs, mean), scale)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def listed(v):
            return None if v is None else np.asarray(v).tolist()
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": listed(self.input_mean), "variance": listed(self.input_variance)}


def _factor(value, name, owner):
    """A Rescaling factor: a number (kept as a float) or an array-like of numbers (one per channel)."""
    if np.ndim(value) == 0:
        return number(owner, name, value)
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr)):
        raise ValueError(f"{owner}: `{name}` must be a number or an array of finite numbers (one per channel); "
                         f"received {name}={value!r}.")
    return arr.astype(np.float64)


class Rescaling(Layer):
    """``inputs * scale + offset``, in training and inference alike (1/255 maps [0, 255] pixels to [0, 1]).
    Integer inputs come out as floats. An array ``scale`` or ``offset`` holds one value per channel (the last
    axis, or axis 1 when image_data_format() is 'channels_first')."""

    supports_masking = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = _factor(scale, "scale", self.who), _factor(offset, "offset", self.who)

    def _per_channel(self, value, dtype):
        value = np.asarray(value, dtype)
        if value.ndim and backend.image_data_format() == "channels_first":  # (C,) -> (C, 1, 1)
            value = value.reshape(value.shape + (1,) * (3 - value.ndim))
        return value

    def call(self, inputs, training=None):
        scaled = ops.multiply(inputs, self._per_channel(self.scale, inputs.dtype))
        return ops.add(scaled, self._per_channel(self.offset, inputs.dtype)) if np.any(self.offset) else scaled

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return v.tolist() if isinstance(v, np.ndarray) else v
        return {**super().get_config(), "scale": plain(self.scale), "offset": plain(self.offset)}


class CategoryEncoding(IntegerInputs, Layer):
    """Integer tokens in [0, num_tokens) to vectors of num_tokens values. ``output_mode``:

    - ``'multi_hot'`` (the default): 1 for each token present in a sample (the last axis holds a sample's
      tokens): (..., tokens) -> (..., num_tokens); a 1-D input is one sample.
    - ``'one_hot'``: one vector per token: (..., n) -> (..., n, num_tokens), except that a last axis of size 1
      is replaced: (batch, 1) -> (batch, num_tokens).
    - ``'count'``: how often each token occurs in a sample, or the sum of ``count_weights`` (an array shaped
      like the inputs, given to the call) over its occurrences.
    """

    _MODES = ("multi_hot", "one_hot", "count")

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        self.num_tokens = positive_int(self.who, "num_tokens", num_tokens, hint="It is the number of distinct "
                                       "tokens: the largest token + 1. For tokens not known in advance, map them "
                                       "to indices first with layers.IntegerLookup or layers.StringLookup.")
        output_mode = "multi_hot" if output_mode == "binary" else output_mode  # Keras 2's name
        if output_mode not in self._MODES:
            raise ValueError(f"{self.who}: `output_mode` must be one of {self._MODES}; received "
                             f"output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{self.who}: sparse=True is not supported (dendrite has no sparse tensors); leave "
                             "sparse=False for dense outputs.")
        self.output_mode, self.sparse = output_mode, False

    def call(self, inputs, training=None, count_weights=None):
        tokens = indices(inputs, self.num_tokens, self.who, "num_tokens")
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(f"{self.who}: `count_weights` is used only with output_mode='count'; this layer "
                                 f"has output_mode={self.output_mode!r}.")
            count_weights = np.asarray(array_of(count_weights), self.dtype)
            if count_weights.shape != tokens.shape:
                raise ValueError(f"{self.who}: `count_weights` must have the shape of the inputs, "
                                 f"{tokens.shape}; received shape {count_weights.shape}.")
        if tokens.ndim == 0:
            tokens = tokens.reshape(1)
        if self.output_mode == "one_hot":
            if tokens.ndim > 1 and tokens.shape[-1] == 1:
                tokens = tokens[..., 0]
            return Tensor(np.eye(self.num_tokens, dtype=self.dtype)[tokens])
        samples = tokens.reshape(-1, tokens.shape[-1])
        rows = np.broadcast_to(np.arange(len(samples))[:, None], samples.shape)
        out = np.zeros((len(samples), self.num_tokens), self.dtype)
        if self.output_mode == "multi_hot":
            out[rows, samples] = 1
        else:
            np.add.at(out, (rows, samples), 1 if count_weights is None else count_weights.reshape(samples.shape))
        return Tensor(out.reshape(tokens.shape[:-1] + (self.num_tokens,)))

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if not shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
            return shape + (self.num_tokens,)
        return shape[:-1] + (self.num_tokens,)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}


__all__ = ["Normalization", "Rescaling", "CategoryEncoding"]
