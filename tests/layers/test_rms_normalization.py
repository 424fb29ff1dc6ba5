"""RMSNormalization (Keras 3.9+): outputs against Keras 3.15's for the same input and scale, gradients,
defaults, config, .keras round trip, errors."""
import numpy as np
import pytest

import dendrite as dd
from dendrite import layers
from dendrite.testing import check_grads

X = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")


def test_outputs_match_keras():
    layer = layers.RMSNormalization()
    # Keras 3.15: keras.layers.RMSNormalization()(X)[0, 0] for this X
    np.testing.assert_allclose(layer(X).numpy()[0, 0], [0.37303212, -0.39194518, 1.9000859, 0.31123075], rtol=1e-5)
    assert layer.epsilon == 1e-6 and [w.name for w in layer.weights] == ["scale"] and layer.scale.shape == (4,)
    assert layer.get_config()["axis"] == [-1]  # Keras lists the axes once built
    both = layers.RMSNormalization(axis=[2, 1], epsilon=0.1)
    both.build(X.shape)
    both.scale.assign(np.arange(12.0).reshape(3, 4))
    # Keras 3.15: RMSNormalization(axis=[1, 2], epsilon=0.1) with scale = arange(12).reshape(3, 4), output [1, 2]
    np.testing.assert_allclose(both(X).numpy()[1, 2], [-0.9939002, 11.887021, -6.4295607, 3.7373433], rtol=1e-5)


def test_formula_and_gradients():
    x = np.random.default_rng(1).normal(size=(3, 5, 2))
    layer = layers.RMSNormalization(axis=1, epsilon=1e-3, dtype="float64")
    layer.build(x.shape)
    layer.scale.assign(np.linspace(0.5, 1.5, 5))
    rms = np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(layer(x).numpy(), x / rms * np.linspace(0.5, 1.5, 5)[None, :, None], rtol=1e-12)
    check_grads(lambda x_: layer(x_), [x], params=layer.trainable_weights)


def test_saves_and_loads(tmp_path):
    inputs = dd.Input((3, 4))
    model = dd.Model(inputs, layers.RMSNormalization(epsilon=1e-4)(inputs))
    model.layers[-1].scale.assign(np.full(4, 2.0, np.float32))
    model.save(tmp_path / "m.keras")
    loaded = dd.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_errors():
    with pytest.raises(TypeError, match="`axis` must be an int or a list of ints"):
        layers.RMSNormalization(axis="last")
    with pytest.raises(ValueError, match="axis=3 is not a valid feature axis"):
        layers.RMSNormalization(axis=3)(X)
