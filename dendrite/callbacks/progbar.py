"""The tf.keras 2.x progress bar and the callback that drives it.

verbose=1, redrawn in place while an epoch runs::

    123/469 [=======>......................] - ETA: 1s - loss: 0.2345 - accuracy: 0.9312

and at its end::

    469/469 [==============================] - 2s 4ms/step - loss: 0.1234 - accuracy: 0.9630

Where it is drawn depends on stdout (see `dendrite.callbacks.display`): in a
terminal the line is redrawn with '\\r' and fitted to the terminal's width
(the bar shrinks, then a redraw still too wide is cut; the final line is
printed whole); in Jupyter it is one display output updated in place; in a
file or pipe only the final line of each bar is printed, one line per epoch.
verbose=2 prints one line per epoch wherever it goes::

    469/469 - 2s - loss: 0.1234 - accuracy: 0.9630 - 2s/epoch - 4ms/step
"""

import numbers
import time

import numpy as np

from dendrite.callbacks import display
from dendrite.callbacks.base import Callback, _print_msg
from dendrite.utils.validation import is_int, non_negative_int, positive_int


def _format_value(value):
    """'%.4f', or '%.4e' for magnitudes of 1e-3 and below (0 included)."""
    if isinstance(value, str):
        return value
    if abs(value) > 1e-3:
        return "%.4f" % value
    return "%.4e" % value


def _format_duration(seconds, unit):
    """'2s/step' (>= 1 s, or exactly 0), '4ms/step' (>= 1 ms), else '37us/step'."""
    if seconds >= 1 or seconds == 0:
        return "%.0fs/%s" % (seconds, unit)
    if seconds >= 1e-3:
        return "%.0fms/%s" % (seconds * 1e3, unit)
    return "%.0fus/%s" % (seconds * 1e6, unit)


def _format_eta(seconds):
    """'1:02:03' above an hour, '2:03' above a minute, else '45s'."""
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


# The narrowest bar a terminal narrower than the line gets.
_MIN_BAR_WIDTH = 10


def _is_numeric(value):
    if isinstance(value, (bool, str)):
        return False
    return isinstance(value, (numbers.Number, np.ndarray, np.generic))


class Progbar:
    """A progress bar with tf.keras 2.x's look.

    Args:
        target: total number of steps, or None when unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (bar), 2 (one line when finished).
        interval: minimum seconds between two redraws of the bar.
        stateful_metrics: names whose values are shown as given; the others
            are averaged over the steps seen, weighted by step count.
        unit_name: the unit of the per-step time ('step' or 'sample').
        dynamic_display: redraw in place with '\\r' (True), print only the
            final line (False), or detect it from stdout (None): a terminal
            redraws with '\\r', a Jupyter kernel updates one display output,
            a file or pipe gets the final line only.
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05,
                 stateful_metrics=None, unit_name="step", dynamic_display=None):
        target = non_negative_int("Progbar", "target", target, allow_none=True)
        width = positive_int("Progbar", "width", width)
        if not isinstance(verbose, bool) and not is_int(verbose):  # as Keras, ints other than 1 and 2 are silent
            raise ValueError(
                "Progbar: `verbose` must be 0 (silent), 1 (bar) or 2 (one line). "
                f"Received: verbose={verbose!r}"
            )
        self.target = None if target is None else int(target)
        self.width = width
        self.verbose = int(verbose)
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        if dynamic_display is None:
            self._mode = display.detect_display()
        else:
            self._mode = display.TERMINAL if dynamic_display else display.STREAM
        self._notebook = None
        if self._mode == display.NOTEBOOK:
            self._notebook = display.notebook_line()
            if self._notebook is None:  # the kernel went away meanwhile
                self._mode = display.STREAM
        self.dynamic_display = self._mode != display.STREAM
        self._values = {}  # name -> [weighted sum, count]; stateful: [value, 1]
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.monotonic()
        self._last_update = None
        self._time_after_first_step = None
        self._line_width = 0

    def update(self, current, values=None, finalize=None):
        """Record step `current` (1-based count of steps done) with
        `values`, a list of (name, value) pairs, and redraw if due.
        `finalize` defaults to `current >= target`."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        steps = max(current - self._seen_so_far, 1)
        for name, value in values or ():
            if hasattr(value, "__array__") and not isinstance(value, (np.ndarray, np.generic)):
                value = np.asarray(value)  # a tensor (a custom loop's loss), as Keras converts it
            if name not in self._values:
                self._values_order.append(name)
            if name in self.stateful_metrics or not _is_numeric(value):
                self._values[name] = [value, 1]
            elif name in self._values:
                self._values[name][0] += value * steps
                self._values[name][1] += steps
            else:
                self._values[name] = [value * steps, steps]
        self._seen_so_far = current
        now = time.monotonic()
        if current == 1:
            self._time_after_first_step = now

        if self.verbose == 1:
            if not finalize and (
                not self.dynamic_display
                or (self._last_update is not None
                    and now - self._last_update < self.interval)
            ):
                return
            self._draw_bar(current, now, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_summary(current, now)
        self._last_update = now

    def add(self, n, values=None):
        """Advance by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _time_per_step(self, current, now):
        # The first step (graph building, caches) is left out when possible.
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def _metrics_text(self):
        parts = []
        for name in self._values_order:
            total, count = self._values[name]
            if _is_numeric(total):
                shown = _format_value(float(np.mean(total / max(count, 1))))
            else:
                shown = str(total)
            parts.append(" - %s: %s" % (name, shown))
        return "".join(parts)

    def _count_text(self, current):
        digits = len(str(self.target))
        return "%*d/%d" % (digits, current, self.target)

    def _draw_bar(self, current, now, finalize):
        per_step = self._time_per_step(current, now)
        if finalize or self.target is None:
            info = " - %.0fs %s" % (now - self._start, _format_duration(per_step, self.unit_name))
        else:
            info = " - ETA: " + _format_eta(per_step * (self.target - current))
        info += self._metrics_text()
        columns = None
        if self._mode == display.TERMINAL:
            columns = display.terminal_columns()
        if self.target is not None:
            count = self._count_text(current) + " "
            width = self.width
            if columns is not None:  # "[" + bar + "]" and the last free cell
                room = columns - 3 - len(count) - len(info)
                width = max(min(width, room), min(width, _MIN_BAR_WIDTH))
            line = count + self._bar(current, width) + info
        else:
            line = "%7d/Unknown" % current + info

        if self._notebook is not None:
            self._notebook.show(line)
            return
        if self.dynamic_display:
            line = display.fit_line(line, columns, keep_whole=finalize)
            previous, self._line_width = self._line_width, len(line)
            line = "\r" + line + " " * max(previous - len(line), 0)
        if finalize:
            line += "\n"
            self._line_width = 0
        _print_msg(line, line_break=False)

    def _bar(self, current, width):
        done = width
        if self.target:
            done = min(int(width * current / self.target), width)
        bar = "["
        if done > 0:
            bar += "=" * (done - 1) + (">" if current < self.target else "=")
        return bar + "." * (width - done) + "]"

    def _draw_summary(self, current, now):
        if self.target is None:
            self.target = current
        elapsed = now - self._start
        line = self._count_text(current) + " - %.0fs" % elapsed + self._metrics_text()
        per_step = elapsed / current if current else 0.0
        line += " - " + _format_duration(elapsed, "epoch")
        line += " - " + _format_duration(per_step, self.unit_name)
        _print_msg(line)


class ProgbarLogger(Callback):
    """Prints `Epoch i/n` and a `Progbar` per epoch of `fit`, and one bar for
    `evaluate` and `predict` outside fit. It reads 'verbose', 'epochs' and
    'steps' from `params`. The loop logs running averages, so every value is
    shown as given. `count_mode` and `stateful_metrics` are accepted for
    compatibility with tf.keras ('steps' is the only count mode).
    """

    def __init__(self, count_mode="steps", stateful_metrics=None, dynamic_display=None):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(
                "ProgbarLogger: `count_mode` must be 'steps' (dendrite counts "
                f"batches, not samples). Received: count_mode={count_mode!r}"
            )
        self.dynamic_display = dynamic_display
        self.stateful_metrics = set(stateful_metrics or ())
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.progbar = None
        self.seen = 0
        self._in_fit = False

    def set_params(self, params):
        super().set_params(params)
        params = params or {}
        verbose = params.get("verbose", 1)
        if verbose == "auto":  # as Keras 3's ProgbarLogger: 'auto' is the bar
            verbose = 1
        elif isinstance(verbose, bool):
            verbose = int(verbose)
        self.verbose = verbose
        self.epochs = params.get("epochs") or 1
        self.target = params.get("steps")

    def _new_progbar(self):
        self.seen = 0
        self.progbar = Progbar(
            self.target, verbose=self.verbose,
            stateful_metrics=self.stateful_metrics,
            dynamic_display=self.dynamic_display,
        )

    def _update(self, batch, logs):
        if self.progbar is None:
            self._new_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            logs = logs or {}
            self.progbar.stateful_metrics.update(logs)
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finalize(self, logs):
        if self.progbar is None:
            self._new_progbar()
        logs = logs or {}
        current = self.seen or self.target or 0
        if self.progbar.target is None:
            # Unknown length: the first epoch teaches it to the next ones.
            self.progbar.target = current
            if self._in_fit:
                self.target = current
        self.progbar.stateful_metrics.update(logs)
        self.progbar.update(current, list(logs.items()), finalize=True)
        self.progbar = None

    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._new_progbar()
        if self.verbose and self.epochs > 1:
            _print_msg("Epoch %d/%d" % (epoch + 1, self.epochs))

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    # Validation inside fit stays silent; a standalone evaluate draws a bar.
    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self._new_progbar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._in_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._new_progbar()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finalize(None)
