"""Losses as in Keras: per-sample functions and classes that reduce them over the batch.

A loss function ``f(y_true, y_pred)`` is built from dendrite's differentiable
ops, so it is followed by any active GradientTape; it reduces the last axis
only (``mean_squared_error`` is ``mean(square(y_true - y_pred), axis=-1)``).
A :class:`Loss` class wraps a function with a ``reduction`` and
``sample_weight`` handling, following Keras 3's ``reduce_weighted_values``.

Cross-entropies from probabilities take the exact logits path when ``y_pred``
came out of ``ops.softmax`` / ``ops.sigmoid`` (``Tensor.logits``), as tf.keras
does; otherwise they renormalise and clip to [1e-7, 1 - 1e-7] as Keras does.
"""
import difflib
import math
import warnings

import numpy as np

from . import backend
from .autodiff import Tensor, array_of, ops
from .utils.naming import to_snake_case

EPSILON = backend.epsilon()

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Reduction:
    """The reduction names as constants (tf.keras's ``losses.Reduction``)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    MEAN = "mean"
    MEAN_WITH_SAMPLE_WEIGHT = "mean_with_sample_weight"


# --------------------------------------------------------------------- helpers


def _pred(y_pred, dtype=None):
    """y_pred as a Tensor; arrays and lists become float (``dtype``, else floatx when not float)."""
    if isinstance(y_pred, Tensor):
        return y_pred
    arr = np.asarray(y_pred)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(backend.floatx())
    return Tensor(arr)


def _true(y_true, dtype):
    """y_true in y_pred's dtype; a Tensor stays a Tensor so that gradients can reach it."""
    if isinstance(y_true, Tensor):
        return y_true if y_true.dtype == dtype else ops.cast(y_true, dtype)
    return np.asarray(y_true, dtype=dtype)


def _squeeze_or_expand(a_shape, b_shape):
    """Keras's rank fix-up: when ranks differ by one and the longer shape ends in 1,
    expand a rank-1 partner or squeeze that trailing 1. Returns the new shapes."""
    ra, rb = len(a_shape), len(b_shape)
    if ra == rb + 1 and a_shape[-1] == 1:
        if rb == 1:
            b_shape = b_shape + (1,)
        else:
            a_shape = a_shape[:-1]
    elif rb == ra + 1 and b_shape[-1] == 1:
        if ra == 1:
            a_shape = a_shape + (1,)
        else:
            b_shape = b_shape[:-1]
    return a_shape, b_shape


def _shape_error(name, true_shape, pred_shape, expected=None):
    true_shape, pred_shape = tuple(true_shape), tuple(pred_shape)
    expected = expected or f"y_true with the same shape as y_pred {pred_shape} (a trailing axis of size 1 may differ)"
    hint = f"Reshape y_true to {pred_shape} or check the output layer of the model."
    n_classes = pred_shape[-1] if pred_shape else 1
    looks_sparse = n_classes > 1 and (true_shape == pred_shape[:-1] or true_shape == pred_shape[:-1] + (1,))
    if looks_sparse:
        hint = (f"y_true looks like integer class labels while y_pred has {n_classes} classes: use "
                f"loss='sparse_categorical_crossentropy', or one-hot encode the labels with "
                f"dendrite.utils.to_categorical(y_true, num_classes={n_classes}).")
    elif pred_shape and n_classes == 1 and true_shape[:1] == pred_shape[:1] and true_shape[-1:] != (1,):
        hint = ("y_true has several columns but y_pred has one: if y_true is one-hot, give the last layer "
                f"{true_shape[-1]} units with a softmax and use categorical_crossentropy.")
    return ValueError(f"{name}: expected {expected}. Received: y_true.shape={true_shape}, "
                      f"y_pred.shape={pred_shape}. {hint}")


def _reshape_pred(y_pred, shape):
    logits = y_pred.logits
    out = y_pred.reshape(shape)
    if logits is not None:
        out.logits = ops.reshape(logits, shape)
    return out


def _align(name, y_true, y_pred):
    """Squeeze or expand a trailing axis of 1 as Keras does, then require equal shapes."""
    ts, ps = _squeeze_or_expand(tuple(y_true.shape), tuple(y_pred.shape))
    if ts != ps:
        raise _shape_error(name, y_true.shape, y_pred.shape)
    if ts != tuple(y_true.shape):
        y_true = y_true.reshape(ts)
    if ps != tuple(y_pred.shape):
        y_pred = _reshape_pred(y_pred, ps)
    return y_true, y_pred


def _prepare(name, y_true, y_pred):
    y_pred = _pred(y_pred)
    return _align(name, _true(y_true, y_pred.dtype), y_pred)


def _logits_for(name, y_pred, from_logits, kind):
    """The logits to use, or None for the probability path; warns like tf.keras when
    ``from_logits=True`` is given the output of a softmax/sigmoid."""
    if y_pred.logits is None:
        return y_pred if from_logits else None
    if y_pred.activation != kind:
        return y_pred if from_logits else None
    if from_logits:
        warnings.warn(
            f"{name} received from_logits=True, but y_pred was produced by a {kind} activation and so "
            f"holds probabilities, not logits. Using the logits before the {kind}. Was this intended? "
            f"Remove the activation from the last layer, or pass from_logits=False.", UserWarning, stacklevel=4)
    return y_pred.logits


def _renormalised_log(y_pred, axis):
    """log of y_pred / sum(y_pred), clipped to [eps, 1 - eps] first (Keras's probability path)."""
    p = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    return ops.log(ops.clip(p, EPSILON, 1.0 - EPSILON))


def _l2_normalize(x, axis):
    # x / max(||x||, eps), written with the max inside the sqrt so a zero vector has a finite gradient
    return ops.divide(x, ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), EPSILON ** 2)))


def _hinge_labels(y_true):
    """Keras converts labels in {0, 1} to {-1, 1}; other labels are used as they are."""
    v = array_of(y_true)
    if np.all((v == 0) | (v == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def _sparse_labels(name, y_true, pred_shape, ignore_class=None):
    """Integer class indices of shape ``pred_shape[:-1]``, checked against [0, num_classes)."""
    labels = np.asarray(array_of(y_true))
    pred_shape = tuple(pred_shape)
    if labels.ndim == len(pred_shape) and labels.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.shape != pred_shape[:-1]:
        hint = "Pass one integer class index per sample."
        if labels.shape == pred_shape:
            hint = ("y_true looks one-hot: use categorical_crossentropy, or pass "
                    "np.argmax(y_true, axis=-1) as the labels.")
        raise ValueError(
            f"{name}: expected integer class labels y_true of shape {pred_shape[:-1]} or "
            f"{pred_shape[:-1] + (1,)} for y_pred of shape {pred_shape}. Received: y_true.shape="
            f"{np.shape(array_of(y_true))}. {hint}")
    num_classes = pred_shape[-1]
    if labels.dtype.kind == "f":
        bad = ~np.isfinite(labels) | (labels != np.round(labels))
        if bad.any():
            raise ValueError(
                f"{name}: expected integer class labels in [0, {num_classes}); received non-integer "
                f"values {np.unique(labels[bad])[:10].tolist()}. Pass class indices, not probabilities; "
                f"for one-hot or soft labels use categorical_crossentropy.")
    elif labels.dtype.kind not in "iub":
        raise TypeError(f"{name}: expected integer class labels; received y_true of dtype {labels.dtype}.")
    checked = labels if ignore_class is None else labels[labels != ignore_class]
    if checked.size and (checked.min() < 0 or checked.max() >= num_classes):
        bad = np.unique(checked[(checked < 0) | (checked >= num_classes)])
        shown = bad[:10].astype(np.int64).tolist()
        raise ValueError(
            f"{name}: labels must lie in [0, {num_classes}) because y_pred has {num_classes} classes "
            f"(last axis of shape {pred_shape}). Received out-of-range labels {shown}"
            f"{' (and more)' if bad.size > 10 else ''}. Give the last layer as many units as there are "
            f"classes (max label + 1), or remap the labels to 0..{num_classes - 1}.")
    return labels.astype(np.intp, copy=False)


# ------------------------------------------------------------------ functions
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_absolute_percentage_error", y_true, y_pred)
    diff = ops.divide(ops.subtract(y_true, y_pred), ops.maximum(ops.abs(y_true), EPSILON))
    return ops.multiply(ops.mean(ops.abs(diff), axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _prepare("mean_squared_logarithmic_error", y_true, y_pred)
    first = ops.log(ops.add(ops.maximum(y_pred, EPSILON), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, EPSILON), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _prepare("huber", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return ops.mean(ops.where(abs_error.value <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) as x + softplus(-2x) - log(2): no overflow for large x."""
    y_true, y_pred = _prepare("log_cosh", y_true, y_pred)
    x = ops.subtract(y_pred, y_true)
    return ops.mean(ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), math.log(2.0)), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    name = "binary_crossentropy"
    y_true, y_pred = _prepare(name, y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = _logits_for(name, y_pred, from_logits, "sigmoid")
    if logits is not None:
        ce = ops.sigmoid_cross_entropy(logits, y_true)
    else:
        p = ops.clip(y_pred, EPSILON, 1.0 - EPSILON)
        ce = ops.negative(ops.add(ops.multiply(y_true, ops.log(p)),
                                  ops.multiply(ops.subtract(1.0, y_true), ops.log(ops.subtract(1.0, p)))))
    return ops.mean(ce, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    name = "categorical_crossentropy"
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"{name}: axis must be an int. Received: axis={axis!r}.")
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred.dtype)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise _shape_error(name, y_true.shape, y_pred.shape,
                           expected=f"one-hot (or probability) y_true with the same shape as y_pred "
                                    f"{tuple(y_pred.shape)}")
    if y_pred.ndim and y_pred.shape[-1] == 1:
        warnings.warn(
            f"{name}: expected y_pred of shape (batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={tuple(y_pred.shape)}. With one output unit the loss is always 0; use "
            f"binary_crossentropy with a sigmoid output for two classes.", UserWarning, stacklevel=2)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    last = axis in (-1, y_pred.ndim - 1)
    logits = _logits_for(name, y_pred, from_logits, "softmax")
    if logits is not None and last:
        return ops.softmax_cross_entropy(logits, y_true)
    log_p = ops.log_softmax(logits, axis=axis) if logits is not None else _renormalised_log(y_pred, axis)
    return ops.negative(ops.sum(ops.multiply(y_true, log_p), axis=axis))


def _sparse_ce(y_true, y_pred, from_logits, ignore_class, axis):
    name = "sparse_categorical_crossentropy"
    y_pred = _pred(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(f"{name}: only the last axis holds the classes here. Received: axis={axis!r}; "
                         f"move the class axis last (ops.transpose) and use axis=-1.")
    labels = _sparse_labels(name, y_true, y_pred.shape, ignore_class)
    mask = None
    if ignore_class is not None:
        mask = labels != ignore_class
        labels = np.where(mask, labels, 0)
    logits = _logits_for(name, y_pred, from_logits, "softmax")
    if logits is not None:
        out = ops.sparse_softmax_cross_entropy(logits, labels)
    else:
        one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels]
        out = ops.negative(ops.sum(ops.multiply(one_hot, _renormalised_log(y_pred, -1)), axis=-1))
    if mask is not None:
        out = ops.where(mask, out, np.zeros((), out.dtype))
    return out, mask


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy with integer labels of shape (N,) or (N, 1) (ints, or floats holding integers)."""
    return _sparse_ce(y_true, y_pred, from_logits, ignore_class, axis)[0]


def hinge(y_true, y_pred):
    y_true, y_pred = _prepare("hinge", y_true, y_pred)
    margin = ops.subtract(1.0, ops.multiply(_hinge_labels(y_true), y_pred))
    return ops.mean(ops.maximum(margin, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _prepare("squared_hinge", y_true, y_pred)
    margin = ops.subtract(1.0, ops.multiply(_hinge_labels(y_true), y_pred))
    return ops.mean(ops.square(ops.maximum(margin, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _prepare("categorical_hinge", y_true, y_pred)
    pos = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), 0.0)


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _prepare("kl_divergence", y_true, y_pred)
    t = ops.clip(y_true, EPSILON, 1.0)
    p = ops.clip(y_pred, EPSILON, 1.0)
    return ops.sum(ops.multiply(t, ops.log(ops.divide(t, p))), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _prepare("poisson", y_true, y_pred)
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, ops.log(ops.add(y_pred, EPSILON)))), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine similarity along ``axis`` (-1 for identical directions, 0 for a zero vector)."""
    y_true, y_pred = _prepare("cosine_similarity", y_true, y_pred)
    prod = ops.multiply(_l2_normalize(y_true, axis), _l2_normalize(y_pred, axis))
    return ops.negative(ops.sum(prod, axis=axis))


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy


# -------------------------------------------------------------------- classes
def _standardize_reduction(reduction, name):
    if reduction == "auto":
        return "sum_over_batch_size"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Loss '{name}': reduction must be one of {list(_REDUCTIONS)}. "
                         f"Received: reduction={reduction!r}.")
    return reduction


def _broadcast_weight(name, weight, shape):
    """Per-sample weights broadcast over the trailing axes of the per-sample losses."""
    original = weight.shape
    while weight.ndim > len(shape) and weight.shape[-1] == 1:
        weight = weight.reshape(weight.shape[:-1])
    if weight.ndim < len(shape):
        weight = weight.reshape(weight.shape + (1,) * (len(shape) - weight.ndim))
    try:
        ok = np.broadcast_shapes(weight.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"Loss '{name}': sample_weight of shape {original} does not match the per-sample "
                         f"losses of shape {tuple(shape)}. Pass one weight per sample, shape {tuple(shape[:1])}.")
    return weight


def _reduce(name, values, sample_weight, mask, reduction):
    """Keras 3's reduce_weighted_values: weight (and mask), then sum or average."""
    if sample_weight is not None or mask is not None:
        dtype = values.dtype
        weight = None
        if sample_weight is not None:
            weight = np.asarray(array_of(sample_weight), dtype=dtype)
            if values.ndim:
                weight = _broadcast_weight(name, weight, values.shape)
        if mask is not None:
            m = mask.astype(dtype)
            if reduction in ("mean", "sum_over_batch_size"):
                valid = m.sum()
                m *= m.size / valid if valid else 0.0
            weight = m if weight is None else weight * m
        values = ops.multiply(values, weight)
        if reduction == "mean_with_sample_weight" and values.ndim and values.size:
            total = float(np.broadcast_to(weight, values.shape).sum())
            return ops.divide(ops.sum(values), total) if total else ops.multiply(ops.sum(values), 0.0)
    if reduction in (None, "none") or values.ndim == 0 or values.shape == (0,):
        return values
    return ops.sum(values) if reduction == "sum" else ops.mean(values)


class Loss:
    """Base class: subclasses implement ``call(y_true, y_pred)`` returning per-sample losses.

    ``__call__(y_true, y_pred, sample_weight=None)`` applies ``reduction``:
    'sum_over_batch_size' (default; 'mean' is the same), 'sum', 'none'/None, or
    'mean_with_sample_weight' (weighted sum divided by the sum of the weights).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = _standardize_reduction(reduction, self.name)
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = _pred(y_pred, None if isinstance(y_pred, Tensor) else (self.dtype or backend.floatx()))
        values, mask = self._values(y_true, y_pred)
        return _reduce(self.name, values, sample_weight, mask, self.reduction)

    def _values(self, y_true, y_pred):
        out = self.call(y_true, y_pred)
        return (out if isinstance(out, Tensor) else Tensor(np.asarray(out))), None

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"Loss '{self.name}': a Loss subclass must implement "
                                  f"call(y_true, y_pred) returning the per-sample losses.")

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        if self.dtype is not None:
            config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name='{self.name}' reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A Loss around a loss function; keyword arguments are passed to it and kept as attributes."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if isinstance(fn, str):
            fn = get(fn)
        if not callable(fn):
            raise ValueError(f"LossFunctionWrapper: fn must be a loss function or name. Received: fn={fn!r}.")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = tuple(kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **{k: getattr(self, k) for k in self._fn_kwargs})

    def get_config(self):
        config = super().get_config()
        config.update({k: getattr(self, k) for k in self._fn_kwargs})
        if type(self) is LossFunctionWrapper:
            config["fn"] = getattr(self.fn, "__name__", repr(self.fn))
        return config


_SOBS = "sum_over_batch_size"


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction=_SOBS, name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SOBS,
                 name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SOBS,
                 name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """With ``ignore_class``, those labels get zero loss and, under 'sum_over_batch_size',
    the average is over the other samples only (Keras's mask)."""

    def __init__(self, from_logits=False, ignore_class=None, reduction=_SOBS,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class)

    def _values(self, y_true, y_pred):
        return _sparse_ce(y_true, y_pred, self.from_logits, self.ignore_class, -1)


class Hinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    def __init__(self, axis=-1, reduction=_SOBS, name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


# ------------------------------------------------------------------- registry
_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": MSE,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": MAE,
    "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mape, "MAPE": MAPE,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle, "MSLE": MSLE,
    "huber": huber, "log_cosh": log_cosh, "logcosh": logcosh,
    "binary_crossentropy": binary_crossentropy, "bce": bce, "BCE": BCE,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "kl_divergence": kl_divergence, "kld": kld, "KLD": KLD, "kullback_leibler_divergence": kl_divergence,
    "poisson": poisson, "cosine_similarity": cosine_similarity,
}
_CLASSES = {cls.__name__: cls for cls in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, Huber, LogCosh, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
    CosineSimilarity)}


def _unknown(identifier, names):
    close = difflib.get_close_matches(str(identifier), names, n=3)
    suggestion = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    classes = sorted(set(_CLASSES) - {"Loss", "LossFunctionWrapper"})
    return ValueError(f"Unknown loss: expected one of the loss names {sorted(_FUNCTIONS)}, a class name in "
                      f"{classes}, a config dict, a callable or a Loss instance. Received: {identifier!r}."
                      f"{suggestion}")


def _lookup(name):
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    if name in _CLASSES:
        return _CLASSES[name]
    lowered = {k.lower(): k for k in list(_FUNCTIONS) + list(_CLASSES)}
    key = lowered.get(name.lower())
    if key is None:
        raise _unknown(name, list(_FUNCTIONS) + list(_CLASSES))
    return _lookup(key)


def get(identifier):
    """A loss from a name or alias (a function, as in Keras), a class name (an instance),
    a ``{'class_name', 'config'}`` dict, a callable, or a Loss instance."""
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        obj = _lookup(identifier)
    elif isinstance(identifier, dict):
        class_name, config = identifier.get("class_name"), identifier.get("config", {})
        if class_name == "function" and isinstance(config, str):
            return _lookup(config)
        if class_name not in _CLASSES or class_name == "Loss":
            raise _unknown(identifier, list(_CLASSES))
        return _CLASSES[class_name].from_config(dict(config))
    elif callable(identifier):
        obj = identifier
    else:
        raise _unknown(identifier, list(_FUNCTIONS) + list(_CLASSES))
    if isinstance(obj, type) and issubclass(obj, Loss):
        if obj in (Loss, LossFunctionWrapper):
            raise ValueError(f"losses.get: {obj.__name__} is a base class and cannot be used as a loss by "
                             f"itself. Received: {identifier!r}. Use a concrete loss such as 'mse'.")
        return obj()
    return obj


def serialize(loss):
    """A loss as a config dict (classes) or its name (functions)."""
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "__name__", loss)


def deserialize(config):
    return get(config)


__all__ = [
    "Loss", "LossFunctionWrapper", "Reduction", "MeanSquaredError", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "Huber", "LogCosh", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "Hinge", "SquaredHinge", "CategoricalHinge",
    "KLDivergence", "Poisson", "CosineSimilarity",
    "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE", "mean_absolute_percentage_error",
    "mape", "MAPE", "mean_squared_logarithmic_error", "msle", "MSLE", "huber", "log_cosh", "logcosh",
    "binary_crossentropy", "bce", "BCE", "categorical_crossentropy", "sparse_categorical_crossentropy", "hinge",
    "squared_hinge", "categorical_hinge", "kl_divergence", "kld", "KLD", "kullback_leibler_divergence",
    "poisson", "cosine_similarity", "get", "serialize", "deserialize",
]
