import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads, run_layer_test

rs = np.random.default_rng(0)


@pytest.mark.parametrize("activation", [None, "relu", "softmax", "tanh"])
def test_dense_layer(activation):
    layer = run_layer_test(layers.Dense, {"units": 3, "activation": activation}, (4, 5), (4, 3),
                           expected_num_trainable_weights=2)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (5, 3) and bias.shape == (3,) and kernel.dtype == np.float32
    np.testing.assert_array_equal(bias, 0)  # bias_initializer='zeros'
    limit = np.sqrt(6 / (5 + 3))  # glorot_uniform
    assert np.abs(kernel).max() <= limit


def test_dense_on_3d_input_and_without_bias():
    run_layer_test(layers.Dense, {"units": 2, "use_bias": False}, (2, 3, 4), (2, 3, 2),
                   expected_num_trainable_weights=1)


def test_dense_defaults_as_keras_documents():
    d = layers.Dense(4)
    assert d.activation.__name__ == "linear" and d.use_bias
    assert type(d.kernel_initializer).__name__ == "GlorotUniform"
    assert type(d.bias_initializer).__name__ == "Zeros"
    assert dendrite.activations.get("relu").__name__ == "relu"


def test_dense_rejects_bad_units_and_unknown_kwargs():
    with pytest.raises(ValueError, match=r"positive integer.*units=0"):
        layers.Dense(0)
    with pytest.raises(TypeError, match="unrecognized keyword.*unitz"):
        layers.Dense(3, unitz=2)
    with pytest.raises(ValueError, match=r"Unknown activation: 'rellu'.*relu"):
        layers.Dense(3, activation="rellu")
    with pytest.raises(ValueError, match="glorot_uniform"):
        layers.Dense(3, kernel_initializer="glorot_uniformm")


def test_tf_keras_2_initial_weights_and_dynamic_arguments():
    """tf.keras 2's Layer arguments: ``weights=[kernel, bias]`` sets the layer's first weights once it is built (GloVe
    tutorials freeze them with trainable=False); ``dynamic=True`` asks for eager execution, which dendrite always
    does. A wrong number of arrays is refused when the layer builds."""
    kernel, bias = np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, -1.0], "float32")
    model = dendrite.Sequential([layers.Input((3,)), layers.Dense(2, weights=[kernel, bias], trainable=False)])
    np.testing.assert_allclose(model.predict(np.ones((1, 3)), verbose=0), [[7.0, 8.0]])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3)), np.zeros((4, 2)), verbose=0)
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), kernel)  # frozen: still the given weights
    lazy = layers.Dense(2, weights=[kernel, bias], dynamic=True)
    np.testing.assert_allclose(lazy(np.ones((1, 3), "float32")).numpy(), [[7.0, 8.0]])
    with pytest.raises(ValueError, match=r"expected 2 weight arrays, but received 1"):
        layers.Dense(2, weights=[kernel])(np.ones((1, 3), "float32"))


def test_dense_wrong_input_shape_names_layer_and_both_shapes():
    d = layers.Dense(3, name="hidden")
    d(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"layer 'hidden'.*axis -1.*value 4.*\(2, 5\)"):
        d(np.ones((2, 5)))


def test_set_weights_checks_count_and_shapes():
    d = layers.Dense(2, name="d")
    d.build((None, 3))
    assert d.built and d.count_params() == 8
    with pytest.raises(ValueError, match=r"'d' expected 2 weight arrays, but received 1"):
        d.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"'kernel' has shape \(3, 2\).*\(2, 3\)"):
        d.set_weights([np.zeros((2, 3)), np.zeros(2)])
    d.set_weights([np.ones((3, 2)), np.full(2, 0.5)])
    np.testing.assert_allclose(d(np.ones((1, 3))).numpy(), [[3.5, 3.5]])


def test_trainable_false_moves_weights_to_non_trainable():
    d = layers.Dense(2)
    d(np.ones((1, 3)))
    d.trainable = False
    assert d.trainable_weights == [] and len(d.non_trainable_weights) == 2


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "linear", "elu", "selu", "softplus",
                                  "softsign", "swish", "silu", "gelu", "leaky_relu", "hard_sigmoid",
                                  "exponential"])
def test_activation_layer_by_every_name(name):
    run_layer_test(layers.Activation, {"activation": name}, (3, 4), (3, 4),
                   input_data=rs.uniform(0.2, 1.5, (3, 4)) * rs.choice([-1, 1], (3, 4)))


def test_relu_general_form_and_activation_layers():
    x = np.array([[-2.0, -0.5, 0.5, 2.0, 8.0]])
    out = dendrite.activations.relu(dendrite.constant(x), negative_slope=0.1, max_value=6.0, threshold=1.0)
    np.testing.assert_allclose(out.numpy(), [[-0.3, -0.15, -0.05, 2.0, 6.0]], rtol=1e-6)
    for cls, kwargs in [(layers.ReLU, {"max_value": 1.0}), (layers.LeakyReLU, {}), (layers.ELU, {}),
                        (layers.Softmax, {})]:
        run_layer_test(cls, kwargs, (2, 3), (2, 3), input_data=np.array([[-1.3, 0.4, 0.7], [0.2, -0.6, 1.4]]))


def test_flatten_reshape_and_their_errors():
    run_layer_test(layers.Flatten, {}, (2, 3, 4), (2, 12))
    run_layer_test(layers.Reshape, {"target_shape": (28, 28, 1)}, (2, 784), (2, 28, 28, 1), check_gradients=False)
    run_layer_test(layers.Reshape, {"target_shape": (-1, 2)}, (2, 3, 4), (2, 6, 2))
    out = layers.Flatten(data_format="channels_first")(np.arange(8.0).reshape(1, 2, 2, 2)).numpy()
    np.testing.assert_array_equal(out, np.arange(8.0).reshape(1, 2, 2, 2).transpose(0, 2, 3, 1).reshape(1, 8))
    with pytest.raises(ValueError, match=r"Reshape 'r'.*\(5,\).*\(2, 3\)"):
        layers.Reshape((2, 3), name="r")(np.ones((1, 5)))


def test_dropout_is_active_only_in_training():
    x = np.ones((50, 40), dtype=np.float32)
    drop = layers.Dropout(0.5)
    np.testing.assert_array_equal(drop(x).numpy(), x)
    np.testing.assert_array_equal(drop(x, training=False).numpy(), x)
    out = drop(x, training=True).numpy()
    assert set(np.unique(out)) == {0.0, 2.0}
    run_layer_test(layers.Dropout, {"rate": 0.3}, (4, 5), (4, 5))
    with pytest.raises(ValueError, match=r"rate.*\[0, 1\).*1.5"):
        layers.Dropout(1.5)


def test_spatial_dropout_drops_whole_channels():
    x = np.ones((4, 5, 5, 8), dtype=np.float32)
    out = layers.SpatialDropout2D(0.5)(x, training=True).numpy()
    per_channel = out.reshape(4, 25, 8)
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))
    out1d = layers.SpatialDropout1D(0.5)(x[:, 0], training=True).numpy()
    assert np.all(out1d.min(axis=1) == out1d.max(axis=1))


def test_regularizer_adds_to_layer_losses():
    d = layers.Dense(2, kernel_regularizer=dendrite.regularizers.l2(0.01))
    d.build((None, 3))
    d.set_weights([np.ones((3, 2)), np.zeros(2)])
    assert [float(p.numpy()) for p in d.losses] == pytest.approx([0.06])
    l1 = dendrite.regularizers.l1_l2(l1=0.1, l2=0.0)
    check_grads(lambda w: l1(w), [rs.uniform(0.2, 1, (3, 2))])


def test_input_gives_symbolic_tensor_and_layers_build_from_it():
    inp = layers.Input(shape=(784,))
    assert inp.shape == (None, 784)
    d = layers.Dense(10)
    out = d(inp)
    assert out.shape == (None, 10) and d.built and d.kernel.shape == (784, 10)


def test_activity_regularizer_penalises_the_output_per_sample():
    d = layers.Dense(2, kernel_initializer="ones", activity_regularizer=dendrite.regularizers.l1(0.1))
    d(np.ones((4, 3)))
    # each output is 3, so |out| sums to 4 * 2 * 3 = 24; times 0.1, over a batch of 4
    assert [float(p.numpy()) for p in d.losses] == pytest.approx([0.6])
    assert d.get_config()["activity_regularizer"] == {"module": "keras.regularizers", "class_name": "L1",
                                                      "config": {"l1": 0.1}, "registered_name": None}  # Keras 3.15.1


def test_kernel_constraint_is_applied_after_each_update():
    model = dendrite.Sequential([layers.Dense(2, input_shape=(3,), kernel_constraint=lambda w: np.clip(w, -0.1, 0.1))])
    model.compile(optimizer=dendrite.optimizers.SGD(1.0), loss="mse")
    model.fit(np.ones((8, 3)), np.full((8, 2), 5.0), verbose=0, epochs=2)
    assert np.abs(model.layers[0].kernel.numpy()).max() <= 0.1 + 1e-7


# Layer configs exactly as Keras 3.15.1 writes them (json.dumps(layer.get_config())).
_KERAS_CONFIGS = {
    "Conv2D": '{"name": "conv", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "filters": 4, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01}, "registered_name": null}, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}',  # noqa: E501
    "BatchNormalization": '{"name": "bn", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "axis": -1, "momentum": 0.9, "epsilon": 0.001, "center": true, "scale": false, "beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "gamma_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, "moving_mean_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "moving_variance_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null, "synchronized": false, "renorm": false, "renorm_clipping": null, "renorm_momentum": 0.99}',  # noqa: E501
    "Dense": '{"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 3, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null}',  # noqa: E501
}


@pytest.mark.parametrize("name", sorted(_KERAS_CONFIGS))
def test_keras_layer_configs_load(name):
    """A Keras 3 layer config (DTypePolicy dict, initializer/regularizer dicts with module and
    registered_name, Keras 3.15's extra keys) builds the same layer; dendrite's config has Keras's keys
    (and Dense's activity_regularizer, which Keras takes but leaves out of Dense's config)."""
    import json
    from dendrite import initializers, layers, regularizers
    config = json.loads(_KERAS_CONFIGS[name])
    layer = getattr(layers, name).from_config(config)
    assert layer.name == config["name"] and layer.dtype == "float32"
    assert set(layer.get_config()) | {"activity_regularizer"} == set(config) | {"activity_regularizer"}
    if name == "Conv2D":
        assert (layer.filters, layer.kernel_size, layer.strides, layer.padding) == (4, (3, 3), (2, 2), "same")
        assert type(layer.kernel_initializer) is initializers.HeNormal
        assert isinstance(layer.kernel_regularizer, regularizers.L2) and layer.kernel_regularizer.l2 == 0.01
        assert layer(np.ones((1, 5, 5, 2), np.float32)).shape == (1, 3, 3, 4)
    elif name == "BatchNormalization":
        assert (layer.momentum, layer.scale, layer.center) == (0.9, False, True)
    else:
        assert layer.units == 3 and layer.activation is dendrite.activations.relu


@pytest.mark.parametrize("dtype, message", [
    ("mixed_float16", r"Dense 'd': mixed precision \(dtype='mixed_float16'\) is not supported.*Use dtype='float32'"),
    ({"class_name": "DTypePolicy", "config": {"name": "mixed_bfloat16"}}, r"Dense 'd': mixed precision"),
    ({"class_name": "QuantizedDTypePolicy", "config": {"name": "int8_from_float32"}},
     r"Dense 'd': a `dtype` given as a dict must be a Keras DTypePolicy config.*Quantized"),
    ("nonsense", r"Dense 'd': `dtype` must be a dtype or its name, such as 'float32'; received dtype='nonsense'"),
])
def test_layer_dtype_errors_name_the_layer(dtype, message):
    with pytest.raises(ValueError, match=message):
        layers.Dense(3, dtype=dtype, name="d")


def test_layer_dtype_forms():
    assert layers.Dense(3, dtype="float64").dtype == "float64"
    assert layers.Dense(3, dtype=np.float64).dtype == "float64"
    assert layers.Dense(3, dtype={"class_name": "DTypePolicy", "config": {"name": "float64"}}).dtype == "float64"
    assert layers.Dense(3, dtype={"class_name": "DTypePolicy", "config": {}}).dtype == "float32"  # floatx
    assert layers.Dense(3, dtype={"class_name": "FloatDTypePolicy", "config": {"name": "float64"}}).dtype == "float64"
    out = layers.Dense(3, dtype={"class_name": "DTypePolicy", "config": {"name": "float64"}})(np.ones((2, 4)))
    assert out.dtype == np.float64


@pytest.mark.parametrize("arg, value", [("lora_rank", 4), ("lora_alpha", 8.0), ("quantization_config", {"mode": "int8"})])
def test_dense_refuses_lora_and_quantization(arg, value):
    """Keras 3's fine-tuning and quantization arguments: accepted as None (Keras's configs carry them), refused
    otherwise."""
    assert layers.Dense(3, **{arg: None}).units == 3
    with pytest.raises(ValueError, match=rf"Dense 'd': `{arg}` is not supported.*leave it None"):
        layers.Dense(3, name="d", **{arg: value})


def test_input_with_a_batch_shape():
    """Keras 3's Input(batch_shape=...): the batch size is kept, in the tensor and through a config."""
    x = dendrite.Input(batch_shape=(8, 4))
    assert x.shape == (8, 4)
    model = dendrite.Model(x, layers.Dense(2)(x))
    assert model.input_shape == (8, 4)
    again = dendrite.Model.from_config(model.get_config())
    assert again.input_shape == (8, 4) and again.output_shape == (8, 2)


def test_a_layer_of_dtype_float64_makes_float64_weights_and_outputs():
    dense = layers.Dense(2, dtype="float64")
    dense.build((None, 3))
    assert dense.kernel.value.dtype == np.float64 and dense.bias.value.dtype == np.float64
    assert dense(np.ones((1, 3), np.float32)).numpy().dtype == np.float64
    assert layers.Dense(2)(np.ones((1, 3))).numpy().dtype == np.float32  # floatx by default


def test_identity_passes_inputs_through_with_gradients_and_supports_masking():
    x = rs.standard_normal((2, 3, 4))
    layer = run_layer_test(layers.Identity, {}, (2, 3, 4), (2, 3, 4))
    np.testing.assert_array_equal(layer(x).numpy(), x.astype(np.float32))
    assert layer(dendrite.Input((None, 4))).shape == (None, None, 4)
    assert layers.Identity.supports_masking and set(layer.get_config()) == {"name", "trainable", "dtype"}


def _padded_sequences():
    x = rs.standard_normal((2, 4, 3)).astype(np.float32)
    x[0, 1] = 0.0  # a padded step
    x[1, 3] = -1.0  # a step padded with -1
    x[1, 0, 0] = 0.0  # one zero feature does not make a padded step
    return x


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_masking_zeroes_the_padded_steps_and_computes_their_mask(mask_value):
    x = _padded_sequences()
    # (finite differences would unmask the padded steps: gradients are checked below)
    layer = run_layer_test(layers.Masking, {"mask_value": mask_value}, x.shape, x.shape, input_data=x,
                           check_gradients=False)
    kept = (x != mask_value).any(axis=-1)
    np.testing.assert_array_equal(layer(x).numpy(), x * kept[..., None])
    mask = layer.compute_mask(x)
    assert mask.dtype == bool and mask.shape == (2, 4)
    np.testing.assert_array_equal(mask, kept)
    # Keras 3.15.1: Masking()(x) for x = [[[0, 0], [1, 2], [0, 3]]] gives the mask [[False, True, True]]
    np.testing.assert_array_equal(layers.Masking().compute_mask(np.array([[[0., 0], [1, 2], [0, 3]]])),
                                  [[False, True, True]])
    assert layers.Masking.supports_masking and layer.get_config()["mask_value"] == mask_value


def test_masking_gradient_is_zero_on_masked_steps_and_shapes_are_kept():
    check_grads(lambda t: layers.Masking()(t), [rs.standard_normal((2, 4, 3))])  # no step padded
    x = dendrite.constant(_padded_sequences())
    with dendrite.GradientTape() as tape:
        tape.watch(x)
        out = dendrite.ops.sum(layers.Masking()(x))
    np.testing.assert_array_equal(tape.gradient(out, x), np.broadcast_to(layers.Masking().compute_mask(x)[..., None],
                                                                          (2, 4, 3)))
    assert layers.Masking()(dendrite.Input((None, 3))).shape == (None, None, 3)
    assert set(layers.Masking().get_config()) == {"name", "trainable", "dtype", "mask_value"}  # Keras's keys
    with pytest.raises(ValueError, match=r"Masking 'm': `mask_value` must be a finite number\. Received: "
                                         r"mask_value='pad'"):
        layers.Masking("pad", name="m")


@pytest.mark.parametrize("make, message", [
    (lambda: layers.Bidirectional(layers.Dense(3)), r"Bidirectional 'b': `layer` must be a recurrent layer.*Dense"),
    (lambda: layers.LSTM(2, seed="a"), r"`seed` must be an integer >= 0 or None\. Received: seed='a'"),
    (lambda: layers.Dropout("a"), r"Dropout 'dropout': `rate` must be a number in \[0, 1\)\. Received: rate='a'"),
    (lambda: layers.Reshape("ab"), r"Reshape 'reshape': `target_shape` must be a tuple of ints"),
])
def test_bad_layer_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make() if "Bidirectional" not in message else layers.Bidirectional(layers.Dense(3), name="b")
    assert layers.Reshape(5).target_shape == (5,)
