"""What ``dendrite codelab`` shows while it trains: which model (i of n), which epoch, its metrics, and the
time left for this model and for the whole run.

The time left for models not started yet is estimated from their work, ``epochs * training digits * cost``
where the cost of one digit is the multiply-adds of the model's kernels (a Dense kernel's size; a
convolution's kernel size times its output positions), scaled by the seconds per unit of work measured so
far. In a terminal a status line is redrawn in place during each epoch; in a file or pipe only one line per
epoch is written.
"""
import sys
import time

import numpy as np

from ..callbacks.base import Callback


def work_per_sample(model):
    """Multiply-adds of one sample through ``model``'s kernels (a proxy of its training cost; at least 1)."""
    total = 0
    for layer in model.layers:
        for w in layer.weights:
            if w.name.split("/")[-1].split(":")[0] == "kernel":
                spatial = tuple(layer.output.shape[1:-1]) if len(layer.output.shape) > 2 else ()
                total += int(np.prod(w.shape)) * int(np.prod(spatial or (1,)))
    return max(total, 1)


def clock(seconds):
    """Seconds as m:ss (or h:mm:ss)."""
    seconds = int(round(max(seconds, 0)))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class CodelabProgress(Callback):
    """Progress of a run of several models. ``plan``: (name, epochs, work per epoch) for each model in order;
    the runner calls ``start(i)`` before fitting model i."""

    def __init__(self, plan, stream=None, interval=0.5):
        super().__init__()
        self.plan, self.stream, self.interval = plan, stream, interval
        self.spent = 0.0  # training seconds of the finished epochs
        self.done_work = 0.0
        self.index = 0
        self._last_draw = 0.0

    @property
    def _out(self):
        return self.stream or sys.stdout

    def _live(self):
        isatty = getattr(self._out, "isatty", None)
        return bool(isatty and isatty())

    def start(self, index):
        self.index = index
        self.epoch = 0

    def _rate(self):
        """Seconds per unit of work so far (None before the first epoch ends)."""
        return self.spent / self.done_work if self.done_work else None

    def time_left(self, epoch_fraction=0.0):
        """(this model, the whole run) seconds left, or (None, None) before anything was measured."""
        rate = self._rate()
        if rate is None:
            return None, None
        name, epochs, work = self.plan[self.index]
        this = (epochs - self.epoch - epoch_fraction) * work * rate
        later = sum(e * w for _, e, w in self.plan[self.index + 1:]) * rate
        return this, this + later

    def _prefix(self):
        name, epochs, _ = self.plan[self.index]
        width = len(str(len(self.plan)))
        return f"[{self.index + 1:>{width}}/{len(self.plan)} {name}] epoch {self.epoch + 1}/{epochs}"

    def _left_text(self, fraction=0.0):
        this, total = self.time_left(fraction)
        if this is None:
            return "time left: measuring"
        return f"left: {clock(this)} this model, ~{clock(total)} in all"

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self._began = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if not self._live() or now - self._last_draw < self.interval:
            return
        self._last_draw = now
        steps = self.params.get("steps") or 0
        loss = (logs or {}).get("loss")
        text = f"{self._prefix()}  batch {batch + 1}/{steps or '?'}" + ("" if loss is None else f"  loss {loss:.4f}")
        fraction = (batch + 1) / steps if steps else 0.0
        self._out.write("\r" + text + "  " + self._left_text(fraction) + "\033[K")
        self._out.flush()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._began
        self.spent += seconds
        self.done_work += self.plan[self.index][2]
        shown = "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items()
                          if k in ("loss", "accuracy", "val_loss", "val_accuracy"))
        line = f"{self._prefix()}  {shown}  {seconds:.1f} s"
        self.epoch = epoch + 1  # this epoch is done: the time left counts from the next
        live = self._live()
        self._out.write(("\r" if live else "") + line + "  " + self._left_text() + ("\033[K" if live else "") + "\n")
        self._out.flush()
