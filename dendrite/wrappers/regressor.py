"""KerasRegressor: real-valued targets, one column or several (one output unit each); ``score`` is R^2.
With no loss given and a model that comes back uncompiled, the loss is 'mean_squared_error'."""
import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.multiclass import type_of_target

from .base import BaseWrapper



class KerasRegressor(RegressorMixin, BaseWrapper):
    """scikeras's KerasRegressor on dendrite (parameters in BaseWrapper)."""

    _y_numeric = True
    score = BaseWrapper.score

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        return r2_score(y_true, y_pred, **kwargs)

    def _fit_target(self, y):
        y = np.asarray(y)
        self.target_type_ = type_of_target(y)
        self.y_ndim_ = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self.n_outputs_expected_ = 1
        return y

    def _check_target(self, y):
        y = np.asarray(y)
        outputs = 1 if y.ndim == 1 else y.shape[1]
        if outputs != self.n_outputs_:
            raise ValueError(f"KerasRegressor: y has {outputs} targets per sample (shape {y.shape}), but the "
                             f"estimator was fitted on {self.n_outputs_}.")
        return y

    def _encode(self, y):
        return np.asarray(y, dtype=np.float32).reshape(-1, self.n_outputs_)

    def _default_loss(self, X):
        return "mean_squared_error"

    def _check_model(self, X):
        width = self._output_width(X)
        if width != self.n_outputs_:
            raise ValueError(f"KerasRegressor: y has {self.n_outputs_} target(s) per sample, but the model's output "
                             f"has {width} units; end the model with Dense({self.n_outputs_}), e.g. from "
                             "meta['n_outputs_'].")

    def predict(self, X, **kwargs):
        """Predictions shaped as y was in fit ((n,) or (n, n_outputs)), as float64 like scikit-learn's."""
        out = self._predict_raw(X, **kwargs).astype(np.float64)
        return out.reshape(-1) if self.y_ndim_ == 1 else out.reshape(-1, self.n_outputs_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.target_tags.multi_output = True
        return tags
