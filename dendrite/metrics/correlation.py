"""Correlation metrics as Keras 3 defines them: PearsonCorrelation and ConcordanceCorrelation (running means of
their per-sample functions, computed along ``axis``, -1 by default: one value per sample).

``pearson_correlation``: the mean of the product of the two standardised signals (population standard
deviations). ``concordance_correlation`` (Lin's CCC) is Keras's formula, which centres y_true on the mean of
y_pred in the covariance: ``mean(2 * (y_true - mean(y_pred)) * (y_pred - mean(y_pred)) / (var(y_true) +
var(y_pred) + (mean(y_true) - mean(y_pred))**2 + epsilon))``; kept so that values match Keras's.
"""
import numpy as np

from .. import backend
from .base import MeanMetricWrapper, _pair


def pearson_correlation(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair("pearson_correlation", y_true, y_pred)
    t = y_true - y_true.mean(axis=axis, keepdims=True)
    p = y_pred - y_pred.mean(axis=axis, keepdims=True)
    t = t / t.std(axis=axis, keepdims=True)
    p = p / p.std(axis=axis, keepdims=True)
    return (t * p).mean(axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair("concordance_correlation", y_true, y_pred)
    t_mean, p_mean = y_true.mean(axis=axis, keepdims=True), y_pred.mean(axis=axis, keepdims=True)
    t_var, p_var = (y_true - t_mean).var(axis=axis, keepdims=True), (y_pred - p_mean).var(axis=axis, keepdims=True)
    covar = (y_true - p_mean) * (y_pred - p_mean)  # (Keras's centring, see the module)
    norm = t_var + p_var + np.square(t_mean - p_mean)
    return (2 * covar / (norm + backend.epsilon())).mean(axis=axis)


pearson_correlation._direction = concordance_correlation._direction = "up"


class PearsonCorrelation(MeanMetricWrapper):
    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
