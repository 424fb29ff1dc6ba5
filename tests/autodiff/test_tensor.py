"""The Tensor's operators (dendrite/autodiff/tensor.py): the operands they take as TensorFlow reads them."""
import numpy as np

from dendrite.autodiff import Tensor, Variable


def test_a_list_operand_takes_the_tensors_dtype_as_tensorflow_reads_it():
    """``w * [3.5, 5.0]`` on a float32 tensor stays float32 (NumPy alone would promote to float64); an int32
    tensor's integer list stays int32 (TensorFlow 2.21's dtypes)."""
    w = Variable(np.ones(3, "float32"))
    assert (w * [3.5, 5, 1]).dtype == np.float32 and ([1, 2, 3] - w).dtype == np.float32
    assert (Tensor(np.ones(2, "float32")) + (1.5, 2)).dtype == np.float32
    assert (Tensor(np.ones(2, "int32")) * [2, 3]).dtype == np.int32
    np.testing.assert_allclose((w * [3.5, 5, 1]).numpy(), [3.5, 5, 1])


def test_a_numpy_operand_takes_the_tensors_dtype_as_tensorflow_reads_it():
    """TF 2.21 converts a NumPy array or scalar operand to the tensor's dtype, on either side: float32 with a
    float64 array stays float32, int32 with an int64 array int32 (the TF 2.3 study notes printed int64). An
    integer tensor with floats promotes (TF would truncate them)."""
    f, i = Tensor(np.array([1.0, 2.0], "float32")), Tensor(np.array([1, 2], "int32"))
    assert (f + np.array([1.0, 2.0])).dtype == np.float32 and (np.array([1.0, 2.0]) + f).dtype == np.float32
    assert (f * np.array([1, 2])).dtype == np.float32 and (f ** np.float64(2)).dtype == np.float32
    assert (i + np.array([1, 2])).dtype == np.int32 and (np.int64(3) + i).dtype == np.int32
    np.testing.assert_allclose((f / np.array([2.0, 4.0])).numpy(), [0.5, 0.5])
    assert (i + np.array([1.5, 2.0])).dtype == np.float64
    wide = Tensor(np.array([1.0, 2.0]))  # a float64 tensor keeps its own precision
    assert (wide + np.array([1.0, 2.0], "float32")).dtype == np.float64
