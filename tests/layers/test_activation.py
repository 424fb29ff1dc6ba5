import numpy as np
import pytest

from dendrite import layers, models
from dendrite.testing import run_layer_test


def test_prelu_defaults_config_and_gradients():
    layer = layers.PReLU()
    config = layer.get_config()
    # Keras 3's PReLU: alpha starts at zero (a plain ReLU), no regularizer or constraint, nothing shared
    assert config["alpha_initializer"]["class_name"] == "Zeros"
    assert config["alpha_regularizer"] is None and config["alpha_constraint"] is None
    assert config["shared_axes"] is None
    x = np.array([[-2.0, -0.5, 1.5], [0.25, -1.0, 3.0]])
    np.testing.assert_allclose(layer(x).numpy(), np.maximum(x, 0))
    layer = run_layer_test(layers.PReLU, {"alpha_initializer": "ones"}, (2, 3), (2, 3),
                           expected_num_trainable_weights=1, input_data=x)
    layer.alpha.assign(np.array([0.1, 0.2, 0.3], dtype=np.float32))
    np.testing.assert_allclose(layer(x).numpy(), [[-0.2, -0.1, 1.5], [0.25, -0.2, 3.0]], rtol=1e-6)


def test_prelu_shared_axes_give_one_alpha_per_channel():
    layer = run_layer_test(layers.PReLU, {"shared_axes": [1, 2], "alpha_initializer": "ones"}, (2, 4, 5, 3),
                           (2, 4, 5, 3), expected_num_trainable_weights=1)
    assert layer.alpha.shape == (1, 1, 3)
    model = models.Sequential([layers.Input((4, 5, 3)), layers.PReLU(shared_axes=[1, 2])])
    assert model.count_params() == 3


def test_prelu_bad_shared_axes_are_named():
    with pytest.raises(ValueError, match=r"PReLU 'p'.*shared_axes.*counted from 1.*\[0\]"):
        layers.PReLU(shared_axes=[0], name="p")
    with pytest.raises(ValueError, match=r"PReLU 'q'.*axis 3.*\(2, 4\)"):
        layers.PReLU(shared_axes=3, name="q")(np.ones((2, 4)))
