"""F-scores as Keras 3 computes them: FBetaScore and F1Score over 2-D (batch, classes) targets.

Per class (or over all classes with ``average='micro'``) the metric accumulates weighted true positives, false
positives, false negatives and the support (sum of y_true), then
``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)``, each division with Keras's epsilon
(1e-7) added to the denominator. A prediction is positive above ``threshold``; with ``threshold=None`` the
row's highest score (ties included, and not zero) is the positive one.
"""
import numpy as np

from ..losses.inputs import EPSILON
from ..utils.validation import number
from .base import Metric, _np

_AVERAGES = (None, "micro", "macro", "weighted")


def _rows_weight(name, sample_weight, n):
    """One weight per sample, as a (n, 1) column."""
    w = np.asarray(_np(sample_weight), dtype=np.float64)
    if w.ndim == 0:
        return np.full((n, 1), float(w))
    if w.shape in ((n,), (n, 1)):
        return w.reshape(n, 1)
    raise ValueError(f"{name}: sample_weight must hold one weight per sample, shape ({n},). "
                     f"Received: sample_weight.shape={w.shape}.")


class FBetaScore(Metric):
    """The F-beta score, ``average`` None (one score per class), 'micro', 'macro' or 'weighted' (by support)."""

    _direction = "up"

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(f"{owner}: `average` must be one of {list(_AVERAGES)}. Received: average={average!r}.")
        self.average = average
        self.beta = number(owner, "beta", beta, low=0, low_open=True)
        self.threshold = number(owner, "threshold", threshold, low=0, high=1, low_open=True, allow_none=True,
                                hint="With threshold=None the highest score of each row is the positive class.")
        self.axis = None if average == "micro" else 0
        self.reset_state()

    def reset_state(self):
        self._classes = None
        self.true_positives = self.false_positives = self.false_negatives = self.intermediate_weights = None

    def _start(self, num_classes):
        shape = () if self.average == "micro" else (num_classes,)
        self._classes = num_classes
        for key in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, key, np.zeros(shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = np.asarray(_np(y_true), dtype=np.float64)
        y_pred = np.asarray(_np(y_pred), dtype=np.float64)
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"{type(self).__name__} '{self.name}': expected y_true and y_pred of the same 2-D shape "
                             f"(batch_size, num_classes); one-hot (or multi-hot) y_true. Received: y_true.shape="
                             f"{y_true.shape}, y_pred.shape={y_pred.shape}.")
        if self._classes is None:
            self._start(y_pred.shape[1])
        elif y_pred.shape[1] != self._classes:
            raise ValueError(f"{type(self).__name__} '{self.name}': expected {self._classes} classes, as in the earlier "
                             f"batches. Received: y_pred.shape={y_pred.shape}.")
        if self.threshold is None:
            positive = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            positive = y_pred > self.threshold
        p = positive.astype(np.float64)
        w = 1.0 if sample_weight is None else _rows_weight(f"{type(self).__name__} '{self.name}'", sample_weight,
                                                           y_pred.shape[0])

        def total(values):
            return np.sum(values * w, axis=self.axis)
        self.true_positives = self.true_positives + total(p * y_true)
        self.false_positives = self.false_positives + total(p * (1.0 - y_true))
        self.false_negatives = self.false_negatives + total((1.0 - p) * y_true)
        self.intermediate_weights = self.intermediate_weights + total(y_true)

    def result(self):
        if self._classes is None:  # nothing seen yet
            return self._out(0.0 if self.average is not None else np.zeros(0))
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + EPSILON)
        recall = tp / (tp + self.false_negatives + EPSILON)
        b2 = self.beta ** 2
        score = (1.0 + b2) * precision * recall / (b2 * precision + recall + EPSILON)
        if self.average == "weighted":
            support = self.intermediate_weights
            score = np.sum(score * support / (support.sum() + EPSILON))
        elif self.average is not None:
            score = np.mean(score)
        return self._out(score)

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score: FBetaScore with beta=1, the harmonic mean of precision and recall."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
