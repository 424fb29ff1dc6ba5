"""DNNClassifier and DNNRegressor: feature columns -> hidden Dense layers -> logits, trained by Adagrad (learning
rate 0.05) by default, as TensorFlow's. Variables are named as TensorFlow names them:
``dnn/hiddenlayer_<i>/kernel`` and ``/bias``, ``dnn/logits/kernel`` and ``/bias``, embeddings under
``dnn/input_from_feature_columns/input_layer/<column>_embedding/embedding_weights``."""
from ... import activations
from ...layers import BatchNormalization, Dense, DenseFeatures, Dropout
from ..feature_column import check_columns
from ..spec import ModeKeys
from .head import SUM_OVER_BATCH_SIZE, CannedEstimator, ClassificationHead, RegressionHead, make_optimizer

DNN_LEARNING_RATE = 0.05


def check_hidden_units(owner, hidden_units, dropout):
    units = list(hidden_units or [])
    if not units or any(isinstance(u, bool) or int(u) != u or u < 1 for u in units):
        raise ValueError(f"{owner}: hidden_units must be a non-empty list of positive integers (units per hidden "
                         f"layer); received hidden_units={hidden_units!r}.")
    if dropout is not None and not 0 <= dropout < 1:
        raise ValueError(f"{owner}: dropout must be in [0, 1) or None; received dropout={dropout!r}.")
    return [int(u) for u in units]


def dnn_logits(features, mode, columns, hidden_units, units, activation_fn, dropout, batch_norm, prefix="dnn"):
    training = mode == ModeKeys.TRAIN
    net = DenseFeatures(columns, name=f"{prefix}/input_from_feature_columns/input_layer")(features)
    for i, n in enumerate(hidden_units):
        net = Dense(n, activation=activation_fn, name=f"{prefix}/hiddenlayer_{i}")(net)
        if dropout:
            net = Dropout(dropout)(net, training=training)
        if batch_norm:
            net = BatchNormalization(momentum=0.999, name=f"{prefix}/hiddenlayer_{i}/batchnorm_{i}")(
                net, training=training)
    return Dense(units, name=f"{prefix}/logits")(net)


class _DNN(CannedEstimator):
    def __init__(self, head, hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout, config,
                 warm_start_from, batch_norm):
        owner = type(self).__name__
        self._hidden_units = check_hidden_units(owner, hidden_units, dropout)
        self._columns = check_columns(owner, feature_columns, dense_only=True)
        self._activation_fn, self._dropout, self._batch_norm = activations.get(activation_fn), dropout, batch_norm
        super().__init__(head, {"dnn/": make_optimizer(owner, optimizer, DNN_LEARNING_RATE)}, model_dir, config,
                         warm_start_from)

    def _logits(self, features, mode):
        return dnn_logits(features, mode, self._columns, self._hidden_units, self._head.logits_dimension,
                          self._activation_fn, self._dropout, self._batch_norm)


class DNNClassifier(_DNN):
    """tf.estimator.DNNClassifier: a feed-forward classifier of ``n_classes`` classes."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Adagrad", activation_fn="relu", dropout=None, config=None,
                 warm_start_from=None, loss_reduction=SUM_OVER_BATCH_SIZE, batch_norm=False):
        head = ClassificationHead(type(self).__name__, n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout, config,
                         warm_start_from, batch_norm)


class DNNRegressor(_DNN):
    """tf.estimator.DNNRegressor: a feed-forward regressor of ``label_dimension`` targets (mean squared error)."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Adagrad", activation_fn="relu", dropout=None, config=None, warm_start_from=None,
                 loss_reduction=SUM_OVER_BATCH_SIZE, batch_norm=False):
        head = RegressionHead(type(self).__name__, label_dimension, weight_column, loss_reduction)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout, config,
                         warm_start_from, batch_norm)
