"""Gradients of gradients (dendrite/autodiff/higher_order.py): each op's differentiable gradient rule checked
with dendrite.testing.check_grads, whose tape differentiates a function that itself returns an inner tape's
gradient (so the outer tape records the inner backward walk), against finite differences of that gradient."""
import numpy as np
import pytest

from dendrite import autodiff
from dendrite.autodiff import GradientTape, Tensor, Variable, higher_order, ops
from dendrite.autodiff.ops import shape as shape_ops
from dendrite.testing import check_grads


def inner_gradient(f, *xs):
    """d sum(f(*xs) ** 2) / d xs, flattened and joined: a Tensor the outer tape (check_grads's) can follow."""
    with GradientTape() as inner:
        for x in xs:
            inner.watch(x)
        y = ops.sum(ops.square(f(*xs)))
    grads = inner.gradient(y, list(xs))
    grads = [g if isinstance(g, Tensor) else Tensor(g) for g in grads]
    return ops.concatenate([ops.reshape(g, (-1,)) for g in grads], 0)


RS = np.random.RandomState(0)
A = RS.uniform(0.5, 1.5, (3, 4)) * np.sign(RS.randn(3, 4))  # away from 0: no kinks in relu / abs
B = RS.uniform(0.5, 1.5, (3, 4))
M = RS.randn(4, 2)

UNARY = {
    "negative": ops.negative, "exp": ops.exp, "log": lambda a: ops.log(ops.add(ops.abs(a), 1.0)),
    "sqrt": lambda a: ops.sqrt(ops.add(ops.square(a), 1.0)), "square": ops.square, "abs": ops.abs,
    "clip": lambda a: ops.clip(a, -0.9, 0.9), "power_scalar": lambda a: ops.power(ops.abs(a), 2.5),
    "cast": lambda a: ops.cast(a, "float64"), "sum": lambda a: ops.sum(a, axis=1), "mean": lambda a: ops.mean(a, 0),
    "sum_keepdims": lambda a: ops.sum(a, axis=1, keepdims=True), "max": lambda a: ops.max(a, axis=1),
    "min": lambda a: ops.min(a, axis=0), "logsumexp": lambda a: ops.logsumexp(a, axis=1),
    "reshape": lambda a: ops.reshape(a, (4, 3)), "transpose": ops.transpose, "getitem": lambda a: a[1:, ::2],
    "take": lambda a: ops.take(a, np.array([0, 2, 2]), axis=1), "pad": lambda a: ops.pad(a, ((1, 0), (0, 2))),
    "broadcast_to": lambda a: ops.broadcast_to(ops.sum(a, 0, keepdims=True), (3, 4)),
    "concatenate": lambda a: ops.concatenate([a, ops.square(a)], 1), "stack": lambda a: ops.stack([a, a * 2.0]),
    "scatter_add": lambda a: shape_ops.ScatterAdd((np.array([0, 2, 0]),), (4, 4))(a),
    "relu": ops.relu, "leaky_relu": lambda a: ops.leaky_relu(a, 0.3), "sigmoid": ops.sigmoid, "tanh": ops.tanh,
    "softmax": ops.softmax, "log_softmax": ops.log_softmax, "elu": ops.elu, "selu": ops.selu,
    "softplus": ops.softplus, "softsign": ops.softsign, "swish": ops.swish, "hard_sigmoid": ops.hard_sigmoid,
    "dropout": lambda a: ops.dropout(a, 0.5, seed=3), "matmul": lambda a: ops.matmul(a, M),
    "matmul_vector": lambda a: ops.matmul(a, M[:, 0]), "vector_matmul": lambda a: ops.matmul(a[0], M),
    "dense": lambda a: ops.dense(ops.reshape(a, (3, 2, 2)), M[:2], M[2]),
    "einsum": lambda a: autodiff.ops.einsum.einsum("ij,jk->ik", a, M),
    "sigmoid_cross_entropy": lambda a: ops.sigmoid_cross_entropy(a, (B > 1).astype(float)),
    "softmax_cross_entropy": lambda a: ops.softmax_cross_entropy(a, B / B.sum(1, keepdims=True)),
    "sparse_softmax_cross_entropy": lambda a: ops.sparse_softmax_cross_entropy(a, np.array([0, 3, 1])),
}

BINARY = {
    "add": ops.add, "subtract": ops.subtract, "multiply": ops.multiply, "divide": ops.divide,
    "power": lambda a, b: ops.power(b, a), "maximum": ops.maximum, "minimum": ops.minimum,
    "where": lambda a, b: ops.where(A > 0, a, b), "matmul": lambda a, b: ops.matmul(a, ops.transpose(b)),
    "broadcast": lambda a, b: ops.multiply(a, ops.sum(b, axis=0)),
    "batched_matmul": lambda a, b: ops.matmul(ops.reshape(a, (3, 2, 2)), ops.reshape(ops.sum(b, 0), (2, 2))),
    "einsum_two": lambda a, b: autodiff.ops.einsum.einsum("ij,ik->jk", a, b),
    "sigmoid_cross_entropy_labels": lambda a, b: ops.sigmoid_cross_entropy(a, ops.sigmoid(b)),
    "softmax_cross_entropy_labels": lambda a, b: ops.softmax_cross_entropy(a, ops.softmax(b)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_second_order_of_unary_op(name):
    check_grads(lambda a: inner_gradient(UNARY[name], a), [A])


@pytest.mark.parametrize("name", sorted(BINARY))
def test_second_order_of_binary_op(name):
    check_grads(lambda a, b: inner_gradient(BINARY[name], a, b), [A, B])


def test_second_order_through_layer_weights():
    """The gradient penalty's pattern: d/dW of |d f / d x|^2 with W the params check_grads differentiates."""
    w = Variable(RS.randn(4, 3), name="w")
    b = Variable(RS.randn(3), name="b")
    check_grads(lambda x: inner_gradient(lambda v: ops.tanh(ops.dense(v, w, b)), x), [A], params=[w, b])


def test_third_order():
    x = Tensor(np.array([0.3, 1.1]))
    with GradientTape() as t3:
        t3.watch(x)
        with GradientTape() as t2:
            t2.watch(x)
            with GradientTape() as t1:
                t1.watch(x)
                y = ops.sum(ops.power(x, 4.0))
            g1 = t1.gradient(y, x)
            s1 = ops.sum(g1)
        g2 = t2.gradient(s1, x)
        s2 = ops.sum(g2)
    g3 = t3.gradient(s2, x)
    np.testing.assert_allclose(np.asarray(array(g1)), 4 * x.value ** 3)
    np.testing.assert_allclose(np.asarray(array(g2)), 12 * x.value ** 2)
    np.testing.assert_allclose(np.asarray(array(g3)), 24 * x.value)


def array(g):
    return g.value if isinstance(g, Tensor) else g


@pytest.mark.parametrize("strides, padding, dilation, activation, bias", [
    (1, "valid", 1, None, False), (1, "same", 1, None, True), (2, "same", 1, None, True),
    (2, "valid", 1, "relu", True), (1, "same", 2, None, False), (2, "same", 1, "relu", False),
    (1, ((1, 0), (2, 1)), 1, None, True)])
def test_second_order_through_conv2d(strides, padding, dilation, activation, bias):
    """WGAN-GP's pattern through a convolution: the input and kernel gradients of conv2d are ops of their own
    (autodiff/ops/conv/second_order.py), differentiated again with respect to the input, kernel and bias."""
    x = RS.uniform(0.5, 1.5, (2, 6, 5, 2)) * np.sign(RS.randn(2, 6, 5, 2))
    k = Variable(RS.randn(3, 2, 2, 3) * 0.5, name="k")
    b = Variable(RS.randn(3) * 0.1, name="b")

    def conv(v):
        return ops.conv2d(v, k, b if bias else None, strides=strides, padding=padding, dilation_rate=dilation,
                          activation=activation)
    check_grads(lambda v: inner_gradient(conv, v), [x], params=[k, b] if bias else [k])
    check_grads(lambda v, kk: inner_gradient(lambda a, c: ops.conv2d(a, c, strides=strides, padding=padding,
                                                                     dilation_rate=dilation), v, kk),
                [x, RS.randn(3, 2, 2, 3) * 0.5])


@pytest.mark.parametrize("scale, center", [(True, True), (False, True), (True, False), (False, False)])
def test_second_order_through_layer_normalization(scale, center):
    """A WGAN-GP critic normalises with LayerNormalization (batch statistics would break the penalty)."""
    gamma = Variable(RS.uniform(0.5, 1.5, (4,)), name="gamma")
    beta = Variable(RS.randn(4) * 0.1, name="beta")
    params = ([gamma] if scale else []) + ([beta] if center else [])
    check_grads(lambda a: inner_gradient(lambda v: ops.tanh(ops.layer_norm(
        v, gamma if scale else None, beta if center else None, axis=1, epsilon=1e-3)), a), [A], params=params)


@pytest.mark.parametrize("shape, axis, scale, center, activation", [
    ((3, 4), -1, True, True, None), ((3, 4), 1, False, True, None), ((3, 4), -1, True, False, "relu"),
    ((2, 3, 2, 4), -1, False, False, None), ((2, 4, 3, 2), 1, True, True, "relu")])
def test_second_order_through_batch_normalization(shape, axis, scale, center, activation):
    """Training mode, where the batch statistics depend on x: the gradients with respect to x, gamma and beta,
    differentiated again with respect to each (a DRAGAN or MAML network with BatchNormalization), also with
    the fused relu."""
    c = shape[axis]
    x = RS.uniform(0.5, 1.5, shape) * np.sign(RS.randn(*shape))
    gamma, beta = RS.uniform(0.5, 1.5, (c,)), RS.uniform(0.5, 1.0, (c,))  # beta > 0: relu's kink off the samples
    args = [x] + ([gamma] if scale else []) + ([beta] if center else [])

    def bn(v, *params):
        gm = params[0] if scale else None
        bt = params[-1] if center else None
        return ops.tanh(ops.batch_norm(v, gm, bt, axis=axis, epsilon=1e-3, activation=activation)[0])
    check_grads(lambda *a: inner_gradient(bn, *a), args)


@pytest.mark.parametrize("scale, center, activation", [(True, True, None), (False, True, "relu"), (True, False, None)])
def test_second_order_through_batch_normalization_inference(scale, center, activation):
    """With given statistics, every input's gradient differentiated again with respect to x, mean, variance,
    gamma and beta."""
    args = [A, RS.randn(4) * 0.1, RS.uniform(0.8, 1.2, (4,))]
    args += ([RS.uniform(0.5, 1.5, (4,))] if scale else []) + ([RS.uniform(0.5, 1.0, (4,))] if center else [])

    def bn(v, mean, root_var, *params):
        gm = params[0] if scale else None
        bt = params[-1] if center else None
        return ops.tanh(ops.batch_norm_inference(v, mean, ops.square(root_var), gm, bt, axis=-1, epsilon=1e-3,
                                                 activation=activation))
    check_grads(lambda *a: inner_gradient(bn, *a), args)


def test_an_op_without_a_rule_raises_naming_it_only_when_differentiated_again():
    x = Tensor(RS.randn(1, 5, 5, 2))
    k = Variable(RS.randn(3, 3, 1, 2), name="k")  # a grouped convolution (groups=2) has no second-order rule
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = ops.sum(ops.square(ops.conv2d(x, k, groups=2)))
        g = inner.gradient(y, k)  # the first-order gradient is right
        total = ops.sum(g)
    with GradientTape() as alone:
        y2 = ops.sum(ops.square(ops.conv2d(x, k, groups=2)))
    np.testing.assert_allclose(array(g), alone.gradient(y2, k))
    with pytest.raises(NotImplementedError, match="gradient of a gradient through the op 'Conv2DOp'"):
        outer.gradient(total, k)


def test_plain_gradients_never_take_the_differentiable_walk(monkeypatch):
    """Training speed: with no other tape recording, the backward walk is the plain one (higher_order unused),
    also when gradient is called inside the tape's own context (a non-persistent tape records nothing)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the differentiable walk ran without an outer tape")
    monkeypatch.setattr(higher_order, "backward", refuse)
    w = Variable(RS.randn(4, 2), name="w")
    with GradientTape() as tape:
        loss = ops.sum(ops.square(ops.matmul(A, w)))
        g = tape.gradient(loss, w)
    with GradientTape() as tape:
        loss = ops.sum(ops.square(ops.matmul(A, w)))
    g2 = tape.gradient(loss, w)
    np.testing.assert_allclose(g, g2)
    assert not isinstance(g, Tensor)  # a plain array, as before
    import dendrite
    model = dendrite.Sequential([dendrite.layers.Dense(3, activation="relu"), dendrite.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(A.astype("float32"), B[:, :1].astype("float32"), epochs=1, verbose=0)


def test_persistent_tape_inside_its_context_records_its_gradient():
    x = Variable(np.array(2.0), name="x")
    with GradientTape(persistent=True) as t:
        y = ops.multiply(ops.multiply(x, x), x)
        dy = t.gradient(y, x)
        d2y = t.gradient(dy, x)
    assert float(array(dy)) == 12.0 and float(array(d2y)) == 12.0
