"""ZeroPadding3D, Cropping3D and UpSampling3D: outputs against Keras's (tests/fixtures/keras/layers3),
gradients, Keras's argument forms, defaults and config keys, .keras files, errors."""
import numpy as np
import pytest

from dendrite.layers import Cropping3D, UpSampling3D, ZeroPadding3D
from dendrite.testing import check_grads
from keras_layers3 import arrays, built, case_id, cases, keras_file_round_trip


@pytest.mark.parametrize("i, case", cases("ZeroPadding3D", "Cropping3D", "UpSampling3D"), ids=case_id)
def test_outputs_match_keras_and_gradients(i, case):
    x, _, expected, _ = arrays(i)
    layer = built(case, x, [])
    np.testing.assert_array_equal(layer(x).numpy(), expected)
    check_grads(lambda x_: layer(x_), [x[:1]])


def test_keras_argument_forms_and_defaults():
    assert ZeroPadding3D().padding == ((1, 1), (1, 1), (1, 1))
    assert ZeroPadding3D(2).padding == ((2, 2),) * 3
    assert ZeroPadding3D((1, 0, 2)).get_config()["padding"] == ((1, 1), (0, 0), (2, 2))
    assert Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    assert Cropping3D([[1, 0], [0, 2], [1, 1]]).get_config()["cropping"] == ((1, 0), (0, 2), (1, 1))
    assert UpSampling3D().size == (2, 2, 2)
    for layer, key in ((ZeroPadding3D(), "padding"), (Cropping3D(), "cropping"), (UpSampling3D(), "size")):
        assert set(layer.get_config()) == {"name", "trainable", "dtype", "data_format", key}
    assert ZeroPadding3D().compute_output_shape((None, 3, None, 5, 2)) == (None, 5, None, 7, 2)
    assert UpSampling3D((1, 2, 3), data_format="channels_first").compute_output_shape((None, 2, 3, 4, 5)) == \
        (None, 2, 3, 8, 15)


@pytest.mark.parametrize("layer", [ZeroPadding3D(((0, 1), (2, 0), (1, 1))), Cropping3D(1, data_format="channels_first"),
                                   UpSampling3D((2, 1, 2))])
def test_config_and_keras_file_round_trip(layer, tmp_path):
    keras_file_round_trip(layer, (2, 3, 4, 5, 3), tmp_path)


def test_errors_name_the_layer_and_what_is_wrong():
    with pytest.raises(ValueError, match=r"Layer 'zp': `padding` must be a non-negative int, a tuple of 3 "
                                         r"non-negative ints .* received padding=\(1, 2\)"):
        ZeroPadding3D((1, 2), name="zp")
    with pytest.raises(ValueError, match=r"`cropping\[0\]` must be a non-negative int or a tuple of 2 non-negative "
                                         r"ints \(before, after\); received cropping\[0\]=-1"):
        Cropping3D(-1)
    assert ZeroPadding3D((1, (0, 2), 3)).padding == ((1, 1), (0, 2), (3, 3))  # entries of both forms, as Keras
    with pytest.raises(ValueError, match=r"'c' \(Cropping3D\): cropping=\(\(2, 1\), \(0, 0\), \(0, 0\)\) removes 3 "
                                         r"of the 3 cells on axis 1 of the input shape \(1, 3, 4, 4, 1\)"):
        Cropping3D(((2, 1), (0, 0), (0, 0)), name="c")(np.zeros((1, 3, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r"layer 'up' is incompatible with the layer: expected ndim=5, found ndim=4"):
        UpSampling3D(name="up")(np.zeros((1, 3, 4, 4), np.float32))
    with pytest.raises(ValueError, match="`size`"):
        UpSampling3D((2, 2))
