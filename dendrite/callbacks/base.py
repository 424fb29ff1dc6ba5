"""The callback protocol: `Callback` (one object, every Keras hook) and
`CallbackList` (what the training loop talks to)."""

import sys
import warnings

import numpy as np

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
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(
            f"{owner}: `{name}` must be a non-negative integer. "
            f"Received: {name}={value!r}"
        )
    return int(value)


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


def _flatten_callbacks(callbacks):
    if callbacks is None:
        return []
    if isinstance(callbacks, CallbackList):
        return list(callbacks.callbacks)
    if isinstance(callbacks, Callback):
        return [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            "`callbacks` must be a list of Callback instances. "
            f"Received: callbacks={callbacks!r} of type {type(callbacks).__name__}"
        )
    flat = []
    for item in callbacks:
        if isinstance(item, (list, tuple)):
            flat.extend(_flatten_callbacks(item))
        elif isinstance(item, Callback):
            flat.append(item)
        elif item is not None:
            hint = (
                "; pass an instance, e.g. EarlyStopping() rather than EarlyStopping"
                if isinstance(item, type) and issubclass(item, Callback)
                else "; subclass dendrite.callbacks.Callback"
            )
            raise TypeError(
                "Every entry of `callbacks` must be a Callback instance. "
                f"Received: {item!r} of type {type(item).__name__}{hint}."
            )
    return flat


class CallbackList:
    """Calls a list of callbacks in order, hook by hook.

    `add_progbar=True` inserts a `ProgbarLogger` first (so its epoch line is
    printed before other callbacks' messages) and `add_history=True` appends
    a `History` last (so it records keys other callbacks add, such as
    'learning_rate'), unless the user already passed one. Extra keyword
    arguments become `params` ({'verbose', 'epochs', 'steps'}).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False,
                 model=None, **params):
        from dendrite.callbacks.history import History
        from dendrite.callbacks.progbar import ProgbarLogger

        self.callbacks = _flatten_callbacks(callbacks)
        self._history = next(
            (cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next(
            (cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.insert(0, self._progbar)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        self.model = None
        self.params = {}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    @property
    def history(self):
        """The History callback in the list (None without one)."""
        return self._history

    @property
    def progbar(self):
        """The ProgbarLogger in the list (None without one)."""
        return self._progbar

    def append(self, callback):
        self.callbacks.extend(_flatten_callbacks([callback]))

    def set_params(self, params):
        self.params = dict(params)
        for cb in self.callbacks:
            cb.set_params(self.params)

    def set_model(self, model):
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self):
        return len(self.callbacks)

    def _call(self, hook, *args, logs=None):
        logs = _pythonify_logs(logs)
        for cb in self.callbacks:
            # Positional, as Keras calls them: user functions may name the
            # logs argument anything.
            getattr(cb, hook)(*args, logs)

    # fit
    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    # Keras's CallbackList keeps the legacy names as aliases too.
    on_batch_begin = on_train_batch_begin
    on_batch_end = on_train_batch_end

    # evaluate
    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    # predict
    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs=logs)
