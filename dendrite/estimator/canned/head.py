"""The heads of the premade estimators: from logits to the loss, predictions and evaluation metrics, with
TensorFlow's keys and metric names, and ``CannedEstimator``, the model_fn they share.

Classification (``n_classes`` > 2: softmax cross-entropy; 2: one logit, sigmoid cross-entropy) predicts
``logits``, ``probabilities``, ``class_ids``, ``classes``, ``all_class_ids``, ``all_classes`` (and ``logistic``
for 2 classes); it evaluates ``accuracy``, ``average_loss``, ``loss``, and for 2 classes also ``accuracy_baseline``,
``auc``, ``auc_precision_recall``, ``label/mean``, ``precision``, ``prediction/mean``, ``recall``. Regression
(mean squared error) predicts ``predictions`` and evaluates ``average_loss``, ``loss``, ``label/mean``,
``prediction/mean``. The training loss is reduced by ``loss_reduction``: SUM_OVER_BATCH_SIZE (the default, the
weighted sum over the batch size) or SUM.
"""
import numpy as np

from ... import metrics as _metrics
from ... import optimizers as _optimizers
from ...autodiff import Tensor, array_of, ops
from ..estimator import Estimator
from ..feature_column import NumericColumn
from ..spec import EstimatorSpec, ModeKeys
from ..v1 import TrainOp
from ..variables import current

SUM_OVER_BATCH_SIZE, SUM = "sum_over_batch_size", "sum"


class _Baseline(_metrics.Mean):
    """accuracy_baseline: max(mean label, 1 - mean label)."""

    def result(self):
        m = float(super().result())
        return np.float32(max(m, 1 - m))


class Head:
    def __init__(self, owner, weight_column, loss_reduction):
        if loss_reduction not in (SUM_OVER_BATCH_SIZE, SUM):
            raise ValueError(f"{owner}: loss_reduction must be 'sum_over_batch_size' or 'sum' (losses.Reduction); "
                             f"received {loss_reduction!r}.")
        if weight_column is not None and not isinstance(weight_column, (str, NumericColumn)):
            raise ValueError(f"{owner}: weight_column must be a feature key or a numeric_column; received "
                             f"{weight_column!r}.")
        self.owner, self.weight_column, self.loss_reduction = owner, weight_column, loss_reduction

    def weights(self, features, n):
        if self.weight_column is None:
            return np.ones(n, np.float32)
        key = self.weight_column if isinstance(self.weight_column, str) else self.weight_column.key
        if key not in features:
            raise ValueError(f"{self.owner}: the weight_column {key!r} is not in the features; the input_fn gives "
                             f"{sorted(features)}.")
        return np.asarray(array_of(features[key]), np.float32).reshape(n)

    def spec(self, mode, logits, labels, features, train_ops):
        predictions = self.predictions(logits)
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        if labels is None:
            raise ValueError(f"{self.owner}: mode {'TRAIN' if mode == ModeKeys.TRAIN else 'EVAL'} needs labels; "
                             "the input_fn gave none (give y= to numpy_input_fn).")
        target = self.labels(labels, len(logits.value))
        weights = self.weights(features, len(logits.value))
        per_example = self.per_example_loss(logits, target)
        weighted = ops.multiply(per_example, Tensor(weights))
        loss = ops.sum(weighted) if self.loss_reduction == SUM else ops.divide(ops.sum(weighted), len(weights))
        if mode == ModeKeys.TRAIN:
            return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=_Group(train_ops(loss)))
        store = current()
        average = store.metric("average_loss", _metrics.Mean)
        average.update_state(np.asarray(per_example.value), sample_weight=weights)
        metric_ops = {"average_loss": average}
        metric_ops.update(self.metrics(store, predictions, target, weights))
        return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metric_ops)


class _Group:
    """The train ops of the parts (dnn, linear), then one global step increment."""

    def __init__(self, train_ops):
        self.ops = train_ops

    def _estimator_run(self, tape, store):
        for op in self.ops:
            op._estimator_run(tape, store)
        store.global_step.assign_add(1)


class ClassificationHead(Head):
    def __init__(self, owner, n_classes, weight_column, label_vocabulary, loss_reduction):
        super().__init__(owner, weight_column, loss_reduction)
        if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"{owner}: n_classes must be an integer > 1; received n_classes={n_classes!r}.")
        if label_vocabulary is not None:
            label_vocabulary = [str(v) for v in label_vocabulary]
            if len(label_vocabulary) != n_classes or len(set(label_vocabulary)) != n_classes:
                raise ValueError(f"{owner}: label_vocabulary must hold n_classes={n_classes} distinct strings; "
                                 f"received {label_vocabulary!r}.")
        self.n_classes, self.label_vocabulary = int(n_classes), label_vocabulary
        self.logits_dimension = 1 if n_classes == 2 else int(n_classes)
        names = label_vocabulary or [str(i) for i in range(n_classes)]
        self._class_names = np.array([n.encode() for n in names], object)

    def labels(self, labels, n):
        values = np.asarray(array_of(labels))
        if values.size != n:
            raise ValueError(f"{self.owner}: expected one label per example ({n}); received labels of shape "
                             f"{values.shape}.")
        values = values.reshape(n)
        if self.label_vocabulary is not None:
            index = {v: i for i, v in enumerate(self.label_vocabulary)}
            text = [v.decode() if isinstance(v, bytes) else str(v) for v in values.tolist()]
            unknown = sorted({t for t in text if t not in index})
            if unknown:
                raise ValueError(f"{self.owner}: labels {unknown[:10]} are not in label_vocabulary "
                                 f"{self.label_vocabulary}.")
            return np.array([index[t] for t in text], np.int64)
        if values.dtype.kind not in "iub" and not (values.dtype.kind == "f" and np.all(values == np.round(values))):
            raise ValueError(f"{self.owner}: labels must be integer class ids in [0, {self.n_classes}) (or give "
                             f"label_vocabulary for strings); received dtype {values.dtype}.")
        ids = values.astype(np.int64)
        bad = (ids < 0) | (ids >= self.n_classes)
        if bad.any():
            raise ValueError(f"{self.owner}: labels must be in [0, n_classes) = [0, {self.n_classes}); received "
                             f"{sorted(set(ids[bad].tolist()))[:10]}. Set n_classes to the number of classes.")
        return ids

    def per_example_loss(self, logits, ids):
        if self.n_classes == 2:
            return ops.reshape(ops.sigmoid_cross_entropy(logits, ids.reshape(-1, 1).astype(np.float32)), (-1,))
        return ops.sparse_softmax_cross_entropy(logits, ids)

    def predictions(self, logits):
        value = np.asarray(logits.value)
        if self.n_classes == 2:
            p = 1 / (1 + np.exp(-value.astype(np.float64)))
            probabilities = np.concatenate([1 - p, p], axis=1).astype(np.float32)
        else:
            shifted = np.exp(value - value.max(axis=1, keepdims=True))
            probabilities = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
        ids = probabilities.argmax(axis=1).astype(np.int64).reshape(-1, 1)
        n = len(value)
        out = {"logits": value, "probabilities": probabilities, "class_ids": ids,
               "classes": self._class_names[ids], "all_class_ids": np.tile(np.arange(self.n_classes), (n, 1)),
               "all_classes": np.tile(self._class_names, (n, 1))}
        if self.n_classes == 2:
            out["logistic"] = probabilities[:, 1:]
        return out

    def metrics(self, store, predictions, ids, weights):
        accuracy = store.metric("accuracy", _metrics.Accuracy)
        accuracy.update_state(ids, predictions["class_ids"].reshape(-1), sample_weight=weights)
        out = {"accuracy": accuracy}
        if self.n_classes == 2:
            p, y = predictions["logistic"].reshape(-1), ids.astype(np.float32)
            for name, factory, args in (
                    ("accuracy_baseline", _Baseline, (y,)), ("label/mean", _metrics.Mean, (y,)),
                    ("prediction/mean", _metrics.Mean, (p,)), ("precision", _metrics.Precision, (y, p)),
                    ("recall", _metrics.Recall, (y, p)), ("auc", _metrics.AUC, (y, p)),
                    ("auc_precision_recall", lambda: _metrics.AUC(curve="PR"), (y, p))):
                metric = store.metric(name, factory)
                metric.update_state(*args, sample_weight=weights)
                out[name] = metric
        return out


class RegressionHead(Head):
    def __init__(self, owner, label_dimension, weight_column, loss_reduction):
        super().__init__(owner, weight_column, loss_reduction)
        if isinstance(label_dimension, bool) or not isinstance(label_dimension, (int, np.integer)) or \
                label_dimension < 1:
            raise ValueError(f"{owner}: label_dimension must be a positive integer; received {label_dimension!r}.")
        self.logits_dimension = int(label_dimension)

    def labels(self, labels, n):
        values = np.asarray(array_of(labels))
        if values.dtype.kind not in "biuf" or values.size != n * self.logits_dimension:
            raise ValueError(f"{self.owner}: labels must be numbers, {self.logits_dimension} per example ({n} "
                             f"examples); received dtype {values.dtype}, shape {values.shape}.")
        return values.reshape(n, self.logits_dimension).astype(np.float32)

    def per_example_loss(self, logits, target):
        return ops.sum(ops.square(ops.subtract(logits, Tensor(target))), axis=1)

    def predictions(self, logits):
        return {"predictions": np.asarray(logits.value)}

    def metrics(self, store, predictions, target, weights):
        out = {}
        for name, values in (("label/mean", target), ("prediction/mean", predictions["predictions"])):
            metric = store.metric(name, _metrics.Mean)
            metric.update_state(values.mean(axis=1), sample_weight=weights)
            out[name] = metric
        return out


def make_optimizer(owner, optimizer, learning_rate):
    """An optimizer from a name ('Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD', with the estimator's default
    learning rate), an instance, or a function returning one."""
    if isinstance(optimizer, str):
        try:
            cls = type(_optimizers.get(optimizer))
        except ValueError as e:
            raise ValueError(f"{owner}: unknown optimizer {optimizer!r}: {e}") from None
        return cls(learning_rate=learning_rate)
    if callable(optimizer) and not isinstance(optimizer, _optimizers.Optimizer):
        optimizer = optimizer()
    if not isinstance(optimizer, _optimizers.Optimizer):
        raise TypeError(f"{owner}: optimizer must be a name, a dendrite optimizer or a function returning one; "
                        f"received {type(optimizer).__name__}.")
    return optimizer


class CannedEstimator(Estimator):
    """A premade estimator: ``_logits(features, mode)`` gives the logits and ``_parts`` maps each variable
    prefix ('dnn/', 'linear/') to its optimizer."""

    def __init__(self, head, parts, model_dir, config, warm_start_from):
        self._head, self._parts = head, parts
        super().__init__(self._canned_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)

    def _canned_model_fn(self, features, labels, mode):
        if not isinstance(features, dict):
            features = {"__direct_np_input__": features}
        logits = self._logits(features, mode)

        def train_ops(loss):
            store = current()
            return [TrainOp(("keras", id(optimizer)), lambda o=optimizer: o, loss,
                            var_list=[v for v in store.trainable_variables() if v.path.startswith(prefix)])
                    for prefix, optimizer in self._parts.items()]
        return self._head.spec(mode, logits, labels, features, train_ops)
