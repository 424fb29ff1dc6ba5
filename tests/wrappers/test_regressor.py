"""KerasRegressor on iris measurements (petal width from the other three, and two targets at once): R^2,
the default loss, shapes and dtypes of predict, a Pipeline with a scaler in a grid search; scikit-learn's
own estimator checks."""
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import dendrite as keras
from dendrite.wrappers import KerasRegressor

DATA = load_iris().data.astype(np.float32)


def regressor_net(meta, units=16):
    return keras.Sequential([keras.Input(meta["X_shape_"][1:]), keras.layers.Flatten(),
                             keras.layers.Dense(units, activation="relu"), keras.layers.Dense(meta["n_outputs_"])])


def fitted(X, y, **params):
    defaults = dict(optimizer="adam", optimizer__learning_rate=0.02, epochs=40, batch_size=16, verbose=0,
                    random_state=0)
    return KerasRegressor(regressor_net, **{**defaults, **params}).fit(X, y)


def test_petal_width_from_three_measurements_scores_r2():
    X, y = DATA[:, :3], DATA[:, 3]
    reg = fitted(X, y)
    assert reg.model_.loss == "mean_squared_error"  # chosen when none is given
    pred = reg.predict(X)
    assert pred.shape == (150,) and pred.dtype == np.float64
    np.testing.assert_allclose(pred, reg.model_.predict(X, verbose=0)[:, 0], rtol=1e-6)
    assert reg.score(X, y) == pytest.approx(r2_score(y, pred)) and reg.score(X, y) > 0.85


def test_two_targets_and_a_mismatched_output_is_refused():
    X, y = DATA[:, :2], DATA[:, 2:]
    reg = fitted(X, y, loss="mae")
    assert reg.n_outputs_ == 2 and reg.predict(X).shape == (150, 2) and reg.score(X, y) > 0.6
    with pytest.raises(ValueError, match=r"y has 2 target\(s\) per sample, but the model's output has 1 units; end "
                                         r"the model with Dense\(2\)"):
        KerasRegressor(lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), verbose=0).fit(X, y)
    with pytest.raises(ValueError, match="y has 1 targets per sample .* fitted on 2"):
        reg.partial_fit(X, y[:, 0])


def test_pipeline_with_a_scaler_in_a_grid_search():
    X, y = DATA[:, :3] * 10 + 50, DATA[:, 3]  # far from zero mean: the scaler matters
    pipe = Pipeline([("scale", StandardScaler()),
                     ("net", KerasRegressor(regressor_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=30,
                                            batch_size=16, verbose=0, random_state=0))])
    search = GridSearchCV(pipe, {"net__model__units": [4, 16], "net__batch_size": [16, 64]}, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4 and search.best_score_ > 0.5
    assert search.best_estimator_.named_steps["net"].model_.layers[1].units == search.best_params_["net__model__units"]


@parametrize_with_checks([KerasRegressor(regressor_net, optimizer="adam", epochs=5, verbose=0, random_state=0)],
                         expected_failed_checks=KerasRegressor.expected_failed_checks, xfail_strict=True)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
