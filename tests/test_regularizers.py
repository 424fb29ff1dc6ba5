"""OrthogonalRegularizer against Keras 3.15 (tests/fixtures/keras/layers4_objects.json): rows and columns,
gradients, config by name, and a Dense layer whose penalty joins the model's losses."""
import numpy as np
import pytest

from dendrite import layers, regularizers
from dendrite.autodiff import Tensor
from dendrite.testing import check_grads
from keras_objects4 import value

KERNEL = value("kernel")


def test_values_match_keras():
    rows = regularizers.OrthogonalRegularizer(0.3)(Tensor(KERNEL))
    cols = regularizers.OrthogonalRegularizer(0.3, mode="columns")(Tensor(KERNEL))
    np.testing.assert_allclose(float(rows.numpy()), float(value("orth_rows")), rtol=1e-5)
    np.testing.assert_allclose(float(cols.numpy()), float(value("orth_cols")), rtol=1e-5)
    orthogonal = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))[0]
    assert abs(float(regularizers.OrthogonalRegularizer(1.0)(Tensor(orthogonal)).numpy())) < 1e-6


def test_gradients_config_and_layer_use():
    reg = regularizers.OrthogonalRegularizer(0.5, mode="columns")
    check_grads(lambda k: reg(k), [KERNEL.astype(np.float64)])
    again = regularizers.get({"class_name": "OrthogonalRegularizer", "config": reg.get_config()})
    assert isinstance(again, regularizers.OrthogonalRegularizer) and again.get_config() == {"factor": 0.5,
                                                                                            "mode": "columns"}
    assert isinstance(regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer)
    dense = layers.Dense(3, kernel_regularizer=reg)
    dense(np.ones((2, 5), np.float32))
    assert len(dense.losses) == 1 and float(dense.losses[0].numpy()) > 0


def test_errors():
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(Tensor(np.ones((2, 2, 2))))
