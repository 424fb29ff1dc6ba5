"""TensorFlow 1's Saver and meta graphs (dendrite/compat/tf_graph_saver.py): variables saved under their graph
names and restored; import_meta_graph making a saved graph's variables again after reset_default_graph."""
import os

import numpy as np
import pytest


def test_saver_round_trip_steps_and_latest_checkpoint(tf1, tmp_path):
    v = tf1.Variable([1.0, 2.0], name="v")
    with tf1.variable_scope("s"):
        w = tf1.get_variable("w", [2], initializer=tf1.ones_initializer())
    saver = tf1.train.Saver(max_to_keep=2)
    assert saver._var_list == [v, w]
    prefix = str(tmp_path / "model.ckpt")
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        paths = []
        for step in range(3):
            sess.run(tf1.assign_add(v, [1.0, 1.0]))
            paths.append(saver.save(sess, prefix, global_step=step))
        assert paths[-1] == prefix + "-2" and tf1.train.latest_checkpoint(str(tmp_path)) == paths[-1]
        assert not os.path.exists(paths[0] + ".index") and os.path.exists(paths[1] + ".index")  # max_to_keep
        sess.run(tf1.global_variables_initializer())
        saver.restore(sess, paths[1])
        assert np.allclose(sess.run(v), [3.0, 4.0]) and np.allclose(sess.run(w), [1.0, 1.0])
        with pytest.raises(ValueError, match=r"not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "missing"))


def test_import_meta_graph_makes_the_variables_again_for_a_restore(tf1, tmp_path):
    """A TF 1 lecture's save / reset_default_graph / import_meta_graph / fetch by name sequence."""
    with tf1.variable_scope("net"):
        a = tf1.get_variable("A", initializer=tf1.constant(3, shape=[2]))
    tf1.Variable([[1.5, 2.5]], name="B", trainable=False)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        prefix = tf1.train.Saver().save(sess, str(tmp_path / "saved"))
    assert os.path.exists(prefix + ".meta") and a.name == "net/A:0"
    tf1.reset_default_graph()
    saver = tf1.train.import_meta_graph(prefix + ".meta")
    assert [op.name for op in tf1.get_default_graph().get_operations()] == ["net/A", "B"]
    assert [v.name for v in tf1.trainable_variables()] == ["net/A:0"]
    with tf1.Session() as sess:
        saver.restore(sess, prefix)
        got_a, got_b = sess.run(["net/A:0", "B:0"])
    assert got_a.tolist() == [3, 3] and got_a.dtype == np.int32 and np.allclose(got_b, [[1.5, 2.5]])
    (tmp_path / "tf.meta").write_bytes(b"\x08\x01\x12")  # not dendrite's: TensorFlow's protocol buffers
    with pytest.raises(NotImplementedError, match=r"not a meta graph dendrite wrote.*MetaGraphDef"):
        tf1.train.import_meta_graph(str(tmp_path / "tf.meta"))
    with pytest.raises(OSError, match=r"File .*missing.meta does not exist"):
        tf1.train.import_meta_graph(str(tmp_path / "missing.meta"))
