"""Regression, hinge and probabilistic metrics: the loss formulas of dendrite.losses written
in NumPy (no tape), and their running means. Keras's metric cosine_similarity is positive
(the loss is its negative)."""
import math

import numpy as np

from ..autodiff import Tensor
from ..losses import EPSILON, _sparse_labels
from .base import Mean, MeanMetricWrapper, _align, _float, _np, _pair


def mean_squared_error(y_true, y_pred):
    t, p = _pair("mean_squared_error", y_true, y_pred)
    return np.square(t - p).mean(axis=-1)


def mean_absolute_error(y_true, y_pred):
    t, p = _pair("mean_absolute_error", y_true, y_pred)
    return np.abs(t - p).mean(axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    t, p = _pair("mean_absolute_percentage_error", y_true, y_pred)
    return 100.0 * np.abs((t - p) / np.maximum(np.abs(t), EPSILON)).mean(axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    t, p = _pair("mean_squared_logarithmic_error", y_true, y_pred)
    return np.square(np.log(np.maximum(p, EPSILON) + 1.0) - np.log(np.maximum(t, EPSILON) + 1.0)).mean(axis=-1)


def log_cosh(y_true, y_pred):
    t, p = _pair("log_cosh", y_true, y_pred)
    x = p - t
    return (x + np.logaddexp(0.0, -2.0 * x) - math.log(2.0)).mean(axis=-1)


def _l2_normalize(x, axis):
    return x / np.sqrt(np.maximum(np.square(x).sum(axis=axis, keepdims=True), EPSILON ** 2))


def cosine_similarity(y_true, y_pred, axis=-1):
    t, p = _pair("cosine_similarity", y_true, y_pred)
    return (_l2_normalize(t, axis) * _l2_normalize(p, axis)).sum(axis=axis)


def _hinge_labels(t):
    return 2.0 * t - 1.0 if np.all((t == 0) | (t == 1)) else t


def hinge(y_true, y_pred):
    t, p = _pair("hinge", y_true, y_pred)
    return np.maximum(1.0 - _hinge_labels(t) * p, 0.0).mean(axis=-1)


def squared_hinge(y_true, y_pred):
    t, p = _pair("squared_hinge", y_true, y_pred)
    return np.square(np.maximum(1.0 - _hinge_labels(t) * p, 0.0)).mean(axis=-1)


def categorical_hinge(y_true, y_pred):
    t, p = _pair("categorical_hinge", y_true, y_pred)
    return np.maximum(((1.0 - t) * p).max(axis=-1) - (t * p).sum(axis=-1) + 1.0, 0.0)


def kl_divergence(y_true, y_pred):
    t, p = _pair("kl_divergence", y_true, y_pred)
    t, p = np.clip(t, EPSILON, 1.0), np.clip(p, EPSILON, 1.0)
    return (t * np.log(t / p)).sum(axis=-1)


def poisson(y_true, y_pred):
    t, p = _pair("poisson", y_true, y_pred)
    return (p - t * np.log(p + EPSILON)).mean(axis=-1)


def _log_softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def _log_probs(p, axis):
    return np.log(np.clip(p / p.sum(axis=axis, keepdims=True), EPSILON, 1.0 - EPSILON))


def _inputs(y_pred, from_logits, kind):
    """(array, from_logits): the logits behind a softmax/sigmoid output are used when present."""
    if not from_logits and isinstance(y_pred, Tensor) and y_pred.activation == kind:
        return _float(y_pred.logits), True
    return _float(y_pred), from_logits


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred, from_logits = _inputs(y_pred, from_logits, "sigmoid")
    t, z = _align("binary_crossentropy", _np(y_true).astype(y_pred.dtype, copy=False), y_pred)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        ce = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    else:
        p = np.clip(z, EPSILON, 1.0 - EPSILON)
        ce = -(t * np.log(p) + (1.0 - t) * np.log(1.0 - p))
    return ce.mean(axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred, from_logits = _inputs(y_pred, from_logits, "softmax")
    t = _np(y_true).astype(y_pred.dtype, copy=False)
    if t.shape != y_pred.shape:
        from ..losses import _shape_error
        raise _shape_error("categorical_crossentropy", t.shape, y_pred.shape,
                           expected=f"one-hot y_true with the same shape as y_pred {y_pred.shape}")
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[axis]
    log_p = _log_softmax(y_pred, axis) if from_logits else _log_probs(y_pred, axis)
    return -(t * log_p).sum(axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    y_pred, from_logits = _inputs(y_pred, from_logits, "softmax")
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(f"sparse_categorical_crossentropy: the classes must be on the last axis. "
                         f"Received: axis={axis!r}; move the class axis last and use axis=-1.")
    labels = _sparse_labels("sparse_categorical_crossentropy", y_true, y_pred.shape)
    log_p = _log_softmax(y_pred, -1) if from_logits else _log_probs(y_pred, -1)
    return -np.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0]


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
kld = KLD = kullback_leibler_divergence = kl_divergence


def _wrapper(fn, default_name):
    def __init__(self, name=default_name, dtype=None):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype)
    return __init__


class MeanSquaredError(MeanMetricWrapper):
    __init__ = _wrapper(mean_squared_error, "mean_squared_error")


class MeanAbsoluteError(MeanMetricWrapper):
    __init__ = _wrapper(mean_absolute_error, "mean_absolute_error")


class MeanAbsolutePercentageError(MeanMetricWrapper):
    __init__ = _wrapper(mean_absolute_percentage_error, "mean_absolute_percentage_error")


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    __init__ = _wrapper(mean_squared_logarithmic_error, "mean_squared_logarithmic_error")


class LogCoshError(MeanMetricWrapper):
    __init__ = _wrapper(log_cosh, "logcosh")


class Hinge(MeanMetricWrapper):
    __init__ = _wrapper(hinge, "hinge")


class SquaredHinge(MeanMetricWrapper):
    __init__ = _wrapper(squared_hinge, "squared_hinge")


class CategoricalHinge(MeanMetricWrapper):
    __init__ = _wrapper(categorical_hinge, "categorical_hinge")


class KLDivergence(MeanMetricWrapper):
    __init__ = _wrapper(kl_divergence, "kl_divergence")


class Poisson(MeanMetricWrapper):
    __init__ = _wrapper(poisson, "poisson")


class CosineSimilarity(MeanMetricWrapper):
    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """sqrt of the (weighted) mean of the squared errors."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t, p = _pair(self.name, y_true, y_pred)
        super().update_state(np.square(p - t), sample_weight=sample_weight)

    def result(self):
        return self._out(math.sqrt(self.total / self.count) if self.count else 0.0)


class _CrossentropyMetric(MeanMetricWrapper):
    def update_state(self, y_true, y_pred, sample_weight=None):
        # y_pred stays a Tensor here so that the logits behind a softmax/sigmoid can be used
        values = self._call_fn(_np(y_true), y_pred if isinstance(y_pred, Tensor) else _np(y_pred))
        Mean.update_state(self, values, sample_weight=sample_weight)


class BinaryCrossentropy(_CrossentropyMetric):
    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(_CrossentropyMetric):
    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0,
                 axis=-1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_CrossentropyMetric):
    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         axis=axis)
