"""Forward values (against independent NumPy formulas) and gradient checks for every core op."""
import math

import numpy as np
import pytest

from dendrite import GradientTape, Variable, constant, ops
from dendrite.random import SeedGenerator
from dendrite.testing import check_grads

rs = np.random.default_rng(0)


def away_from_zero(shape, low=0.2, high=1.5):
    """Values with |x| in [low, high]: no kinks of relu/abs and no ties."""
    return rs.uniform(low, high, shape) * rs.choice([-1, 1], shape)


def positive(shape):
    return rs.uniform(0.5, 2.0, shape)


UNARY = {
    "negative": (ops.negative, lambda x: -x, away_from_zero),
    "exp": (ops.exp, np.exp, away_from_zero),
    "log": (ops.log, np.log, positive),
    "sqrt": (ops.sqrt, np.sqrt, positive),
    "square": (ops.square, np.square, away_from_zero),
    "abs": (ops.abs, np.abs, away_from_zero),
    "clip": (lambda x: ops.clip(x, -0.5, 0.7), lambda x: np.clip(x, -0.5, 0.7), away_from_zero),
    "relu": (ops.relu, lambda x: np.maximum(x, 0), away_from_zero),
    "leaky_relu": (ops.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), away_from_zero),
    "sigmoid": (ops.sigmoid, lambda x: 1 / (1 + np.exp(-x)), away_from_zero),
    "tanh": (ops.tanh, np.tanh, away_from_zero),
    "elu": (ops.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1), away_from_zero),
    "selu": (ops.selu, lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
             away_from_zero),
    "softplus": (ops.softplus, lambda x: np.log1p(np.exp(x)), away_from_zero),
    "softsign": (ops.softsign, lambda x: x / (1 + np.abs(x)), away_from_zero),
    "swish": (ops.swish, lambda x: x / (1 + np.exp(-x)), away_from_zero),
    "gelu": (ops.gelu, lambda x: x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2))), away_from_zero),
    "gelu_tanh": (lambda x: ops.gelu(x, approximate=True),
                  lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))),
                  away_from_zero),
    "hard_sigmoid": (ops.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1), away_from_zero),
    "softmax": (ops.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True), away_from_zero),
    "log_softmax": (ops.log_softmax, lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True)), away_from_zero),
    "sum_axis": (lambda x: ops.sum(x, axis=1), lambda x: x.sum(1), away_from_zero),
    "mean_keepdims": (lambda x: ops.mean(x, axis=0, keepdims=True), lambda x: x.mean(0, keepdims=True),
                      away_from_zero),
    "mean_all": (ops.mean, np.mean, away_from_zero),
    "max_axis": (lambda x: ops.max(x, axis=-1), lambda x: x.max(-1), away_from_zero),
    "min_all": (ops.min, np.min, away_from_zero),
    "logsumexp": (ops.logsumexp, lambda x: np.log(np.exp(x).sum(-1)), away_from_zero),
    "reshape": (lambda x: ops.reshape(x, (4, 3)), lambda x: x.reshape(4, 3), away_from_zero),
    "transpose": (lambda x: ops.transpose(x), lambda x: x.T, away_from_zero),
    "getitem": (lambda x: x[1:, ::2], lambda x: x[1:, ::2], away_from_zero),
    "fancy_getitem": (lambda x: x[[0, 0, 2]], lambda x: x[[0, 0, 2]], away_from_zero),
    "pad": (lambda x: ops.pad(x, ((1, 0), (2, 1))), lambda x: np.pad(x, ((1, 0), (2, 1))), away_from_zero),
    "expand_squeeze": (lambda x: ops.squeeze(ops.expand_dims(x, 1), 1), lambda x: x, away_from_zero),
    "broadcast_to": (lambda x: ops.broadcast_to(x[:1], (3, 4)), lambda x: np.broadcast_to(x[:1], (3, 4)),
                     away_from_zero),
    "cast": (lambda x: ops.cast(x, "float64"), lambda x: x, away_from_zero),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_forward_and_gradient(name):
    op, expected, gen = UNARY[name]
    x = gen((3, 4))
    np.testing.assert_allclose(op(constant(x, "float64")).numpy(), expected(x), rtol=1e-6, atol=1e-7)
    check_grads(op, [x])


BINARY = {
    "add": (ops.add, np.add, away_from_zero),
    "subtract": (ops.subtract, np.subtract, away_from_zero),
    "multiply": (ops.multiply, np.multiply, away_from_zero),
    "divide": (ops.divide, np.divide, away_from_zero),
    "power": (ops.power, np.power, positive),
    "maximum": (ops.maximum, np.maximum, away_from_zero),
    "minimum": (ops.minimum, np.minimum, away_from_zero),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1))])
def test_binary_op_broadcasts_and_gradients_sum_back(name, shapes):
    op, expected, gen = BINARY[name]
    a, b = gen(shapes[0]), gen(shapes[1])
    out = op(constant(a, "float64"), constant(b, "float64")).numpy()
    np.testing.assert_allclose(out, expected(a, b), rtol=1e-12)
    check_grads(op, [a, b])


def test_where_concatenate_stack_and_matmul():
    a, b = away_from_zero((3, 4)), away_from_zero((3, 4))
    cond = a > b
    np.testing.assert_array_equal(ops.where(cond, a, b).numpy(), np.where(cond, a, b))
    check_grads(lambda p, q: ops.where(cond, p, q), [a, b])
    check_grads(lambda p, q: ops.concatenate([p, q], axis=0), [a, b])
    check_grads(lambda p, q: ops.stack([p, q], axis=1), [a, b])
    # pack: nested lists holding tensors, numbers beside them in the tensors' dtype (TF's convert_to_tensor)
    check_grads(lambda p, q: ops.pack([[p, q], [q, ops.square(p)]]), [a, b])
    check_grads(lambda p: ops.pack([p[0], [1.5, 2.0, 0.5, 1.0], p[2]]), [a])
    packed = ops.pack([constant(a[0], "float32"), [1, 2, 3, 4]])
    assert packed.shape == (2, 4) and packed.numpy().dtype == np.float32
    assert ops.holds_tensor([[1, constant(2.0)]]) and not ops.holds_tensor([[1, 2.0]])
    m = away_from_zero((4, 2))
    np.testing.assert_allclose(ops.matmul(a, m).numpy(), a @ m)
    check_grads(ops.matmul, [a, m])
    check_grads(ops.matmul, [away_from_zero((2, 3, 4)), m])
    check_grads(ops.matmul, [away_from_zero((4,)), m])


def test_fused_dense_with_and_without_bias_any_leading_axes():
    x, k, b = away_from_zero((2, 3, 4)), away_from_zero((4, 5)), away_from_zero((5,))
    np.testing.assert_allclose(ops.dense(x, k, b).numpy(), x @ k + b)
    check_grads(ops.dense, [x, k, b])
    check_grads(ops.dense, [x[0], k])


def test_softmax_of_minus_one_and_five():
    np.testing.assert_allclose(ops.softmax(constant([[-1.0, 5.0]])).numpy(), [[0.0025, 0.9975]], atol=5e-5)


def test_cross_entropy_ops_forward_gradient_and_extreme_logits():
    z = away_from_zero((4, 5))
    y = np.eye(5)[[0, 2, 4, 1]]
    labels = np.array([0, 2, 4, 1])
    ref = -(y * (z - np.log(np.exp(z).sum(-1, keepdims=True)))).sum(-1)
    np.testing.assert_allclose(ops.softmax_cross_entropy(z, y).numpy(), ref)
    np.testing.assert_allclose(ops.sparse_softmax_cross_entropy(z, labels).numpy(), ref)
    check_grads(ops.softmax_cross_entropy, [z, y])
    check_grads(lambda logits: ops.sparse_softmax_cross_entropy(logits, labels), [z])
    t = rs.uniform(0, 1, (4, 5))
    bce = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    np.testing.assert_allclose(ops.sigmoid_cross_entropy(z, t).numpy(), bce)
    check_grads(ops.sigmoid_cross_entropy, [z, t])

    extreme = constant([[-150.0, 150.0, 0.0]])  # float32: exp(-300) underflows
    with GradientTape() as tape:
        tape.watch(extreme)
        loss = ops.sum(ops.softmax_cross_entropy(extreme, np.array([[1.0, 0.0, 0.0]], np.float32)))
    g = tape.gradient(loss, extreme)
    assert np.isfinite(loss.numpy()) and loss.numpy() == pytest.approx(300.0)
    assert np.all(np.isfinite(g)) and g.dtype == np.float32
    sig = ops.sigmoid(constant([-150.0, 150.0]))
    assert np.all(np.isfinite(sig.numpy()))


def test_dropout_scales_kept_units_and_gradient_uses_the_same_mask():
    x = np.ones((200, 50))
    out = ops.dropout(constant(x, "float64"), 0.3).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7)
    assert abs(kept.mean() - 0.7) < 0.02
    check_grads(lambda t: ops.dropout(t, 0.5), [away_from_zero((3, 4))])
    assert ops.dropout(x, 0.0) is x


def test_relu_gives_the_same_values_with_and_without_a_tape():
    x = np.random.default_rng(5).standard_normal((300, 700)).astype(np.float32)
    plain = ops.relu(x).value
    with GradientTape():
        taped = ops.relu(x).value
    np.testing.assert_array_equal(plain, np.maximum(x, 0))
    np.testing.assert_array_equal(taped, plain)
    assert plain.dtype == np.float32


def test_relu_of_growing_sizes_and_two_dtypes_keeps_its_zeros_untouched(monkeypatch):
    """relu compares large arrays row by row against one cached row of zeros per dtype, grown on demand:
    values stay exact for small then larger inputs, 1-D and 2-D, contiguous or not, in float32 and float64,
    with exact zeros at zero and the gradient zero there (as tf.nn.relu), and the cached zeros are never
    written (relu into the input itself)."""
    from dendrite import GradientTape, Variable
    from dendrite.autodiff.ops import activation
    monkeypatch.setattr(activation, "_zeros", {})  # a fresh cache: the sizes below do not depend on earlier tests
    rng = np.random.default_rng(6)
    for dtype in (np.float32, np.float64):
        # scalar path (small), rows of 4096 with a tail (1-D), long rows of their own (2-D), growing the cache
        for shape in ((7,), (5000,), (3,), (120000,), (30, 9000), (4, 50, 60)):
            x = rng.standard_normal(shape).astype(dtype)
            x.reshape(-1)[::5] = 0
            v = Variable(x.copy(), dtype=dtype)
            with GradientTape() as tape:
                y = ops.relu(v)
                total = ops.sum(y)
            np.testing.assert_array_equal(y.value, np.where(x > 0, x, 0))
            assert y.value.dtype == dtype
            np.testing.assert_array_equal(np.asarray(tape.gradient(total, v)), (x > 0).astype(dtype))
            inplace = x.copy()
            activation.relu_into(inplace, None, inplace)
            np.testing.assert_array_equal(inplace, np.maximum(x, 0))
            strided, out = x[..., ::2], np.empty(x[..., ::2].shape, dtype)  # not contiguous
            activation.relu_into(strided, None, out)
            np.testing.assert_array_equal(out, np.maximum(strided, 0))
    assert all(not z.any() and not z.flags.writeable for z in activation._zeros.values())
    # the long-row path ran (30 x 9000 grew the row past the 4096 default) and the cache stays bounded
    assert activation._zeros[np.dtype(np.float32)].size == 9000
    wide = rng.standard_normal((2, 100000)).astype(np.float32)
    activation.relu_into(wide, None, wide)
    assert (wide >= 0).all() and activation._zeros[np.dtype(np.float32)].size == 9000


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_take_gathers_slices_and_scatter_adds_repeated_indices(axis):
    a = away_from_zero((4, 3, 5))
    idx = np.array([[2, 0], [2, 2]])  # repeated indices: their gradients add up
    idx = idx if axis == 0 else idx % a.shape[axis]
    np.testing.assert_array_equal(ops.take(constant(a, "float64"), idx, axis=axis).numpy(), np.take(a, idx, axis))
    check_grads(lambda t: ops.take(t, idx, axis=axis), [a])


def test_take_gradient_counts_each_repeat():
    w = constant(np.zeros((4, 2)))
    with GradientTape() as tape:
        tape.watch(w)
        out = ops.sum(ops.take(w, np.array([1, 1, 3, 1]), axis=0))
    np.testing.assert_array_equal(tape.gradient(out, w), [[0, 0], [3, 3], [0, 0], [1, 1]])


@pytest.mark.parametrize("make, mean", [(lambda x, g: ops.gaussian_noise(x, 0.5, g), 0.0),
                                        (lambda x, g: ops.gaussian_dropout(x, 0.2, g), 1.0)])
def test_gaussian_noise_ops_draw_from_the_seed_and_pass_gradients(make, mean):
    x = np.ones((400, 50), np.float32)
    out = make(constant(x), SeedGenerator(3)).numpy()
    assert out.dtype == np.float32 and abs(out.mean() - 1.0) < 0.01
    spread = 0.5 if mean == 0.0 else math.sqrt(0.2 / 0.8)  # stddev, or sqrt(rate / (1 - rate))
    assert abs(out.std() - spread) < 0.01
    np.testing.assert_array_equal(make(constant(x), SeedGenerator(3)).numpy(), out)  # same seed, same draws
    check_grads(lambda t: make(t, 5), [away_from_zero((3, 4))])  # an int seed: the same draws each run


def test_one_hot_as_tensorflow_defines_it():
    from dendrite import ops
    out = ops.one_hot(np.array([0, 2, 5, -1]), 3)
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])  # outside: all off
    assert out.numpy().dtype == np.float32
    scaled = ops.one_hot(np.array([[1], [0]]), 2, on_value=5, off_value=-1, axis=0, dtype="int32").numpy()
    assert scaled.shape == (2, 2, 1) and scaled.dtype == np.int32
    np.testing.assert_array_equal(scaled[:, :, 0], [[-1, 5], [5, -1]])
    label = ops.reshape(np.frombuffer(b"\x07", np.uint8), [])  # the codelab's decoded label byte
    np.testing.assert_array_equal(ops.one_hot(label, 10).numpy(), np.eye(10)[7])
    with pytest.raises(TypeError, match="integers"):
        ops.one_hot(np.array([0.5]), 3)
    with pytest.raises(ValueError, match="depth"):
        ops.one_hot(np.array([0]), -2)


def test_matmul_with_a_nested_list_takes_the_tensors_dtype_and_differentiates():
    w = Variable(np.arange(6.0, dtype=np.float32).reshape(3, 2))
    with GradientTape() as tape:
        y = [[1.0, 2.0, 3.0]] @ w
    assert y.dtype == np.float32 and y.numpy().tolist() == [[16.0, 22.0]]
    np.testing.assert_array_equal(np.asarray(tape.gradient(y, w)), [[1, 1], [2, 2], [3, 3]])
    check_grads(lambda b: ops.matmul([[1.0, -2.0], [0.5, 3.0]], b), [np.arange(6.0).reshape(2, 3)])
