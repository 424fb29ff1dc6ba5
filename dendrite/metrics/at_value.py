"""Metrics read off the confusion counts at ``num_thresholds`` thresholds, where one rate must reach a value:
SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision (Keras 3).

The thresholds are 0, 1/(n-1), ..., 1 (0.5 alone when ``num_thresholds=1``); the result is the best value of
the other rate over the thresholds where the constrained rate is at least the value asked for (0 if none).
"""
import numpy as np

from ..utils.validation import number, positive_int
from .base import Metric, _div_no_nan
from .confusion import confusion_counts


class _AtValue(Metric):
    """Accumulates (tp, fp, tn, fn) per threshold; ``_constrained`` (also the constructor argument holding the
    value, as Keras names it) and ``_dependent`` name the two rates."""

    _constrained = _dependent = ""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        self.value = number(owner, self._constrained, value, low=0, high=1)
        setattr(self, self._constrained, self.value)
        self.num_thresholds = positive_int(owner, "num_thresholds", num_thresholds)
        self.class_id = class_id
        if self.num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            n = self.num_thresholds
            self.thresholds = [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]
            self._evenly = True
        self.reset_state()

    def reset_state(self):
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, np.zeros(len(self.thresholds)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, tn, fn = confusion_counts(self.name, y_true, y_pred, self.thresholds, sample_weight,
                                          class_id=self.class_id, clip=self._evenly)
        self.true_positives += tp
        self.false_positives += fp
        self.true_negatives += tn
        self.false_negatives += fn

    def _rates(self):
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _div_no_nan(tp, tp + fn)
        return {"sensitivity": recall, "recall": recall, "specificity": _div_no_nan(tn, tn + fp),
                "precision": _div_no_nan(tp, tp + fp)}

    def result(self):
        rates = self._rates()
        feasible = rates[self._constrained] >= self.value
        return self._out(max(0.0, float(np.max(np.where(feasible, rates[self._dependent], 0.0)))))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._constrained: self.value}


class SensitivityAtSpecificity(_AtValue):
    """The best sensitivity (recall) where the specificity is at least ``specificity``."""

    _constrained, _dependent = "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


class SpecificityAtSensitivity(_AtValue):
    """The best specificity where the sensitivity (recall) is at least ``sensitivity``."""

    _constrained, _dependent = "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


class PrecisionAtRecall(_AtValue):
    """The best precision where the recall is at least ``recall``."""

    _constrained, _dependent = "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


class RecallAtPrecision(_AtValue):
    """The best recall where the precision is at least ``precision``."""

    _constrained, _dependent = "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
