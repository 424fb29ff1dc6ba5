"""tf.debugging checks, tf.errors, tf.TensorSpec and tf.UnconnectedGradients through the `tensorflow` namespace."""
import numpy as np
import pytest


def test_passing_checks_return_none_and_failing_ones_raise_invalid_argument(tf):
    x = tf.constant([1.0, 2.0, 3.0])
    assert tf.debugging.assert_equal(x, [1.0, 2.0, 3.0]) is None
    assert tf.debugging.assert_near(x, x + 1e-7) is None and tf.debugging.assert_positive(x) is None
    tf.debugging.assert_rank(x, 1)
    tf.debugging.assert_shapes([(x, ("N",)), (tf.zeros((3, 2)), ("N", 2))])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"values differ: tf.debugging.assert_less failed"):
        tf.debugging.assert_less(x, 2.5, message="values differ")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"expected rank 2.*rank 1"):
        tf.debugging.assert_rank(x, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"dimension 'N' is 3 in one tensor and 4"):
        tf.debugging.assert_shapes([(x, ("N",)), (tf.zeros((4, 2)), ("N", 2))])
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad step.*NaN or Inf"):
        tf.debugging.check_numerics(tf.constant([1.0, np.inf]), "bad step")


def test_tensor_spec_and_unconnected_gradients(tf):
    spec = tf.TensorSpec(shape=[None, 3], dtype=tf.float32, name="x")
    assert spec.shape.as_list() == [None, 3] and spec.dtype == tf.float32 and spec.name == "x"
    assert spec.is_compatible_with(tf.zeros((5, 3))) and not spec.is_compatible_with(tf.zeros((5, 4)))

    @tf.function(input_signature=[spec])
    def double(t):
        return t * 2.0
    assert double(tf.ones((2, 3))).numpy().sum() == 12.0
    w, unused = tf.Variable(3.0), tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        loss = w * w
    assert tape.gradient(loss, unused) is None
    zero = tape.gradient(loss, [w, unused], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert zero[0].numpy() == 6.0 and zero[1].numpy() == 0.0


def test_tf_config_names_it_lacks_are_refused_clearly(tf):
    assert tf.config.experimental.list_physical_devices("CPU")[0].device_type == "CPU"
    tf.config.threading.set_inter_op_parallelism_threads(1)
    with pytest.raises(NotImplementedError, match=r"`tensorflow.config.experimental.get_memory_info` "
                                                  r"is not supported by dendrite's compatibility mode"):
        tf.config.experimental.get_memory_info("GPU:0")


def test_rank_scalar_integer_and_assert_checks(tf):
    """Failing where TF 2.21 fails, with the error classes it raises (ValueError / TypeError / InvalidArgument)."""
    assert tf.debugging.assert_rank_at_least(tf.zeros((2, 3)), 2) is None
    with pytest.raises(ValueError, match="expected rank at least 2, the tensor has rank 1"):
        tf.debugging.assert_rank_at_least(tf.zeros((2,)), 2)
    with pytest.raises(ValueError, match=r"expected a rank in \[0, 2\]"):
        tf.debugging.assert_rank_in(tf.zeros((2,)), [0, 2])
    with pytest.raises(ValueError, match="expected a scalar"):
        tf.debugging.assert_scalar(tf.zeros((2,)))
    with pytest.raises(TypeError, match="expected an integer tensor, received dtype float32"):
        tf.debugging.assert_integer(tf.zeros((2,)))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[\[1 2\], x\]"):
        tf.Assert(tf.constant(False), [tf.constant([1, 2]), "x"])
    assert tf.Assert(tf.constant([True, True]), ["fine"]) is None
    assert tf.debugging.assert_same_float_dtype([tf.zeros(1)]) == tf.float32
    with pytest.raises(ValueError, match="expected one float dtype"):
        tf.debugging.assert_same_float_dtype([tf.zeros(1), tf.zeros(1, tf.float64)])
    assert not tf.debugging.is_numeric_tensor(tf.constant(["a"])) and tf.debugging.is_numeric_tensor(tf.zeros(1))
    tf.debugging.disable_traceback_filtering()
    assert not tf.debugging.is_traceback_filtering_enabled()
    tf.debugging.enable_traceback_filtering()
