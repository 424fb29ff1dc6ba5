"""Circle loss (Sun et al., 2020) as Keras 3 defines it: a metric-learning loss on L2-normalised embeddings.

For each sample (a row of ``y_pred``) against each reference (``ref_embeddings``, by default the batch itself)
the cosine distance ``d = max(1 - a . b, 0)`` is weighted by how far it is from its optimum: positives (same
label; the diagonal left out with ``remove_diagonal``) by ``max(margin + d, 0)``, negatives by
``max(1 + margin - d, 0)``; the loss is ``softplus(logsumexp(-gamma * w_p * (margin - d)) + logsumexp(gamma * w_n *
(1 - margin - d)))``, each logsumexp over the positives or negatives only. A sample with no positive or no
negative gets 0 and, as Keras masks losses that are 0, is left out of the batch mean.
"""
import numpy as np

from ..autodiff import Tensor, array_of, ops
from ..utils.validation import number
from .classes import _SOBS, LossFunctionWrapper
from .inputs import _pred
from .symbolic import symbolic_aware

_NONE = -1e30  # stands for -inf in the masked logsumexps (exp gives exactly 0; no 0 * inf in the gradient)


def _labels(name, labels, n=None):
    labels = np.asarray(array_of(labels))
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or (n is not None and labels.shape[0] != n):
        raise ValueError(f"{name}: labels must be integer class ids of shape (batch,) or (batch, 1), one per "
                         f"embedding; received shape {labels.shape}" + (f" for {n} embeddings." if n else "."))
    return labels.astype(np.int64)


@symbolic_aware
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4):
    name = "circle"
    y_pred = _pred(y_pred)
    if y_pred.ndim != 2:
        raise ValueError(f"{name}: y_pred must be embeddings of shape (batch, dims), L2-normalised (e.g. "
                         f"UnitNormalization()); received shape {tuple(y_pred.shape)}.")
    gamma, margin = number(name, "gamma", gamma), number(name, "margin", margin)
    labels = _labels(name, y_true, y_pred.shape[0])
    refs = y_pred if ref_embeddings is None else _pred(ref_embeddings, y_pred.dtype)
    ref = labels if ref_labels is None else _labels(name, ref_labels, refs.shape[0])
    positive = labels[:, None] == ref[None, :]
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(len(labels), len(ref), dtype=bool)
    dist = ops.maximum(ops.subtract(1.0, ops.matmul(y_pred, ops.transpose(refs, (1, 0)))), 0.0)
    dtype = dist.dtype
    pos_w = ops.maximum(ops.multiply(ops.add(dist, margin), positive.astype(dtype)), 0.0)
    neg_w = ops.maximum(ops.multiply(ops.subtract(1.0 + margin, dist), negative.astype(dtype)), 0.0)
    pos = ops.multiply(ops.multiply(pos_w, ops.subtract(margin, dist)), -gamma)
    neg = ops.multiply(ops.multiply(neg_w, ops.subtract(1.0 - margin, dist)), gamma)
    p_loss = ops.logsumexp(ops.where(positive, pos, np.asarray(_NONE, dtype)), axis=1)
    n_loss = ops.logsumexp(ops.where(negative, neg, np.asarray(_NONE, dtype)), axis=1)
    return ops.softplus(ops.add(p_loss, n_loss))


class Circle(LossFunctionWrapper):
    """Keras 3's Circle loss (see the module): y_true integer labels (batch,), y_pred normalised embeddings."""

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction=_SOBS, name="circle", dtype=None):
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype,
                         gamma=number("Circle", "gamma", gamma), margin=number("Circle", "margin", margin),
                         remove_diagonal=remove_diagonal)

    def _values(self, y_true, y_pred):
        values = self.fn(y_true, y_pred, gamma=self.gamma, margin=self.margin, remove_diagonal=self.remove_diagonal)
        return values, np.asarray(values.value > 0)  # Keras masks the zero losses out of the mean
