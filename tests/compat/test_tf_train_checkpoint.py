"""tf.train.load_checkpoint / list_variables / load_variable on checkpoints tf.train.Checkpoint wrote, as the TF
checkpoint guide inspects them."""
import numpy as np
import pytest


def test_reader_lists_and_reads_a_checkpoint(tf, tmp_path):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2)])
    step = tf.Variable(7, dtype=tf.int64)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(model=model, step=step), str(tmp_path), max_to_keep=2)
    path = manager.save()
    reader = tf.train.load_checkpoint(path)
    shapes = reader.get_variable_to_shape_map()
    assert shapes["model/0/.ATTRIBUTES/VARIABLE_VALUE"] == [3, 2] and shapes["step/.ATTRIBUTES/VARIABLE_VALUE"] == []
    assert reader.get_variable_to_dtype_map()["step/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    assert reader.has_tensor("step/.ATTRIBUTES/VARIABLE_VALUE") and not reader.has_tensor("nothing")
    np.testing.assert_array_equal(reader.get_tensor("model/0/.ATTRIBUTES/VARIABLE_VALUE"), model.weights[0].numpy())
    assert int(reader.get_tensor("step")) == 7  # the bare path too
    listed = tf.train.list_variables(str(tmp_path))  # a folder: its latest checkpoint
    assert [name for name, _ in listed] == sorted(shapes) and dict(listed) == shapes
    assert int(tf.train.load_variable(str(tmp_path), "save_counter/.ATTRIBUTES/VARIABLE_VALUE")) == 1
    assert tf.train.latest_checkpoint(str(tmp_path)) == path


def test_reader_errors(tf, tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no checkpoint"):
        tf.train.load_checkpoint(str(tmp_path / "missing"))
    with pytest.raises(tf.errors.NotFoundError, match="no checkpoint in the folder"):
        tf.train.list_variables(str(tmp_path))
    path = tf.train.Checkpoint(v=tf.Variable(1.0)).save(str(tmp_path / "ckpt"))
    with pytest.raises(tf.errors.NotFoundError, match="key 'w' not found"):
        tf.train.load_checkpoint(path).get_tensor("w")
