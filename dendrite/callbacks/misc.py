"""Small callbacks: `TerminateOnNaN` and `LambdaCallback`."""

import math
import numbers

import numpy as np

from dendrite.callbacks.base import Callback, _print_msg

_HOOKS = tuple(
    [f"on_{stage}_{when}" for stage in ("train", "test", "predict", "epoch")
     for when in ("begin", "end")]
    + [f"on_{stage}_batch_{when}" for stage in ("train", "test", "predict")
       for when in ("begin", "end")]
    + ["on_batch_begin", "on_batch_end"]
)


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite, printing
    "Batch 12: Invalid loss, terminating training"."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if isinstance(loss, np.ndarray):
            invalid = not np.all(np.isfinite(loss))
        elif isinstance(loss, numbers.Real):
            invalid = not math.isfinite(loss)
        else:
            return
        if invalid:
            _print_msg("Batch %d: Invalid loss, terminating training" % batch)
            self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback built from plain functions, called with the same
    arguments as the hooks they replace:

    - on_epoch_begin / on_epoch_end: (epoch, logs)
    - on_batch_begin / on_batch_end (training batches): (batch, logs)
    - on_train_begin / on_train_end: (logs)

    Any other hook name (on_train_batch_end, on_test_begin, ...) can be
    passed as a keyword argument too.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        unknown = sorted(set(kwargs) - set(_HOOKS))
        if unknown:
            raise TypeError(
                f"LambdaCallback: unexpected keyword argument(s) {unknown}. "
                f"Valid hook names: {', '.join(_HOOKS)}."
            )
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_batch_begin=on_batch_begin, on_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(
                    f"LambdaCallback: `{name}` must be a function. "
                    f"Received: {name}={fn!r}"
                )
            setattr(self, name, fn)
