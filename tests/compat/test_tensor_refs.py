"""Eager-tensor methods on identity and shape: ref(), set_shape(), cpu(); a Variable's aggregation and reads."""
import pytest


def test_refs_key_tensors_by_identity(tf):
    x, y = tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0])
    seen = {x.ref(): "x", y.experimental_ref(): "y"}
    assert seen[x.ref()] == "x" and seen[y.ref()] == "y" and x.ref().deref() is x and x.ref() != y.ref()
    v = tf.Variable(1.0)
    assert {v.ref()} == {v.ref()}


def test_set_shape_checks_compatibility(tf):
    x = tf.zeros((2, 3))
    x.set_shape([2, 3])
    x.set_shape([None, 3])
    x.set_shape(tf.TensorShape([2, None]))
    with pytest.raises(ValueError, match=r"Tensor's shape \(2, 3\) is not compatible with supplied shape \(3,\)"):
        x.set_shape([3])
    assert x.cpu() is x


def test_variable_reads_and_distribution_facts(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert v.sparse_read([1]).numpy().tolist() == [[3.0, 4.0]]
    assert v.gather_nd([[0, 1]]).numpy().tolist() == [2.0]
    assert v.aggregation == tf.VariableAggregation.NONE and v.synchronization == tf.VariableSynchronization.AUTO
