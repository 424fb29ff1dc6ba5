"""Writes what TensorFlow gives for tf.* expressions that tutorials use, for tests/compat/test_tf_fixtures.py
(not run in CI; needs TensorFlow, e.g. /work/bvenv/bin/python tools/make_tf_compat_fixtures.py).

Each case is a Python expression over ``tf`` and ``np``; the same text runs against dendrite's compatibility
``tensorflow`` in the test. ``tests/fixtures/tf_compat/expressions.json`` holds, per expression, the value
(nested lists; bytes as {"bytes": text}), the dtype name and the shape, or the exception's class name when
TensorFlow raises. A tuple or list of tensors is stored as a list of such entries.
"""
import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_compat")

CASES = [
    # creation and dtypes
    "tf.constant([1, 2, 3])", "tf.constant(1.5)", "tf.constant([[1.0, 2.0]], dtype=tf.float64)",
    "tf.constant(0, shape=[2, 3])", "tf.constant('hello')", "tf.constant(['a', 'bc'])",
    "tf.convert_to_tensor(np.arange(4))", "tf.convert_to_tensor([1.0, 2.0], dtype=tf.float16)",
    "tf.zeros([2, 2])", "tf.ones([3], dtype=tf.int32)", "tf.fill([2, 2], 7)", "tf.zeros_like(tf.constant([1, 2]))",
    "tf.ones_like(tf.constant([[1.0]]))", "tf.range(5)", "tf.range(1, 10, 3)", "tf.range(0.0, 1.0, 0.25)",
    "tf.linspace(0.0, 1.0, 5)", "tf.eye(3)", "tf.one_hot([0, 2, 5], 3)", "tf.one_hot([1, 0], 2, on_value=5.0, off_value=-1.0)",
    # casts and shapes
    "tf.cast([1.7, -1.7, 2.5], tf.int32)", "tf.cast(tf.constant([1, 0, 2]), tf.bool)", "tf.cast([True, False], tf.float32)",
    "tf.reshape(tf.range(6), [2, 3])", "tf.reshape(tf.range(6), [-1, 2])", "tf.transpose(tf.reshape(tf.range(6), [2, 3]))",
    "tf.transpose(tf.reshape(tf.range(24), [2, 3, 4]), perm=[2, 0, 1])", "tf.expand_dims([1, 2], axis=-1)",
    "tf.squeeze(tf.zeros([1, 3, 1]))", "tf.squeeze(tf.zeros([1, 3, 1]), axis=[0])", "tf.shape(tf.zeros([2, 5]))",
    "tf.size(tf.zeros([2, 5]))", "tf.rank(tf.zeros([2, 5]))", "tf.concat([[1, 2], [3, 4]], axis=0)",
    "tf.concat([[[1], [2]], [[3], [4]]], axis=1)", "tf.stack([[1, 2], [3, 4]], axis=1)", "tf.unstack([[1, 2], [3, 4]])",
    "tf.split(tf.range(6), 3)", "tf.split(tf.range(6), [1, 5])", "tf.tile([[1, 2]], [2, 3])",
    "tf.pad([[1, 2], [3, 4]], [[1, 0], [0, 2]])", "tf.pad([[1, 2], [3, 4]], [[1, 1], [1, 1]], mode='REFLECT')",
    "tf.broadcast_to([1, 2], [3, 2])", "tf.gather([10, 20, 30], [2, 0])", "tf.gather([[1, 2], [3, 4]], [1], axis=1)",
    "tf.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]])", "tf.boolean_mask([1, 2, 3, 4], [True, False, True, False])",
    "tf.where([True, False, True])", "tf.where([True, False], [1, 2], [10, 20])",
    # reductions and arithmetic
    "tf.reduce_sum([[1, 2], [3, 4]])", "tf.reduce_sum([[1, 2], [3, 4]], axis=0)", "tf.reduce_sum([[1.0, 2.0]], 1, keepdims=True)",
    "tf.reduce_mean([1, 2, 4])", "tf.reduce_mean([1.0, 2.0, 4.0])", "tf.reduce_max([[1, 5], [3, 2]], axis=1)",
    "tf.reduce_min([[1.0, 5.0], [3.0, 2.0]])", "tf.reduce_prod([1, 2, 3, 4])", "tf.reduce_any([False, True])",
    "tf.reduce_all([[True, False]], axis=1)", "tf.reduce_logsumexp([1.0, 2.0, 3.0])", "tf.math.reduce_std([1.0, 2.0, 4.0])",
    "tf.math.reduce_variance([[1.0, 2.0], [3.0, 6.0]], axis=0)", "tf.argmax([[1, 9, 3], [7, 2, 8]])",
    "tf.argmax([[1, 9, 3], [7, 2, 8]], axis=1)", "tf.argmin([3.0, 1.0, 2.0])", "tf.math.argmax([1, 3, 2], output_type=tf.int32)",
    "tf.matmul([[1.0, 2.0]], [[3.0], [4.0]])", "tf.matmul([[1, 2], [3, 4]], [[1, 0], [0, 1]], transpose_a=True)",
    "tf.add_n([[1, 2], [3, 4], [5, 6]])", "tf.add(1, 2)", "tf.subtract([5.0], [2.5])", "tf.multiply([2, 3], 4)",
    "tf.divide(7, 2)", "tf.divide([7.0], 2.0)", "tf.math.floordiv(7, 2)", "tf.maximum([1, 5], [3, 2])",
    "tf.minimum([1.0, 5.0], 2.0)", "tf.pow(2.0, [1.0, 3.0])", "tf.square([1, -2])", "tf.sqrt([4.0, 9.0])",
    "tf.exp([0.0, 1.0])", "tf.math.log([1.0, 10.0])", "tf.abs([-1.5, 2.0])", "tf.negative([1, -2])",
    "tf.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0)", "tf.sigmoid([0.0, 2.0])", "tf.tanh([0.5])",
    "tf.math.sign([-2.0, 0.0, 3.0])", "tf.math.round([0.5, 1.5, 2.5, -0.5])", "tf.math.floor([1.7, -1.2])",
    "tf.math.ceil([1.2, -1.7])", "tf.math.log1p([0.0, 1.0])", "tf.math.reciprocal([2.0, 4.0])",
    "tf.math.squared_difference([1.0, 5.0], [3.0, 1.0])", "tf.math.cumsum([1, 2, 3])", "tf.math.cumsum([1, 2, 3], reverse=True)",
    "tf.math.count_nonzero([0, 1, 2, 0])", "tf.math.is_nan([1.0, float('nan')])", "tf.math.is_finite([1.0, float('inf')])",
    "tf.math.confusion_matrix([0, 1, 2, 1], [0, 2, 2, 1])", "tf.math.bincount([1, 1, 3])",
    "tf.math.in_top_k([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]], k=1)", "tf.math.top_k([1.0, 4.0, 2.0, 3.0], k=2)",
    "tf.tensordot([[1.0, 2.0]], [[3.0], [4.0]], axes=1)", "tf.einsum('ij,jk->ik', tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]]))",
    # comparisons and logic
    "tf.equal([1, 2, 3], [1, 0, 3])", "tf.not_equal([1, 2], 2)", "tf.greater([1, 5], 3)", "tf.greater_equal([3.0], 3.0)",
    "tf.less([1, 5], [2, 2])", "tf.less_equal([1, 5], 1)", "tf.logical_and([True, True], [True, False])",
    "tf.logical_or([False, False], [True, False])", "tf.logical_not([True, False])", "tf.math.logical_xor([True], [True])",
    "tf.constant([1, 2, 3]) == tf.constant([1, 0, 3])", "tf.constant([1.0, 2.0]) != 2.0",
    "tf.constant([[1, 2], [3, 4]])[1]", "tf.constant([[1, 2], [3, 4]])[:, 0]", "tf.constant([1, 2, 3])[tf.newaxis, :]",
    "tf.constant([1.0, 2.0]) + np.array([1.0, 1.0], np.float32)", "tf.constant([1, 2]) * 3", "2.0 ** tf.constant([1.0, 2.0])",
    "tf.nn.max_pool(tf.reshape(tf.range(2 * 2 * 2 * 6, dtype=tf.float32) % 5, [2, 2, 2, 6]), ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3), padding='VALID')",
    "tf.range(5, dtype=tf.float32) % 2", "tf.constant([7.0, -8.0]) // 2", "7 % tf.constant([2.0, 3.0])",
    "tf.range(5) % 2", "tf.range(5) // 2",
    # nn, 3-D volumes
    "tf.nn.conv3d(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), tf.reshape(tf.range(2 * 2 * 2 * 2 * 3, dtype=tf.float32) % 5 / 4.0 - 0.5, [2, 2, 2, 2, 3]), strides=[1, 1, 1, 1, 1], padding='SAME')",
    "tf.nn.conv3d(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), tf.reshape(tf.range(2 * 2 * 2 * 2 * 3, dtype=tf.float32) % 5 / 4.0 - 0.5, [2, 2, 2, 2, 3]), strides=[1, 2, 1, 2, 1], padding='VALID')",
    "tf.nn.convolution(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), tf.reshape(tf.range(2 * 2 * 2 * 2 * 3, dtype=tf.float32) % 5 / 4.0 - 0.5, [2, 2, 2, 2, 3]), padding='VALID')",
    "tf.nn.conv3d_transpose(tf.nn.conv3d(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), tf.reshape(tf.range(2 * 2 * 2 * 2 * 3, dtype=tf.float32) % 5 / 4.0 - 0.5, [2, 2, 2, 2, 3]), [1, 2, 2, 2, 1], 'SAME'), tf.reshape(tf.range(2 * 2 * 2 * 2 * 3, dtype=tf.float32) % 3 / 2.0 - 0.5, [2, 2, 2, 2, 3]), [2, 4, 4, 4, 2], [1, 2, 2, 2, 1], 'SAME')",
    "tf.nn.max_pool3d(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), ksize=[1, 2, 2, 2, 1], strides=[1, 2, 2, 2, 1], padding='VALID')",
    "tf.nn.avg_pool3d(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), ksize=3, strides=2, padding='SAME')",
    "tf.nn.max_pool(tf.reshape(tf.range(2 * 4 * 4 * 4 * 2, dtype=tf.float32) % 7 / 5.0, [2, 4, 4, 4, 2]), ksize=2, strides=2, padding='SAME')",
    # nn
    "tf.nn.relu([-1.0, 2.0])", "tf.nn.softmax([1.0, 2.0, 3.0])", "tf.nn.softmax([[-1.0, 5.0]])", "tf.nn.log_softmax([1.0, 2.0])",
    "tf.nn.sigmoid([0.0])", "tf.nn.elu([-1.0, 1.0])", "tf.nn.selu([-1.0, 1.0])", "tf.nn.softplus([0.0, 1.0])",
    "tf.nn.leaky_relu([-1.0, 1.0])", "tf.nn.leaky_relu([-1.0, 1.0], alpha=0.1)", "tf.nn.relu6([-1.0, 7.0])",
    "tf.nn.gelu([-1.0, 0.5])", "tf.nn.swish([1.0])", "tf.nn.l2_loss([1.0, 2.0, 3.0])", "tf.nn.l2_normalize([3.0, 4.0])",
    "tf.math.l2_normalize([[1e-7, 2e-7], [3.0, 4.0]])", "tf.math.l2_normalize([[1e-7, 2e-7], [3.0, 4.0]], axis=1)",
    "tf.nn.l2_normalize([1e-8, 0.0])", "tf.linalg.l2_normalize([[1.0, 2.0], [2.0, 4.0]], axis=0, epsilon=100.0)",
    "tf.nn.moments(tf.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])",
    "tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1.0, 3.0]])",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=[[1.0, 3.0], [2.0, 0.5]])",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.5, -150.0])",
    "tf.nn.bias_add([[1.0, 2.0]], [0.5, -0.5])",
    "tf.nn.conv2d(tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), strides=1, padding='VALID')",
    "tf.nn.conv2d(tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1]), tf.ones([3, 3, 1, 2]), strides=[1, 2, 2, 1], padding='SAME')",
    "tf.nn.max_pool2d(tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1]), ksize=2, strides=2, padding='VALID')",
    "tf.nn.avg_pool2d(tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1]), ksize=2, strides=2, padding='SAME')",
    "tf.nn.embedding_lookup(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), [2, 0])",
    # linalg
    "tf.linalg.inv([[2.0, 0.0], [0.0, 4.0]])", "tf.linalg.det([[1.0, 2.0], [3.0, 4.0]])", "tf.norm([3.0, 4.0])",
    "tf.linalg.trace([[1.0, 2.0], [3.0, 4.0]])", "tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])",
    "tf.linalg.diag([1.0, 2.0])", "tf.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [8.0]])",
    # strings and keras helpers tutorials call directly
    "tf.strings.lower(['Hello World'])", "tf.strings.split(['a b c'])", "tf.strings.regex_replace(['a<br />b'], '<br />', ' ')",
    "tf.keras.utils.to_categorical([0, 2], 3)", "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(tf.constant([1]), tf.constant([[1.0, 2.0, 0.5]]))",
    "tf.keras.losses.BinaryCrossentropy(from_logits=True)([[1.0], [0.0]], [[0.3], [-2.0]])",
    "tf.keras.losses.MeanSquaredError()([[1.0, 2.0]], [[1.5, 1.0]])", "tf.keras.activations.softmax(tf.constant([[-1.0, 5.0]]))",
    "tf.keras.metrics.BinaryAccuracy(threshold=0.0)([[1.0], [0.0]], [[0.3], [0.2]])",
]


def _plain(value):
    if isinstance(value, (tuple, list)) and not isinstance(value, np.ndarray) and value and hasattr(value[0], "numpy"):
        return [_plain(v) for v in value]
    if hasattr(value, "indices") and hasattr(value, "values"):  # top_k's named tuple
        return [_plain(value.values), _plain(value.indices)]
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    data = arr.tolist()
    if arr.dtype.kind in "OS":
        arr = arr.astype(object)
        data = json.loads(json.dumps(data, default=lambda b: {"bytes": b.decode("utf-8")}))
    elif arr.dtype.kind == "f":
        data = np.where(np.isnan(arr), None, arr).tolist() if np.isnan(arr).any() else data
    return {"value": data, "dtype": tf.as_dtype(arr.dtype).name if arr.dtype.kind != "O" else "string",
            "shape": list(arr.shape)}


def main():
    results = {}
    for case in CASES:
        try:
            results[case] = _plain(eval(case, {"tf": tf, "np": np}))
        except Exception as e:  # noqa: BLE001 - TensorFlow refusing the expression is itself the fixture
            results[case] = {"error": type(e).__name__}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expressions.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "cases": results}, f, indent=0, sort_keys=True)
    print(f"{len(results)} cases, {sum('error' in r for r in results.values())} raised; written to {OUT}")


if __name__ == "__main__":
    main()
