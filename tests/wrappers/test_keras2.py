"""Keras 2's keras.wrappers.scikit_learn through compatibility mode: KerasClassifier(build_fn=..., **sk_params)
with each sk_param going to build_fn and/or fit as Keras 2 sent it, parameters exactly as given, a grid search
over build_fn's arguments, KerasRegressor.score as the negated loss."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV

import dendrite.compat

X, Y = load_iris(return_X_y=True)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)


@pytest.fixture
def keras():
    dendrite.compat.install()
    import keras as k
    yield k
    dendrite.compat.uninstall()


def test_build_fn_with_sk_params_in_a_grid_search(keras):
    from keras.layers import Dense
    from keras.models import Sequential
    from keras.wrappers.scikit_learn import KerasClassifier

    def create_model(optimizer="adam", units=8):
        model = Sequential()
        model.add(Dense(units, input_dim=4, activation="relu"))
        model.add(Dense(3, activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
        return model
    clf = KerasClassifier(build_fn=create_model, epochs=20, batch_size=16, verbose=0)
    assert clf.get_params() == {"build_fn": create_model, "epochs": 20, "batch_size": 16, "verbose": 0}
    assert clone(clf).get_params() == clf.get_params()
    search = GridSearchCV(clf, {"optimizer": ["sgd", "adam"], "units": [4, 16]}, cv=2).fit(X, Y)
    best = search.best_estimator_
    assert best.model_.layers[0].units == search.best_params_["units"]
    assert type(best.model_.optimizer).__name__.lower() == search.best_params_["optimizer"]
    assert len(best.history_["loss"]) == 20 and search.best_score_ > 0.6  # epochs went to fit
    proba = best.predict_proba(X)
    assert proba.shape == (150, 3) and best.predict(X).shape == (150,)
    with pytest.raises(ValueError, match="`nb_units=3` is not a legal parameter"):
        KerasClassifier(build_fn=create_model, nb_units=3, verbose=0).fit(X, Y)


def test_regressor_score_is_the_negated_loss(keras):
    from keras.wrappers.scikit_learn import KerasRegressor

    def create_model():
        model = keras.models.Sequential([keras.layers.Dense(1, input_shape=(3,))])
        model.compile(loss="mean_squared_error", optimizer="adam")
        return model
    reg = KerasRegressor(build_fn=create_model, epochs=3, verbose=0).fit(X[:, :3], X[:, 3])
    loss = reg.model_.evaluate(X[:, :3], X[:, 3], verbose=0)
    assert reg.score(X[:, :3], X[:, 3]) == pytest.approx(-loss, rel=1e-6)
