"""Which accuracy compile(metrics=['accuracy']) tracks (dendrite.metrics.resolve / target_kind): Keras 3's rule on
the shapes of y_true and y_pred, checked against TensorFlow 2.21 / Keras 3.15 (values in the comments)."""
import numpy as np
import pytest

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


def test_categorical_accuracy_compares_argmaxes_when_only_the_class_width_differs():
    """As TensorFlow: y_true one-hot encoded with fewer columns than y_pred has (``to_categorical(y)`` of a batch
    without class 9) is scored on the argmaxes; figures from tf.keras 2.21."""
    from dendrite import metrics
    yt = np.eye(7, dtype="float32")[[1, 3, 6]]
    yp = np.full((3, 10), 0.01, "float32")
    yp[0, 1] = yp[1, 3] = yp[2, 9] = 0.9
    yp[2, 6] = 0.5
    assert metrics.categorical_accuracy(yt, yp).tolist() == [1.0, 1.0, 0.0]
    assert metrics.top_k_categorical_accuracy(yt, yp, k=2).tolist() == [1.0, 1.0, 1.0]
    metric = metrics.CategoricalAccuracy()
    metric.update_state(yt, yp)
    assert abs(float(metric.result()) - 2 / 3) < 1e-6
    with pytest.raises(ValueError, match="expected one-hot y_true with the same shape as y_pred"):
        metrics.categorical_accuracy(yt[:2], yp)
    with pytest.raises(ValueError, match="use sparse_categorical_accuracy"):
        metrics.categorical_accuracy(np.array([1, 3, 6]), yp)
