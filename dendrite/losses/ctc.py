"""Keras 3's CTC loss: ``ctc(y_true, y_pred)`` and the class ``CTC``. ``y_true`` (batch, max_labels) integer
labels padded with 0, which is the blank (never a class); ``y_pred`` (batch, time, classes) logits (not
softmax). Every time step of y_pred is used and each sample's label length is its count of non-zero labels, as
Keras counts it; one loss per sample (the op of dendrite/autodiff/ops/ctc.py)."""
import numpy as np

from ..autodiff import array_of, ops
from ..autodiff.ops.ctc import check_inputs, ctc_loss
from .classes import _SOBS, LossFunctionWrapper
from .inputs import _pred
from .symbolic import symbolic_aware

_NAMES = dict(labels="y_true", logits="y_pred", label_length="y_true (its non-zero count)",
              logit_length="y_pred (its time axis)")


@symbolic_aware
def ctc(y_true, y_pred):
    y_pred = _pred(y_pred)
    labels = np.asarray(array_of(y_true))
    if labels.ndim != 2:
        raise ValueError(f"ctc: `y_true` must be integer labels of shape (batch_size, max_length); received shape "
                         f"{labels.shape}.")
    if y_pred.ndim != 3:
        raise ValueError(f"ctc: `y_pred` must be logits of shape (batch_size, max_length, num_classes); received "
                         f"shape {tuple(y_pred.shape)}.")
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError("ctc: `y_true` must hold integer class labels; received fractional values.")
        labels = labels.astype(np.int64)
    label_len = (labels != 0).sum(axis=-1)
    steps = np.full(y_pred.shape[0], y_pred.shape[1])
    labels, label_len, steps, blank = check_inputs("ctc", _NAMES, y_pred.shape, labels, label_len, steps, 0)
    if y_pred.dtype == np.float16:
        y_pred = ops.cast(y_pred, np.float32)
    return ctc_loss(y_pred, labels, label_len, steps, blank)


class CTC(LossFunctionWrapper):
    """CTC loss of ``y_true`` (batch, max_labels) 0-padded labels and ``y_pred`` logits (batch, time, classes)."""

    def __init__(self, reduction=_SOBS, name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)
