"""The loss functions: ``f(y_true, y_pred)`` per sample, built from dendrite's differentiable ops (so an active
GradientTape follows them), reducing the last axis only; and their Keras aliases (mse, mae, bce, ...)."""
import math

import numpy as np

from ..autodiff import ops
from .inputs import (EPSILON, _categorical_inputs, _check_binary_targets, _hinge_labels, _logits_for, _pred, _prepare,
                     _renormalised_log, _sparse_labels)
from .symbolic import symbolic_aware


@symbolic_aware
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


@symbolic_aware
def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


@symbolic_aware
def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_absolute_percentage_error", y_true, y_pred)
    diff = ops.divide(ops.subtract(y_true, y_pred), ops.maximum(ops.abs(y_true), EPSILON))
    return ops.multiply(ops.mean(ops.abs(diff), axis=-1), 100.0)


@symbolic_aware
def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_squared_logarithmic_error", y_true, y_pred)
    first = ops.log(ops.add(ops.maximum(y_pred, EPSILON), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, EPSILON), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


@symbolic_aware
def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _prepare("huber", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return ops.mean(ops.where(abs_error.value <= delta, quadratic, linear), axis=-1)


@symbolic_aware
def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) as x + softplus(-2x) - log(2): no overflow for large x."""
    y_true, y_pred = _prepare("log_cosh", y_true, y_pred)
    x = ops.subtract(y_pred, y_true)
    return ops.mean(ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), math.log(2.0)), axis=-1)


@symbolic_aware
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    name = "binary_crossentropy"
    y_true, y_pred = _prepare(name, y_true, y_pred)
    _check_binary_targets(name, y_true)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = _logits_for(name, y_pred, from_logits)
    if logits is not None:
        ce = ops.sigmoid_cross_entropy(logits, y_true)
    else:
        p = ops.clip(y_pred, EPSILON, 1.0 - EPSILON)
        ce = ops.negative(ops.add(ops.multiply(y_true, ops.log(p)),
                                  ops.multiply(ops.subtract(1.0, y_true), ops.log(ops.subtract(1.0, p)))))
    return ops.mean(ce, axis=axis)


@symbolic_aware
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    name = "categorical_crossentropy"
    y_true, y_pred = _categorical_inputs(name, y_true, y_pred, axis, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    last = axis in (-1, y_pred.ndim - 1)
    logits = _logits_for(name, y_pred, from_logits)
    if logits is not None and last:
        return ops.softmax_cross_entropy(logits, y_true)
    log_p = ops.log_softmax(logits, axis=axis) if logits is not None else _renormalised_log(y_pred, axis)
    return ops.negative(ops.sum(ops.multiply(y_true, log_p), axis=axis))


def _sparse_ce(y_true, y_pred, from_logits, ignore_class, axis):
    name = "sparse_categorical_crossentropy"
    y_pred = _pred(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(f"{name}: only the last axis holds the classes here. Received: axis={axis!r}; "
                         f"move the class axis last (ops.transpose) and use axis=-1.")
    labels = _sparse_labels(name, y_true, y_pred.shape, ignore_class)
    mask = None
    if ignore_class is not None:
        mask = labels != ignore_class
        labels = np.where(mask, labels, 0)
    logits = _logits_for(name, y_pred, from_logits)
    if logits is not None:
        out = ops.sparse_softmax_cross_entropy(logits, labels)
    else:
        # TensorFlow's order (tf.keras 2 and Keras 3 on TensorFlow): clip each value to [eps, 1 - eps], take the
        # log, and renormalise through a softmax cross-entropy of those log-probabilities. For probabilities this
        # equals the renormalise-then-clip of categorical_crossentropy; for an output that is not a probability
        # (logits given with from_logits=False) it is what TensorFlow trains on.
        out = ops.sparse_softmax_cross_entropy(ops.log(ops.clip(y_pred, EPSILON, 1.0 - EPSILON)), labels)
    if mask is not None:
        out = ops.where(mask, out, np.zeros((), out.dtype))
    return out, mask


@symbolic_aware
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy with integer labels of shape (N,) or (N, 1) (ints, or floats holding integers)."""
    return _sparse_ce(y_true, y_pred, from_logits, ignore_class, axis)[0]


@symbolic_aware
def hinge(y_true, y_pred):
    y_true, y_pred = _prepare("hinge", y_true, y_pred)
    margin = ops.subtract(1.0, ops.multiply(_hinge_labels(y_true), y_pred))
    return ops.mean(ops.maximum(margin, 0.0), axis=-1)


@symbolic_aware
def squared_hinge(y_true, y_pred):
    y_true, y_pred = _prepare("squared_hinge", y_true, y_pred)
    margin = ops.subtract(1.0, ops.multiply(_hinge_labels(y_true), y_pred))
    return ops.mean(ops.square(ops.maximum(margin, 0.0)), axis=-1)


@symbolic_aware
def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _prepare("categorical_hinge", y_true, y_pred)
    pos = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), 0.0)


@symbolic_aware
def kl_divergence(y_true, y_pred):
    y_true, y_pred = _prepare("kl_divergence", y_true, y_pred)
    t = ops.clip(y_true, EPSILON, 1.0)
    p = ops.clip(y_pred, EPSILON, 1.0)
    return ops.sum(ops.multiply(t, ops.log(ops.divide(t, p))), axis=-1)


@symbolic_aware
def poisson(y_true, y_pred):
    y_true, y_pred = _prepare("poisson", y_true, y_pred)
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, ops.log(ops.add(y_pred, EPSILON)))), axis=-1)


@symbolic_aware
def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine similarity along ``axis`` (-1 for identical directions, 0 for a zero vector)."""
    y_true, y_pred = _prepare("cosine_similarity", y_true, y_pred)
    prod = ops.multiply(ops.l2_normalize(y_true, axis, EPSILON), ops.l2_normalize(y_pred, axis, EPSILON))
    return ops.negative(ops.sum(prod, axis=axis))


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
