"""LinearClassifier and LinearRegressor: a weighted sum of the feature columns (dense columns by a weight matrix,
categorical ones by one weight row per id), trained by Ftrl with learning rate min(0.2, 1/sqrt(number of
columns)) by default, as TensorFlow's. Variables: ``linear/linear_model/<column>/weights`` and
``linear/linear_model/bias_weights``, all starting at zero."""
import math

from ...autodiff import ops
from ...layers import Layer
from ..categorical_column import CategoricalColumn
from ..feature_column import check_columns, combine_rows
from .head import SUM_OVER_BATCH_SIZE, CannedEstimator, ClassificationHead, RegressionHead, make_optimizer


def linear_learning_rate(n_columns):
    return min(0.2, 1.0 / math.sqrt(n_columns))


class LinearModel(Layer):
    """The linear part: sum over columns of (dense block @ weights, or the sum of the ids' weight rows) + bias."""

    def __init__(self, columns, units, sparse_combiner="sum", name="linear/linear_model"):
        super().__init__(name=name)
        if sparse_combiner not in ("sum", "mean", "sqrtn"):
            raise ValueError(f"{self.who}: sparse_combiner must be 'sum', 'mean' or 'sqrtn'; received "
                             f"{sparse_combiner!r}.")
        self.columns, self.units, self.sparse_combiner = columns, units, sparse_combiner

    def __call__(self, features, training=None):
        total = None
        for column in self.columns:
            if isinstance(column, CategoricalColumn):
                part = self._sparse(column, features)
            else:
                block = column.dense(features, self._embedding_weight)
                weights = self.add_weight(f"{column.name}/weights", (block.shape[1], self.units), "zeros")
                part = ops.matmul(block, weights)
            total = part if total is None else ops.add(total, part)
        bias = self.add_weight("bias_weights", (self.units,), "zeros")
        return ops.add(total, bias)

    def _embedding_weight(self, name, shape, initializer, trainable):
        return self.add_weight(name, shape, initializer, trainable=trainable)

    def _sparse(self, column, features):
        weights = self.add_weight(f"{column.name}/weights", (column.num_buckets, self.units), "zeros")
        return combine_rows(weights, column.ids(features), self.sparse_combiner)


class _Linear(CannedEstimator):
    def __init__(self, head, feature_columns, model_dir, optimizer, config, warm_start_from, sparse_combiner):
        owner = type(self).__name__
        self._columns = check_columns(owner, feature_columns)
        self._sparse_combiner = sparse_combiner
        LinearModel(self._columns, 1, sparse_combiner)  # checks the combiner now
        rate = linear_learning_rate(len(self._columns))
        super().__init__(head, {"linear/": make_optimizer(owner, optimizer, rate)}, model_dir, config,
                         warm_start_from)

    def _logits(self, features, mode):
        return LinearModel(self._columns, self._head.logits_dimension, self._sparse_combiner)(features)


class LinearClassifier(_Linear):
    """tf.estimator.LinearClassifier: logistic (2 classes) or softmax regression."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, warm_start_from=None, loss_reduction=SUM_OVER_BATCH_SIZE,
                 sparse_combiner="sum"):
        head = ClassificationHead(type(self).__name__, n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, feature_columns, model_dir, optimizer, config, warm_start_from, sparse_combiner)


class LinearRegressor(_Linear):
    """tf.estimator.LinearRegressor: least-squares linear regression."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None, optimizer="Ftrl",
                 config=None, warm_start_from=None, loss_reduction=SUM_OVER_BATCH_SIZE, sparse_combiner="sum"):
        head = RegressionHead(type(self).__name__, label_dimension, weight_column, loss_reduction)
        super().__init__(head, feature_columns, model_dir, optimizer, config, warm_start_from, sparse_combiner)
