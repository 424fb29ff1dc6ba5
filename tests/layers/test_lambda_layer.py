"""Lambda: eager calls, models, inferred and given output shapes, masks, and configs that never run code."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, ops
from dendrite.testing import check_grads


def cube(x):
    return x * x * x


def scaled(x, factor=1.0, training=None):
    return x * (factor if training else 1.0)


def test_eager_call_applies_the_function_with_arguments_and_gradients():
    x = np.random.default_rng(0).uniform(-1, 1, (3, 4))
    np.testing.assert_allclose(layers.Lambda(cube)(x).numpy(), x.astype(np.float32) ** 3, rtol=1e-6)
    check_grads(lambda t: layers.Lambda(cube)(t), [x])
    check_grads(lambda t: layers.Lambda(lambda v, p: ops.sum(v ** p, axis=1), arguments={"p": 2})(t), [x])
    # a NumPy function's array comes back as a Tensor
    np.testing.assert_allclose(layers.Lambda(np.tanh)(x).numpy(), np.tanh(x.astype(np.float32)), rtol=1e-6)


def test_training_is_passed_to_a_function_that_takes_it():
    layer = layers.Lambda(scaled, arguments={"factor": 3.0})
    x = np.ones((1, 2), np.float32)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), [[3, 3]])
    np.testing.assert_array_equal(layer(x).numpy(), [[1, 1]])


def test_output_shape_is_inferred_on_symbolic_inputs_unknown_sizes_stay_unknown():
    seq = dendrite.Input((None, 4))
    assert layers.Lambda(lambda t: ops.sum(t, axis=1))(seq).shape == (None, 4)
    assert layers.Lambda(cube)(seq).shape == (None, None, 4)
    assert layers.Lambda(lambda t: ops.reshape(t, (t.shape[0], -1)))(dendrite.Input((2, 3))).shape == (None, 6)
    a, b = dendrite.Input((3,)), dendrite.Input((3,))
    parts = layers.Lambda(lambda ts: [ts[0] - ts[1], ops.concatenate(ts, axis=1)])([a, b])
    assert [p.shape for p in parts] == [(None, 3), (None, 6)]


def test_inferring_the_shape_leaves_the_global_random_stream_alone():
    dendrite.utils.set_random_seed(5)
    expected = dendrite.backend.rng().random(3)
    dendrite.utils.set_random_seed(5)
    layers.Lambda(lambda t: ops.dropout(t, 0.5))(dendrite.Input((4,)))
    np.testing.assert_array_equal(dendrite.backend.rng().random(3), expected)


def test_given_output_shape_as_tuple_list_or_function():
    x = dendrite.Input((4,))
    assert layers.Lambda(cube, output_shape=(4,))(x).shape == (None, 4)
    assert layers.Lambda(cube, output_shape=lambda s: (s[0], 2 * s[1])).compute_output_shape((None, 4)) == (None, 8)
    assert layers.Lambda(lambda t: [t, t], output_shape=[(4,), (4,)]).compute_output_shape((None, 4)) == \
        [(None, 4), (None, 4)]
    with pytest.raises(ValueError, match=r"Lambda 'bad': `output_shape` must be a tuple.*output_shape='x'"):
        layers.Lambda(cube, output_shape="x", name="bad")


def test_in_functional_and_sequential_models_that_train():
    a, b = dendrite.Input((3,)), dendrite.Input((3,))
    model = dendrite.Model([a, b], layers.Lambda(lambda ts: ts[0] - ts[1])([a, b]))
    np.testing.assert_array_equal(model.predict([np.ones((2, 3)), np.ones((2, 3)) * 3], verbose=0), -2)
    stack = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(3), layers.Lambda(cube), layers.Dense(1)])
    stack.compile("sgd", "mse")
    x, y = np.random.default_rng(1).uniform(-1, 1, (16, 4)), np.zeros((16, 1))
    first = stack.evaluate(x, y, verbose=0)
    stack.fit(x, y, epochs=5, verbose=0)
    assert stack.evaluate(x, y, verbose=0) < first


def test_mask_argument_and_supports_masking():
    x = np.ones((2, 3), np.float32)
    given = np.array([True, False])
    assert layers.Lambda(cube, mask=lambda inputs, mask: mask).compute_mask(x, given) is given
    np.testing.assert_array_equal(layers.Lambda(cube, mask=[True, False]).compute_mask(x), [True, False])
    assert layers.Lambda(cube, mask=lambda i, m: m).supports_masking and not layers.Lambda(cube).supports_masking
    assert layers.Lambda(cube).compute_mask(x) is None


def test_config_names_a_module_level_function_and_loads_it_back():
    config = layers.Lambda(cube, output_shape=(4,), arguments={}, name="c").get_config()
    assert config["function"] == {"module": __name__, "class_name": "function", "config": "cube",
                                  "registered_name": "function"}
    # Keras 3.15.1's Lambda config keys ('output_shape' and 'mask' only when given)
    assert set(config) == {"name", "trainable", "dtype", "function", "output_shape", "arguments"}
    again = layers.Lambda.from_config(config)
    assert again.function is cube and again.get_config() == config
    assert set(layers.Lambda(cube).get_config()) == {"name", "trainable", "dtype", "function", "arguments"}
    # Keras writes every function with module 'builtins'; dendrite's activations are found by name
    keras_entry = {"module": "builtins", "class_name": "function", "config": "tanh", "registered_name": "function"}
    assert layers.Lambda.from_config({"function": keras_entry}).function is dendrite.activations.tanh
    # a model holding a Lambda of a named function round-trips
    model = dendrite.Sequential([dendrite.Input((2,)), layers.Lambda(cube)])
    rebuilt = dendrite.Sequential.from_config(model.get_config())
    assert rebuilt.layers[0].function is cube


def test_loading_never_runs_code_lambdas_are_refused():
    config = layers.Lambda(lambda t: t + 1, name="plus").get_config()
    assert config["function"] == {"class_name": "__lambda__", "config": {"module": __name__, "name":
                                  "test_loading_never_runs_code_lambdas_are_refused.<locals>.<lambda>"}}
    with pytest.raises(ValueError, match=r"Lambda 'plus'\.from_config: the layer's `function` is a Python lambda.*"
                                         r"never executes code when loading"):
        layers.Lambda.from_config(config)
    # what Keras 3 writes for a lambda: base64 bytecode, refused before anything reads it
    keras_lambda = {"name": "k", "function": {"class_name": "__lambda__",
                                              "config": {"code": "4wEAAAAA", "defaults": None, "closure": None}}}
    with pytest.raises(ValueError, match="never executes code"):
        layers.Lambda.from_config(keras_lambda)
    # tf.keras 2's format: function_type 'lambda' with the bytecode in `function`
    with pytest.raises(ValueError, match="never executes code"):
        layers.Lambda.from_config({"name": "k2", "function": ["4wEAAAAA", None, None], "function_type": "lambda"})
    with pytest.raises(ValueError, match=r"`output_shape` is a Python lambda"):
        layers.Lambda.from_config({**layers.Lambda(cube, output_shape=lambda s: s).get_config()})


def test_named_functions_that_cannot_be_found_are_refused_with_the_fix():
    entry = {"module": "not_imported_module", "class_name": "function", "config": "helper"}
    with pytest.raises(ValueError, match=r"cannot find the function 'helper' \(module 'not_imported_module'\).*"
                                         r"custom_objects=\{'helper': helper\}"):
        layers.Lambda.from_config({"function": entry})
    assert layers.Lambda.from_config({"function": entry}, custom_objects={"helper": cube}).function is cube
    keras2 = {"name": "k", "function": "cube", "function_type": "function", "module": __name__, "arguments": {}}
    assert layers.Lambda.from_config(keras2).function is cube


def test_bad_arguments_name_the_layer():
    with pytest.raises(TypeError, match=r"Lambda 'l': `function` must be callable.*received 3"):
        layers.Lambda(3, name="l")
    with pytest.raises(TypeError, match=r"`arguments` must be a dict"):
        layers.Lambda(cube, arguments=[1])
    with pytest.raises(ValueError, match=r"Lambda 'f': could not infer the output shape.*Pass `output_shape`"):
        layers.Lambda(lambda t: ops.reshape(t, (7,)), name="f")(dendrite.Input((3,)))
