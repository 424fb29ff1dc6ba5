"""BaselineClassifier / BaselineRegressor: ignore the features and learn one bias per logit (the class prior,
the mean label), trained by Ftrl with learning rate 0.3 by default, as TensorFlow's. Variable: ``baseline/bias``."""
import numpy as np

from ...autodiff import Tensor, ops
from ..variables import current
from .head import SUM_OVER_BATCH_SIZE, CannedEstimator, ClassificationHead, RegressionHead, make_optimizer

BASELINE_LEARNING_RATE = 0.3


class _Baseline(CannedEstimator):
    def __init__(self, head, model_dir, optimizer, config):
        super().__init__(head, {"baseline/": make_optimizer(type(self).__name__, optimizer, BASELINE_LEARNING_RATE)},
                         model_dir, config, None)

    def _logits(self, features, mode):
        n = len(np.asarray(next(iter(features.values()))))
        bias = current().variable("baseline/bias", (self._head.logits_dimension,), "zeros")
        return ops.add(Tensor(np.zeros((n, self._head.logits_dimension), np.float32)), bias)


class BaselineClassifier(_Baseline):
    def __init__(self, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None, optimizer="Ftrl",
                 config=None, loss_reduction=SUM_OVER_BATCH_SIZE):
        head = ClassificationHead(type(self).__name__, n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, model_dir, optimizer, config)


class BaselineRegressor(_Baseline):
    def __init__(self, model_dir=None, label_dimension=1, weight_column=None, optimizer="Ftrl", config=None,
                 loss_reduction=SUM_OVER_BATCH_SIZE):
        head = RegressionHead(type(self).__name__, label_dimension, weight_column, loss_reduction)
        super().__init__(head, model_dir, optimizer, config)
