"""Wrappers through pickle: each model travels as the bytes of an in-memory .keras archive (weights,
compile settings, optimizer state), custom layer classes included; a refit or warm start after unpickling
continues from the same state."""
import io
import pickle
import zipfile

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_iris

import dendrite as keras
from dendrite.wrappers import KerasClassifier
from dendrite.wrappers.persistence import is_packed

X, Y = load_iris(return_X_y=True)
X = X.astype(np.float32)


class Doubling(keras.layers.Layer):
    """A custom layer (a user's class, not dendrite's)."""

    def call(self, inputs):
        return inputs * 2.0


def with_custom_layer(meta):
    return keras.Sequential([keras.Input((4,)), Doubling(), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(meta["n_classes_"], activation="softmax")])


def test_a_fitted_wrapper_pickles_its_model_as_keras_bytes_and_predicts_the_same():
    clf = KerasClassifier(with_custom_layer, optimizer="adam", epochs=3, verbose=0, random_state=0,
                          warm_start=True).fit(X, Y)
    state = clf.__getstate__()
    assert is_packed(state["model_"]) and state["model_"][2] == {"Doubling": Doubling}
    archive = zipfile.ZipFile(io.BytesIO(state["model_"][1]))
    assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
    back = pickle.loads(pickle.dumps(clf))
    assert isinstance(back.model_.layers[0], Doubling)
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert int(back.model_.optimizer.iterations.value) == int(clf.model_.optimizer.iterations.value) == 15
    back.fit(X, Y)  # warm start continues with the restored optimizer state
    assert int(back.model_.optimizer.iterations.value) == 30
    assert back.get_params()["optimizer"] == "adam" and len(back.history_["loss"]) == 3


def test_a_given_model_instance_pickles_and_clones():
    net = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    clf = KerasClassifier(net, epochs=2, verbose=0)
    fresh = pickle.loads(pickle.dumps(clf))  # unfitted: the model parameter itself travels as .keras bytes
    assert isinstance(fresh.model, keras.Sequential) and fresh.model is not net
    np.testing.assert_array_equal(fresh.model.get_weights()[0], net.get_weights()[0])
    clf.fit(X, Y)
    back = pickle.loads(pickle.dumps(clf))
    assert back.model is back.model_  # the trained model is the given one, before and after
    np.testing.assert_array_equal(back.predict(X), clf.predict(X))
    copy = clone(clf)
    assert copy.model is not net and not hasattr(copy, "model_")
