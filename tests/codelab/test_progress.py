"""codelab.progress: the work estimate of a model, the time-left arithmetic, one line per epoch in a pipe and
a status line redrawn in place in a terminal."""
import io

import dendrite
from dendrite import layers
from dendrite.codelab.progress import CodelabProgress, clock, work_per_sample


def test_work_per_sample_counts_kernel_multiply_adds():
    dense = dendrite.Sequential([layers.Input((784,)), layers.Dense(200), layers.Dense(10)])
    assert work_per_sample(dense) == 784 * 200 + 200 * 10
    conv = dendrite.Sequential([layers.Input((28, 28, 1)), layers.Conv2D(12, 3, padding="same"),
                                layers.Conv2D(24, 6, strides=2, padding="same"), layers.Flatten(), layers.Dense(10)])
    assert work_per_sample(conv) == 3 * 3 * 12 * 28 * 28 + 6 * 6 * 12 * 24 * 14 * 14 + 14 * 14 * 24 * 10


def test_clock():
    assert [clock(s) for s in (0, 59.6, 61, 3600 + 62, -3)] == ["0:00", "1:00", "1:01", "1:01:02", "0:00"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run_epoch(progress, epoch, seconds, logs):
    progress.on_epoch_begin(epoch)
    progress._began -= seconds  # as if the epoch had taken that long
    progress.on_epoch_end(epoch, logs)


def test_one_line_per_epoch_with_the_time_left_for_this_model_and_all():
    out = io.StringIO()
    progress = CodelabProgress([("dense", 3, 100.0), ("cnn", 2, 500.0)], stream=out)
    progress.set_params({"steps": 4, "epochs": 3, "verbose": 0})
    progress.start(0)
    progress.on_epoch_begin(0)
    for batch in range(4):
        progress.on_train_batch_end(batch, {"loss": 1.0})  # not a terminal: nothing between epoch lines
    progress._began -= 2.0
    progress.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.9, "val_loss": 0.4, "val_accuracy": 0.91, "other": 3})
    # 2 s for 100 units of work: 2 more epochs of 100 (4 s), then 2 of 500 (20 s)
    line = out.getvalue()
    assert line.count("\n") == 1 and "\r" not in line
    assert line.startswith("[1/2 dense] epoch 1/3  loss 0.5000  accuracy 0.9000  val_loss 0.4000  "
                           "val_accuracy 0.9100  2.0 s  left: 0:04 this model, ~0:24 in all")
    run_epoch(progress, 1, 4.0, {"loss": 0.3})  # slower: 6 s per 200 units now
    assert out.getvalue().splitlines()[1].endswith("left: 0:03 this model, ~0:33 in all")
    progress.start(1)
    run_epoch(progress, 0, 10.0, {})
    assert out.getvalue().splitlines()[2].startswith("[2/2 cnn] epoch 1/2")


def test_a_terminal_gets_a_status_line_redrawn_in_place():
    out = Terminal()
    progress = CodelabProgress([("cnn", 2, 10.0)], stream=out, interval=0)
    progress.set_params({"steps": 391, "epochs": 2, "verbose": 0})
    progress.start(0)
    progress.on_epoch_begin(0)
    progress.on_train_batch_end(9, {"loss": 2.25})
    assert out.getvalue() == "\r[1/1 cnn] epoch 1/2  batch 10/391  loss 2.2500  time left: measuring\033[K"
    progress._began -= 1.0
    progress.on_epoch_end(0, {"loss": 2.0})
    assert out.getvalue().endswith("\r[1/1 cnn] epoch 1/2  loss 2.0000  1.0 s  left: 0:01 this model, ~0:01 in all"
                                   "\033[K\n")
