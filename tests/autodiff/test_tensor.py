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
