"""Discretization, as Keras 3 defines it: each value goes to the bin of ``bin_boundaries`` it falls in,
bins (-inf, b0), [b0, b1), ..., [b_last, inf), so that a value equal to a boundary goes to the bin above it.
``output_mode='int'`` gives the bin indices (int32); 'one_hot', 'multi_hot' and 'count' give vectors of
len(bin_boundaries) + 1 values by CategoryEncoding's rules, except that, as Keras 3 computes them (its
documentation says the last axis), 'multi_hot' and 'count' gather a sample's values along axis 1:
(batch, n, k) -> (batch, k, bins).

Given ``num_bins`` instead, ``adapt(data)`` learns num_bins - 1 boundaries at approximate quantiles, with
Keras's summary algorithm (so that the same data gives the same boundaries): each batch is sorted and
reduced to about 1 / epsilon evenly spaced values, each weighing the count it stands for; the summaries of
successive batches are merged, sorted by value, and compressed back to about 1 / epsilon values by
interpolating the cumulative weights at the fractions epsilon, 2 * epsilon, ..., 1; the boundaries are
the same compression at the fractions 1 / num_bins, ..., (num_bins - 1) / num_bins.
"""
import numbers

import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from .base import Layer
from .lookup import adapt_batches, encode_categorical

_MODES = ("int", "one_hot", "multi_hot", "count")


def _summary(values, epsilon):
    """A batch as (2, m) float32: about 1 / epsilon of its sorted values, and the count each one stands for."""
    ordered = np.sort(np.reshape(values, -1))
    step = max(ordered.size / (1.0 / epsilon), 1)
    kept = ordered[int(step - 1)::int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def _compress(summary, epsilon):
    """The summary read off at the cumulative-weight fractions epsilon, 2 * epsilon, ..., 1 (interpolated);
    left as it is when it holds fewer than 1 / epsilon values."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    running = np.cumsum(summary[1])
    share = running / running[-1]
    values = np.interp(fractions, share, summary[0])
    running = np.interp(fractions, share, running)
    weights = running - np.concatenate(([0.0], running[:-1]))
    return np.stack([values, weights]).astype(np.float32)


def _merge(first, second, epsilon):
    """Two summaries as one, sorted by value and compressed."""
    both = np.concatenate([first, second], axis=1)
    return _compress(np.take(both, np.argsort(both[0]), axis=1), epsilon)


class Discretization(Layer):
    """Buckets values by ranges: ``bin_boundaries`` given, or ``num_bins`` learned by ``adapt`` (see the
    module's docstring)."""

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 **kwargs):
        super().__init__(**kwargs)
        if output_mode not in _MODES:
            raise ValueError(f"{self.who}: `output_mode` must be one of {_MODES}; received "
                             f"output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{self.who}: sparse=True is not supported (dendrite has no sparse tensors; Keras "
                             "allows it only with TensorFlow and never with output_mode='int'); leave sparse=False "
                             "for dense outputs.")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, numbers.Integral)
                                     or num_bins < 0):
            raise ValueError(f"{self.who}: `num_bins` must be an int >= 0. Received: num_bins={num_bins!r}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"{self.who}: give `num_bins` (and call adapt()) or `bin_boundaries`, not both. "
                             f"Received: num_bins={num_bins} and bin_boundaries={bin_boundaries!r}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError(f"{self.who}: give either `bin_boundaries` (a sorted list of numbers) or `num_bins` "
                             "(then call adapt(data) to learn the boundaries).")
        if not isinstance(epsilon, numbers.Real) or not 0 < epsilon <= 1:
            raise ValueError(f"{self.who}: `epsilon` must be a float in (0, 1] (the quantiles' error tolerance; "
                             f"Keras's default is 0.01). Received: epsilon={epsilon!r}")
        self.bin_boundaries = None if bin_boundaries is None else self._boundaries(bin_boundaries)
        self.num_bins = None if num_bins is None else int(num_bins)
        self.epsilon, self.output_mode, self.sparse = float(epsilon), output_mode, False
        self.summary = None if self.bin_boundaries else np.array([[], []], np.float32)

    def _boundaries(self, given):
        try:
            values = [float(b) for b in np.asarray(given, np.float64).reshape(-1)]
        except (TypeError, ValueError):
            values = None
        if values is None or np.ndim(given) != 1 or any(b > a for a, b in zip(values[1:], values)):
            raise ValueError(f"{self.who}: `bin_boundaries` must be a list of numbers in increasing order, e.g. "
                             f"[0.0, 1.0, 2.0]. Received: bin_boundaries={given!r}")
        return values

    # ------------------------------------------------------------- adapt
    def adapt(self, data, steps=None):
        """Learn num_bins - 1 boundaries from ``data``: an array of values, or batches (a list of arrays, a
        Dataset, a generator; ``steps`` batches at most), each summarised and merged as Keras does."""
        if self.num_bins is None:
            raise ValueError(f"{self.who}: this layer was given `bin_boundaries`; adapt() cannot replace them. "
                             "Create the layer with `num_bins` to learn boundaries from data.")
        if self.num_bins == 0:
            raise ValueError(f"{self.who}: adapt() needs num_bins >= 1 to make bins; received num_bins=0.")
        self.reset_state()
        # as Keras: a Python list is a sequence of batches
        batches = data[:steps] if isinstance(data, (list, tuple)) else adapt_batches(data, self.who, steps)
        for batch in batches:
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        values = np.asarray(array_of(data))
        if values.dtype.kind not in "fiub":
            raise ValueError(f"{self.who}.adapt: expected numbers; received an array of dtype {values.dtype}.")
        self.summary = _merge(_summary(values.astype(np.float32), self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        if self.summary.shape[1] == 0:
            raise ValueError(f"{self.who}.adapt: the data holds no values to learn bin boundaries from.")
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], np.float32)

    # ------------------------------------------------------------- call
    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs, training=None):
        if self.bin_boundaries is None:
            raise ValueError(f"{self.who}: no bin boundaries yet. Pass `bin_boundaries` when creating the layer, "
                             "or call adapt(data) before using it.")
        bins = np.digitize(np.asarray(array_of(inputs)), self.bin_boundaries).astype(np.int32)
        if self.output_mode == "int":
            return Tensor(bins)
        if self.output_mode != "one_hot" and bins.ndim > 2:
            bins = np.moveaxis(bins, 1, -1)  # Keras 3 counts over axis 1 (its multi_hot and count do)
        return encode_categorical(self, bins, self.output_mode, self._depth(), backend.floatx())

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (self._depth(),)
        # as Keras 3 computes them: a sample's values lie along axis 1 (the last axis of a 2-D input)
        return (shape[0],) + shape[2:] + (self._depth(),) if len(shape) >= 2 else (self._depth(),)

    def _symbolic_call(self, inputs, kwargs):
        out = super()._symbolic_call(inputs, kwargs)
        out.dtype = "int32" if self.output_mode == "int" else backend.floatx()  # as Keras 3 gives them
        return out

    def get_config(self):
        # Keras's keys, and only them (Keras's Discretization takes no other argument)
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # an adapted layer's config holds both: the boundaries are set after creation, as Keras does
        learned = config.pop("bin_boundaries") if config.get("num_bins") is not None else None
        layer = cls(**config)
        if learned is not None:
            layer.bin_boundaries = layer._boundaries(learned)
        return layer


__all__ = ["Discretization"]
