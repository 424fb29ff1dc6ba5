"""Writes what TensorFlow gives for the programs of tests/compat/test_tf_core_fixtures.py: gradients of gradients
(nested tapes, a persistent tape inside its context, a WGAN-GP gradient penalty, a Hessian by jacobian),
tf.sparse and tf.IndexedSlices (not run in CI; needs TensorFlow: /work/bvenv/bin/python
tools/make_tf_core_fixtures.py).

Each case is a short program over ``tf`` and ``np`` that leaves its answer in ``result`` (a tensor or a list of
tensors); the same text runs against dendrite's compatibility ``tensorflow`` in the test.
``tests/fixtures/tf_compat/core.json`` holds each case's values as nested lists.
"""
import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_compat", "core.json")

_DATA = """
rs = np.random.RandomState(0)
x0 = rs.randn(3, 4)
w1 = tf.Variable(rs.randn(4, 5) * 0.5)
b1 = tf.Variable(rs.randn(5) * 0.1)
w2 = tf.Variable(rs.randn(5, 1) * 0.5)
"""

CASES = {
    "second_derivatives": """
x = tf.Variable([0.3, -0.7, 1.2], dtype=tf.float64)
result = []
for f in (lambda v: v ** 3, tf.tanh, tf.sigmoid, tf.nn.softplus, tf.nn.elu, tf.exp, lambda v: tf.math.log(v + 2.0),
          lambda v: tf.sqrt(v + 2.0), tf.nn.swish, lambda v: 1.0 / (v + 2.0), tf.nn.relu, tf.nn.leaky_relu):
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = tf.reduce_sum(f(x) * f(x))
        g = t1.gradient(y, x)
    result.append(t2.gradient(g, x))
""",
    "persistent_inside_context": """
x = tf.Variable(2.0, dtype=tf.float64)
with tf.GradientTape(persistent=True) as t:
    y = x * x * x + tf.exp(x)
    dy = t.gradient(y, x)
    d2y = t.gradient(dy, x)
result = [dy, d2y]
""",
    "gradient_penalty_mlp": _DATA + """
def critic(v):
    h = tf.nn.leaky_relu(tf.matmul(v, w1) + b1, alpha=0.2)
    return tf.matmul(tf.tanh(h), w2)
real = tf.constant(x0)
fake = tf.constant(np.cos(x0))
alpha = tf.constant([[0.25], [0.5], [0.75]], dtype=tf.float64)
with tf.GradientTape() as tape:
    inter = real + alpha * (fake - real)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(inter)
        pred = critic(inter)
    grads = gp_tape.gradient(pred, [inter])[0]
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1]))
    gp = tf.reduce_mean((norm - 1.0) ** 2)
    loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + 10.0 * gp
result = tape.gradient(loss, [w1, b1, w2])
""",
    "hessian_vector_product": _DATA + """
v = [tf.ones_like(w1), tf.ones_like(b1) * 0.5, tf.ones_like(w2) * -1.0]
x = tf.constant(x0)
labels = tf.constant([0, 2, 1])
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        logits = tf.concat([tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2), tf.matmul(x, w1)[:, :2]], axis=1)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    grads = inner.gradient(loss, [w1, b1, w2])
    dot = tf.add_n([tf.reduce_sum(g * u) for g, u in zip(grads, v)])
result = outer.gradient(dot, [w1, b1, w2])
""",
    "hessian_by_jacobian": """
x = tf.Variable([[0.5, -1.0, 2.0]], dtype=tf.float64)
w = tf.constant([[1.0, 0.5], [-0.3, 0.8], [0.2, -0.6]], dtype=tf.float64)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = tf.reduce_sum(tf.nn.softmax(tf.matmul(x, w)) * tf.constant([[1.0, 3.0]], dtype=tf.float64))
    g = t1.gradient(y, x)
result = t2.jacobian(g, x)
""",
    "sparse_basics": """
sp = tf.SparseTensor(indices=[[1, 2], [0, 0], [2, 1]], values=[3.0, 4.0, -1.0], dense_shape=[3, 4])
ordered = tf.sparse.reorder(sp)
dense = tf.constant([[0.0, 1.5], [2.0, 0.0], [0.0, 0.0]])
fd = tf.sparse.from_dense(dense)
other = tf.SparseTensor([[0, 0], [2, 3]], [1.0, -3.0], [3, 4])
added = tf.sparse.add(ordered, other)
result = [ordered.indices, ordered.values, ordered.dense_shape, tf.sparse.to_dense(ordered),
          tf.sparse.to_dense(ordered, default_value=-1.0), fd.indices, fd.values, fd.dense_shape,
          tf.sparse.sparse_dense_matmul(ordered, tf.reshape(tf.range(8.0), [4, 2])),
          tf.sparse.sparse_dense_matmul(ordered, tf.ones([3, 2]), adjoint_a=True),
          tf.sparse.reduce_sum(sp), tf.sparse.reduce_sum(sp, axis=1), tf.sparse.reduce_sum(sp, axis=0, keepdims=True),
          added.indices, added.values, tf.sparse.add(ordered, tf.ones([3, 4])),
          tf.sparse.to_dense(tf.sparse.transpose(ordered)), tf.sparse.reduce_max(ordered, axis=1)]
""",
    "sparse_gradients": """
v = tf.Variable([3.0, 4.0])
w = tf.Variable(tf.reshape(tf.range(8.0), [4, 2]) / 4.0)
with tf.GradientTape() as t:
    spv = tf.SparseTensor([[0, 0], [1, 2]], v, [3, 4])
    y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(spv, w) ** 2) + tf.reduce_sum(tf.sparse.to_dense(spv) ** 3)
result = t.gradient(y, [v, w])
""",
    "indexed_slices": """
emb = tf.Variable(tf.reshape(tf.range(10.0), [5, 2]))
with tf.GradientTape() as t:
    z = tf.reduce_sum(tf.gather(emb, [0, 2, 2]) * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
g = t.gradient(z, emb)
s = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([2, 0]), tf.constant([3, 2]))
result = [tf.convert_to_tensor(g), tf.convert_to_tensor(s), s.values, s.indices, s.dense_shape]
""",
}


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return np.asarray(value).tolist()


def main():
    out = {}
    for name, program in CASES.items():
        scope = {"tf": tf, "np": np}
        exec(program, scope)  # noqa: S102 - the fixture programs above, run in TensorFlow
        out[name] = {"program": program, "result": plain(scope["result"])}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"tensorflow": tf.__version__, "cases": out}, f, indent=1)
    print(f"wrote {len(out)} cases to {OUT}")


if __name__ == "__main__":
    main()
