"""ImageDataGenerator's feature-wise statistics (dendrite/compat/preprocessing.py): ``fit`` and ``standardize``
with featurewise centering, std normalization and ZCA whitening against Keras 3.15's legacy generator, which
tf.keras serves (tests/fixtures/keras_zca/fit.npz, written by tools/make_keras_featurewise_fixtures.py)."""
import os
import warnings

import numpy as np
import pytest

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "keras_zca", "fit.npz")
CASES = {"zca": dict(zca_whitening=True, rescale=1 / 255.0),
         "zca_eps": dict(zca_whitening=True, zca_epsilon=0.1, featurewise_std_normalization=True),
         "center_std": dict(featurewise_center=True, featurewise_std_normalization=True, rescale=1 / 255.0),
         "std_only": dict(featurewise_std_normalization=True)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fit_and_standardize_match_keras(keras, case):
    with np.load(FIXTURE, allow_pickle=False) as f:
        data = dict(f)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gen = keras.preprocessing.image.ImageDataGenerator(**CASES[case])
    if case == "zca_eps":  # Keras's warnings for the settings ZCA overrides (it tests the arguments as given)
        assert [str(w.message) for w in caught] == [
            "This ImageDataGenerator specifies `zca_whitening`, which overrides setting of `featurewise_center`.",
            "This ImageDataGenerator specifies `zca_whitening` which overrides setting of"
            "`featurewise_std_normalization`.",
            "This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides setting of "
            "`featurewise_center`."]
    gen.fit(data["x"])
    for stat in ("mean", "std", "zca_whitening_matrix"):
        if f"{case}_{stat}" in data:
            np.testing.assert_allclose(getattr(gen, stat), data[f"{case}_{stat}"], rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(gen.standardize(np.copy(data["x"][:2])), data[f"{case}_standardized"],
                               rtol=2e-4, atol=2e-4)


def test_standardize_before_fit_warns_and_flow_whitens(keras):
    gen = keras.preprocessing.image.ImageDataGenerator(featurewise_center=True)
    x = np.random.default_rng(0).uniform(size=(8, 4, 4, 1)).astype("float32")
    with pytest.warns(UserWarning, match=r"specifies `featurewise_center`, but it hasn't been fit"):
        assert np.array_equal(gen.standardize(np.copy(x[:1])), x[:1])
    with pytest.warns(UserWarning, match=r"`zca_whitening`, which overrides setting of `featurewise_center`"):
        zca = keras.preprocessing.image.ImageDataGenerator(zca_whitening=True)
    zca.fit(x)
    batch = next(iter(zca.flow(x, batch_size=8, shuffle=False)))
    flat = batch.reshape(8, -1)
    # whitened: the centred images' covariance is the identity on the span the 8 images cover
    covariance = flat.T @ flat / 8
    assert np.allclose(np.trace(covariance), np.linalg.matrix_rank(flat), atol=0.05)
