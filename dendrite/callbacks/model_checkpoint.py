"""`ModelCheckpoint`: save the model or its weights during `fit`, as Keras does.

The file name may hold ``{epoch}`` (1-based, as Keras counts in names), ``{batch}`` and any logs key with a
format spec (``'ckpt/singlenn_{epoch:02d}-{val_acc:.2f}.h5'``). Every save writes a temporary file in the
target's folder and renames it into place, so a run killed mid-save leaves the previous file whole.
"""
import os
import warnings

import numpy as np

from dendrite.callbacks.base import (
    Callback,
    _AutoDirection,
    _check_mode,
    _check_non_negative_int,
    _check_number,
    _higher_is_better,
    _print_msg,
)


class ModelCheckpoint(_AutoDirection, Callback):
    """Save the model (``save_weights_only=False``: ``model.save``) or its weights (``model.save_weights``, in
    the format the file name says) at the end of every epoch, or every ``save_freq`` batches.

    Args:
        filepath: where to save; may hold {epoch}, {batch} and logs keys, e.g. '{epoch:02d}-{val_loss:.2f}'.
        monitor, mode: what ``save_best_only`` compares ('val_loss' by default; mode 'auto' takes the compiled
            metric's direction, else max for names with 'acc' or 'auc').
        verbose: 1 prints a line per save (and per skipped save with save_best_only).
        save_best_only: save only when ``monitor`` improved on the best so far (and on
            ``initial_value_threshold`` when given).
        save_weights_only: save the weights only.
        save_freq: 'epoch', or an integer: save every that many batches.
        period: Keras 2's spelling: save every ``period`` epochs (deprecated there too).
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None, period=None, options=None,
                 **kwargs):
        super().__init__()
        owner = "ModelCheckpoint"
        if kwargs:
            raise TypeError(f"{owner}: unrecognized keyword argument(s) {sorted(kwargs)}.")
        if not isinstance(filepath, (str, os.PathLike)) or not os.fspath(filepath):
            raise ValueError(f"{owner}: `filepath` must be a file path (it may hold {{epoch}} and logs keys). "
                             f"Received: filepath={filepath!r}")
        _check_mode(owner, mode)
        self.filepath = os.fspath(filepath)
        self.monitor, self.mode = monitor, mode
        self.verbose = _check_non_negative_int(owner, "verbose", verbose)
        self.save_best_only, self.save_weights_only = bool(save_best_only), bool(save_weights_only)
        if save_freq != "epoch":
            save_freq = _check_non_negative_int(owner, "save_freq", save_freq)
            if save_freq == 0:
                raise ValueError(f"{owner}: `save_freq` must be 'epoch' or a positive integer (batches). "
                                 "Received: save_freq=0")
        self.save_freq = save_freq
        self.period = 1 if period is None else _check_non_negative_int(owner, "period", period) or 1
        if period is not None:
            warnings.warn("ModelCheckpoint: `period` is deprecated (as in Keras); use save_freq, which counts "
                          "batches, or keep period, which saves every `period` epochs.", DeprecationWarning,
                          stacklevel=2)
        self.initial_value_threshold = (None if initial_value_threshold is None
                                        else _check_number(owner, "initial_value_threshold",
                                                           initial_value_threshold))
        self._apply_direction(_higher_is_better(mode, monitor))
        self.best = self.initial_value_threshold
        self._batches_seen = 0
        self._epoch = 0

    def _apply_direction(self, higher):
        self._higher_is_better = higher
        self.monitor_op = np.greater if higher else np.less

    # ---------------------------------------------------------------- hooks
    def on_train_begin(self, logs=None):
        self._start_direction()
        self._batches_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._epoch, batch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        self._settle_direction()
        if self.save_freq == "epoch" and (epoch + 1) % self.period == 0:
            self._save(epoch, None, logs or {})

    # ---------------------------------------------------------------- saving
    def _path(self, epoch, batch, logs):
        values = {**logs, "epoch": epoch + 1}
        if batch is not None:
            values["batch"] = batch + 1
        try:
            return self.filepath.format(**values)
        except KeyError as e:
            raise KeyError(f"ModelCheckpoint: the filepath {self.filepath!r} names {e.args[0]!r}, which is not in "
                           f"the logs of this epoch ({sorted(values)}). Use a logged key, e.g. "
                           "'{epoch:02d}-{val_loss:.2f}' with validation data.") from None

    def _save(self, epoch, batch, logs):
        path = self._path(epoch, batch, logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"ModelCheckpoint: can save the best model only with {self.monitor} available, "
                              f"skipping (the logs have {sorted(logs)}).", UserWarning, stacklevel=2)
                return
            if self.best is not None and not self.monitor_op(current, self.best):
                if self.verbose:
                    _print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose:
                before = "inf" if self.best is None and not self._higher_is_better else (
                    "-inf" if self.best is None else f"{self.best:.5f}")
                _print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {before} to {current:.5f}, "
                           f"saving model to {path}")
            self.best = float(current)
        elif self.verbose:
            _print_msg(f"\nEpoch {epoch + 1}: saving model to {path}")
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)

