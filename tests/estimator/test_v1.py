"""Seed 001's custom estimator as its TensorFlow code reads, through dendrite.compat: tf.estimator,
tf.feature_column, tf.keras layers and tf.compat.v1's global step, AdamOptimizer.minimize,
losses.sparse_softmax_cross_entropy and metrics.accuracy."""
import numpy as np
import pytest

import dendrite.compat


@pytest.fixture
def tf():
    dendrite.compat.install()
    import tensorflow
    yield tensorflow
    dendrite.compat.uninstall()


def _digits():
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 8)).astype(np.float32) * 2
    y = rng.integers(0, 3, 300)
    return centers[y] + rng.normal(size=(300, 8)).astype(np.float32), y


def test_the_seeds_custom_estimator_runs_in_compatibility_mode(tf, tmp_path):
    v1 = tf.compat.v1

    def model_fn(features, labels, mode, params):
        x = tf.reshape(features["x2"], [-1, 8])
        net = tf.keras.layers.Dense(16, activation=tf.nn.relu)(x)
        net = v1.layers.dense(net, units=16, activation=tf.nn.relu)
        logits = tf.keras.layers.Dense(3)(net)
        y_pred_cls = tf.argmax(tf.nn.softmax(logits), axis=1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode=mode, predictions=y_pred_cls)
        loss = v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        optimizer = v1.train.AdamOptimizer(learning_rate=params["learning_rate"])
        train_op = optimizer.minimize(loss=loss, global_step=v1.train.get_global_step())
        metrics = {"accuracy": v1.metrics.accuracy(labels, y_pred_cls)}
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)

    x, y = _digits()
    model = tf.estimator.Estimator(model_fn=model_fn, params={"learning_rate": 1e-2}, model_dir=str(tmp_path))
    train_input_fn = tf.compat.v1.estimator.inputs.numpy_input_fn(x={"x2": x}, y=y, batch_size=32, num_epochs=None,
                                                                    shuffle=True)
    model.train(input_fn=train_input_fn, steps=100)
    test_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x2": x}, y=y, num_epochs=1, shuffle=False)
    result = model.evaluate(input_fn=test_input_fn)
    assert result["accuracy"] > 0.9 and result["global_step"] == 100
    predicted = np.array(list(model.predict(tf.estimator.inputs.numpy_input_fn(x={"x2": x}, shuffle=False))))
    assert np.mean(predicted == y) == pytest.approx(result["accuracy"])
    assert v1.train.get_or_create_global_step() is not None  # outside an Estimator: a global step of its own


def test_premade_estimator_with_tf_feature_columns(tf, tmp_path):
    x, y = _digits()
    feature_x2 = tf.feature_column.numeric_column("x2", shape=[8])
    classifier = tf.estimator.DNNClassifier(hidden_units=[16, 8], feature_columns=[feature_x2], n_classes=3,
                                            model_dir=str(tmp_path))
    classifier.train(tf.estimator.inputs.numpy_input_fn({"x2": x}, y, batch_size=32, num_epochs=None, shuffle=True),
                     steps=100)
    assert classifier.evaluate(tf.estimator.inputs.numpy_input_fn({"x2": x}, y, shuffle=False))["accuracy"] > 0.9
    layer = tf.keras.layers.DenseFeatures([feature_x2])
    assert layer({"x2": x[:2]}).shape == (2, 8)
