"""TensorFlow 1's summaries and FileWriter (dendrite/compat/tf_summary_v1.py): merged summaries a Session run
gives as bytes, written by FileWriter to an event file TensorBoard reads."""
import numpy as np
import pytest

pytest.importorskip("tensorboardX")
pytest.importorskip("tensorboard")


def _events(folder):
    """TensorBoard's EventAccumulator on ``folder``, read with the hooks removed: TensorBoard uses a real
    TensorFlow when one is importable, and would otherwise take (and keep) dendrite's namespace for it."""
    import dendrite.compat
    dendrite.compat.uninstall()
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(str(folder))
    events.Reload()
    return events


def test_merged_graph_summaries_written_by_a_file_writer(tf1, tmp_path):
    x = tf1.placeholder(tf1.float32, [None])
    mean = tf1.reduce_mean(x)
    tf1.summary.scalar("mean", mean)
    tf1.summary.histogram("x", x)
    merged = tf1.summary.merge_all()
    with tf1.Session() as sess:
        writer = tf1.summary.FileWriter(str(tmp_path), sess.graph)
        for step in range(3):
            summary, value = sess.run([merged, mean], {x: np.arange(4.0) + step})
            assert isinstance(summary, bytes) and value == pytest.approx(1.5 + step)
            writer.add_summary(summary, step)
        writer.close()
    with pytest.raises(TypeError, match=r"add_summary: expected the summary a session run gave \(bytes\)"):
        tf1.summary.FileWriter(str(tmp_path / "other")).add_summary(3.0)
    events = _events(tmp_path)
    assert [(e.step, e.value) for e in events.Scalars("mean")] == [(0, 1.5), (1, 2.5), (2, 3.5)]
    assert events.Tags()["histograms"] == ["x"] and events.Histograms("x")[-1].histogram_value.num == 4


def test_eager_values_give_their_summary_at_once_and_merge(tf, tmp_path):
    v1 = tf.compat.v1
    first, second = v1.summary.scalar("a", tf.constant(2.0)), v1.summary.text("note", tf.constant("hello"))
    writer = v1.summary.FileWriter(str(tmp_path))
    writer.add_summary(v1.summary.merge([first, second]), 7)
    writer.close()
    events = _events(tmp_path)
    assert [(e.step, e.value) for e in events.Scalars("a")] == [(7, 2.0)]
