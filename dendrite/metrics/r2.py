"""R2Score, the coefficient of determination, as Keras 3 computes it over 2-D (batch, outputs) targets."""
import warnings

import numpy as np

from ..losses.inputs import _shape_error, _squeeze_or_expand
from ..utils.validation import non_negative_int
from .base import Metric, _broadcast_sample_weight, _np

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """``1 - sum((y - y_pred)**2) / sum((y - mean(y))**2)`` per output, weighted by ``sample_weight``, then
    averaged over the outputs by ``class_aggregation`` ('uniform_average', 'variance_weighted_average' or None
    for one score per output). With ``num_regressors`` p > 0 the adjusted score ``1 - (1 - r2) * (n - 1) /
    (n - p - 1)``, n counting every value seen (as Keras counts them)."""

    _direction = "up"

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(f"R2Score: `class_aggregation` must be one of {list(_AGGREGATIONS)}. "
                             f"Received: class_aggregation={class_aggregation!r}.")
        self.class_aggregation = class_aggregation
        self.num_regressors = non_negative_int("R2Score", "num_regressors", num_regressors)
        self.reset_state()

    def reset_state(self):
        self.num_samples = 0
        self.sum = self.squared_sum = self.total_mse = self.count = None

    def update_state(self, y_true, y_pred, sample_weight=None):
        owner = f"R2Score '{self.name}'"
        y_true = np.asarray(_np(y_true), dtype=np.float64)
        y_pred = np.asarray(_np(y_pred), dtype=np.float64)
        ts, ps = _squeeze_or_expand(y_true.shape, y_pred.shape)
        if ts != ps:
            raise _shape_error(owner, y_true.shape, y_pred.shape)
        y_true, y_pred = y_true.reshape(ts), y_pred.reshape(ps)
        if y_pred.ndim != 2:
            raise ValueError(f"{owner}: expected 2-D inputs of shape (batch_size, output_dim). Received: "
                             f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}. For a single output "
                             "pass y.reshape(-1, 1).")
        if self.sum is None:
            self.sum, self.squared_sum, self.total_mse, self.count = (np.zeros(y_pred.shape[1]) for _ in range(4))
        elif y_pred.shape[1] != self.sum.shape[0]:
            raise ValueError(f"{owner}: expected {self.sum.shape[0]} outputs, as in the earlier batches. Received: "
                             f"y_pred.shape={y_pred.shape}.")
        w = np.ones(y_true.shape) if sample_weight is None else \
            _broadcast_sample_weight(self.name, sample_weight, y_true.shape)
        weighted = y_true * w
        self.sum = self.sum + weighted.sum(axis=0)
        self.squared_sum = self.squared_sum + (y_true * weighted).sum(axis=0)
        self.total_mse = self.total_mse + (np.square(y_true - y_pred) * w).sum(axis=0)
        self.count = self.count + w.sum(axis=0)
        self.num_samples += y_true.size

    def result(self):
        if self.sum is None:
            return self._out(0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum / self.count
            total = self.squared_sum - self.sum * mean
            raw = 1.0 - self.total_mse / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        p, n = self.num_regressors, self.num_samples
        if p:
            if p > n - 1:
                warnings.warn("R2Score: more independent predictors (num_regressors) than data points in the adjusted "
                              "R2 score; falling back to the standard R2 score.", stacklevel=2)
            elif p == n - 1:
                warnings.warn("R2Score: division by zero in the adjusted R2 score (num_regressors == samples - 1); "
                              "falling back to the standard R2 score.", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return self._out(score)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
