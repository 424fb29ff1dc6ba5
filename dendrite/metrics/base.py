"""The Metric contract and the running-mean metrics (Mean, Sum, MeanMetricWrapper).

Metrics work on NumPy arrays: inputs that are dendrite Tensors are read through
``.value``, so updating a metric never records anything on a GradientTape.
State is accumulated in float64; ``result()`` returns a NumPy scalar of the
metric's dtype (float32 by default).
"""
import numpy as np

from .. import backend
from ..autodiff import Tensor
from .. import losses
from ..losses.inputs import _shape_error, _squeeze_or_expand
from ..saving.serialization import serialize_keras_object
from ..utils.naming import to_snake_case


def _np(x):
    """The NumPy value of an array-like or Tensor."""
    return x.value if isinstance(x, Tensor) else np.asarray(x)


def _float(x):
    x = _np(x)
    return x if x.dtype.kind == "f" else x.astype(backend.floatx())


def _align(name, y_true, y_pred):
    """Keras's squeeze-or-expand of a trailing axis of 1, then equal shapes or a ValueError."""
    ts, ps = _squeeze_or_expand(tuple(y_true.shape), tuple(y_pred.shape))
    if ts != ps:
        raise _shape_error(name, y_true.shape, y_pred.shape)
    return y_true.reshape(ts), y_pred.reshape(ps)


def _pair(name, y_true, y_pred):
    """Float y_pred and y_true in y_pred's dtype, with aligned shapes."""
    y_pred = _float(y_pred)
    return _align(name, _np(y_true).astype(y_pred.dtype, copy=False), y_pred)


def _div_no_nan(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b != 0)


def _broadcast_sample_weight(name, sample_weight, shape):
    """Per-sample weights (N,) spread over the trailing axes of ``shape``, as Keras does."""
    w = np.asarray(_np(sample_weight), dtype=np.float64)
    original = w.shape
    while w.ndim > len(shape) and w.shape[-1] == 1:
        w = w.reshape(w.shape[:-1])
    if w.ndim < len(shape):
        w = w.reshape(w.shape + (1,) * (len(shape) - w.ndim))
    try:
        return np.broadcast_to(w, shape)
    except ValueError:
        raise ValueError(f"Metric '{name}': sample_weight of shape {original} does not match the values of "
                         f"shape {tuple(shape)}. Pass one weight per sample, shape {tuple(shape[:1])}.") from None


class Metric:
    """Base class: state plus ``update_state``, ``result`` and ``reset_state``.

    Subclasses set up their state in ``reset_state`` and call it at the end of
    ``__init__``. Calling a metric updates it and returns the result.

    ``_direction`` is 'up' for metrics that improve upwards (accuracy, precision, AUC, ...), 'down' for
    losses and errors, None when unknown: monitoring callbacks in mode 'auto' read it, as in Keras 3.
    """

    _direction = None

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype or backend.floatx()).name

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        """Keras 3's ``add_variable(shape, initializer, dtype, aggregation, name)``: a state variable, as add_weight."""
        return self.add_weight(name=name, shape=shape, initializer=initializer, dtype=dtype, aggregation=aggregation)

    def add_weight(self, name=None, shape=(), initializer="zeros", dtype=None, aggregation="sum",
                   synchronization="on_read", **kwargs):
        """A state variable of a custom metric (Keras 2 and 3): not trainable, ``initializer`` (zeros) of
        ``shape`` (a scalar), listed in ``variables``; the default ``reset_state`` sets them back to zeros."""
        from .. import initializers
        from ..autodiff import Variable
        if not isinstance(name, (str, type(None))) and shape == ():
            name, shape = None, name  # Keras 3's positional order: add_weight(shape, initializer, ...)
        dtype = np.dtype(dtype or self.dtype)
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        value = np.asarray(initializers.get(initializer)(shape, dtype=dtype), dtype=dtype)
        variable = Variable(value, trainable=False, name=name or f"variable_{len(self.variables)}", dtype=dtype)
        variable.path = f"{self.name}/{variable.name}"
        self.__dict__.setdefault("_state_variables", []).append(variable)
        return variable

    @property
    def variables(self):
        """The state variables made with add_weight (built-in metrics keep their state in plain numbers)."""
        return list(self.__dict__.get("_state_variables", ()))

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"Metric '{self.name}': a Metric subclass must implement update_state().")

    def result(self):
        raise NotImplementedError(f"Metric '{self.name}': a Metric subclass must implement result().")

    def reset_state(self):
        """Zero the variables made with add_weight (Keras 3's default); a metric without any must override it."""
        if not self.variables:
            raise NotImplementedError(f"Metric '{self.name}': a Metric subclass must implement reset_state() (or "
                                      "keep its state in variables made with self.add_weight).")
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self):
        """tf.keras 2 spelling of :meth:`reset_state`."""
        self.reset_state()

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def _out(self, value):
        """A result as a NumPy scalar (or array) of the metric's dtype."""
        return np.asarray(value, dtype=self.dtype)[()]

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name='{self.name}'>"


def _samplewise(name, values, sample_weight, reduce_fn):
    """Keras's reduce_to_samplewise_values: one value (and weight) per sample."""
    values = np.asarray(_np(values), dtype=np.float64)
    weight = None
    if sample_weight is not None:
        weight = np.asarray(_np(sample_weight), dtype=np.float64)
        vs, ws = _squeeze_or_expand(values.shape, weight.shape)
        values, weight = values.reshape(vs), weight.reshape(ws)
        ndim = values.ndim
        if ndim > weight.ndim:
            values = reduce_fn(values, axis=tuple(range(weight.ndim, ndim)))
        try:
            weight = np.broadcast_to(weight, values.shape)
        except ValueError:
            raise ValueError(f"Metric '{name}': sample_weight of shape {np.shape(_np(sample_weight))} does "
                             f"not match the values of shape {values.shape}. Pass one weight per sample.") from None
        values = values * weight
        if ndim > 1:
            weight = reduce_fn(weight, axis=tuple(range(1, weight.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, weight


class Mean(Metric):
    """The (weighted) mean of the values given to ``update_state(values, sample_weight=None)``."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        values, weight = _samplewise(self.name, values, sample_weight, np.mean)
        self.total += float(values.sum())
        if weight is not None:
            self.count += float(weight.sum())
        else:
            self.count += values.shape[0] if values.ndim else 1

    def result(self):
        return self._out(self.total / self.count if self.count else 0.0)


class Sum(Metric):
    """The (weighted) sum of the values given to ``update_state(values, sample_weight=None)``."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(self.name, values, sample_weight, np.sum)
        self.total += float(values.sum())

    def result(self):
        return self._out(self.total)


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``; keyword arguments become attributes."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if isinstance(fn, (str, dict)):  # a name, or the function config that get_config writes
            from . import _metric_function
            fn = _metric_function(fn)
        if not callable(fn):
            raise ValueError(f"MeanMetricWrapper: fn must be a function of (y_true, y_pred). Received: fn={fn!r}.")
        super().__init__(name=name or getattr(fn, "__name__", to_snake_case(type(fn).__name__)), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = tuple(kwargs)
        # the direction the function states (dendrite's metric functions do), else down for a Keras loss
        direction = getattr(fn, "_direction", None)
        if direction is None and (isinstance(fn, losses.Loss) or losses.registry.is_builtin(fn)):
            direction = "down"
        if direction is not None:
            self._direction = direction
        for key, value in kwargs.items():
            setattr(self, key, value)

    def _call_fn(self, y_true, y_pred):
        return self._fn(y_true, y_pred, **{k: getattr(self, k) for k in self._fn_kwargs})

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = _np(self._call_fn(_np(y_true), _np(y_pred)))
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config.update({k: getattr(self, k) for k in self._fn_kwargs})
        if type(self) is MeanMetricWrapper:  # as Keras 3 writes it: the function's config
            config["fn"] = serialize_keras_object(self._fn)
        return config
