"""3-D pooling ops: outputs against a loop reference ('same' padding as TensorFlow, padded cells left out),
gradients through check_grads, the max's gradient to one cell per window, errors."""
import itertools

import numpy as np
import pytest

from dendrite.autodiff import GradientTape, Tensor
from dendrite.autodiff.ops.pooling3d import avg_pool3d, max_pool3d
from dendrite.testing import check_grads


def ref_pool3d(x, pool, strides, padding, reduce):
    n, *size, c = x.shape
    out, before = [], []
    for a in range(3):
        length = -(-size[a] // strides[a]) if padding == "same" else (size[a] - pool[a]) // strides[a] + 1
        out.append(length)
        before.append(max((length - 1) * strides[a] + pool[a] - size[a], 0) // 2 if padding == "same" else 0)
    y = np.zeros((n, *out, c))
    for cell in itertools.product(*map(range, out)):
        lo = [max(cell[a] * strides[a] - before[a], 0) for a in range(3)]
        hi = [min(cell[a] * strides[a] - before[a] + pool[a], size[a]) for a in range(3)]
        y[(slice(None), *cell)] = reduce(x[:, lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]], axis=(1, 2, 3))
    return y


def distinct(shape):
    return np.random.default_rng(0).permutation(int(np.prod(shape))).reshape(shape) / 7.0


@pytest.mark.parametrize("pool, strides, padding", [
    ((2, 2, 2), None, "valid"), ((3, 2, 3), (2, 1, 2), "same"), ((1, 3, 1), (1, 1, 1), "valid"),
    ((3, 3, 3), (2, 2, 2), "same"), ((2, 1, 3), (1, 2, 2), "same"),
])
@pytest.mark.parametrize("op, reduce", [(max_pool3d, np.max), (avg_pool3d, np.mean)])
def test_matches_loop_reference_and_gradients(op, reduce, pool, strides, padding):
    x = distinct((2, 5, 6, 7, 2))
    y = op(x, pool, strides, padding).value
    np.testing.assert_allclose(y, ref_pool3d(x, pool, pool if strides is None else strides, padding, reduce),
                               atol=1e-12)
    check_grads(lambda x_: op(x_, pool, strides, padding), [x])


def test_max_gradient_goes_to_one_cell_per_window():
    x = Tensor(np.ones((1, 4, 4, 4, 1)))  # every cell ties
    with GradientTape() as tape:
        tape.watch(x)
        y = max_pool3d(x, 2)
    g = tape.gradient(y, x)
    assert g.sum() == 8 and set(np.unique(g)) == {0.0, 1.0}


def test_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"max_pool3d: expected a 5-D input \(batch, depth, height, width, "
                                         r"channels\); received shape \(2, 4, 4, 3\)"):
        max_pool3d(np.zeros((2, 4, 4, 3)), 2)
    with pytest.raises(ValueError, match=r"avg_pool3d: pool_size \(3, 3, 3\) is larger than the input's spatial "
                                         r"size \(2, 4, 4\) with padding='valid'"):
        avg_pool3d(np.zeros((1, 2, 4, 4, 1)), 3)
