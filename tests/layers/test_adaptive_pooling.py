"""AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D: outputs against Keras's
(tests/fixtures/keras/layers4), gradients, shapes, config, .keras files, keras.ops functions and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.layers.adaptive_pooling import adaptive_pool, windows
from dendrite.testing import check_grads
from keras_layers3 import keras_file_round_trip
from keras_layers4 import arrays, built, case_id, cases

_CASES = cases(*(f"Adaptive{kind}Pooling{n}D" for kind in ("Average", "Max") for n in (1, 2, 3)))


@pytest.mark.parametrize("i, case", _CASES, ids=case_id)
def test_outputs_match_keras_and_gradients(i, case):
    x, _, (expected,) = arrays(i)
    layer = built(case, x, [])
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-6)
    symbolic = layer(layers.Input(shape=x.shape[1:]))
    assert tuple(symbolic.shape) == (None,) + expected.shape[1:]
    config = layer.get_config()
    assert {k: list(v) if isinstance(v, tuple) else v for k, v in config.items() if k not in ("dtype", "name")} == \
        {k: v for k, v in case["config"].items() if k != "name"}
    check_grads(lambda x_: layer(x_), [x[:1]])


def test_windows_cover_the_input_as_torch_and_keras_do():
    assert windows(10, 4) == [(0, 3), (2, 5), (5, 8), (7, 10)]
    assert windows(2, 3) == [(0, 1), (0, 2), (1, 2)]  # more outputs than inputs: windows overlap


def test_keras_file_round_trip(tmp_path):
    keras_file_round_trip(layers.AdaptiveMaxPooling2D((2, 3)), (2, 6, 7, 3), tmp_path)
    keras_file_round_trip(layers.AdaptiveAveragePooling1D(4, data_format="channels_first"), (2, 3, 9), tmp_path)


def test_function_matches_the_layers():
    x = np.random.default_rng(0).standard_normal((2, 6, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(adaptive_pool(x, (2, 2), "max").numpy(), layers.AdaptiveMaxPooling2D(2)(x).numpy())
    # 6 -> 3 rows: windows of 2; 5 -> 3 columns: windows [0, 2), [1, 4), [3, 5)
    rows = x.reshape(2, 3, 2, 5, 3).mean(2)
    expected = np.stack([rows[:, :, a:b].mean(2) for a, b in ((0, 2), (1, 4), (3, 5))], axis=2)
    np.testing.assert_allclose(adaptive_pool(x, 3).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("make, match", [
    (lambda: layers.AdaptiveAveragePooling2D((2, 3, 4)), "output_size"),
    (lambda: layers.AdaptiveMaxPooling1D(0), "output_size"),
    (lambda: layers.AdaptiveMaxPooling2D(2, data_format="nhwc"), "data_format"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_rank_is_named():
    with pytest.raises(ValueError, match="rank 4"):
        layers.AdaptiveAveragePooling2D(2)(np.zeros((2, 5, 3), np.float32))
