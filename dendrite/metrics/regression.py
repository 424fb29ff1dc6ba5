"""Regression, hinge and probabilistic metrics: the loss formulas of dendrite.losses evaluated
outside the tape, and their running means. Keras's metric cosine_similarity is positive
(the loss is its negative)."""
import math

import numpy as np

from ..autodiff import Tensor
from ..layers.node import is_symbolic
from .. import losses
from .base import Mean, MeanMetricWrapper, _float, _np, _pair


def _from_loss(loss_fn, sign=1.0):
    """The metric form of a loss function: the same formula (one definition, in dendrite.losses), per sample, as
    a Tensor. As in Keras, where ``keras.metrics.binary_crossentropy`` is the loss function, it is differentiable:
    Keras 2 programs build losses from it (the VAE's ``original_dim * metrics.binary_crossentropy(x, x_hat)``)."""
    def metric(y_true, y_pred, **kwargs):
        if not isinstance(y_pred, Tensor) and not is_symbolic(y_pred):
            y_pred = _float(y_pred)
        values = loss_fn(y_true, y_pred, **kwargs)
        return -values if sign < 0 else values

    metric.__name__ = metric.__qualname__ = loss_fn.__name__
    metric._direction = "up" if sign < 0 else "down"  # a loss is minimised; its negative maximised
    metric.__doc__ = f"Per-sample {loss_fn.__name__} (see dendrite.losses); differentiable."
    return metric


mean_squared_error = _from_loss(losses.mean_squared_error)
mean_absolute_error = _from_loss(losses.mean_absolute_error)
mean_absolute_percentage_error = _from_loss(losses.mean_absolute_percentage_error)
mean_squared_logarithmic_error = _from_loss(losses.mean_squared_logarithmic_error)
log_cosh = _from_loss(losses.log_cosh)
hinge = _from_loss(losses.hinge)
squared_hinge = _from_loss(losses.squared_hinge)
categorical_hinge = _from_loss(losses.categorical_hinge)
kl_divergence = _from_loss(losses.kl_divergence)
poisson = _from_loss(losses.poisson)
binary_crossentropy = _from_loss(losses.binary_crossentropy)
categorical_crossentropy = _from_loss(losses.categorical_crossentropy)
sparse_categorical_crossentropy = _from_loss(losses.sparse_categorical_crossentropy)
huber = _from_loss(losses.huber)  # (Keras 3 exports these loss functions as metric functions too)
binary_focal_crossentropy = _from_loss(losses.binary_focal_crossentropy)
categorical_focal_crossentropy = _from_loss(losses.categorical_focal_crossentropy)
# Keras's metric is the similarity itself; the loss is its negative
cosine_similarity = _from_loss(losses.cosine_similarity, sign=-1.0)
cosine_similarity.__name__ = "cosine_similarity"


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

    _direction = "down"

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
