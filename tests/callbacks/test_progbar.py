"""The progress bar's exact text, on a fake clock."""

import io
import re
import sys

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.callbacks import CallbackList, Progbar, ProgbarLogger
from dendrite.callbacks import progbar as progbar_module
from dendrite.callbacks.progbar import _format_duration, _format_eta, _format_value

FULL = "[" + "=" * 30 + "]"


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar_module, "time", fake)
    return fake


class FakeModel:
    stop_training = False


# Two epochs of 4 steps: the first step of an epoch takes 1 s, the others
# 0.25 s, so each epoch lasts 1.75 s and 250 ms/step once step 1 is left out.
BATCH_LOGS = [
    [{"loss": 0.0002, "accuracy": 0.5}, {"loss": 0.75, "accuracy": 0.625},
     {"loss": 0.625, "accuracy": 0.7}, {"loss": 0.5, "accuracy": 0.75}],
    [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.375, "accuracy": 0.8},
     {"loss": 0.3, "accuracy": 0.85}, {"loss": 0.25, "accuracy": 0.875}],
]
EPOCH_LOGS = [
    {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.25, "val_accuracy": 0.0005},
    {"loss": 0.25, "accuracy": 0.875, "val_loss": 0.125, "val_accuracy": 0.9},
]


def run_fit(cbs, clock, epochs=2):
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for step, logs in enumerate(BATCH_LOGS[epoch]):
            cbs.on_train_batch_begin(step)
            clock.now += 1.0 if step == 0 else 0.25
            cbs.on_train_batch_end(step, logs)
        cbs.on_epoch_end(epoch, EPOCH_LOGS[epoch])
    cbs.on_train_end(EPOCH_LOGS[epochs - 1])


def make_list(verbose, dynamic, epochs=2, steps=4):
    return CallbackList([ProgbarLogger(dynamic_display=dynamic)], add_history=True,
                        add_progbar=True, model=FakeModel(), verbose=verbose,
                        epochs=epochs, steps=steps)


def test_verbose1_not_a_terminal_prints_only_final_lines(clock, capsys):
    run_fit(make_list(verbose=1, dynamic=False), clock)
    assert capsys.readouterr().out == (
        "Epoch 1/2\n"
        f"4/4 {FULL} - 2s 250ms/step - loss: 0.5000 - accuracy: 0.7500"
        " - val_loss: 0.2500 - val_accuracy: 5.0000e-04\n"
        "Epoch 2/2\n"
        f"4/4 {FULL} - 2s 250ms/step - loss: 0.2500 - accuracy: 0.8750"
        " - val_loss: 0.1250 - val_accuracy: 0.9000\n"
    )


def test_verbose1_dynamic_redraws_in_place(clock, capsys):
    run_fit(make_list(verbose=1, dynamic=True, epochs=1), clock, epochs=1)
    out = capsys.readouterr().out
    lines = [
        "\r1/4 [======>.......................] - ETA: 3s"
        " - loss: 2.0000e-04 - accuracy: 0.5000",
        # 4 characters shorter than the line it overwrites: padded.
        "\r2/4 [==============>...............] - ETA: 0s"
        " - loss: 0.7500 - accuracy: 0.6250    ",
        "\r3/4 [=====================>........] - ETA: 0s"
        " - loss: 0.6250 - accuracy: 0.7000",
        f"\r4/4 {FULL} - ETA: 0s - loss: 0.5000 - accuracy: 0.7500",
        f"\r4/4 {FULL} - 2s 250ms/step - loss: 0.5000 - accuracy: 0.7500"
        " - val_loss: 0.2500 - val_accuracy: 5.0000e-04\n",
    ]
    # epochs=1: no "Epoch 1/1" line, as in tf.keras.
    assert out == "".join(lines)


def test_verbose2_prints_one_line_per_epoch(clock, capsys):
    run_fit(make_list(verbose=2, dynamic=True), clock)
    assert capsys.readouterr().out == (
        "Epoch 1/2\n"
        "4/4 - 2s - loss: 0.5000 - accuracy: 0.7500 - val_loss: 0.2500"
        " - val_accuracy: 5.0000e-04 - 2s/epoch - 438ms/step\n"
        "Epoch 2/2\n"
        "4/4 - 2s - loss: 0.2500 - accuracy: 0.8750 - val_loss: 0.1250"
        " - val_accuracy: 0.9000 - 2s/epoch - 438ms/step\n"
    )


def test_default_progbar_is_added_first_and_verbose0_prints_nothing(clock, capsys):
    cbs = CallbackList(None, add_history=True, add_progbar=True, verbose=1,
                       epochs=2, steps=4)
    assert isinstance(cbs.callbacks[0], ProgbarLogger) and cbs.progbar is cbs.callbacks[0]
    run_fit(CallbackList(None, add_history=True, add_progbar=False, model=FakeModel(),
                         verbose=0, epochs=2, steps=4), clock)
    assert capsys.readouterr().out == ""


def test_unknown_steps_learned_after_first_epoch(clock, capsys):
    run_fit(make_list(verbose=1, dynamic=False, steps=None), clock)
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"4/4 {FULL} - 2s 250ms/step")
    assert out[3].startswith(f"4/4 {FULL} - 2s 250ms/step")


def _evaluate_and_predict(cbs, clock, steps=3):
    cbs.on_test_begin()
    for step in range(steps):
        cbs.on_test_batch_begin(step)
        clock.now += 0.002
        cbs.on_test_batch_end(step, {"loss": 0.07, "accuracy": 0.97})
    cbs.on_test_end({"loss": 0.0712, "accuracy": 0.9781})
    cbs.on_predict_begin()
    for step in range(steps):
        cbs.on_predict_batch_begin(step)
        clock.now += 0.002
        cbs.on_predict_batch_end(step, {"outputs": [0.0]})
    cbs.on_predict_end()


def test_evaluate_and_predict_bars(clock, capsys):
    cbs = CallbackList([ProgbarLogger(dynamic_display=False)], add_progbar=True,
                       verbose=1, steps=3)
    _evaluate_and_predict(cbs, clock)
    assert capsys.readouterr().out == (
        f"3/3 {FULL} - 0s 2ms/step - loss: 0.0712 - accuracy: 0.9781\n"
        f"3/3 {FULL} - 0s 2ms/step\n"
    )


def test_validation_inside_fit_is_silent(clock, capsys):
    cbs = make_list(verbose=1, dynamic=False, epochs=1, steps=3)
    cbs.on_train_begin()
    capsys.readouterr()
    cbs.on_test_begin()
    cbs.on_test_batch_end(0, {"loss": 1.0})
    cbs.on_test_end({"loss": 1.0})
    assert capsys.readouterr().out == ""


def test_value_formats():
    assert _format_value(0.1234) == "0.1234"
    assert _format_value(-0.5) == "-0.5000"
    assert _format_value(1234.5) == "1234.5000"
    assert _format_value(0.0005) == "5.0000e-04"
    assert _format_value(0.001) == "1.0000e-03"  # 1e-3 itself is "tiny"
    assert _format_value(0.0) == "0.0000e+00"
    assert _format_value(-2e-5) == "-2.0000e-05"


def test_time_formats():
    assert _format_duration(2.4, "step") == "2s/step"
    assert _format_duration(0.0, "step") == "0s/step"
    assert _format_duration(0.004, "step") == "4ms/step"
    assert _format_duration(3.7e-5, "step") == "37us/step"
    assert _format_duration(1.6, "epoch") == "2s/epoch"
    assert _format_eta(3725.0) == "1:02:05"
    assert _format_eta(125.9) == "2:05"
    assert _format_eta(60.0) == "60s"
    assert _format_eta(45.9) == "45s"


def test_eta_above_an_hour_and_empty_bar(clock, capsys):
    bar = Progbar(10000, dynamic_display=True)
    clock.now = 1.0
    bar.update(1)
    assert capsys.readouterr().out == "\r    1/10000 [" + "." * 30 + "] - ETA: 2:46:39"


def test_redraws_are_throttled_by_interval(clock, capsys):
    bar = Progbar(10, dynamic_display=True, interval=0.05)
    for step, now in [(1, 0.01), (2, 0.02), (3, 0.07), (4, 0.08)]:
        clock.now = now
        bar.update(step)
    assert capsys.readouterr().out.count("\r") == 2  # steps 1 and 3
    clock.now = 0.09
    bar.update(10)  # the final update is never throttled
    assert capsys.readouterr().out.endswith("\n")


def test_averaging_and_stateful_metrics(clock, capsys):
    bar = Progbar(3, stateful_metrics=["acc"], dynamic_display=False)
    bar.update(1, [("loss", 1.0), ("acc", 0.5)])
    bar.update(3, [("loss", 4.0), ("acc", 0.25)])  # loss weighted by 2 steps
    out = capsys.readouterr().out
    assert out.endswith(" - loss: 3.0000 - acc: 0.2500\n")


def test_unknown_target(clock, capsys):
    bar = Progbar(None, dynamic_display=False)
    clock.now = 0.5
    bar.update(1)
    clock.now = 1.0
    bar.update(2, finalize=True)
    assert capsys.readouterr().out == "      2/Unknown - 1s 500ms/step\n"


def test_dynamic_display_follows_stdout(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert Progbar(3).dynamic_display is False
    monkeypatch.setattr(sys, "stdout", Tty())
    assert Progbar(3).dynamic_display is True
    # ipykernel merely imported does not make a plain stream a notebook
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert Progbar(3).dynamic_display is False
    # PyCharm's run console redraws '\r' as a terminal does (as in Keras)
    monkeypatch.setenv("PYCHARM_HOSTED", "1")
    assert Progbar(3).dynamic_display is True


def test_writes_to_current_stdout(clock, monkeypatch):
    target = io.StringIO()
    bar = Progbar(1, dynamic_display=False)
    monkeypatch.setattr(sys, "stdout", target)  # swapped after construction
    bar.update(1)
    assert target.getvalue().startswith("1/1 [")


def test_other_verbosities_are_silent_as_in_keras(capsys):
    """Keras takes any int: only 1 (bar) and 2 (one line) print; fit with verbose=10 prints just the
    'Epoch i/N' lines, evaluate and predict nothing (as TensorFlow 2.21's Keras 3 and tf_keras)."""
    bar = Progbar(2, verbose=3, dynamic_display=False)
    bar.update(1)
    bar.update(2, finalize=True)
    assert capsys.readouterr().out == ""
    model = dendrite.Sequential([dendrite.Input((2,)), dendrite.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2)), np.ones(8)
    model.fit(x, y, epochs=2, verbose=10)
    model.evaluate(x, y, verbose=10)
    model.predict(x, verbose=10)
    assert capsys.readouterr().out == "Epoch 1/2\nEpoch 2/2\n"


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"verbose.*Received: verbose='3'"):
        Progbar(10, verbose="3")
    with pytest.raises(ValueError, match=r"`verbose` must be 'auto', 0 \(silent\).*received verbose=1.5"):
        dendrite.Sequential([dendrite.Input((2,)), dendrite.layers.Dense(1)]).predict(np.ones((2, 2)), verbose=1.5)
    with pytest.raises(ValueError, match=r"target.*Received: target=-1"):
        Progbar(-1)
    with pytest.raises(ValueError, match=r"count_mode.*Received: count_mode='samples'"):
        ProgbarLogger(count_mode="samples")


class Tty(io.StringIO):
    def isatty(self):
        return True


def _four_steps(clock):
    bar = Progbar(4)
    for step, (now, loss) in enumerate([(1.0, 0.5), (1.25, 0.25), (1.5, 0.25), (1.75, 0.25)], 1):
        clock.now = now
        bar.update(step, [("loss", loss), ("accuracy", 0.75)])


def test_bar_fits_the_terminal_width(clock, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("COLUMNS", "60")
    _four_steps(clock)
    # the bar shrinks to 10, then the live lines drop the fields that do not
    # fit in 59 columns; the final line is printed whole
    assert sys.stdout.getvalue() == (
        "\r1/4 [=>........] - ETA: 3s - loss: 0.5000"
        "\r2/4 [====>.....] - ETA: 0s - loss: 0.3750"
        "\r3/4 [======>...] - ETA: 0s - loss: 0.3333"
        "\r4/4 [==========] - 2s 250ms/step - loss: 0.3125 - accuracy: 0.7500\n"
    )


def test_bar_shrinks_only_as_much_as_needed(clock, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("COLUMNS", "75")  # 74 cells: a 24-wide bar leaves room for every value
    _four_steps(clock)
    first = sys.stdout.getvalue().split("\r")[1]
    assert first == "1/4 [=====>..................] - ETA: 3s - loss: 0.5000 - accuracy: 0.7500"
    assert len(first) == 74


def test_unknown_terminal_width_keeps_the_full_bar(clock, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Tty())  # a terminal with no size to ask
    monkeypatch.delenv("COLUMNS", raising=False)
    _four_steps(clock)
    assert sys.stdout.getvalue().split("\r")[1] == (
        "1/4 [======>.......................] - ETA: 3s - loss: 0.5000 - accuracy: 0.7500")


def _fit_evaluate_predict(mnist_small, verbose):
    xtr, ytr, _, _ = mnist_small
    x, y = xtr[:256], ytr[:256]
    model = dendrite.Sequential([dendrite.Input((784,)), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=128, epochs=2, validation_data=(x[:128], y[:128]), verbose=verbose)
    model.evaluate(x, y, batch_size=128, verbose=verbose)
    model.predict(x, batch_size=128, verbose=verbose)


def _assert_lines_match(lines, patterns):
    assert len(lines) == len(patterns), lines
    for line, pattern in zip(lines, patterns):
        assert re.fullmatch(pattern, line), line


NUM = r"-?\d+\.\d{4}(e[+-]\d+)?"
STEP = r"\d+(s|ms|us)/step"


@pytest.mark.parametrize("verbose", [1, "auto", True])
def test_fit_verbose_1_and_auto_in_a_pipe(mnist_small, capsys, verbose):
    # Keras: 'auto' is 1; in a file or pipe the bar prints its final line only
    _fit_evaluate_predict(mnist_small, verbose)
    lines = capsys.readouterr().out.split("\n")
    full = r"\[" + "=" * 30 + r"\]"
    patterns = ["Epoch 1/2",
                rf"2/2 {full} - \d+s {STEP} - loss: {NUM} - accuracy: {NUM}"
                rf" - val_loss: {NUM} - val_accuracy: {NUM}",
                "Epoch 2/2", None,
                rf"2/2 {full} - \d+s {STEP} - loss: {NUM} - accuracy: {NUM}",
                rf"2/2 {full} - \d+s {STEP}", ""]
    patterns[3] = patterns[1]
    _assert_lines_match(lines, patterns)


def test_fit_verbose_2_one_line_per_epoch(mnist_small, capsys):
    _fit_evaluate_predict(mnist_small, 2)
    lines = capsys.readouterr().out.split("\n")
    tail = rf" - \d+(s|ms|us)/epoch - {STEP}"
    patterns = ["Epoch 1/2",
                rf"2/2 - \d+s - loss: {NUM} - accuracy: {NUM} - val_loss: {NUM} - val_accuracy: {NUM}" + tail,
                "Epoch 2/2", None,
                rf"2/2 - \d+s - loss: {NUM} - accuracy: {NUM}" + tail,  # evaluate: one line too
                r"2/2 - \d+s" + tail, ""]  # and predict
    patterns[3] = patterns[1]
    _assert_lines_match(lines, patterns)


def test_fit_verbose_0_is_silent(mnist_small, capsys):
    _fit_evaluate_predict(mnist_small, 0)
    assert capsys.readouterr().out == ""


def test_progbar_logger_reads_verbose_as_keras():
    for given, used in [("auto", 1), (True, 1), (False, 0), (2, 2)]:
        cbs = CallbackList(None, add_progbar=True, verbose=given, epochs=1, steps=3)
        assert cbs.progbar.verbose == used


def test_tensor_values_are_averaged_as_numbers(clock, capsys):
    """A custom training loop passes its loss tensors, as Keras's Progbar converts them."""
    bar = Progbar(2, verbose=2)
    bar.update(1, values=[("loss", dendrite.constant(1.0))])
    bar.update(2, values=[("loss", dendrite.constant(3.0))])
    assert "loss: 2.0000" in capsys.readouterr().out


def test_keras_utils_serves_the_progbar():
    import dendrite.compat
    dendrite.compat.install()
    try:
        import keras
        assert keras.utils.Progbar is Progbar
    finally:
        dendrite.compat.uninstall()
