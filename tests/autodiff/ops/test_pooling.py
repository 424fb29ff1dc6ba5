"""Pooling ops: outputs against a direct loop reference written here, gradients through check_grads,
the max-pooling tie rule, and errors."""
import itertools

import numpy as np
import pytest

from dendrite.autodiff import GradientTape, Tensor
from dendrite.autodiff.ops.pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, pool_output_length
from dendrite.testing import check_grads


def _geometry(size, k, s, padding):
    """(output size, cells of padding before) with TensorFlow's rules, computed independently."""
    if padding == "same":
        out = -(-size // s)
        return out, max((out - 1) * s + k - size, 0) // 2
    return (size - k) // s + 1, 0


def ref_pool2d(x, pool, strides, padding, mode):
    """Loops over every output cell; padded cells are skipped (so 'same' averages count only real cells)."""
    n, h, w, c = x.shape
    (oh, pt), (ow, pl) = _geometry(h, pool[0], strides[0], padding), _geometry(w, pool[1], strides[1], padding)
    out = np.zeros((n, oh, ow, c))
    for b, r, q, ch in itertools.product(range(n), range(oh), range(ow), range(c)):
        vals = [x[b, i, j, ch]
                for i in range(r * strides[0] - pt, r * strides[0] - pt + pool[0])
                for j in range(q * strides[1] - pl, q * strides[1] - pl + pool[1])
                if 0 <= i < h and 0 <= j < w]
        out[b, r, q, ch] = max(vals) if mode == "max" else sum(vals) / len(vals)
    return out


def distinct(shape, seed=0):
    """Values that are all different (no ties for max) and well apart (finite differences stay local)."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n).reshape(shape) / 4.0).astype(np.float32)


OPS = {"max": max_pool2d, "avg": avg_pool2d}
# (image size, pool, strides): pool 2/3 and non-square, strides 1/2/3, odd and even sizes
GEOMETRIES = [
    ((5, 7), (2, 2), (2, 2)),
    ((7, 6), (3, 3), (1, 1)),
    ((7, 7), (3, 3), (2, 2)),
    ((6, 5), (2, 3), (3, 1)),
    ((5, 5), (3, 2), (3, 3)),
    ((8, 8), (2, 2), (1, 2)),
]


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("size, pool, strides", GEOMETRIES)
def test_pool2d_matches_loop_reference(mode, padding, size, pool, strides):
    x = distinct((2,) + size + (3,))
    y = OPS[mode](Tensor(x), pool, strides, padding)
    expected = ref_pool2d(x.astype(np.float64), pool, strides, padding, mode)
    assert y.shape == expected.shape
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.value, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("size, pool, strides", GEOMETRIES)
def test_pool2d_gradients(mode, padding, size, pool, strides):
    x = distinct((1,) + size + (2,), seed=1)
    check_grads(lambda t: OPS[mode](t, pool, strides, padding), [x])


def test_strides_default_to_pool_size():
    x = distinct((1, 6, 6, 1))
    np.testing.assert_array_equal(max_pool2d(Tensor(x), 3).value, max_pool2d(Tensor(x), 3, 3).value)
    assert max_pool2d(Tensor(x), 3).shape == (1, 2, 2, 1)


def test_exact_tiling_equals_reshape_formula():
    x = np.random.default_rng(2).standard_normal((3, 8, 6, 5)).astype(np.float32)
    blocks = x.reshape(3, 4, 2, 3, 2, 5)
    np.testing.assert_array_equal(max_pool2d(Tensor(x), 2).value, blocks.max(axis=(2, 4)))
    np.testing.assert_allclose(avg_pool2d(Tensor(x), 2).value, blocks.mean(axis=(2, 4)), rtol=1e-6, atol=1e-6)


def test_same_average_excludes_padding_from_count():
    x = np.ones((1, 3, 3, 1), np.float32)
    # every window average is 1 when padded cells are left out (it would be 4/9 at the corners otherwise)
    np.testing.assert_array_equal(avg_pool2d(Tensor(x), 3, 1, "same").value, np.ones((1, 3, 3, 1)))


@pytest.mark.parametrize("pool, strides, padding", [(2, 2, "valid"), (3, 1, "same"), (3, 2, "valid")])
def test_max_gradient_goes_to_one_element_at_ties(pool, strides, padding):
    x = np.zeros((1, 5, 5, 2), np.float32)
    x[0, 1:3, 1:3] = 1.0  # a plateau of ties at the maximum in some windows, zeros elsewhere
    t = Tensor(x)
    with GradientTape() as tape:
        tape.watch(t)
        y = max_pool2d(t, pool, strides, padding)
    g = np.random.default_rng(3).standard_normal(y.shape).astype(np.float32)
    dx = tape.gradient(y, t, output_gradients=g)
    # reference: each window sends its gradient to the topmost maximum of its leftmost column holding one
    expected = np.zeros_like(x)
    (oh, pt), (ow, pl) = _geometry(5, pool, strides, padding), _geometry(5, pool, strides, padding)
    for r, q, ch in itertools.product(range(oh), range(ow), range(2)):
        cells = [(i, j) for j in range(q * strides - pl, q * strides - pl + pool)
                 for i in range(r * strides - pt, r * strides - pt + pool) if 0 <= i < 5 and 0 <= j < 5]
        best = max(x[0, i, j, ch] for i, j in cells)
        i, j = next((i, j) for i, j in cells if x[0, i, j, ch] == best)
        expected[0, i, j, ch] += g[0, r, q, ch]
    np.testing.assert_allclose(dx, expected, rtol=1e-6)
    np.testing.assert_allclose(dx.sum(), g.sum(), rtol=1e-5)


@pytest.mark.parametrize("op, mode", [(max_pool1d, "max"), (avg_pool1d, "avg")])
@pytest.mark.parametrize("pool, strides, padding",
                         [(2, None, "valid"), (3, 2, "same"), (3, 1, "valid"), (2, 3, "same")])
def test_pool1d_matches_reference_and_gradients(op, mode, pool, strides, padding):
    x = distinct((2, 7, 3), seed=4)
    y = op(Tensor(x), pool, strides, padding)
    s = pool if strides is None else strides
    expected = ref_pool2d(x[:, None].astype(np.float64), (1, pool), (1, s), padding, mode)[:, 0]
    np.testing.assert_allclose(y.value, expected, rtol=1e-6, atol=1e-6)
    check_grads(lambda t: op(t, pool, strides, padding), [x])


def test_pool_output_length_follows_tensorflow():
    assert [pool_output_length(n, 3, 2, "valid") for n in (3, 4, 5, 6, 7)] == [1, 1, 2, 2, 3]
    assert [pool_output_length(n, 3, 2, "same") for n in (3, 4, 5, 6, 7)] == [2, 2, 3, 3, 4]
    assert pool_output_length(None, 2, 2, "valid") is None


def test_errors_name_op_and_shapes():
    with pytest.raises(ValueError, match=r"max_pool2d.*\(3, 3\).*\(2, 2\).*valid"):
        max_pool2d(Tensor(np.zeros((1, 2, 2, 1), np.float32)), 3)
    with pytest.raises(ValueError, match=r"avg_pool2d.*4-D.*\(2, 2, 1\)"):
        avg_pool2d(Tensor(np.zeros((2, 2, 1), np.float32)), 2)
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        max_pool2d(Tensor(np.zeros((1, 4, 4, 1), np.float32)), 2, padding="full")
    with pytest.raises(ValueError, match="pool_size"):
        max_pool2d(Tensor(np.zeros((1, 4, 4, 1), np.float32)), (2, 0))
    with pytest.raises(ValueError, match=r"max_pool1d.*3-D"):
        max_pool1d(Tensor(np.zeros((1, 4, 4, 1), np.float32)), 2)
