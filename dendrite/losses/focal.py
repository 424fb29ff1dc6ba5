"""The focal cross-entropies (Lin et al., 2017) as Keras 3 defines them: the cross-entropy of each class scaled by
``(1 - p)**gamma``, which shrinks the loss of well classified examples. Both work on probabilities clipped to
[1e-7, 1 - 1e-7] (from_logits=True applies the sigmoid / softmax first), as Keras does."""
from ..autodiff import ops
from ..utils.validation import number
from .classes import _SOBS, LossFunctionWrapper
from .inputs import EPSILON, _categorical_inputs, _check_binary_targets, _prepare
from .symbolic import symbolic_aware


def _factor(owner, name, value, low=0.0):
    return number(owner, name, value, low=low)


@symbolic_aware
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                              label_smoothing=0.0, axis=-1):
    """Mean over ``axis`` of ``(1 - p_t)**gamma * bce``, p_t being the probability given to the true label; with
    ``apply_class_balancing`` each term is weighted by ``alpha`` (label 1) or ``1 - alpha`` (label 0)."""
    name = "binary_focal_crossentropy"
    gamma = _factor(name, "gamma", gamma)
    y_true, y_pred = _prepare(name, y_true, y_pred)
    _check_binary_targets(name, y_true)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    p = ops.clip(y_pred, EPSILON, 1.0 - EPSILON)
    bce = ops.negative(ops.add(ops.multiply(y_true, ops.log(p)),
                               ops.multiply(ops.subtract(1.0, y_true), ops.log(ops.subtract(1.0, p)))))
    p_t = ops.add(ops.multiply(y_true, y_pred), ops.multiply(ops.subtract(1.0, y_true), ops.subtract(1.0, y_pred)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        focal = ops.multiply(y_true * alpha + (1.0 - y_true) * (1.0 - alpha), focal)
    return ops.mean(focal, axis=axis)


@symbolic_aware
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Sum over ``axis`` of ``-alpha * (1 - p)**gamma * y_true * log(p)``, p the renormalised, clipped
    probabilities."""
    name = "categorical_focal_crossentropy"
    gamma = _factor(name, "gamma", gamma)
    y_true, y_pred = _categorical_inputs(name, y_true, y_pred, axis, "binary_focal_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    p = ops.clip(ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True)), EPSILON, 1.0 - EPSILON)
    cce = ops.multiply(ops.negative(y_true), ops.log(p))
    focal = ops.multiply(ops.multiply(ops.power(ops.subtract(1.0, p), gamma), alpha), cce)
    return ops.sum(focal, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction=_SOBS, name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha,
                         gamma=_factor("BinaryFocalCrossentropy", "gamma", gamma), from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SOBS,
                 name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         gamma=_factor("CategoricalFocalCrossentropy", "gamma", gamma), from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
