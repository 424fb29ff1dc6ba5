"""dendrite.summary (tf.summary): a file writer made the default writes scalars, histograms, images and
text at a step into TensorBoard event files (read back here through tensorboardX's Event message); nothing is
written without a default writer or inside record_if(False); a missing step and a wrong image shape are
clear errors."""
import glob
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import dendrite
from dendrite import summary
from dendrite.io.tfrecord import tf_record_iterator

tensorboardx = pytest.importorskip("tensorboardX") if not os.environ.get("CI") else __import__("tensorboardX")
from tensorboardX.proto import event_pb2  # noqa: E402


def events(folder):
    """[(step, tag, value message)] of every summary value in the event files of ``folder``."""
    found = []
    for path in sorted(glob.glob(os.path.join(str(folder), "*tfevents*"))):
        for record in tf_record_iterator(path):
            event = event_pb2.Event.FromString(record)
            found += [(int(event.step), value.tag, value) for value in event.summary.value]
    return found


def test_scalars_histograms_images_and_text_at_their_steps(tmp_path):
    writer = summary.create_file_writer(str(tmp_path / "train"))
    assert glob.glob(str(tmp_path / "train" / "*tfevents*"))  # the file exists at once, as in TensorFlow
    rs = np.random.default_rng(0)
    weights = rs.standard_normal((20, 5))
    with writer.as_default():
        for step in range(3):
            assert summary.scalar("loss", dendrite.constant(1.0 / (step + 1)), step=step) is True
        assert summary.histogram("weights", weights, step=2, buckets=10)
        assert summary.image("digits", rs.random((2, 8, 8, 1)), step=2)
        assert summary.text("note", "hello", step=2)
    found = events(tmp_path / "train")
    losses = [(step, value.simple_value) for step, tag, value in found if tag == "loss"]
    assert losses == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    histograms = [value.histo for step, tag, value in found if tag == "weights"]
    assert len(histograms) == 1 and histograms[0].num == 100 and histograms[0].sum == pytest.approx(weights.sum())
    images = sorted(tag for step, tag, value in found if value.HasField("image"))
    assert images == ["digits/image/0", "digits/image/1"]
    assert [value.image.height for step, tag, value in found if tag == "digits/image/0"] == [8]
    assert any(tag.startswith("note") for step, tag, value in found)


def test_nothing_is_written_without_a_default_writer_or_inside_record_if_false(tmp_path):
    assert summary.scalar("loss", 1.0, step=0) is False
    writer = summary.create_file_writer(str(tmp_path))
    with writer.as_default(), summary.record_if(False):
        assert summary.scalar("loss", 1.0, step=0) is False
        assert not summary.should_record_summaries()
    with writer.as_default(), summary.record_if(lambda: True):
        assert summary.scalar("kept", 2.0, step=5)
    with summary.create_noop_writer().as_default():
        assert summary.scalar("dropped", 3.0, step=6) is False
    with writer.as_default(), summary.experimental.summary_scope("block") as (tag, scope):
        assert tag == scope == "block"
    assert [(step, tag) for step, tag, _ in events(tmp_path)] == [(5, "kept")]


def test_the_default_step_from_as_default_or_set_step_and_a_clear_error_without_one(tmp_path):
    writer = summary.create_file_writer(str(tmp_path))
    step = dendrite.Variable(7, dtype="int64")
    with writer.as_default(step=step):
        summary.scalar("a", 1.0)
        step.assign(8)
        summary.scalar("a", 2.0)
    with writer.as_default():
        with pytest.raises(ValueError, match=r"tf.summary.scalar: no step set.*experimental.set_step"):
            summary.scalar("b", 1.0)
        summary.experimental.set_step(11)
        try:
            summary.scalar("b", 3.0)
            assert summary.experimental.get_step() == 11
        finally:
            summary.experimental.set_step(None)
    assert [(s, t) for s, t, _ in events(tmp_path)] == [(7, "a"), (8, "a"), (11, "b")]


def test_bad_images_and_names_are_clear_errors(tmp_path):
    with summary.create_file_writer(str(tmp_path)).as_default():
        with pytest.raises(ValueError, match=r"shape \(k, height, width, channels\).*received shape \(8, 8\)"):
            summary.image("x", np.zeros((8, 8)), step=0)
        with pytest.raises(ValueError, match="`data` must be a scalar; received a value of shape \\(2,\\)"):
            summary.scalar("x", [1.0, 2.0], step=0)
        with pytest.raises(ValueError, match="`name` must be a non-empty string"):
            summary.scalar("", 1.0, step=0)


def test_a_tf2_custom_loop_logs_through_tf_summary_under_dendrite_run(tmp_path):
    program = tmp_path / "loop.py"
    program.write_text(textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        train_writer = tf.summary.create_file_writer('logs/train')
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.SGD(0.1)
        train_loss = tf.keras.metrics.Mean('train_loss', dtype=tf.float32)
        x = np.linspace(-1, 1, 64, dtype='float32')[:, None]
        y = 3 * x + 1
        tf.summary.trace_on(graph=True)
        for epoch in range(4):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            train_loss(loss)
            with train_writer.as_default():
                tf.summary.scalar('loss', train_loss.result(), step=epoch)
                tf.summary.histogram('kernel', model.trainable_variables[0], step=epoch)
            train_loss.reset_states()
        with train_writer.as_default():
            tf.summary.trace_export(name='trace', step=0)
        print('done', isinstance(train_writer, tf.summary.SummaryWriter))
    """))
    done = subprocess.run([sys.executable, "-m", "dendrite", "run", str(program)], cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "done True" in done.stdout and "has no graphs or profiles to trace" in done.stderr
    found = events(tmp_path / "logs" / "train")
    losses = [value.simple_value for step, tag, value in found if tag == "loss"]
    assert [step for step, tag, _ in found if tag == "loss"] == [0, 1, 2, 3]
    assert losses[-1] < losses[0]  # the loss of a linear fit falls
    assert [step for step, tag, _ in found if tag == "kernel"] == [0, 1, 2, 3]


def test_write_graph_and_audio(tmp_path, capsys):
    writer = summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=3):
        assert summary.write("lr", np.float32(0.5)) is True
        assert summary.graph(None) is False
        with pytest.raises(NotImplementedError, match="dendrite writes scalar numbers only"):
            summary.write("w", np.zeros((2, 2)))
        with pytest.raises(NotImplementedError, match="tf.summary.audio is not provided"):
            summary.audio("a", np.zeros((1, 100, 1)), 16000)
    [(step, tag, value)] = events(tmp_path)
    assert (step, tag, value.simple_value) == (3, "lr", 0.5)
    assert "no graphs" in capsys.readouterr().err
