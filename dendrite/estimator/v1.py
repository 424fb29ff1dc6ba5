"""The TensorFlow 1 pieces a model_fn calls (served as ``tf.compat.v1.*`` in compatibility mode):
``train.get_or_create_global_step`` / ``get_global_step``, the ``*Optimizer`` classes whose
``minimize(loss, global_step=...)`` gives the spec's ``train_op``, ``losses.sparse_softmax_cross_entropy`` and
friends, ``metrics.accuracy`` & co. returning ``(value, update_op)``, ``layers.dense``, the session hooks
(``train.LoggingTensorHook`` & co., dendrite.estimator.hooks) and ``identity(x, name=...)``, which names a
tensor for their fetches.

Eagerly: ``minimize`` computes nothing when called; it returns a TrainOp that the Estimator runs after the
model_fn, with the gradients of the loss from the GradientTape the Estimator held around the call. The
optimizer's state (Adam's moments) lives in the Estimator's variable store, keyed by the optimizer's name and
order in the model_fn, so a fresh ``AdamOptimizer(...)`` on each call continues the same optimizer. A metric
is likewise one streaming metric per name for the whole ``evaluate``. The optimizers are dendrite's Keras
optimizers with TensorFlow 1's defaults (Adam's epsilon 1e-8, RMSProp's decay 0.9 and epsilon 1e-10).
"""
from types import SimpleNamespace

import numpy as np

from .. import metrics as _metrics
from .. import optimizers as _optimizers
from ..autodiff import Tensor, Variable, array_of, ops
from . import hooks as _hooks
from . import names as _names
from . import session_run_hook as _session_run_hook
from . import variables as _variables

_GLOBAL_STEP = []  # the global step outside any Estimator (created on request)


def get_or_create_global_step(graph=None):
    """The global step of the running Estimator (an int64 Variable); outside one, a module-level one."""
    store = _variables.current()
    if store is not None:
        return store.global_step
    if not _GLOBAL_STEP:
        _GLOBAL_STEP.append(Variable(0, trainable=False, name="global_step", dtype="int64"))
    return _GLOBAL_STEP[0]


def get_global_step(graph=None):
    """The global step of the running Estimator, or None outside one (as TensorFlow without a graph step)."""
    store = _variables.current()
    if store is not None:
        return store.global_step
    return _GLOBAL_STEP[0] if _GLOBAL_STEP else None


create_global_step = get_or_create_global_step


def identity(input, name=None):  # noqa: A002 - TensorFlow's name
    """``input`` itself, recorded under ``name`` for the session hooks' fetches while an Estimator step runs
    (dendrite.estimator.names): ``LoggingTensorHook({"probabilities": "softmax_tensor"})`` finds
    ``identity(probabilities, name="softmax_tensor")``."""
    return _names.record(name, input)


class TrainOp:
    """What ``minimize`` returns: applied by the Estimator after the model_fn call (see the module's docstring)."""

    def __init__(self, key, factory, loss, global_step=None, var_list=None):
        if loss is None:
            raise ValueError("minimize: loss is None; pass the loss tensor the model_fn computed.")
        self.key, self.factory, self.loss = key, factory, loss
        self.global_step, self.var_list = global_step, var_list

    def _estimator_run(self, tape, store):
        if not isinstance(self.loss, Tensor):
            raise ValueError("minimize: the loss is not a tensor computed from the model's variables (it is "
                             f"{type(self.loss).__name__}); compute it with dendrite/tf ops from the layers' output.")
        variables = list(self.var_list) if self.var_list is not None else store.trainable_variables()
        grads = tape.gradient(self.loss, variables)
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            raise ValueError("minimize: the loss does not depend on any trainable variable; build the model with "
                             "layers inside the model_fn and compute the loss from their output.")
        optimizer = store.optimizer(self.key, self.factory)
        optimizer.apply([g for g, _ in pairs], [v for _, v in pairs])
        store.after_apply(optimizer)
        if self.global_step is not None:
            self.global_step.assign_add(1)


def _next_key(kind):
    store = _variables.current()
    return kind if store is None else store.next_key(kind)


_GRAPH_MODE_DOC = "docs/compat.md (dendrite's documentation)"


class Optimizer:
    """A TensorFlow 1 optimizer: a recipe for a dendrite optimizer, made once per Estimator and kept."""

    _keras = None

    def __init__(self, name, **settings):
        self._name, self._settings = name, settings

    def _make(self, **changed):
        """The dendrite optimizer this stands for (``changed``: settings replaced, as graph mode's fed rate)."""
        return getattr(_optimizers, self._keras)(**dict(self._settings, **changed))

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        if _variables.current() is None:
            raise NotImplementedError(
                f"{type(self).__name__}.minimize outside an Estimator's model_fn is TensorFlow 1's graph-mode "
                f"training (a loss tensor run again and again by Session.run), and this loss is an eager value. "
                f"Call tf.compat.v1.disable_eager_execution() before building the graph, or compute the loss "
                f"inside a tf.GradientTape and call a Keras optimizer's apply_gradients, or run the model_fn "
                f"through an Estimator; see {_GRAPH_MODE_DOC}.")
        return TrainOp(_next_key(self._name), self._make, loss, global_step, var_list)

    def compute_gradients(self, *args, **kwargs):
        raise _graph_mode(self, "compute_gradients")

    def apply_gradients(self, *args, **kwargs):
        raise _graph_mode(self, "apply_gradients")


def _graph_mode(optimizer, method):
    return NotImplementedError(
        f"{type(optimizer).__name__}.{method} is TensorFlow 1's graph-mode training, and eager execution is on: "
        f"call tf.compat.v1.disable_eager_execution() before building the graph, or compute the gradients with "
        f"a tf.GradientTape and apply them with a Keras optimizer's apply_gradients; see {_GRAPH_MODE_DOC}.")


class GradientDescentOptimizer(Optimizer):
    _keras = "SGD"

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(name, learning_rate=learning_rate)


class MomentumOptimizer(Optimizer):
    _keras = "SGD"

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(name, learning_rate=learning_rate, momentum=momentum, nesterov=use_nesterov)


class AdamOptimizer(Optimizer):
    _keras = "Adam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08, use_locking=False, name="Adam"):
        super().__init__(name, learning_rate=learning_rate, beta_1=beta1, beta_2=beta2, epsilon=epsilon)


class AdadeltaOptimizer(Optimizer):
    _keras = "Adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-08, use_locking=False, name="Adadelta"):
        super().__init__(name, learning_rate=learning_rate, rho=rho, epsilon=epsilon)


class AdagradOptimizer(Optimizer):
    _keras = "Adagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        super().__init__(name, learning_rate=learning_rate, initial_accumulator_value=initial_accumulator_value)


class RMSPropOptimizer(Optimizer):
    _keras = "RMSprop"

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        super().__init__(name, learning_rate=learning_rate, rho=decay, momentum=momentum, epsilon=epsilon,
                         centered=centered)


class FtrlOptimizer(Optimizer):
    _keras = "Ftrl"

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False, name="Ftrl",
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(name, learning_rate=learning_rate, learning_rate_power=learning_rate_power,
                         initial_accumulator_value=initial_accumulator_value,
                         l1_regularization_strength=l1_regularization_strength,
                         l2_regularization_strength=l2_regularization_strength,
                         l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength,
                         beta=beta or 0.0)


def keras_train_op(optimizer, loss, global_step):
    """A TrainOp applying a dendrite (Keras) optimizer object, kept as it is (the canned estimators use it)."""
    return TrainOp(("keras", id(optimizer)), lambda: optimizer, loss, global_step)


# ------------------------------------------------------------------ losses
def _reduce(per_example, weights, who):
    """TensorFlow 1's default reduction SUM_BY_NONZERO_WEIGHTS: sum(w * loss) / count(w != 0)."""
    if isinstance(weights, (int, float)) and weights == 1.0:
        return ops.mean(per_example)
    w = np.broadcast_to(np.asarray(array_of(weights), per_example.dtype), per_example.shape)
    count = max(int(np.count_nonzero(w)), 1)
    return ops.divide(ops.sum(ops.multiply(per_example, Tensor(np.ascontiguousarray(w)))), count)


def _labels(labels, who):
    array = np.asarray(array_of(labels))
    if array.dtype.kind not in "iu":
        if array.dtype.kind == "f" and np.all(array == np.round(array)):
            array = array.astype(np.int64)
        else:
            raise ValueError(f"{who}: labels must be integer class ids; received dtype {array.dtype}.")
    return array.reshape(-1) if array.ndim > 1 and array.shape[-1] == 1 else array


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=None,
                                 reduction="weighted_sum_by_nonzero_weights"):
    ids = _labels(labels, "losses.sparse_softmax_cross_entropy")
    n = int(np.shape(array_of(logits))[-1])
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        raise ValueError(f"losses.sparse_softmax_cross_entropy: labels must be in [0, {n}) for logits of {n} "
                         f"classes; received labels from {ids.min()} to {ids.max()}.")
    return _reduce(ops.sparse_softmax_cross_entropy(logits, ids), weights, "sparse_softmax_cross_entropy")


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None, loss_collection=None,
                          reduction="weighted_sum_by_nonzero_weights"):
    labels = np.asarray(array_of(onehot_labels), np.float32)
    if label_smoothing:
        labels = labels * (1 - label_smoothing) + label_smoothing / labels.shape[-1]
    return _reduce(ops.softmax_cross_entropy(logits, labels), weights, "softmax_cross_entropy")


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=None, reduction="weighted_sum_by_nonzero_weights"):
    labels = np.asarray(array_of(multi_class_labels), np.float32)
    if label_smoothing:
        labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
    return _reduce(ops.sigmoid_cross_entropy(logits, labels), weights, "sigmoid_cross_entropy")


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=None,
                       reduction="weighted_sum_by_nonzero_weights"):
    diff = ops.subtract(predictions, Tensor(np.asarray(array_of(labels), np.float32)))
    return _reduce(ops.square(diff), weights, "mean_squared_error")


# ----------------------------------------------------------------- metrics
class MetricOp:
    """One half of a TF1 metric's ``(value, update_op)`` pair: the streaming metric behind it (``metric``), whose
    result it gives as a number (``numpy()``, ``float()``)."""

    def __init__(self, metric):
        self.metric = metric

    def numpy(self):
        return np.asarray(self.metric.result())

    def __float__(self):
        return float(self.numpy())

    def __repr__(self):
        return f"<metric {self.metric.name}: {self.numpy()}>"


def _streaming(kind, name, factory, *args, weights=None):
    store = _variables.current()
    key = name if name is not None else _next_key(kind)
    metric = factory() if store is None else store.metric(key, factory)
    args = [np.asarray(array_of(a)) for a in args]
    sample_weight = None if weights is None else np.asarray(array_of(weights), np.float32)
    metric.update_state(*args, sample_weight=sample_weight)
    return MetricOp(metric), MetricOp(metric)


def _same_shape(labels, predictions):
    labels, predictions = np.asarray(array_of(labels)), np.asarray(array_of(predictions))
    if labels.shape != predictions.shape and labels.size == predictions.size:
        labels = labels.reshape(predictions.shape)
    return labels, predictions


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The fraction of ``predictions`` equal to ``labels``, over all batches of the evaluation."""
    labels, predictions = _same_shape(labels, predictions)
    return _streaming("accuracy", name, _metrics.Accuracy, labels, predictions, weights=weights)


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    return _streaming("mean", name, _metrics.Mean, values, weights=weights)


def precision(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    labels, predictions = _same_shape(labels, predictions)
    return _streaming("precision", name, _metrics.Precision, labels, predictions, weights=weights)


def recall(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    labels, predictions = _same_shape(labels, predictions)
    return _streaming("recall", name, _metrics.Recall, labels, predictions, weights=weights)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None, updates_collections=None,
        curve="ROC", name=None, summation_method="trapezoidal", thresholds=None):
    labels, predictions = _same_shape(labels, predictions)
    method = "interpolation" if summation_method == "trapezoidal" else summation_method
    return _streaming("auc", name, lambda: _metrics.AUC(num_thresholds=num_thresholds, curve=curve,
                                                        summation_method=method), labels, predictions,
                      weights=weights)


def mean_squared_error_metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                              name=None):
    labels, predictions = _same_shape(labels, predictions)
    return _streaming("mean_squared_error", name, _metrics.MeanSquaredError, labels, predictions, weights=weights)


# ------------------------------------------------------------------ layers
def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None, bias_initializer="zeros",
          kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.compat.v1.layers.dense``: a Dense layer made and applied at once (its weights kept by the store)."""
    from ..layers import Dense
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer or "glorot_uniform", bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                  bias_constraint=bias_constraint, trainable=trainable, name=name)
    return layer(inputs)


train = SimpleNamespace(get_or_create_global_step=get_or_create_global_step, get_global_step=get_global_step,
                        create_global_step=create_global_step, Optimizer=Optimizer,
                        GradientDescentOptimizer=GradientDescentOptimizer, MomentumOptimizer=MomentumOptimizer,
                        AdamOptimizer=AdamOptimizer, AdagradOptimizer=AdagradOptimizer,
                        AdadeltaOptimizer=AdadeltaOptimizer,
                        RMSPropOptimizer=RMSPropOptimizer, FtrlOptimizer=FtrlOptimizer,
                        **{n: getattr(_session_run_hook, n) for n in _session_run_hook.__all__},
                        **{n: getattr(_hooks, n) for n in _hooks.__all__})
losses = SimpleNamespace(sparse_softmax_cross_entropy=sparse_softmax_cross_entropy,
                         softmax_cross_entropy=softmax_cross_entropy, sigmoid_cross_entropy=sigmoid_cross_entropy,
                         mean_squared_error=mean_squared_error)
metrics = SimpleNamespace(accuracy=accuracy, mean=mean, precision=precision, recall=recall, auc=auc,
                          mean_squared_error=mean_squared_error_metric)
layers = SimpleNamespace(dense=dense)
