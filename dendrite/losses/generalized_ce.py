"""Generalized cross-entropy (Zhang & Sabuncu, 2018) as Keras 3 defines it: ``(1 - p**q) / q``, p the predicted
probability of the true class (y_true integer labels, y_pred probabilities); q in (0, 1) moves it from the
cross-entropy (q -> 0) toward the mean absolute error (q = 1), which makes it robust to noisy labels."""
import numpy as np

from ..autodiff import array_of, ops
from .classes import _SOBS, LossFunctionWrapper
from .inputs import _pred
from .symbolic import symbolic_aware


def _q(owner, q):
    if isinstance(q, bool) or not isinstance(q, (int, float, np.floating)) or not 0 < q < 1:
        raise ValueError(f"{owner}: `q` must be a number in the open interval (0, 1); received q={q!r}.")
    return float(q)


@symbolic_aware
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    name = "categorical_generalized_cross_entropy"
    y_pred = _pred(y_pred)
    labels = np.asarray(array_of(y_true))
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.shape != tuple(y_pred.shape[:-1]):
        raise ValueError(f"{name}: y_true must be integer class ids of shape {tuple(y_pred.shape[:-1])} (or with a "
                         f"trailing 1) for y_pred of shape {tuple(y_pred.shape)}; received shape {labels.shape}.")
    one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels.astype(np.int64)]
    p = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(p, _q(name, q))), q)


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    def __init__(self, q=0.5, reduction=_SOBS, name="categorical_generalized_cross_entropy", dtype=None):
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name, dtype=dtype,
                         q=_q("CategoricalGeneralizedCrossEntropy", q))
