"""tf.Variable's scatter methods, tf.sets and tf.queue through dendrite's compatibility `tensorflow`: programs
compared with what TensorFlow 2.21 gave for the same text (tests/fixtures/tf_compat/sets_queue.json, written by
tools/make_tf_sets_fixtures.py), dtypes included, and the errors for bad input and for what would block."""
import json
import os

import numpy as np
import pytest

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_compat",
                       "sets_queue.json")
with open(FIXTURE) as f:
    CASES = json.load(f)["cases"]


def plain(value):
    """[dtype name as TensorFlow names it, values as nested lists] (byte strings decoded)."""
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if arr.dtype.kind in "OS":
        return ["string", np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(arr).tolist() if arr.size
                else arr.tolist()]
    return [arr.dtype.name, arr.tolist()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_program_gives_tensorflows_values_and_dtypes(tf, case):
    scope = {"tf": tf, "np": np}
    exec(CASES[case]["program"], scope)  # noqa: S102 - the fixture's own program text (written in this repo)
    got = [plain(v) for v in scope["result"]]
    want = CASES[case]["result"]
    assert len(got) == len(want)
    for i, ((got_dtype, got_value), (want_dtype, want_value)) in enumerate(zip(got, want)):
        assert got_dtype == want_dtype, (case, i)
        if want_dtype == "string":
            assert got_value == want_value, (case, i)
        else:
            np.testing.assert_allclose(np.asarray(got_value, float), np.asarray(want_value, float), rtol=1e-6,
                                       err_msg=f"{case} [{i}]")


# ----------------------------------------------------------------------------------------- scatter methods
def test_scatter_methods_return_the_variable_itself(tf):
    v = tf.Variable([[1., 2.], [3., 4.]])
    assert v.scatter_nd_update([[1, 1]], [9.]) is v
    assert v.scatter_update(tf.IndexedSlices([[7., 7.]], [0])) is v
    np.testing.assert_array_equal(v.numpy(), [[7., 7.], [3., 9.]])


def test_scatter_shape_errors_name_the_expected_shape(tf):
    v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices.shape\[:-1\] \+ variable.shape\[2:\] = \[2\]"):
        v.scatter_nd_update([[0, 0], [1, 1]], [1.])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"= \[1, 3\]; received \[1, 2\]"):
        v.scatter_nd_update([[1]], [[9., 9.]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="at most the variable's rank 2"):
        v.scatter_nd_update([[1, 1, 1]], [9.])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices.shape \+ variable.shape\[1:\] = \[1, 3\]"):
        v.scatter_update(tf.IndexedSlices(tf.constant([[1., 2.]]), tf.constant([1])))  # TF writes garbage here
    np.testing.assert_array_equal(v.numpy(), [[1., 2., 3.], [4., 5., 6.]])  # nothing written


def test_scatter_indices_out_of_range_and_bad_arguments(tf):
    v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = 5 is not in \[0, 2\)"):
        v.scatter_update(tf.IndexedSlices(tf.constant([[1., 2., 3.]]), tf.constant([5])))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = -1 is not in"):
        v.scatter_add(tf.IndexedSlices(tf.constant([[1., 2., 3.]]), tf.constant([-1])))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[5, 0\] does not index into the shape \[2, 3\]"):
        v.scatter_nd_update([[5, 0]], [1.])
    with pytest.raises(TypeError, match="`sparse_delta` must be a tf.IndexedSlices"):
        v.scatter_update(tf.constant([[1., 2., 3.]]))
    with pytest.raises(TypeError, match="`indices` must be integers"):
        v.scatter_nd_update([[1., 1.]], [9.])
    with pytest.raises(ValueError, match="dtype int32 but the variable 'Variable:0' has dtype float32"):
        v.scatter_update(tf.IndexedSlices(tf.constant([[1, 2, 3]]), tf.constant([1])))
    with pytest.raises(TypeError, match="without losing their fractions"):
        tf.Variable([1, 2]).scatter_nd_update([[0]], [1.5])


def test_scatter_update_takes_a_scalar_and_many_dimensional_indices(tf):
    v = tf.Variable(tf.zeros([3, 2]))
    v.scatter_update(tf.IndexedSlices(tf.constant(4.), tf.constant([2, 0])))
    np.testing.assert_array_equal(v.numpy(), [[4., 4.], [0., 0.], [4., 4.]])


def test_indexed_slices_without_dense_shape(tf):
    s = tf.IndexedSlices(values=[[1., 2., 3.], [4., 5., 6.]], indices=[1, 0])
    assert s.dense_shape is None and s.shape.rank is None and s.dtype == np.float32
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices without dense_shape"):
        tf.convert_to_tensor(s)
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.reduce_sum(s)
    dense = tf.IndexedSlices(tf.constant([[1., 2.]]), tf.constant([1]), tf.constant([3, 2]))
    np.testing.assert_array_equal(tf.convert_to_tensor(dense).numpy(), [[0., 0.], [1., 2.], [0., 0.]])
    assert dense.shape == (3, 2)


# -------------------------------------------------------------------------------------------------- tf.sets
def test_sets_refuse_bad_input(tf):
    with pytest.raises(TypeError, match="dtype float32, which sets do not hold"):
        tf.sets.union(tf.constant([[1., 2.]]), tf.constant([[2.]]))
    with pytest.raises(TypeError, match="dtypes differ: int32 and int64"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[2]], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"rank 2 or more .* received shape \[2\]"):
        tf.sets.intersection(tf.constant([1, 2]), tf.constant([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"differ outside the last axis: \[2\] and \[1\]"):
        tf.sets.union(tf.constant([[1, 2], [3, 4]]), tf.constant([[2]]))
    with pytest.raises(TypeError, match="tf.sets.size: expected a SparseTensor"):
        tf.sets.size(tf.constant([[1, 2]]))
    unordered = tf.SparseTensor([[1, 0], [0, 0]], tf.constant([4, 2]), [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0, 0\] is out of order"):
        tf.sets.size(unordered)


def test_sets_v1_spellings(tf):
    v1 = tf.compat.v1.sets
    assert v1.set_union is tf.sets.union and v1.set_size is tf.sets.size
    out = v1.set_difference(tf.constant([[2, 3, 5, 7], [7, 9, 0, 0]]), tf.constant([[4, 5, 6], [9, 10, 0]]))
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), [[2, 3, 7], [7, 0, 0]])


# ------------------------------------------------------------------------------------------------- tf.queue
def test_queue_that_would_block_raises_instead(tf):
    from dendrite.compat.tf_queue import QueueWouldBlockError
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[()])
    with pytest.raises(QueueWouldBlockError, match="empty|can give 0"):
        q.dequeue()
    q.enqueue_many([[1, 2]])
    with pytest.raises(QueueWouldBlockError, match=r"do not fit \(capacity 2, 2 held\).*Nothing was enqueued"):
        q.enqueue(3)
    with pytest.raises(QueueWouldBlockError, match="asks for 3"):
        q.dequeue_up_to(3)  # an open queue: TensorFlow waits for 3 or the close
    assert int(q.size()) == 2
    rq = tf.queue.RandomShuffleQueue(5, 2, tf.int32, shapes=[()], seed=1)
    rq.enqueue_many([[1, 2, 3]])
    rq.dequeue()
    with pytest.raises(QueueWouldBlockError, match="can give 0 \\(2 held\\)"):
        rq.dequeue()  # min_after_dequeue keeps 2 back while open


def test_closed_queue_errors(tf):
    q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    q.enqueue([1, b"a"])
    q.close()
    with pytest.raises(tf.errors.CancelledError, match="is closed"):
        q.enqueue([2, b"b"])
    with pytest.raises(tf.errors.OutOfRangeError, match=r"insufficient elements \(requested 2, current size 1\)"):
        q.dequeue_many(2)
    number, word = q.dequeue()
    assert int(number) == 1 and word.numpy() == b"a"
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue()
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue_up_to(4)


def test_queue_refuses_bad_elements(tf):
    q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected 2 component"):
        q.enqueue([1])
    with pytest.raises(TypeError, match="cannot convert 1.5 to a component of dtype int32"):
        q.enqueue([1.5, b"x"])
    with pytest.raises(TypeError, match="cannot convert 2 to a component of dtype string"):
        q.enqueue([1, 2])
    with pytest.raises(ValueError, match=r"shape \(2,\) does not fit"):
        q.enqueue([[1, 2], b"x"])
    with pytest.raises(ValueError, match="same first dimension"):
        q.enqueue_many([[1, 2], [b"x"]])
    with pytest.raises(TypeError, match="Tensor of dtype int64"):
        q.enqueue([tf.constant(1, tf.int64), b"x"])
    named = tf.queue.FIFOQueue(3, [tf.int32], names=["a"], shapes=[()])
    with pytest.raises(ValueError, match="enqueue a dictionary"):
        named.enqueue([1])
    with pytest.raises(ValueError, match="same length as the list of dtypes"):
        tf.queue.FIFOQueue(5, [tf.int32], names=["a", "b"])
    unshaped = tf.queue.FIFOQueue(3, tf.float32)
    unshaped.enqueue(1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="require the components to have specified shapes"):
        unshaped.dequeue_many(1)
    with pytest.raises(ValueError, match="known rank"):
        tf.queue.PaddingFIFOQueue(3, [tf.int32, tf.int32], shapes=[[None], None])
    with pytest.raises(ValueError, match="fully defined"):
        tf.queue.FIFOQueue(3, [tf.int32], shapes=[[None, 2]])
    assert q.size().numpy() == 0 and not q.is_closed().numpy()


def test_priority_queue_keeps_arrival_order_among_equal_priorities(tf):
    q = tf.queue.PriorityQueue(4, [tf.string], shapes=[()])
    for priority, word in [(7, b"p"), (3, b"c"), (7, b"q")]:
        q.enqueue((priority, word))
    assert [q.dequeue()[1].numpy() for _ in range(3)] == [b"c", b"p", b"q"]
    with pytest.raises(TypeError, match="dtype int64"):
        q.enqueue((1.5, b"x"))


def test_random_shuffle_queue_follows_its_seed(tf):
    def order(seed):
        q = tf.queue.RandomShuffleQueue(10, 0, tf.int32, shapes=[()], seed=seed)
        q.enqueue_many([list(range(8))])
        return q.dequeue_many(8).numpy().tolist()
    assert order(3) == order(3) and sorted(order(3)) == list(range(8)) and order(3) != list(range(8))
