"""Merge layers against NumPy, gradient-checked, with Keras's shapes, configs and errors."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.testing import check_grads

rng = np.random.default_rng(0)
A, B, C = (rng.standard_normal((3, 4)) for _ in range(3))


@pytest.mark.parametrize("layer, fn, reference", [
    (layers.Add, layers.add, lambda a, b, c: a + b + c),
    (layers.Multiply, layers.multiply, lambda a, b, c: a * b * c),
    (layers.Average, layers.average, lambda a, b, c: (a + b + c) / 3),
    (layers.Maximum, layers.maximum, lambda a, b, c: np.maximum(np.maximum(a, b), c)),
    (layers.Minimum, layers.minimum, lambda a, b, c: np.minimum(np.minimum(a, b), c)),
    (layers.Concatenate, layers.concatenate, lambda a, b, c: np.concatenate([a, b, c], axis=-1)),
])
def test_merges_of_three_inputs_equal_numpy_and_their_gradients_check(layer, fn, reference):
    np.testing.assert_allclose(layer()([A, B, C]).numpy(), reference(A, B, C), rtol=1e-6, atol=1e-6)
    out = fn([keras.Input((4,)), keras.Input((4,)), keras.Input((4,))])
    assert out.shape == (None, 12 if layer is layers.Concatenate else 4)
    check_grads(lambda a, b, c: layer(dtype="float64")([a, b, c]), [A, B, C + 0.1])


def test_subtract_takes_two_inputs_and_broadcasts_a_size_one_axis():
    np.testing.assert_allclose(layers.Subtract()([A, B]).numpy(), A - B, rtol=1e-5, atol=1e-6)
    out = layers.subtract([keras.Input((5, 4)), keras.Input((1, 4))])
    assert out.shape == (None, 5, 4)
    check_grads(lambda a, b: layers.Subtract(dtype="float64")([a, b]), [rng.standard_normal((2, 5, 4)),
                                                                         rng.standard_normal((2, 1, 4))])
    with pytest.raises(ValueError, match=r"Subtract 'sub'.*exactly 2 inputs; received 3"):
        layers.Subtract(name="sub")([keras.Input((4,))] * 3)


def test_concatenate_along_a_middle_axis_and_its_shape_errors():
    x, y = rng.standard_normal((2, 3, 5)), rng.standard_normal((2, 4, 5))
    np.testing.assert_allclose(layers.Concatenate(axis=1)([x, y]).numpy(), np.concatenate([x, y], 1), rtol=1e-6)
    assert layers.concatenate([keras.Input((3, 5)), keras.Input((None, 5))], axis=1).shape == (None, None, 5)
    check_grads(lambda a, b: layers.Concatenate(axis=1, dtype="float64")([a, b]), [x, y])
    with pytest.raises(ValueError, match=r"Concatenate 'cat'.*matching shapes except for the concatenation axis "
                                         r"\(-1\).*\(None, 3, 5\), \(None, 4, 6\)"):
        layers.Concatenate(name="cat")([keras.Input((3, 5)), keras.Input((4, 6))])
    assert layers.Concatenate(axis=1).get_config()["axis"] == 1


@pytest.mark.parametrize("axes, normalize, shapes", [
    (1, False, [(3, 4), (3, 4)]),
    (1, True, [(3, 4), (3, 4)]),
    ((2, 2), False, [(2, 3, 4), (2, 5, 4)]),
    ((1, 2), False, [(2, 4, 3), (2, 5, 4)]),
    (-1, True, [(2, 3, 4), (2, 3, 4)]),
])
def test_dot_is_a_batched_product_over_the_given_axes(axes, normalize, shapes):
    x, y = (rng.standard_normal(s) for s in shapes)
    a1, a2 = (axes, axes) if isinstance(axes, int) else axes
    xn = x / np.sqrt(np.maximum((x * x).sum(a1, keepdims=True), 1e-12)) if normalize else x
    yn = y / np.sqrt(np.maximum((y * y).sum(a2, keepdims=True), 1e-12)) if normalize else y
    expected = np.stack([np.tensordot(xn[i], yn[i], axes=(a1 % x.ndim - 1, a2 % y.ndim - 1))
                         for i in range(len(x))])
    expected = expected.reshape(len(x), -1 if expected.ndim == 1 else expected.shape[1]) \
        if expected.ndim <= 2 else expected
    out = layers.Dot(axes, normalize=normalize)([x, y]).numpy()
    np.testing.assert_allclose(out.reshape(expected.shape) if expected.ndim == 1 else out, expected,
                               rtol=1e-5, atol=1e-6)
    symbolic = layers.Dot(axes, normalize=normalize)([keras.Input(s[1:]) for s in shapes])
    assert symbolic.shape == (None,) + out.shape[1:]
    check_grads(lambda a, b: layers.Dot(axes, normalize=normalize, dtype="float64")([a, b]), [x, y])


def test_two_vectors_dot_to_shape_batch_by_one_as_keras():
    assert layers.Dot(axes=1)([A, B]).shape == (3, 1)
    assert layers.Dot(axes=1).get_config()["axes"] == 1 and layers.Dot((1, 2)).get_config()["axes"] == (1, 2)


def test_merge_errors_name_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"Add 'plus'.*incompatible shapes \[\(None, 4\), \(None, 3\)\]"):
        layers.Add(name="plus")([keras.Input((4,)), keras.Input((3,))])
    with pytest.raises(ValueError, match=r"Add 'plus2'.*called on a list of inputs.*received input_shape=\(None, 4\)"):
        layers.Add(name="plus2")(keras.Input((4,)))
    with pytest.raises(ValueError, match=r"Dot 'd'.*axis 1 of the first input has 4, axis 1 of the second has 3"):
        layers.Dot(1, name="d")([keras.Input((4,)), keras.Input((3,))])
    with pytest.raises(ValueError, match=r"different batch sizes"):
        layers.Add()([np.ones((2, 3)), np.ones((4, 3))])
    with pytest.raises(ValueError, match=r"`axes` must be an int or a tuple of 2 ints; received axes='x'"):
        layers.Dot("x")
