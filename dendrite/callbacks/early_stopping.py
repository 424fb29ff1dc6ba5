"""`EarlyStopping`: stop `fit` when a monitored metric stops improving."""

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


def _copy_weights(weights):
    # Optimizers update in place, so keep copies, never the live arrays.
    return [np.array(w, copy=True) for w in weights]


class EarlyStopping(_AutoDirection, Callback):
    """Stop training when `monitor` has not improved for `patience` epochs.

    Args:
        monitor: the logs key to watch, e.g. 'val_loss' or 'val_accuracy'.
        min_delta: the smallest change that counts as an improvement. It is
            stored signed, as Keras does: negative in 'min' mode.
        patience: epochs without improvement before stopping.
        verbose: 1 prints when stopping and when restoring weights.
        mode: 'min', 'max', or 'auto' (the direction of the compiled metric
            of that name, as Keras 3; else max when the name contains 'acc'
            or 'auc', min otherwise).
        baseline: patience restarts only on an epoch that improves on the
            best value and also beats this baseline. An epoch that improves
            without beating it still counts towards `patience`, but training
            never stops at the end of an improving epoch (Keras 3 rules).
        restore_best_weights: at the end of training, set the weights of the
            epoch with the best monitored value (when at least one epoch was
            monitored).
        start_from_epoch: epochs of warm-up before monitoring begins.

    After training, `stopped_epoch` is the 0-based epoch at which training
    was stopped (0 when it was not), `best` the best value, `best_epoch` its
    epoch and `wait` the epochs since the last improvement.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0,
                 mode="auto", baseline=None, restore_best_weights=False,
                 start_from_epoch=0):
        super().__init__()
        owner = "EarlyStopping"
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(
                f"{owner}: `monitor` must be the name of a logged metric, such as "
                f"'val_loss' or 'val_accuracy'. Received: monitor={monitor!r}"
            )
        _check_mode(owner, mode)
        self.monitor = monitor
        self.mode = mode
        self.patience = _check_non_negative_int(owner, "patience", patience)
        self.verbose = _check_non_negative_int(owner, "verbose", verbose)
        self.start_from_epoch = _check_non_negative_int(
            owner, "start_from_epoch", start_from_epoch)
        self.baseline = None if baseline is None else _check_number(owner, "baseline", baseline)
        self.restore_best_weights = bool(restore_best_weights)
        self.min_delta = abs(_check_number(owner, "min_delta", min_delta))
        self._apply_direction(_higher_is_better(mode, monitor))
        self._reset()

    def _apply_direction(self, higher):
        """Which way is better, with min_delta's sign and monitor_op to match."""
        self._higher_is_better = higher
        self.min_delta = abs(self.min_delta) if higher else -abs(self.min_delta)
        self.monitor_op = np.greater if higher else np.less

    def _reset(self):
        self.wait = 0
        self.stopped_epoch = 0
        # None until the first monitored epoch, which always counts as an
        # improvement (as in Keras 3; even a NaN then becomes `best`).
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))

    def on_train_begin(self, logs=None):
        self._reset()
        self._start_direction()

    def on_epoch_end(self, epoch, logs=None):
        self._settle_direction()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the first monitored epoch is the best.
            self.best_weights = _copy_weights(self.model.get_weights())
            self.best_epoch = epoch

        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = _copy_weights(self.model.get_weights())
            # Patience restarts only when the baseline is beaten too; an
            # improvement that misses the baseline still counts towards it.
            # Either way an improving epoch never stops training.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return

        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            _print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                _print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(logs)}",
                stacklevel=2,
            )
            return None
        return float(value)

    def get_config(self):
        return {
            "monitor": self.monitor,
            "min_delta": abs(self.min_delta),
            "patience": self.patience,
            "verbose": self.verbose,
            "mode": self.mode,
            "baseline": self.baseline,
            "restore_best_weights": self.restore_best_weights,
            "start_from_epoch": self.start_from_epoch,
        }
