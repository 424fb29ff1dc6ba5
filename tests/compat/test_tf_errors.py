"""tf.errors: the classes catch what dendrite raises in TensorFlow's situations; the others take TF's arguments."""
import pytest


def test_codes_and_classes(tf):
    assert (tf.errors.OK, tf.errors.INVALID_ARGUMENT, tf.errors.OUT_OF_RANGE, tf.errors.DATA_LOSS) == (0, 3, 11, 15)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.reshape(tf.range(6), (4, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Matrix size-incompatible: In\[0\]: \[2,2\], "
                                                            r"In\[1\]: \[3,4\] \[Op:MatMul\]"):
        tf.matmul(tf.ones((2, 2)), tf.ones((3, 4)))
    with pytest.raises(tf.errors.OutOfRangeError):
        iter(tf.data.Dataset.range(0)).get_next()
    error = tf.errors.FailedPreconditionError(None, None, "not ready")
    assert str(error) == "not ready" and error.error_code == tf.errors.FAILED_PRECONDITION
    assert isinstance(tf.errors.UnavailableError("down"), tf.errors.OpError) and str(tf.errors.AbortedError("x")) == "x"
    with pytest.raises(tf.errors.OpError):
        raise tf.errors.DataLossError(None, None, "truncated")
