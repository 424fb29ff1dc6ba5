"""The callback protocol: `Callback`, one object with every Keras hook (the training loop talks to a
list of them through `dendrite.callbacks.callback_list.CallbackList`)."""

import sys
import warnings

import numpy as np

from dendrite.utils.validation import non_negative_int

_MODES = ("auto", "min", "max")


def _print_msg(message, line_break=True):
    """Write to the current `sys.stdout` (looked up now, so redirects and
    pytest's capsys see it) and flush."""
    stream = sys.stdout
    stream.write(message + "\n" if line_break else message)
    stream.flush()


def _pythonify_logs(logs):
    """A fresh dict with NumPy scalars and 0-d arrays turned into Python
    numbers. One dict is shared by every callback of a hook call, so a
    callback that adds a key (learning_rate) is seen by those after it."""
    if not logs:
        return {}
    out = {}
    for key, value in logs.items():
        if isinstance(value, np.generic) or (
            isinstance(value, np.ndarray) and value.ndim == 0
        ):
            value = value.item()
        out[key] = value
    return out


def _check_mode(owner, mode):
    if mode not in _MODES:
        raise ValueError(
            f"{owner}: `mode` must be one of 'auto', 'min' or 'max'. "
            f"Received: mode={mode!r}"
        )


def _higher_is_better(mode, monitor, model=None):
    """Whether larger values of ``monitor`` are better: 'max' / 'min' as given; in 'auto' mode, 'loss' is
    minimised and a compiled metric of the model goes the way its ``_direction`` says (as Keras 3:
    accuracy, precision, recall, AUC up; errors and crossentropies down); otherwise, as tf.keras did,
    a name containing 'acc' or 'auc' is maximised and anything else minimised (with a warning for a
    compiled metric that states no direction, where Keras 3 raises)."""
    if mode != "auto":
        return mode == "max"
    name = monitor[4:] if monitor.startswith("val_") else monitor
    if name == "loss":
        return False
    find = getattr(model, "_logged_metric", None)
    metric = find(name) if find is not None else None
    direction = getattr(metric, "_direction", None)
    if direction is not None:
        return direction == "up"
    higher = "acc" in monitor or "auc" in monitor
    if metric is not None:
        warnings.warn(f"The metric '{name}' does not say whether higher is better; monitoring '{monitor}' in mode "
                      f"'auto' {'maximises' if higher else 'minimises'} it by its name. Pass mode='max' or "
                      "mode='min' to choose.", stacklevel=4)
    return higher


class _AutoDirection:
    """For callbacks with ``monitor`` and ``mode``: in mode 'auto' the direction is settled from the model's
    compiled metric at the first epoch end of each fit (when the metrics exist), as Keras 3 does.
    Subclasses call ``_start_direction()`` in on_train_begin and ``_settle_direction()`` at the top of
    on_epoch_end, and apply a change in ``_apply_direction(higher)``."""

    def _start_direction(self):
        self._direction_known = False

    def _settle_direction(self):
        if not getattr(self, "_direction_known", True):
            self._direction_known = True
            higher = _higher_is_better(self.mode, self.monitor, self.model)
            if higher != self._higher_is_better:
                self._apply_direction(higher)

    def _apply_direction(self, higher):  # pragma: no cover - interface
        raise NotImplementedError


def _check_non_negative_int(owner, name, value):
    if isinstance(value, bool) and name == "verbose":  # Keras code writes verbose=True
        return int(value)
    return non_negative_int(owner, name, value)


def _check_number(owner, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(
            f"{owner}: `{name}` must be a number. Received: {name}={value!r}"
        )
    return float(value)


class Callback:
    """Base class for callbacks: override the hooks you need.

    `params` (a dict with 'verbose', 'epochs', 'steps') and `model` are set
    by the training loop before `on_train_begin`. `on_train_batch_begin` and
    `on_train_batch_end` call the legacy `on_batch_begin` / `on_batch_end`,
    as in Keras, so overriding either spelling works.
    """

    # Class-level defaults, so a subclass that forgets super().__init__()
    # still has them.
    params = None
    model = None

    def __init__(self):
        self.params = None
        self.model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    # Legacy aliases of the train-batch hooks.
    def on_batch_begin(self, batch, logs=None):
        """Called by `on_train_batch_begin` (the pre-TF2 name)."""

    def on_batch_end(self, batch, logs=None):
        """Called by `on_train_batch_end` (the pre-TF2 name)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (training only)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch; `logs` holds the epoch's metrics,
        validation ones prefixed with 'val_'."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch of `evaluate` (and of validation in fit)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch of `evaluate`; `logs` holds running averages."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch of `predict`."""

    def on_train_begin(self, logs=None):
        """Called once at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called once at the end of `fit`, with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of validation in fit)."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate`, with its final logs."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""
