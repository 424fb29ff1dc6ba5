"""`CallbackList`: what the training loop talks to, calling a list of callbacks hook by hook.

It sits apart from `base` because it builds a `History` and a `ProgbarLogger`, which themselves
subclass `Callback` from `base`."""

from dendrite.callbacks.base import Callback, _pythonify_logs
from dendrite.callbacks.history import History
from dendrite.callbacks.progbar import ProgbarLogger


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
