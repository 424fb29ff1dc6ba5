"""Progress output where it is shown: a pipe, a pseudo-terminal, a Jupyter kernel.

The pipe and terminal tests run a real fit, evaluate and predict in a fresh
Python whose stdout is a pipe or a pty; the notebook tests run them under a
stand-in IPython kernel that records what is displayed."""

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import types

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.callbacks import Progbar, display

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Two epochs of 3 steps with validation, then evaluate and predict (3 steps each).
FIT_SCRIPT = """
import numpy as np
import dendrite
from dendrite import layers
dendrite.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(96, 4)).astype("float32")
y = (x.sum(axis=1) > 0).astype("int64")
model = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=32, epochs=2, validation_data=(x[:32], y[:32]))
model.evaluate(x, y, batch_size=32)
model.predict(x, batch_size=32)
"""

NUM = r"-?\d+\.\d{4}(e[+-]\d+)?"
TIME = r"\d+s \d+(s|ms|us)/step"
FULL = r"\[=+\]"
FIT_LINE = (rf"3/3 {FULL} - {TIME} - loss: {NUM} - accuracy: {NUM}"
            rf" - val_loss: {NUM} - val_accuracy: {NUM}")
EVALUATE_LINE = rf"3/3 {FULL} - {TIME} - loss: {NUM} - accuracy: {NUM}"
PREDICT_LINE = rf"3/3 {FULL} - {TIME}"


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYCHARM_HOSTED")}
    env["PYTHONPATH"] = ROOT
    env.update(extra)
    return env


def _assert_lines(lines):
    assert len(lines) == 6, lines
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    for line, pattern in zip(lines[1:], [FIT_LINE, None, FIT_LINE, EVALUATE_LINE, PREDICT_LINE]):
        if pattern is not None:
            assert re.fullmatch(pattern, line), line


def test_pipe_gets_one_line_per_epoch():
    done = subprocess.run([sys.executable, "-c", FIT_SCRIPT], capture_output=True, text=True,
                          env=_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stdout and "\b" not in done.stdout
    _assert_lines(done.stdout.splitlines())


def _run_in_pty(tmp_path, env, columns=None):
    """stdout of FIT_SCRIPT run with a pseudo-terminal as stdout; the pty's
    '\\r\\n' (its newline translation) read back as '\\n'."""
    master, slave = pty.openpty()
    if columns is not None:  # the terminal's own size, as a resized window sets it
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    with open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", FIT_SCRIPT], stdout=slave, stderr=err,
                                stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        assert proc.wait(timeout=120) == 0, (tmp_path / "stderr.txt").read_text()
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("how", ["COLUMNS", "window size"])
def test_terminal_redraws_in_place_within_its_width(tmp_path, how):
    columns = 50
    if how == "COLUMNS":  # COLUMNS wins over the window's own 200 columns, as in shutil
        out = _run_in_pty(tmp_path, _env(COLUMNS=str(columns)), columns=200)
    else:
        out = _run_in_pty(tmp_path, _env(), columns=columns)
    assert "\b" not in out
    rows = out.split("\n")
    assert rows[-1] == ""
    # what stays on screen: the last redraw of each row
    _assert_lines([row.split("\r")[-1].rstrip() for row in rows[:-1]])
    bars = [row for row in rows[:-1] if not row.startswith("Epoch")]
    assert len(bars) == 4
    for row in bars:
        redraws = row.split("\r")
        assert redraws[0] == "" and len(redraws) >= 3  # '\r' before each draw, at least step 1 and the end
        for shown in redraws[1:-1]:  # the live bar never wraps
            assert len(shown) <= columns - 1, shown
            assert shown.startswith("1/3 [") or shown.startswith("2/3 [")
            assert " - ETA: " in shown
        # the bar shrank to fit: 30 '=' would not leave room for the values
        assert re.match(r"3/3 \[=+\]", redraws[-1]).end() < 4 + 32
    # the live fit bar dropped the values that did not fit instead of cutting one short
    assert re.fullmatch(rf"1/3 \[[=>.]+\] - ETA: \d+s - loss: {NUM}", bars[0].split("\r")[1].rstrip())


class KernelStream(io.StringIO):
    """Stands in for ipykernel's stdout (told apart by its module)."""


KernelStream.__module__ = "ipykernel.iostream"


@pytest.fixture
def kernel(monkeypatch):
    """A stand-in Jupyter kernel: an `IPython` module whose shell has a
    kernel, an `IPython.display` recording display/update_display calls,
    and a kernel stream that `kernel.attach()` makes stdout (from the test
    body: pytest puts its own capture back on sys.stdout after setup)."""
    calls = []
    ipython = types.ModuleType("IPython")
    shell = types.SimpleNamespace(kernel=object())
    ipython.get_ipython = lambda: shell
    shown = types.ModuleType("IPython.display")
    shown.display = lambda obj, **kwargs: calls.append(("display", obj, kwargs))
    shown.update_display = lambda obj, **kwargs: calls.append(("update", obj, kwargs))
    ipython.display = shown
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", shown)
    stdout = KernelStream()
    return types.SimpleNamespace(calls=calls, stdout=stdout, shell=shell,
                                 attach=lambda: monkeypatch.setattr(sys, "stdout", stdout))


def _outputs(calls):
    """The texts shown by each display output, in order, keyed by display id."""
    by_id = {}
    for kind, obj, kwargs in calls:
        assert kwargs["raw"] is True and set(obj) == {"text/plain"}
        display_id = kwargs["display_id"]
        # each output starts with one display and is then only updated
        assert (kind == "display") == (display_id not in by_id)
        by_id.setdefault(display_id, []).append(obj["text/plain"])
    return list(by_id.values())


def _tiny_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 4)).astype("float32")
    y = (x.sum(axis=1) > 0).astype("int64")
    model = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, x, y


@pytest.mark.parametrize("verbose", [1, "auto"])
def test_notebook_updates_one_output_per_bar(kernel, verbose):
    kernel.attach()
    model, x, y = _tiny_model()
    model.fit(x, y, batch_size=32, epochs=2, validation_data=(x[:32], y[:32]), verbose=verbose)
    model.evaluate(x, y, batch_size=32, verbose=verbose)
    model.predict(x, batch_size=32, verbose=verbose)
    # only the epoch headers reach the cell's text: no bar, no '\r', no stray line
    assert kernel.stdout.getvalue() == "Epoch 1/2\nEpoch 2/2\n"
    outputs = _outputs(kernel.calls)
    assert len(outputs) == 4  # two epochs, evaluate, predict
    for texts, pattern in zip(outputs, [FIT_LINE, FIT_LINE, EVALUATE_LINE, PREDICT_LINE]):
        assert len(texts) >= 2  # shown at step 1, then replaced
        assert texts[0].startswith("1/3 [" + "=" * 9 + ">") and " - ETA: " in texts[0]
        assert re.fullmatch(pattern, texts[-1]), texts[-1]
        assert not any(ch in text for text in texts for ch in "\r\b\n")


def test_notebook_verbose2_and_0_print_no_bar(kernel):
    kernel.attach()
    model, x, y = _tiny_model()
    model.fit(x, y, batch_size=32, epochs=2, verbose=2)
    model.evaluate(x, y, batch_size=32, verbose=0)
    assert kernel.calls == []
    lines = kernel.stdout.getvalue().splitlines()
    assert len(lines) == 4 and lines[0] == "Epoch 1/2"
    assert re.fullmatch(rf"3/3 - \d+s - loss: {NUM} - accuracy: {NUM} - \d+(s|ms|us)/epoch - \d+(s|ms|us)/step",
                        lines[1])


def test_detect_display(kernel, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    kernel.attach()
    assert display.detect_display() == display.NOTEBOOK
    assert Progbar(3).dynamic_display is True
    # a redirect inside the notebook (contextlib.redirect_stdout to a buffer) is a plain stream
    assert display.detect_display(io.StringIO()) == display.STREAM
    # terminal IPython: a shell with no kernel, on a tty
    kernel.shell.kernel = None
    assert display.detect_display(KernelStream()) == display.STREAM
    assert display.detect_display(Tty()) == display.TERMINAL
    monkeypatch.delitem(sys.modules, "IPython")
    assert display.detect_display(Tty()) == display.TERMINAL


def test_notebook_bar_forced_off_prints_final_line_to_the_cell(kernel):
    kernel.attach()
    bar = Progbar(2, dynamic_display=False)
    bar.update(1, [("loss", 0.5)])
    bar.update(2, [("loss", 0.25)])
    assert kernel.calls == []
    assert re.fullmatch(rf"2/2 {FULL} - {TIME} - loss: 0.3750\n", kernel.stdout.getvalue())


def test_terminal_columns(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("COLUMNS", "72")
    assert display.terminal_columns(Tty()) == 72
    assert display.terminal_columns(io.StringIO()) is None  # not a terminal: never cut
    monkeypatch.setenv("COLUMNS", "wide")
    assert display.terminal_columns(Tty()) is None  # no usable COLUMNS, no file descriptor


def test_fit_line():
    line = "1/4 [=>........] - ETA: 3s - loss: 0.5000 - accuracy: 0.7500"
    assert display.fit_line(line, None) == line
    assert display.fit_line(line, len(line) + 1) == line
    assert display.fit_line(line, 60) == "1/4 [=>........] - ETA: 3s - loss: 0.5000"
    assert display.fit_line(line, 42) == "1/4 [=>........] - ETA: 3s - loss: 0.5000"
    assert display.fit_line(line, 41) == "1/4 [=>........] - ETA: 3s"
    assert display.fit_line(line, 14) == "1/4 [=>......"  # the first field alone is cut
    assert display.fit_line(line, 14, keep_whole=True) == line
