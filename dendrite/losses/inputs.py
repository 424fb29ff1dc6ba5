"""How the loss functions take their arguments in: y_pred as a Tensor, y_true in its dtype, Keras's squeeze or
expand of a trailing axis of 1, the shape and label checks with their hints, and the choice between the logits
path and the clipped-probability path of the cross-entropies."""
import warnings

import numpy as np

from .. import backend
from ..autodiff import Tensor, array_of, ops
from ..utils.validation import is_int

EPSILON = backend.epsilon()


def _pred(y_pred, dtype=None):
    """y_pred as a Tensor; arrays and lists become float (``dtype``, else floatx when not float). Python
    numbers and lists of them are floatx, as TensorFlow converts them; a NumPy float64 array stays float64."""
    if isinstance(y_pred, Tensor):
        return y_pred
    _refuse_symbolic(y_pred)
    arr = np.asarray(y_pred)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f" or not isinstance(y_pred, (np.ndarray, np.generic)):
        arr = arr.astype(backend.floatx())
    return Tensor(arr)


def _refuse_symbolic(value):
    from ..layers.node import KerasTensor
    if isinstance(value, KerasTensor):
        raise TypeError(
            f"A loss received a symbolic tensor ({value!r}, from keras.Input or a layer's output) where it needs "
            "values. The public loss functions and Loss objects accept symbolic tensors and give one (a graph op, "
            "as for `model.add_loss(keras.losses.mse(inputs, outputs))`); call one of those, or call the loss "
            "on the model's outputs inside a training step.")


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


# Compatibility mode (dendrite run, compat.install) sets this: a program written for Keras may rely on what
# Keras lets through and dendrite refuses: y_true broadcast against y_pred (labels of shape (batch, 1) for a
# per-step output (batch, steps, 1)), and binary cross-entropy of targets outside [0, 1] (pixels not rescaled).
# Such programs run, with a warning, where dendrite's own API raises.
KERAS_LENIENT = False
_warned = set()


def _broadcast_true(name, y_true, ts, ps):
    """y_true (of shape ``ts``) broadcast to y_pred's ``ps`` as Keras would, with a warning once per loss and
    shapes; a shape that does not broadcast to ``ps`` is refused."""
    try:
        if tuple(np.broadcast_shapes(ts, ps)) != ps:
            return None
    except ValueError:
        return None
    if (name, ts, ps) not in _warned:
        _warned.add((name, ts, ps))
        warnings.warn(f"{name}: y_true of shape {ts} is broadcast to y_pred's shape {ps}, as Keras does; this "
                      "usually means the model's output has more axes than the labels (check its last layers).",
                      stacklevel=4)
    y_true = y_true.reshape(ts)
    return ops.broadcast_to(y_true, ps) if isinstance(y_true, Tensor) else np.broadcast_to(y_true, ps)


def _align(name, y_true, y_pred):
    """Squeeze or expand a trailing axis of 1 as Keras does, then require equal shapes (in compatibility mode,
    y_true may broadcast to y_pred's shape, with a warning, as Keras lets it)."""
    ts, ps = _squeeze_or_expand(tuple(y_true.shape), tuple(y_pred.shape))
    broadcast = None
    if ts != ps:
        broadcast = _broadcast_true(name, y_true, ts, ps) if KERAS_LENIENT else None
        if broadcast is None:
            raise _shape_error(name, y_true.shape, y_pred.shape)
    if ps != tuple(y_pred.shape):
        y_pred = _reshape_pred(y_pred, ps)
    if broadcast is not None:
        return broadcast, y_pred
    if ts != tuple(y_true.shape):
        y_true = y_true.reshape(ts)
    return y_true, y_pred


def _prepare(name, y_true, y_pred):
    y_pred = _pred(y_pred)
    return _align(name, _true(y_true, y_pred.dtype), y_pred)


def _categorical_inputs(name, y_true, y_pred, axis, binary_name):
    """y_true and y_pred of a categorical loss: an int ``axis``, one-hot (or probability) y_true of y_pred's shape,
    and a warning when y_pred has one class (``binary_name`` is the loss to use instead)."""
    if not is_int(axis):
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
            f"{binary_name} with a sigmoid output for two classes.", UserWarning, stacklevel=3)
    return y_true, y_pred


def _logits_for(name, y_pred, from_logits):
    """The logits to use, or None for the probability path. As TensorFlow does (Keras 3 and tf.keras 2.21 alike),
    the logits before any softmax or sigmoid output are used, whichever of the two the loss expects:
    sparse_categorical_crossentropy of a sigmoid output is the softmax cross-entropy of its logits, and
    binary_crossentropy of a softmax output the sigmoid cross-entropy of its logits. Warns as TensorFlow does
    when ``from_logits=True`` is given such an output."""
    if y_pred.logits is None or y_pred.activation not in ("softmax", "sigmoid"):
        return y_pred if from_logits else None
    if from_logits:
        warnings.warn(
            f"{name} received from_logits=True, but y_pred was produced by a {y_pred.activation} activation and "
            f"so holds probabilities, not logits. Using the logits before the {y_pred.activation}. Was this "
            f"intended? Remove the activation from the last layer, or pass from_logits=False.",
            UserWarning, stacklevel=4)
    return y_pred.logits


def _renormalised_log(y_pred, axis):
    """log of y_pred / sum(y_pred), clipped to [eps, 1 - eps] first (Keras's probability path)."""
    p = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    return ops.log(ops.clip(p, EPSILON, 1.0 - EPSILON))


def _hinge_labels(y_true):
    """Keras converts labels in {0, 1} to {-1, 1}; other labels are used as they are."""
    v = array_of(y_true)
    if np.all((v == 0) | (v == 1)):
        return 2.0 * y_true - 1.0
    return y_true


_NOISE = 0.1  # noisy labels (a GAN's ``labels + 0.05 * uniform``), which Keras accepts, pass the check


def _check_binary_targets(name, y_true):
    """Binary cross-entropy compares probabilities: targets outside [0, 1] (class indices, say) give a loss that
    falls below zero instead of a model that learns. One min and one max over the targets per call; targets up
    to ``_NOISE`` outside [0, 1] pass (label noise)."""
    v = array_of(y_true)
    if v.size == 0:
        return
    lo, hi = v.min(), v.max()
    if not (lo < -_NOISE or hi > 1 + _NOISE):  # NaN passes here: fit refuses it earlier with its own message
        return
    if lo >= 0 and np.all(v == np.round(v)):
        n = int(hi) + 1
        hint = (f"They look like class indices: for {n} classes use loss='sparse_categorical_crossentropy' with a "
                f"softmax output of {n} units (Dense({n}, activation='softmax')).")
    elif lo >= -1 and hi <= 1:
        hint = "Labels in {-1, 1} map to {0, 1} with (y_true + 1) / 2."
    else:
        hint = ("Scale the targets to [0, 1]; for class indices use loss='sparse_categorical_crossentropy' with a "
                "softmax output.")
    message = (f"{name}: expected targets y_true in [0, 1] (0/1 labels or probabilities). Received: values "
               f"from {lo:g} to {hi:g}. {hint}")
    if not KERAS_LENIENT:
        raise ValueError(message)
    if (name, "targets") not in _warned:  # compatibility mode: computed as Keras does, with a warning once
        _warned.add((name, "targets"))
        warnings.warn(message + " Keras computes the loss anyway; so does compatibility mode.", stacklevel=4)


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
