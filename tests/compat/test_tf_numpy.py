"""tf.experimental.numpy as the TF NumPy guide uses it: NumPy functions on tensors, NumPy behaviour methods."""
import numpy as np
import pytest

from dendrite.testing import check_grads


@pytest.fixture
def tnp(tf):
    import tensorflow.experimental.numpy as tnp
    return tnp


def test_ndarray_is_the_tensor_and_numpy_methods_appear_when_enabled(tf, tnp):
    ones = tnp.ones([5, 3], dtype=tnp.float32)
    assert isinstance(ones, tf.Tensor) and tnp.ndarray is tf.Tensor and ones.dtype == np.float32
    assert tnp.ones([2]).dtype == np.float64  # NumPy's default dtype
    tnp.experimental_enable_numpy_behavior()
    assert ones.T.shape == (3, 5) and ones.reshape(-1).shape == (15,) and ones.ravel().shape == (15,)
    assert ones.astype(tnp.int32).dtype == np.int32 and tnp.arange(3).tolist() == [0, 1, 2]
    assert tnp.arange(6).reshape(2, 3).transpose().shape == (3, 2)


def test_numpy_functions_on_tensors_and_arrays(tf, tnp):
    x = tnp.arange(24).reshape(2, 3, 4)
    assert x[1, tnp.newaxis, 1:3, ...].shape == (1, 2, 4)
    assert x[:, (True, False, True)].shape == (2, 2, 4)
    assert x[1, (0, 0, 1), tnp.asarray([0, 1, 1])].numpy().tolist() == [12, 13, 17]
    assert float(tnp.sum(np.ones([2, 3]))) == 6.0 and float(np.sum(tnp.ones([2, 3]))) == 6.0
    w = tnp.random.randn(4, 2)
    assert isinstance(w, tf.Tensor) and w.shape == (4, 2)
    assert tnp.matmul(tnp.ones([3, 4]), w).shape == (3, 2)
    assert tnp.concatenate([tnp.ones([1, 2]), np.zeros((1, 2))]).shape == (2, 2)  # axis 0, as NumPy
    assert [t.numpy().tolist() for t in tnp.where(np.array([0, 2, 3]) > 1)] == [[1, 2]]
    np.testing.assert_allclose(tnp.cumsum(tnp.asarray([1.0, 2.0, 3.0])).numpy(), [1.0, 3.0, 6.0])
    assert tnp.add(1.0, 2.0).numpy() == 3.0 and tnp.maximum(tnp.asarray([-1.0, 2.0]), 0).numpy().tolist() == [0, 2]
    assert tnp.percentile(tnp.asarray([1.0, 2.0, 3.0]), 50).numpy() == 2.0  # any other NumPy function
    with pytest.raises(NotImplementedError, match="docs/compat.md"):
        tnp.not_a_numpy_function


def test_differentiable_through_the_shared_functions(tf, tnp):
    rng = np.random.RandomState(0)
    check_grads(lambda a: tnp.sum(tnp.maximum(tnp.matmul(a, a.T), 0.1), axis=1), [rng.randn(3, 2)])
    check_grads(lambda a: tnp.sin(a) * tnp.exp(a), [rng.randn(4)])
