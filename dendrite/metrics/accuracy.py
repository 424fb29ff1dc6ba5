"""Accuracy metrics: functions giving one match value per sample, and their running means."""
import numpy as np

from .. import backend
from ..utils.validation import positive_int
from .base import MeanMetricWrapper, _align, _np


def _matches(equal):
    return equal.astype(backend.floatx())


def accuracy(y_true, y_pred):
    """1 where y_pred equals y_true exactly, else 0, element by element (as Keras 3: the metric class
    averages, so 1-D targets can take one sample weight per element)."""
    y_pred = _np(y_pred)
    y_true, y_pred = _align("accuracy", _np(y_true).astype(y_pred.dtype, copy=False), y_pred)
    return _matches(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1 where (y_pred > threshold) equals the binary label, else 0, element by element (as Keras 3)."""
    y_true, y_pred = _align("binary_accuracy", _np(y_true), _np(y_pred))
    return _matches(y_true == (y_pred > threshold).astype(y_true.dtype))


def categorical_accuracy(y_true, y_pred):
    """How often argmax(y_pred) equals argmax(y_true) for one-hot y_true. As in TensorFlow only the argmaxes are
    compared, so a y_true one-hot encoded with fewer columns (``to_categorical(y)`` of a batch without the last
    class) still scores; the other axes must match."""
    y_true, y_pred = _np(y_true), _np(y_pred)
    _check_one_hot("categorical_accuracy", y_true, y_pred, "sparse_categorical_accuracy")
    return _matches(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1))


def _check_one_hot(name, y_true, y_pred, sparse):
    if y_true.ndim != y_pred.ndim or y_true.shape[:-1] != y_pred.shape[:-1]:
        n = y_pred.shape[-1] if y_pred.ndim else 1
        raise ValueError(
            f"{name}: expected one-hot y_true with the same shape as y_pred {y_pred.shape}. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}. For integer labels use {sparse}, or "
            f"one-hot encode them with dendrite.utils.to_categorical(y_true, num_classes={n}).")


def _labels(name, y_true, y_pred, other):
    y_true = _np(y_true)
    if y_true.ndim == y_pred.ndim and y_true.ndim and y_true.shape[-1] == 1:
        y_true = y_true.reshape(y_true.shape[:-1])
    if y_true.shape != y_pred.shape[:-1]:
        hint = f" y_true looks one-hot: use {other}." if y_true.shape == y_pred.shape else ""
        raise ValueError(
            f"{name}: expected integer labels y_true of shape {y_pred.shape[:-1]} (or with a trailing 1) for "
            f"y_pred of shape {y_pred.shape}. Received: y_true.shape={_np(y_true).shape}.{hint}")
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """How often argmax(y_pred) equals the integer label."""
    y_pred = _np(y_pred)
    y_true = _labels("sparse_categorical_accuracy", y_true, y_pred, "categorical_accuracy")
    return _matches(y_true == np.argmax(y_pred, axis=-1))


def _in_top_k(labels, y_pred, k):
    """TF's in_top_k: the label's score has fewer than k strictly larger scores (ties count as in)."""
    preds = y_pred.reshape(-1, y_pred.shape[-1])
    flat = labels.reshape(-1)
    valid = (flat >= 0) & (flat < preds.shape[-1]) & (flat == np.floor(flat))
    target = preds[np.arange(flat.size), np.where(valid, flat, 0).astype(np.intp)]
    hits = (preds > target[:, None]).sum(axis=-1) < k
    return _matches(hits & valid & np.isfinite(target)).reshape(labels.shape)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """How often the integer label is among the k highest scores."""
    y_pred = _np(y_pred)
    y_true = _np(y_true)
    if y_true.size != int(np.prod(y_pred.shape[:-1])):
        raise ValueError(
            f"sparse_top_k_categorical_accuracy: expected one integer label per row of y_pred {y_pred.shape}. "
            f"Received: y_true.shape={y_true.shape}. For one-hot labels use top_k_categorical_accuracy.")
    return _in_top_k(y_true, y_pred, k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """How often the one-hot label's class is among the k highest scores."""
    y_true, y_pred = _np(y_true), _np(y_pred)
    _check_one_hot("top_k_categorical_accuracy", y_true, y_pred, "sparse_top_k_categorical_accuracy")
    return _in_top_k(np.argmax(y_true, axis=-1), y_pred, k)


# what MeanMetricWrapper reads so that monitoring callbacks in mode 'auto' maximise these (as Keras 3)
for _fn in (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
            sparse_top_k_categorical_accuracy):
    _fn._direction = "up"
del _fn


class Accuracy(MeanMetricWrapper):
    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        # any real threshold, as Keras 3 (TensorFlow's text tutorial compares logits with threshold=0.0)
        if threshold is not None and not (isinstance(threshold, (int, float)) and np.isfinite(threshold)):
            raise ValueError(f"BinaryAccuracy: threshold must be a finite number. Received: threshold={threshold!r}.")
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        k = positive_int("TopKCategoricalAccuracy", "k", k)
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        k = positive_int("SparseTopKCategoricalAccuracy", "k", k)
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
