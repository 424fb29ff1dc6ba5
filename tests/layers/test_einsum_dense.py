"""EinsumDense: Keras's values, weights and configs (fixtures real Keras 3.15.1 wrote), the shapes Keras
documents, gradients, the kernel initializer's fans, errors, and use in a Sequential model."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import run_layer_test

from keras_attention_fixtures import FIXTURES, builders, cases_of, comparable_config, model_arrays, run_case


@pytest.mark.parametrize("name", cases_of("EinsumDense"))
def test_values_weights_and_config_match_keras(name):
    layer, case, outputs, expected = run_case(name)
    assert [[w.name, list(w.shape)] for w in layer.weights] == case["weights"]
    for out, want in zip(outputs, expected, strict=True):
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    assert comparable_config(layer.get_config()) == comparable_config(case["config"])


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, expected, kernel, bias", [
    ("ab,bc->ac", 64, "c", (None, 32), (None, 64), (32, 64), (64,)),  # Keras's "biased dense layer"
    ("abc,cd->abd", (None, 64), "d", (None, 32, 128), (None, 32, 64), (128, 64), (64,)),  # "dense on a sequence"
    ("...x,xy->...y", 64, "y", (None, 32, 128), (None, 32, 64), (128, 64), (64,)),  # "using ellipses"
    ("abc,cde->abde", (None, 4, 8), "de", (None, 5, 16), (None, 5, 4, 8), (16, 4, 8), (4, 8)),
    ("ab...,bc->ac...", (5,), "c", (None, 3, 7, 2), (None, 5, 7, 2), (3, 5), (5, 1, 1)),
])
def test_shapes_keras_documents(equation, output_shape, bias_axes, input_shape, expected, kernel, bias):
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    out = layer(layers.Input(input_shape[1:]))
    assert out.shape == expected and layer.compute_output_shape(input_shape) == expected
    assert layer.kernel.shape == kernel and layer.bias.shape == bias
    assert layer.count_params() == int(np.prod(kernel)) + int(np.prod(bias))
    data = layer(np.ones((2,) + input_shape[1:], np.float32))
    assert data.shape == (2,) + expected[1:]


def test_defaults_as_keras_documents():
    layer = layers.EinsumDense("ab,bc->ac", 3)
    config = layer.get_config()
    assert config["output_shape"] == (3,) and config["bias_axes"] is None and config["activation"] == "linear"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert config["bias_initializer"]["class_name"] == "Zeros"
    layer.build((None, 4))
    assert [w.name for w in layer.weights] == ["kernel"]  # no bias without bias_axes


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape, expected", [
    ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 4), (2, 3, 2, 3)),
    ("...x,xy->...y", 3, "y", (2, 2, 3, 4), (2, 2, 3, 3)),
    ("ab...,bc->ac...", (2,), "c", (2, 3, 2, 2), (2, 2, 2, 2)),
    ("abcd,cde->abe", (None, 3), None, (2, 3, 2, 2), (2, 3, 3)),
])
def test_gradients(equation, output_shape, bias_axes, input_shape, expected):
    run_layer_test(layers.EinsumDense, {"equation": equation, "output_shape": output_shape, "bias_axes": bias_axes,
                                        "activation": "tanh"}, input_shape, expected,
                   expected_num_trainable_weights=1 if bias_axes is None else 2)

def test_glorot_kernel_counts_fans_over_the_input_and_output_axes():
    # as Keras: fan_in = 64 (the contracted axis), fan_out = 8 * 16 (the axes the kernel adds), not the
    # convolution rule that rank-3 kernels get elsewhere (fan_in 8 * 64, fan_out 16 * 64)
    layer = layers.EinsumDense("abc,cde->abde", (None, 8, 16), bias_axes="de")
    layer.build((None, 5, 64))
    limit = np.sqrt(6 / (64 + 8 * 16))
    kernel = layer.kernel.value
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit
    assert layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None  # the config is unchanged


def test_errors_name_the_layer_and_the_fix():
    with pytest.raises(ValueError, match=r"EinsumDense 'e'.*`equation` must read.*received equation='ab->b'"):
        layers.EinsumDense("ab->b", 3, name="e")
    with pytest.raises(ValueError, match=r"`output_shape` must give 3 size\(s\).*'abde'.*output_shape=\(3,\)"):
        layers.EinsumDense("abc,cde->abde", 3)(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"`bias_axes` must name output axes.*'abd'.*bias_axes='x'"):
        layers.EinsumDense("abc,cd->abd", (None, 3), bias_axes="x")(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"names 3 input axes, but the input has shape \(2, 4\).*put \.\.\."):
        layers.EinsumDense("abc,cd->abd", (None, 3))(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"input has size 3 there and output_shape asks for 5"):
        layers.EinsumDense("abc,cd->abd", (5, 3))(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"output axis 'd' of 'abc,ce->abd' appears in neither"):
        layers.EinsumDense("abc,ce->abd", (None, 3))(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"kernel axis 'e' of 'abc,cde->abd' appears in neither"):
        layers.EinsumDense("abc,cde->abd", (None, 3))(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"`lora_rank` is not supported.*lora_rank=4"):
        layers.EinsumDense("ab,bc->ac", 3, lora_rank=4)
    layers.EinsumDense("ab,bc->ac", 3, lora_rank=None)  # Keras's configs write None


def test_in_a_sequential_model_fits_saves_and_loads_as_keras_wrote_it(tmp_path):
    x, y, params = model_arrays("einsum_stack")
    model = builders.einsum_stack(dendrite)
    assert model.count_params() == params
    model.load_weights(os.path.join(FIXTURES, "einsum_stack.weights.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), y, rtol=1e-5, atol=1e-6)
    loaded = dendrite.models.load_model(os.path.join(FIXTURES, "einsum_stack.keras"))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), y, rtol=1e-5, atol=1e-6)
    model = builders.einsum_stack(dendrite)
    model.compile(optimizer=dendrite.optimizers.Adam(0.01), loss="mse")
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((64, 3, 4)).astype("float32")
    target = np.maximum(xs.sum(axis=-1, keepdims=True) * [1.0, -0.5], 0).astype("float32")
    history = model.fit(xs, target, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    model.save(tmp_path / "m.keras")
    again = dendrite.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again.predict(xs, verbose=0), model.predict(xs, verbose=0), rtol=1e-6)
    rebuilt = dendrite.Sequential.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(xs, verbose=0), model.predict(xs, verbose=0), rtol=1e-6)

