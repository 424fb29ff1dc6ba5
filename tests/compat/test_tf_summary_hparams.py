"""TensorBoard's hparams API (`from tensorboard.plugins.hparams import api as hp`) on compatibility mode: it
needs tf.make_tensor_proto / make_ndarray, tf.compat.v1.Summary / SummaryMetadata and
tf.summary.experimental.write_raw_pb, all served from the tensorboard extra's own protos (the ML-with-TF
cookbook's chapter 12 notebook). The written events are read back with TensorBoard's own reader."""
import glob
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

if not os.environ.get("CI"):
    pytest.importorskip("tensorboard")
    pytest.importorskip("tensorboardX")


def test_make_tensor_proto_round_trips(tf):
    proto = tf.make_tensor_proto(np.arange(6.0).reshape(2, 3), dtype=tf.float32)
    assert tf.make_ndarray(proto).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert tf.make_ndarray(tf.make_tensor_proto(tf.constant([1, 2]))).dtype == np.int32
    assert tf.make_ndarray(tf.make_tensor_proto(7, shape=[2, 2], allow_broadcast=True)).tolist() == [[7, 7], [7, 7]]


def _plugin_values(folder):
    """{tag: (plugin name, content, simple_value)} of every summary value in the event files of ``folder``."""
    from tensorboardX.proto import event_pb2

    from dendrite.io.tfrecord import tf_record_iterator
    out = {}
    for path in glob.glob(os.path.join(folder, "events*")):
        for record in tf_record_iterator(path):
            for value in event_pb2.Event.FromString(record).summary.value:
                data = value.metadata.plugin_data
                out[value.tag] = (data.plugin_name, data.content, value.simple_value)
    return out


def test_hparams_api_writes_what_tensorboard_reads(tmp_path):
    """Run as a program under `dendrite run`, as a user runs it: TensorBoard resolves its `tensorflow` once per
    process, so the program's own process is where it meets compatibility mode's."""
    from tensorboard.plugins.hparams import plugin_data_pb2

    program = tmp_path / "hparams_program.py"
    program.write_text(textwrap.dedent("""
        import sys
        import tensorflow as tf
        from tensorboard.plugins.hparams import api as hp

        units = hp.HParam("num_units", hp.Discrete([16, 32]))
        with tf.summary.create_file_writer(sys.argv[1] + "/config").as_default():
            hp.hparams_config(hparams=[units], metrics=[hp.Metric("accuracy", display_name="Accuracy")])
        with tf.summary.create_file_writer(sys.argv[1] + "/run-0").as_default():
            hp.hparams({units: 32})
            tf.summary.scalar("accuracy", 0.75, step=1)
        print("written")
    """))
    done = subprocess.run([sys.executable, "-m", "dendrite.cli", "run", str(program), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "written" in done.stdout, done.stderr
    plugin, content, _ = _plugin_values(str(tmp_path / "config"))["_hparams_/experiment"]
    experiment = plugin_data_pb2.HParamsPluginData.FromString(content).experiment
    assert plugin == "hparams" and [h.name for h in experiment.hparam_infos] == ["num_units"]
    assert [m.name.tag for m in experiment.metric_infos] == ["accuracy"]
    run = _plugin_values(str(tmp_path / "run-0"))
    plugin, content, _ = run["_hparams_/session_start_info"]
    assert plugin == "hparams"
    assert plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info.hparams["num_units"].number_value \
        == 32
    assert run["accuracy"][2] == pytest.approx(0.75)


def test_write_raw_pb_refuses_what_is_not_a_serialized_summary(tf, tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default():
        with pytest.raises(TypeError, match="write_raw_pb: expected serialized Summary protos"):
            tf.summary.experimental.write_raw_pb(np.array([1.5], dtype=object), step=0)
