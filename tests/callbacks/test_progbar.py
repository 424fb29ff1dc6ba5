"""The progress bar's exact text, on a fake clock."""

import io
import sys

import pytest

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


def test_dynamic_display_detection(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert Progbar(3).dynamic_display is False
    monkeypatch.setattr(sys, "stdout", Tty())
    assert Progbar(3).dynamic_display is True
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert Progbar(3).dynamic_display is True


def test_writes_to_current_stdout(clock, monkeypatch):
    target = io.StringIO()
    bar = Progbar(1, dynamic_display=False)
    monkeypatch.setattr(sys, "stdout", target)  # swapped after construction
    bar.update(1)
    assert target.getvalue().startswith("1/1 [")


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"verbose.*Received: verbose=3"):
        Progbar(10, verbose=3)
    with pytest.raises(ValueError, match=r"target.*Received: target=-1"):
        Progbar(-1)
    with pytest.raises(ValueError, match=r"count_mode.*Received: count_mode='samples'"):
        ProgbarLogger(count_mode="samples")
