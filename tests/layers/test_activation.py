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


def test_thresholded_relu_keras2():
    from dendrite.testing import check_grads
    x = np.array([[-2.0, 0.5, 1.0, 1.5, 3.0]], np.float32)
    np.testing.assert_array_equal(layers.ThresholdedReLU()(x).numpy(), [[0, 0, 0, 1.5, 3.0]])  # theta=1.0, x > theta
    layer = layers.ThresholdedReLU(theta=0.4)
    np.testing.assert_array_equal(layer(x).numpy(), [[0, 0.5, 1.0, 1.5, 3.0]])
    assert layer.get_config()["theta"] == 0.4
    assert layers.ThresholdedReLU.from_config(layer.get_config()).theta == 0.4
    check_grads(lambda v: layer(v), [np.array([[-1.0, 0.2, 0.9, 2.0]])])
    with pytest.raises(ValueError, match="theta"):
        layers.ThresholdedReLU(theta=-1)
