"""Intersection-over-union metrics for segmentation, as Keras 3 computes them: IoU, MeanIoU, BinaryIoU,
OneHotIoU and OneHotMeanIoU.

Each accumulates a (num_classes, num_classes) confusion matrix (rows: true class, columns: predicted class)
and reports, over ``target_class_ids``, the mean of ``tp / (tp + fp + fn)`` across the classes that occur
(true or predicted). As in Keras the state's dtype defaults to int32: labels, predictions and sample weights
are cast to it (a float weight is truncated, with a warning); pass ``dtype='float32'`` for fractional weights.
Labels outside [0, num_classes) and those equal to ``ignore_class`` count for nothing.
"""
import warnings

import numpy as np

from ..losses.inputs import EPSILON
from ..utils.validation import int_at_least, number, positive_int
from .base import Metric, _np


class _IoUBase(Metric):
    _direction = "up"

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int32")
        self.num_classes = positive_int(type(self).__name__, "num_classes", num_classes)
        self.ignore_class = ignore_class
        self.sparse_y_true = bool(sparse_y_true)
        self.sparse_y_pred = bool(sparse_y_pred)
        self.axis = axis
        self.reset_state()

    def reset_state(self):
        self.total_cm = np.zeros((self.num_classes, self.num_classes), dtype=self.dtype)

    def _labels(self, values, sparse):
        values = _np(values)
        if not sparse:
            values = np.argmax(values, axis=self.axis)
        return np.asarray(values).astype(self.dtype).reshape(-1)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = self._labels(y_true, self.sparse_y_true)
        y_pred = self._labels(y_pred, self.sparse_y_pred)
        if y_true.size != y_pred.size:
            raise ValueError(f"{type(self).__name__} '{self.name}': y_true and y_pred must hold one label per "
                             f"element, the same number of them. Received {y_true.size} and {y_pred.size} labels.")
        if sample_weight is None:
            weight = np.ones(y_true.size, dtype=self.dtype)
        else:
            weight = np.asarray(_np(sample_weight))
            if weight.dtype.kind == "f" and np.dtype(self.dtype).kind in "iu":
                warnings.warn(f"{type(self).__name__} '{self.name}': sample_weight is float but the metric's dtype is "
                              f"{self.dtype}, so the weights are truncated to integers. Pass integer weights, or "
                              "create the metric with dtype='float32'.", stacklevel=2)
            try:
                weight = np.broadcast_to(weight.astype(self.dtype).reshape(-1), y_true.shape)
            except ValueError:
                raise ValueError(f"{type(self).__name__} '{self.name}': sample_weight of shape {weight.shape} does not "
                                 f"match the {y_true.size} labels. Pass one weight per label.") from None
        n = self.num_classes
        keep = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            keep &= y_true != self.ignore_class
        index = np.where(keep, y_true, 0).astype(np.intp) * n + np.where(keep, y_pred, 0).astype(np.intp)
        counts = np.bincount(index, weights=np.where(keep, weight, 0).astype(np.float64), minlength=n * n)
        self.total_cm = self.total_cm + counts.reshape(n, n).astype(self.dtype)


class IoU(_IoUBase):
    """The mean IoU over ``target_class_ids`` of integer labels (``sparse_y_true`` / ``sparse_y_pred`` False:
    one-hot or scores along ``axis``, reduced with argmax)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)
        ids = [int_at_least(type(self).__name__, "target_class_ids", c, 0) for c in np.ravel(target_class_ids)]
        if not ids or max(ids) >= self.num_classes:
            raise ValueError(f"{type(self).__name__}: `target_class_ids` must be class ids in [0, {self.num_classes}) "
                             f"(num_classes={self.num_classes}). Received: target_class_ids={list(target_class_ids)}.")
        self.target_class_ids = ids

    def result(self):
        cm = self.total_cm.astype(np.float64)
        tp = np.diag(cm)
        denominator = (cm.sum(axis=0) + cm.sum(axis=1) - tp)[self.target_class_ids]
        tp = tp[self.target_class_ids]
        valid = denominator > 1e-9
        iou = np.where(valid, tp / (denominator + EPSILON), 0.0)
        return np.float32(iou.sum() / (valid.sum() + EPSILON))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of two classes: a score counts as class 1 at or above ``threshold``."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = number("BinaryIoU", "threshold", threshold)

    def update_state(self, y_true, y_pred, sample_weight=None):
        above = np.asarray(_np(y_pred), dtype=np.float32) >= self.threshold
        super().update_state(y_true, above, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class MeanIoU(IoU):
    """The mean IoU over all ``num_classes`` classes."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(num_classes, list(range(positive_int("MeanIoU", "num_classes", num_classes))), name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """IoU with one-hot y_true (and, unless ``sparse_y_pred``, scores as y_pred)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """MeanIoU with one-hot y_true (and, unless ``sparse_y_pred``, scores as y_pred)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
