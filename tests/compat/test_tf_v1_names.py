"""TensorFlow 1's spellings in tf.compat.v1 (dendrite/compat/tf_v1_names.py): the moved names, to_float, div,
Print, xw_plus_b, keep_prob dropout, exponential_decay, collections, and the dataset iterators a Session run
advances."""
import numpy as np
import pytest


def test_moved_names_and_tf1_only_functions(tf):
    v1 = tf.compat.v1
    v1.set_random_seed(0)
    assert v1.random_normal([2, 3]).shape == (2, 3) and v1.truncated_normal([4], stddev=0.1).shape == (4,)
    assert float(v1.reduce_max(v1.abs(v1.truncated_normal([1000], stddev=0.1)))) <= 0.2  # cut at 2 stddev
    assert v1.to_float(tf.constant([1, 2])).dtype == tf.float32 and v1.to_int32(tf.constant(2.7)).numpy() == 2
    assert v1.div(tf.constant(7), tf.constant(2)).numpy() == 3  # integers: floor division, as Python 2
    assert v1.div(tf.constant(7.0), tf.constant(2.0)).numpy() == 3.5
    assert v1.arg_max(tf.constant([[1, 5, 2]]), 1).numpy().tolist() == [1]
    assert np.allclose(v1.squared_difference(tf.constant([1.0, 4.0]), 2.0), [1.0, 4.0])
    x, w, b = np.ones((2, 3), np.float32), np.full((3, 2), 2.0, np.float32), np.array([1.0, -1.0], np.float32)
    assert np.allclose(v1.nn.xw_plus_b(tf.constant(x), tf.constant(w), tf.constant(b)), [[7.0, 5.0]] * 2)
    kept = v1.nn.dropout(tf.ones([1000]), 0.75)  # TensorFlow 1's keep_prob, second
    kept = kept.numpy()
    assert np.allclose(kept[kept > 0], 4 / 3) and 0.6 < np.mean(kept > 0) < 0.9
    decayed = v1.train.exponential_decay(0.1, tf.Variable(2000, dtype=tf.int64), 1000, 0.5, staircase=True)
    assert float(decayed) == pytest.approx(0.025)


def test_print_in_a_graph_prints_when_run(tf1, capsys):
    x = tf1.placeholder(tf1.float32, [2])
    shown = tf1.Print(x * 2, [x], message="x is ")
    assert capsys.readouterr().err == ""  # building prints nothing
    with tf1.Session() as sess:
        assert np.allclose(sess.run(shown, {x: [1.0, 2.0]}), [2.0, 4.0])
    assert "x is [1. 2.]" in capsys.readouterr().err


def test_collections_and_graph_keys(tf1):
    w = tf1.Variable(1.0)
    step = tf1.Variable(0, trainable=False)
    tf1.add_to_collection(tf1.GraphKeys.UPDATE_OPS, step.assign_add(1))
    assert tf1.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES) == [w]
    assert tf1.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES) == [w, step]
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        sess.run(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS))
        assert sess.run(step) == 1


def test_dataset_iterators_advance_one_element_per_run(tf1, tf):
    features = np.arange(10, dtype=np.float32).reshape(5, 2)
    dataset = tf.data.Dataset.from_tensor_slices((features, np.arange(5))).batch(2)
    iterator = tf1.data.make_one_shot_iterator(dataset)
    x, y = iterator.get_next()
    total = tf1.reduce_sum(x)
    with tf1.Session() as sess:
        assert sess.run(total) == 6.0 and sess.run([x, y])[1].tolist() == [2, 3]  # one element per run
        assert sess.run(y).tolist() == [4]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(total)
        again = dataset.make_initializable_iterator()  # TensorFlow 1's method on the dataset
        first = again.get_next()
        sess.run(again.initializer)
        assert sess.run(first)[1].tolist() == [0, 1]
        sess.run(again.initializer)
        assert sess.run(first)[1].tolist() == [0, 1]
