"""Learning-rate callbacks: `LearningRateScheduler` and `ReduceLROnPlateau`.

Both read and write `model.optimizer.learning_rate` (a settable float) and
add the current rate to the epoch logs as 'learning_rate', so `History`
records it.
"""

import inspect
import warnings

import numpy as np

from dendrite.callbacks.base import (
    Callback,
    _check_mode,
    _check_non_negative_int,
    _AutoDirection,
    _check_number,
    _higher_is_better,
    _print_msg,
)
from dendrite.utils.validation import number


def _current_lr(owner, model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{owner}: the model's optimizer has no `learning_rate`. "
            "Compile the model with an optimizer before calling fit."
        )
    return float(optimizer.learning_rate)


def _schedule_arity(schedule):
    """2 when `schedule(epoch, lr)` binds, 1 when only `schedule(epoch)` does,
    None when the signature cannot be read (then calls decide)."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):
        return None
    for arity in (2, 1):
        try:
            signature.bind(*range(arity))
        except TypeError:
            continue
        return arity
    raise TypeError(
        "LearningRateScheduler: `schedule` must accept (epoch, lr) or (epoch). "
        f"Received: schedule{signature} ({schedule!r})"
    )


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of every epoch to
    `schedule(epoch, lr)` (epoch 0-based, lr the current rate), or to
    `schedule(epoch)` for a one-argument schedule.

    verbose=1 prints, as tf.keras does,
    "\\nEpoch 00001: LearningRateScheduler setting learning rate to 0.01."
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(
                "LearningRateScheduler: `schedule` must be a function "
                "schedule(epoch, lr) -> float or schedule(epoch) -> float. "
                f"Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = _check_non_negative_int("LearningRateScheduler", "verbose", verbose)
        self._arity = _schedule_arity(schedule)

    def _call_schedule(self, epoch, lr):
        if self._arity == 2:
            return self.schedule(epoch, lr)
        if self._arity == 1:
            return self.schedule(epoch)
        try:  # a builtin or C callable whose signature is unknown
            return self.schedule(epoch, lr)
        except TypeError:
            return self.schedule(epoch)

    def on_epoch_begin(self, epoch, logs=None):
        lr = _current_lr("LearningRateScheduler", self.model)
        new_lr = self._call_schedule(epoch, lr)
        self.model.optimizer.learning_rate = number(
            "LearningRateScheduler", "schedule", new_lr, low=0,
            label=f"the learning rate that `schedule` returned for epoch {epoch} (0-based)",
            hint="Check the schedule function: it must return the epoch's learning rate as a float >= 0.")
        if self.verbose > 0:
            _print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new_lr}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _current_lr("LearningRateScheduler", self.model)


class ReduceLROnPlateau(_AutoDirection, Callback):
    """Multiply the learning rate by `factor` when `monitor` has not improved
    by more than `min_delta` for `patience` epochs, never going below
    `min_lr`; then wait `cooldown` epochs before counting again.

    mode 'auto' follows the compiled metric's direction (as Keras 3), else
    maximises names containing 'acc' or 'auc' and minimises the rest.
    verbose=1 prints
    "\\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.0001."
    The legacy `epsilon=` is accepted for `min_delta`.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0,
                 mode="auto", min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__()
        owner = "ReduceLROnPlateau"
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(
                f"{owner}: unexpected keyword argument(s) {sorted(kwargs)}. "
                "Valid arguments: monitor, factor, patience, verbose, mode, "
                "min_delta (legacy: epsilon), cooldown, min_lr."
            )
        factor = number(owner, "factor", factor, low=0, high=1, high_open=True,
                        hint="The new rate is lr * factor.")
        _check_mode(owner, mode)
        self.monitor = monitor
        self.factor = factor
        self.patience = _check_non_negative_int(owner, "patience", patience)
        self.verbose = _check_non_negative_int(owner, "verbose", verbose)
        self.cooldown = _check_non_negative_int(owner, "cooldown", cooldown)
        self.mode = mode
        self.min_delta = abs(_check_number(owner, "min_delta", min_delta))
        self.min_lr = number(owner, "min_lr", min_lr, low=0)
        self._higher_is_better = _higher_is_better(mode, monitor)
        self._reset()

    def _apply_direction(self, higher):  # settled before any comparison, so best starts over
        self._higher_is_better = higher
        self.best = -np.inf if higher else np.inf

    def _reset(self):
        self.best = -np.inf if self._higher_is_better else np.inf
        self.wait = 0
        self.cooldown_counter = 0

    def _is_improvement(self, current):
        if self._higher_is_better:
            return current > self.best + self.min_delta
        return current < self.best - self.min_delta

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()
        self._start_direction()

    def on_epoch_end(self, epoch, logs=None):
        self._settle_direction()
        logs = logs if logs is not None else {}
        lr = _current_lr("ReduceLROnPlateau", self.model)
        logs["learning_rate"] = lr
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                f"which is not available. Available metrics are: {','.join(logs)}",
                stacklevel=2,
            )
            return
        current = float(current)
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            # Compare in float32, as the rate lives in a float32 variable.
            if self.wait >= self.patience and lr > np.float32(self.min_lr):
                new_lr = max(lr * self.factor, self.min_lr)
                self.model.optimizer.learning_rate = new_lr
                if self.verbose > 0:
                    _print_msg(
                        f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}."
                    )
                self.cooldown_counter = self.cooldown
                self.wait = 0
