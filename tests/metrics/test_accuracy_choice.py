"""Which accuracy compile(metrics=['accuracy']) tracks (dendrite.metrics.resolve / target_kind): Keras 3's rule on
the shapes of y_true and y_pred, checked against TensorFlow 2.21 / Keras 3.15 (values in the comments)."""
import numpy as np

import dendrite
from dendrite import layers

X = np.array([[1., 0.], [0., 1.], [1., 1.], [2., -1.], [-1., 2.], [0.5, 0.5]], np.float32)
W = np.array([[1., -1., 0.5, -0.5], [-1., 1., -0.5, 2.]], np.float32)
Y = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], np.float32)


def accuracy(loss, y, units):
    m = dendrite.Sequential([dendrite.Input((2,)), layers.Dense(units, activation="sigmoid", use_bias=False)])
    m.layers[0].set_weights([W[:, :units]])
    m.compile("sgd", loss, metrics=["accuracy"])
    return m.evaluate(X, y, verbose=0, return_dict=True)["accuracy"]


def test_binary_crossentropy_on_several_columns_is_scored_by_categorical_accuracy():
    # Keras 3 picks by shape: four sigmoid columns against one-hot rows is CategoricalAccuracy (0.5 under
    # TF 2.21), not the per-element BinaryAccuracy (0.6667) that Keras 2 chose from the loss
    assert np.isclose(accuracy("binary_crossentropy", Y, 4), 0.5)
    assert np.isclose(accuracy("categorical_crossentropy", Y, 4), 0.5)
    p = 1 / (1 + np.exp(-X @ W))
    assert np.isclose(accuracy("binary_crossentropy", Y, 4), np.mean(p.argmax(1) == Y.argmax(1)))


def test_one_column_is_binary_and_integer_labels_are_sparse():
    assert np.isclose(accuracy("binary_crossentropy", Y[:, :1], 1), 1.0)  # TF 2.21: 1.0
    assert dendrite.metrics.target_kind("binary_crossentropy", (6, 1), (6, 1)) == "binary"
    assert dendrite.metrics.target_kind(None, (6,), (6, 4)) == "sparse"
    assert dendrite.metrics.target_kind(None, (6, 1), (6, 4)) == "sparse"
    assert dendrite.metrics.target_kind("binary_crossentropy", (6, 4), (6, 4)) == "categorical"
    # where the shapes cannot decide, the loss does
    assert dendrite.metrics.target_kind("binary_crossentropy", None, None) == "binary"
    assert dendrite.metrics.target_kind("sparse_categorical_crossentropy", None, None) == "sparse"
