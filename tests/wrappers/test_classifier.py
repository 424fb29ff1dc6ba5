"""KerasClassifier on scikit-learn's iris, wine and digits and a slice of MNIST: labels of every kind, the
loss chosen and checked against the output, predict_proba, and the wrapper inside GridSearchCV,
RandomizedSearchCV, cross_val_score, Pipeline and n_jobs=2; scikit-learn's own estimator checks."""
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import dendrite as keras
from dendrite.wrappers import KerasClassifier


def scaled(X):
    return ((X - X.mean(0)) / (X.std(0) + 1e-8)).astype(np.float32)


IRIS_X, IRIS_Y = load_iris(return_X_y=True)
IRIS_X = scaled(IRIS_X)


def classifier_net(meta, units=16, one_unit=False):
    """A hidden layer, then a softmax unit per class (or one sigmoid unit for two classes with one_unit)."""
    head = keras.layers.Dense(1, activation="sigmoid") if one_unit else \
        keras.layers.Dense(meta["n_classes_"], activation="softmax")
    return keras.Sequential([keras.Input(meta["X_shape_"][1:]), keras.layers.Flatten(),
                             keras.layers.Dense(units, activation="relu"), head])


def test_iris_learns_and_reports_classes_and_probabilities():
    clf = KerasClassifier(classifier_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=30, batch_size=16,
                          verbose=0, random_state=0).fit(IRIS_X, IRIS_Y)
    assert clf.score(IRIS_X, IRIS_Y) > 0.9
    assert list(clf.classes_) == [0, 1, 2] and clf.n_classes_ == 3 and clf.n_features_in_ == 4
    assert clf.model_.loss == "sparse_categorical_crossentropy"  # chosen: one softmax unit per class
    proba = clf.predict_proba(IRIS_X)
    assert proba.shape == (150, 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    np.testing.assert_allclose(proba, clf.model_.predict(IRIS_X, verbose=0), rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(IRIS_X), np.argmax(proba, 1))


def test_wine_string_labels_round_trip_and_a_dataframe_sets_feature_names():
    X, y = load_wine(return_X_y=True, as_frame=True)
    X = (X - X.mean()) / X.std()
    names = np.array(["barolo", "grignolino", "barbera"], dtype=object)[y.to_numpy()]
    clf = KerasClassifier(classifier_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=20, batch_size=16,
                          verbose=0, random_state=0).fit(X, names)
    assert list(clf.classes_) == ["barbera", "barolo", "grignolino"]  # sorted, as scikit-learn orders them
    assert list(clf.feature_names_in_) == list(X.columns) and clf.n_features_in_ == 13
    assert set(clf.predict(X)) <= set(names) and clf.score(X, names) > 0.9
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict(X.rename(columns={"alcohol": "ethanol"}))


def test_binary_on_one_sigmoid_unit_chooses_binary_crossentropy_and_gives_two_columns():
    keep = IRIS_Y < 2
    X, y = IRIS_X[keep], np.where(IRIS_Y[keep] == 1, "yes", "no")
    clf = KerasClassifier(classifier_net, model__one_unit=True, optimizer="adam", optimizer__learning_rate=0.02,
                          epochs=20, verbose=0, random_state=0).fit(X, y)
    assert clf.model_.loss == "binary_crossentropy" and clf.n_classes_ == 2
    p = clf.model_.predict(X, verbose=0)[:, 0]
    np.testing.assert_allclose(clf.predict_proba(X), np.column_stack([1 - p, p]), rtol=1e-6)
    assert clf.score(X, y) > 0.95
    with pytest.raises(ValueError, match="loss 'sparse_categorical_crossentropy' needs one output unit per class "
                                         r"\(2\), but the model's output has 1 unit.*loss='binary_crossentropy'"):
        KerasClassifier(classifier_net, model__one_unit=True, loss="sparse_categorical_crossentropy",
                        verbose=0).fit(X, y)


def test_one_hot_targets_and_categorical_crossentropy_on_integer_labels():
    onehot = np.eye(3)[IRIS_Y]
    clf = KerasClassifier(classifier_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=20, verbose=0,
                          random_state=0).fit(IRIS_X, onehot)
    assert clf.model_.loss == "categorical_crossentropy" and clf.target_type_ == "multiclass-onehot"
    pred = clf.predict(IRIS_X)
    assert pred.shape == (150, 3) and set(pred.sum(1)) == {1} and clf.score(IRIS_X, onehot) > 0.85
    # integer labels with categorical_crossentropy are one-hot encoded for the model (scikeras)
    clf = KerasClassifier(classifier_net, loss="categorical_crossentropy", optimizer="adam",
                          optimizer__learning_rate=0.02, epochs=20, verbose=0, random_state=0).fit(IRIS_X, IRIS_Y)
    assert clf.score(IRIS_X, IRIS_Y) > 0.85 and clf.predict(IRIS_X).shape == (150,)


def test_an_output_that_does_not_match_the_classes_is_refused():
    with pytest.raises(ValueError, match=r"y has 3 classes \[0, 1, 2\], but the model's output has 2 units; end the "
                                         r"model with Dense\(3, activation='softmax'\)"):
        KerasClassifier(lambda: keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")]),
                        verbose=0).fit(IRIS_X, IRIS_Y)
    with pytest.raises(ValueError, match="Unknown label type: 'continuous'"):
        KerasClassifier(classifier_net, verbose=0).fit(IRIS_X, IRIS_X[:, 0])


def test_class_weight_and_partial_fit_with_classes():
    clf = KerasClassifier(classifier_net, class_weight={0: 1.0, 1: 1.0, 2: 0.0}, optimizer="adam", epochs=20,
                          verbose=0, random_state=0).fit(IRIS_X, IRIS_Y)
    assert (clf.predict(IRIS_X) == 2).sum() < 5  # class 2 weighs nothing
    part = KerasClassifier(classifier_net, optimizer="adam", verbose=0, random_state=0)
    part.partial_fit(IRIS_X[IRIS_Y < 2], IRIS_Y[IRIS_Y < 2], classes=[0, 1, 2])
    assert part.n_classes_ == 3 and part.model_.layers[-1].units == 3
    part.partial_fit(IRIS_X, IRIS_Y)
    assert part.current_epoch == 2
    with pytest.raises(ValueError, match=r"y holds labels \[7\] that are not among the classes seen in fit"):
        part.partial_fit(IRIS_X[:3], np.array([0, 7, 1]))


def test_grid_search_2x2_cv2_on_digits():
    X, y = load_digits(return_X_y=True)
    X = (X[:600] / 16).astype(np.float32)
    y = y[:600]
    clf = KerasClassifier(classifier_net, optimizer="adam", epochs=4, batch_size=32, verbose=0, random_state=0)
    search = GridSearchCV(clf, {"model__units": [8, 32], "optimizer__learning_rate": [0.001, 0.01]}, cv=2)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_ in search.cv_results_["params"] and search.best_score_ > 0.6
    assert search.best_estimator_.model_.layers[1].units == search.best_params_["model__units"]
    assert search.score(X, y) > 0.7


def test_randomized_search_cross_val_score_and_pipeline_with_a_scaler():
    X, y = load_wine(return_X_y=True)
    clf = KerasClassifier(classifier_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=15, batch_size=16,
                          verbose=0, random_state=0)
    pipe = make_pipeline(StandardScaler(), clf)
    scores = cross_val_score(pipe, X, y, cv=2)
    assert scores.shape == (2,) and scores.min() > 0.8
    search = RandomizedSearchCV(pipe, {"kerasclassifier__model__units": [4, 8, 16],
                                       "kerasclassifier__batch_size": [8, 32]}, n_iter=2, cv=2, random_state=0)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2 and search.best_score_ > 0.8


def test_grid_search_with_n_jobs_2_sends_the_wrapper_to_worker_processes():
    search = GridSearchCV(KerasClassifier(classifier_net, optimizer="adam", optimizer__learning_rate=0.02, epochs=10,
                                          verbose=0, random_state=0),
                          {"model__units": [4, 16]}, cv=2, n_jobs=2)
    search.fit(IRIS_X, IRIS_Y)
    assert search.best_score_ > 0.6 and len(search.cv_results_["mean_test_score"]) == 2
    assert search.best_estimator_.score(IRIS_X, IRIS_Y) > 0.6


def test_mnist_slice(mnist_small):
    xtr, ytr, xte, yte = mnist_small
    clf = KerasClassifier(classifier_net, model__units=64, optimizer="adam", epochs=3, batch_size=64, verbose=0,
                          random_state=0).fit(xtr, ytr)
    assert clf.n_features_in_ == 784 and clf.n_classes_ == 10
    assert clf.score(xte, yte) > 0.8


@parametrize_with_checks([KerasClassifier(classifier_net, optimizer="adam", epochs=5, verbose=0, random_state=0)],
                         expected_failed_checks=KerasClassifier.expected_failed_checks, xfail_strict=True)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
