"""GroupNormalization: outputs against Keras's (tests/fixtures/keras/layers3, same weights), gradients, Keras's
defaults, weights and config keys, masks passed on as Keras does, .keras files, errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.layers import GroupNormalization
from dendrite.testing import check_grads
from keras_layers3 import arrays, built, case_id, cases, keras_file_round_trip


@pytest.mark.parametrize("i, case", cases("GroupNormalization"), ids=case_id)
def test_outputs_match_keras_and_gradients(i, case):
    x, weights, expected, _ = arrays(i)
    layer = built(case, x, weights)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-5)
    check_grads(lambda x_: layer(x_), [x], params=layer.trainable_weights)


def test_each_group_of_each_sample_is_normalised():
    x = np.random.default_rng(0).standard_normal((3, 5, 6)).astype(np.float32) * 4 + 2
    y = GroupNormalization(groups=3, epsilon=1e-6)(x).numpy()
    grouped = y.reshape(3, 5, 3, 2)  # channels 2g, 2g + 1 form group g
    np.testing.assert_allclose(grouped.mean(axis=(1, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(grouped.var(axis=(1, 3)), 1, atol=1e-4)


def test_keras_defaults_weights_and_config_keys():
    layer = GroupNormalization()
    assert (layer.groups, layer.axis, layer.epsilon, layer.center, layer.scale) == (32, -1, 1e-3, True, True)
    layer(np.zeros((2, 3, 64), np.float32))
    assert [(w.name, w.shape, w.trainable) for w in layer.weights] == [("gamma", (64,), True), ("beta", (64,), True)]
    assert layer.count_params() == 128
    np.testing.assert_array_equal(layer.gamma.numpy(), 1)
    np.testing.assert_array_equal(layer.beta.numpy(), 0)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "groups", "axis", "epsilon", "center", "scale",
                           "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                           "beta_constraint", "gamma_constraint"}
    instance = GroupNormalization(groups=-1, axis=1)
    instance(np.zeros((2, 4, 3, 3), np.float32))
    assert instance.get_config()["groups"] == 4  # -1 becomes one group per channel when built, as in Keras
    for kwargs, names in (({"center": False}, ["gamma"]), ({"scale": False}, ["beta"])):
        partial = GroupNormalization(2, **kwargs)
        partial(np.zeros((1, 4), np.float32))
        assert [w.name for w in partial.weights] == names


def test_mask_is_passed_on_and_does_not_change_the_values():
    ids = np.array([[3, 1, 0, 0], [2, 2, 5, 0]])
    embed = layers.Embedding(6, 4, mask_zero=True)
    vectors = embed(ids)
    layer = GroupNormalization(groups=2)
    out = layer(vectors)
    np.testing.assert_array_equal(out._keras_mask, ids != 0)
    np.testing.assert_allclose(out.numpy(), layer(vectors.numpy()).numpy())


def test_config_and_keras_file_round_trip(tmp_path):
    layer = GroupNormalization(groups=2, axis=1, epsilon=0.01, gamma_regularizer="l2", beta_initializer="ones")
    x = np.random.default_rng(0).standard_normal((2, 4, 3, 5)).astype(np.float32)
    again = keras_file_round_trip(layer, x, tmp_path)
    assert again.groups == 2 and again.axis == 1


def test_errors_name_the_layer_and_what_is_wrong():
    with pytest.raises(ValueError, match=r"GroupNormalization 'g': the 4 channels of axis -1 \(input shape "
                                         r"\(2, 5, 4\)\) cannot be split into groups=3 equal groups"):
        GroupNormalization(groups=3, name="g")(np.zeros((2, 5, 4), np.float32))
    with pytest.raises(ValueError, match="cannot be split into groups=8"):
        GroupNormalization(groups=8)(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"`groups` must be a positive int .* or -1 .* Received: groups=0"):
        GroupNormalization(groups=0)
    with pytest.raises(TypeError, match=r"`axis` must be an int"):
        GroupNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match=r"axis=3 is not a valid feature axis for inputs of shape \(2, 4, 4\)"):
        GroupNormalization(groups=2, axis=3)(np.zeros((2, 4, 4), np.float32))
    layer = GroupNormalization(groups=2, name="built")
    layer(np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"layer 'built' is incompatible with the layer: expected axis 2 .* value 4"):
        layer(np.zeros((2, 3, 6), np.float32))
