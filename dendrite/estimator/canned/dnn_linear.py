"""DNNLinearCombinedClassifier / Regressor ("wide & deep"): the sum of a linear model's logits
(``linear_feature_columns``, Ftrl) and a DNN's (``dnn_feature_columns``, Adagrad 0.05), each part trained by its
own optimizer on its own variables (``linear/...``, ``dnn/...``), as TensorFlow's."""
from ... import activations
from ...autodiff import ops
from ..feature_column import check_columns
from .dnn import DNN_LEARNING_RATE, check_hidden_units, dnn_logits
from .head import SUM_OVER_BATCH_SIZE, CannedEstimator, ClassificationHead, RegressionHead, make_optimizer
from .linear import LinearModel, linear_learning_rate


class _Combined(CannedEstimator):
    def __init__(self, head, model_dir, linear_feature_columns, linear_optimizer, dnn_feature_columns,
                 dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout, config, warm_start_from,
                 batch_norm, linear_sparse_combiner):
        owner = type(self).__name__
        if not linear_feature_columns and not dnn_feature_columns:
            raise ValueError(f"{owner}: give linear_feature_columns, dnn_feature_columns or both; both are empty.")
        parts = {}
        self._linear_columns = self._dnn_columns = None
        if linear_feature_columns:
            self._linear_columns = check_columns(owner, linear_feature_columns)
            parts["linear/"] = make_optimizer(owner, linear_optimizer,
                                              linear_learning_rate(len(self._linear_columns)))
        if dnn_feature_columns:
            self._dnn_columns = check_columns(owner, dnn_feature_columns, dense_only=True)
            self._hidden_units = check_hidden_units(owner, dnn_hidden_units, dnn_dropout)
            parts["dnn/"] = make_optimizer(owner, dnn_optimizer, DNN_LEARNING_RATE)
        self._activation_fn, self._dropout, self._batch_norm = activations.get(dnn_activation_fn), dnn_dropout, \
            batch_norm
        self._sparse_combiner = linear_sparse_combiner
        super().__init__(head, parts, model_dir, config, warm_start_from)

    def _logits(self, features, mode):
        units, logits = self._head.logits_dimension, None
        if self._dnn_columns:
            logits = dnn_logits(features, mode, self._dnn_columns, self._hidden_units, units, self._activation_fn,
                                self._dropout, self._batch_norm)
        if self._linear_columns:
            linear = LinearModel(self._linear_columns, units, self._sparse_combiner)(features)
            logits = linear if logits is None else ops.add(logits, linear)
        return logits


class DNNLinearCombinedClassifier(_Combined):
    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None, dnn_activation_fn="relu",
                 dnn_dropout=None, n_classes=2, weight_column=None, label_vocabulary=None, config=None,
                 warm_start_from=None, loss_reduction=SUM_OVER_BATCH_SIZE, batch_norm=False,
                 linear_sparse_combiner="sum"):
        head = ClassificationHead(type(self).__name__, n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer, dnn_feature_columns,
                         dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout, config, warm_start_from,
                         batch_norm, linear_sparse_combiner)


class DNNLinearCombinedRegressor(_Combined):
    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None, dnn_activation_fn="relu",
                 dnn_dropout=None, label_dimension=1, weight_column=None, config=None, warm_start_from=None,
                 loss_reduction=SUM_OVER_BATCH_SIZE, batch_norm=False, linear_sparse_combiner="sum"):
        head = RegressionHead(type(self).__name__, label_dimension, weight_column, loss_reduction)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer, dnn_feature_columns,
                         dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout, config, warm_start_from,
                         batch_norm, linear_sparse_combiner)
