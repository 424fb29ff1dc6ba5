"""Writes what TensorFlow gives for the programs of tests/compat/test_tf_sets_queue.py: tf.Variable's scatter
methods (with a tf.IndexedSlices lacking dense_shape), tf.sets and tf.queue (not run in CI; needs TensorFlow:
/work/bvenv/bin/python tools/make_tf_sets_fixtures.py).

Each case is a short program over ``tf`` and ``np`` that leaves its answer in ``result`` (a list of tensors);
the same text runs against dendrite's compatibility ``tensorflow`` in the test. The fixture keeps each tensor's
dtype name and its values as nested lists (byte strings decoded), in tests/fixtures/tf_compat/sets_queue.json.
No program dequeues from an empty open queue (TensorFlow would wait forever there).
"""
import json
import pathlib

import numpy as np
import tensorflow as tf

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tf_compat" / "sets_queue.json"

CASES = {
    "scatter_nd": """
v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
r = v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100., 200.])
a = tf.Variable(tf.zeros([3, 2]))
a.scatter_nd_add([[0, 1], [0, 1], [2, 0]], [1., 2., 5.])
a.scatter_nd_sub([[1]], [[3., 4.]])
m = tf.Variable([5, 1, 7, 3])
m.scatter_nd_max([[0], [1]], [2, 9])
m.scatter_nd_min([[2], [3]], [4, 8])
result = [tf.convert_to_tensor(r), tf.convert_to_tensor(v), tf.convert_to_tensor(a), tf.convert_to_tensor(m)]
""",
    "scatter_rows": """
v = tf.Variable([[1., 2., 3.], [4., 5., 6.]])
v.scatter_update(tf.IndexedSlices(values=[[1., 2., 3.], [4., 5., 6.]], indices=[1, 0]))
after_update = tf.convert_to_tensor(v)
v.scatter_add(tf.IndexedSlices(tf.constant([[1., 1., 1.], [2., 2., 2.]]), tf.constant([0, 0])))
v.scatter_sub(tf.IndexedSlices(tf.constant([[1., 1., 1.]]), tf.constant([1])))
v.scatter_max(tf.IndexedSlices(tf.constant([[500., 0., 0.]]), tf.constant([1])))
v.scatter_min(tf.IndexedSlices(tf.constant([[-5., 0., 9.]]), tf.constant([1])))
v.scatter_mul(tf.IndexedSlices(tf.constant([[2., 3., 4.]]), tf.constant([0])))
v.scatter_div(tf.IndexedSlices(tf.constant([[4., 2., 1.]]), tf.constant([1])))
i = tf.Variable([1, 2, 3])
i.scatter_add(tf.IndexedSlices(tf.constant([5, 5]), tf.constant([0, 0])))
lists = tf.Variable([[0., 0.], [0., 0.]])
lists.scatter_update(tf.IndexedSlices([[1, 2]], [1]))
result = [after_update, tf.convert_to_tensor(v), tf.convert_to_tensor(i), tf.convert_to_tensor(lists)]
""",
    "sets_dense": """
a = tf.constant([[1, 5, 9], [10, 0, 0]])
b = tf.constant([[5, 6, 9, 11], [13, 0, 0, 0]])
result = []
for sp in (tf.sets.union(a, b), tf.sets.intersection(a, b), tf.sets.difference(a, b),
           tf.sets.difference(a, b, aminusb=False)):
    result += [sp.indices, sp.values, sp.dense_shape, tf.sparse.to_dense(sp, default_value=-1)]
result.append(tf.sets.size(tf.sets.union(a, b)))
""",
    "sets_padding_and_rank3": """
a = tf.constant([[1, 5, 9], [10, -1, -1]])
b = tf.constant([[5, 6, 9, 11], [13, -1, -1, -1]])
u = tf.sets.union(a, b)
r3 = tf.sets.union(tf.constant([[[1, 2], [3, 3]]]), tf.constant([[[2], [4]]]))
empty = tf.sets.intersection(tf.constant([[1, 2], [3, 4]]), tf.constant([[5], [6]]))
big = tf.sets.union(tf.constant([[7, 3]], tf.int64), tf.constant([[3, -2]], tf.int64))
result = [u.values, u.dense_shape, tf.sparse.to_dense(u, default_value=-1), r3.indices, r3.values,
          r3.dense_shape, tf.sets.size(r3), empty.indices, empty.values, empty.dense_shape, big.values,
          big.indices]
""",
    "sets_sparse_and_strings": """
a = tf.constant([[1, 5, 9], [10, 0, 0]])
sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([4, 2, 7]), [2, 3])
s = tf.sets.union(tf.constant([[b"b", b"a"]]), tf.constant([[b"c", b"a"]]))
result = []
for out in (tf.sets.union(a, sp), tf.sets.union(sp, a), tf.sets.difference(sp, a), tf.sets.difference(a, sp),
            tf.sets.intersection(sp, sp), s):
    result += [out.indices, out.values, out.dense_shape]
unordered = tf.SparseTensor([[1, 0], [0, 0]], tf.constant([4, 2]), [2, 3])
result += [tf.sets.size(sp), tf.sets.size(unordered, validate_indices=False),
           tf.sets.size(tf.SparseTensor([[0, 1, 0], [1, 0, 2]], [3, 4], [2, 2, 3])),
           tf.sets.size(tf.SparseTensor([[0, 0], [0, 1]], tf.constant([4, 4]), [1, 3]))]
""",
    "fifo_queue": """
q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
q.enqueue([10, b"windy"])
q.enqueue([15, b"sunny"])
result = [q.size()]
result += q.dequeue()
q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
result += q.dequeue_many(3)
q.enqueue([1, b"a"])
q.enqueue([2, b"b"])
q.close()
result += [q.is_closed(), q.size()]
result += q.dequeue_up_to(5)
one = tf.queue.FIFOQueue(5, tf.float32)
one.enqueue(1.0)
one.enqueue([2.0])
one.enqueue([[2.0, 3.0]])
result += [one.dequeue(), one.dequeue(), one.dequeue()]
named = tf.queue.FIFOQueue(5, [tf.int32, tf.float32], shapes=[[], [2]], names=["a", "b"])
named.enqueue({"a": 1, "b": [1., 2.]})
named.enqueue_many({"a": [2, 3], "b": [[1., 2.], [3, 4]]})
d = named.dequeue()
many = named.dequeue_many(2)
result += [d["a"], d["b"], many["a"], many["b"], named.dequeue_many(0)["b"]]
""",
    "padding_and_priority_queues": """
pq = tf.queue.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], []])
pq.enqueue([[1, 2, 3], b"x"])
pq.enqueue([[4], b"y"])
result = pq.dequeue_many(2)
pq.enqueue([[4], b"y"])
result += pq.dequeue()
prq = tf.queue.PriorityQueue(5, [tf.string], shapes=[()])
prq.enqueue((3, b"c"))
prq.enqueue((1, b"a"))
prq.enqueue_many(([2, 0], [b"b", b"z"]))
result += prq.dequeue()
result += prq.dequeue_many(2)
rq = tf.queue.RandomShuffleQueue(10, 2, tf.int32, shapes=[()], seed=42)
rq.enqueue_many([[1, 2, 3, 4, 5]])
first = rq.dequeue_many(3)
rq.close()
rest = rq.dequeue_up_to(5)
result += [tf.sort(tf.concat([first, rest], 0)), tf.shape(first), rq.size()]
""",
}


def plain(value):
    """[dtype name, values as nested lists], byte strings decoded; a list of those for a list."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    arr = np.asarray(value)
    name = tf.as_dtype(value.dtype).name if hasattr(value, "dtype") else str(arr.dtype)
    if arr.dtype.kind in "OS":
        return [name, np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(arr).tolist() if arr.size
                else arr.tolist()]
    return [name, arr.tolist()]


def run(program):
    """The program's ``result`` in TensorFlow, each tensor as plain() gives it."""
    scope = {"tf": tf, "np": np}
    exec(program, scope)  # noqa: S102 - the fixture programs above, run in TensorFlow
    return [plain(v) for v in scope["result"]]


def main():
    cases = {name: {"program": program, "result": run(program)} for name, program in CASES.items()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"tensorflow": tf.__version__, "cases": cases}, indent=1))
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
