"""The premade estimators: DNNClassifier learns MNIST and scikit-learn's digits, resumes, predicts TF's keys;
TF's variable names, metric names and defaults; the other premade estimators; bad input."""
import numpy as np
import pytest

from dendrite import feature_column as fc
from dendrite import optimizers
from dendrite.estimator.canned.linear import linear_learning_rate
from dendrite.estimator import (BaselineClassifier, BaselineRegressor, DNNClassifier, DNNLinearCombinedClassifier,
                                DNNLinearCombinedRegressor, DNNRegressor, LinearClassifier, LinearRegressor,
                                RunConfig, numpy_input_fn)

PREDICT_KEYS = {"logits", "probabilities", "class_ids", "classes", "all_class_ids", "all_classes"}


def test_dnn_classifier_learns_an_mnist_slice_and_resumes_from_model_dir(mnist_small, tmp_path):
    xtr, ytr, xte, yte = mnist_small
    columns = [fc.numeric_column("x2", shape=(784,))]
    est = DNNClassifier(hidden_units=[64, 32], feature_columns=columns, n_classes=10, model_dir=str(tmp_path))
    train = numpy_input_fn({"x2": xtr}, ytr.astype(np.int64), batch_size=64, num_epochs=None, shuffle=True)
    est.train(train, steps=150)
    result = est.evaluate(numpy_input_fn({"x2": xte}, yte, batch_size=128, num_epochs=1, shuffle=False))
    assert set(result) == {"accuracy", "average_loss", "loss", "global_step"}
    assert result["accuracy"] > 0.75 and result["global_step"] == 150  # chance is 0.1
    assert est.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (784, 64)
    assert {"dnn/hiddenlayer_0/bias", "dnn/hiddenlayer_1/kernel", "dnn/logits/kernel", "dnn/logits/bias"} <= \
        set(est.get_variable_names())
    resumed = DNNClassifier(hidden_units=[64, 32], feature_columns=columns, n_classes=10, model_dir=str(tmp_path))
    resumed.train(train, steps=20)
    assert resumed.get_variable_value("global_step") == 170
    predictions = list(resumed.predict(numpy_input_fn({"x2": xte[:5]}, shuffle=False)))
    assert len(predictions) == 5 and set(predictions[0]) == PREDICT_KEYS
    p = predictions[0]
    assert p["probabilities"].shape == (10,) and p["logits"].shape == (10,) and p["class_ids"].shape == (1,)
    np.testing.assert_allclose(p["probabilities"].sum(), 1, rtol=1e-5)
    assert p["class_ids"][0] == np.argmax(p["logits"]) and p["classes"][0] == str(p["class_ids"][0]).encode()
    np.testing.assert_array_equal(p["all_class_ids"], np.arange(10))


def test_dnn_classifier_learns_sklearn_digits(tmp_path):
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    x, y = (digits.data / 16).astype(np.float32), digits.target
    est = DNNClassifier([32], [fc.numeric_column("pixels", 64)], n_classes=10, model_dir=str(tmp_path),
                        optimizer=optimizers.Adam(0.01))
    est.train(numpy_input_fn({"pixels": x[:1400]}, y[:1400], batch_size=64, num_epochs=None, shuffle=True),
              steps=150)
    accuracy = est.evaluate(numpy_input_fn({"pixels": x[1400:]}, y[1400:], shuffle=False))["accuracy"]
    assert accuracy > 0.85


def _binary(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    return {"x": x, "w": np.ones(n, np.float32)}, (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64)


def test_binary_classifier_metrics_and_predictions_are_named_as_tensorflow(tmp_path):
    features, y = _binary()
    est = DNNClassifier([8], [fc.numeric_column("x", 2)], model_dir=str(tmp_path), weight_column="w")
    est.train(numpy_input_fn(features, y, batch_size=32, num_epochs=None, shuffle=True), steps=60)
    result = est.evaluate(numpy_input_fn(features, y, shuffle=False))
    assert set(result) == {"accuracy", "accuracy_baseline", "auc", "auc_precision_recall", "average_loss",
                           "label/mean", "loss", "precision", "prediction/mean", "recall", "global_step"}
    np.testing.assert_allclose(result["label/mean"], y.mean(), rtol=1e-6)
    np.testing.assert_allclose(result["accuracy_baseline"], max(y.mean(), 1 - y.mean()), rtol=1e-6)
    assert result["accuracy"] > 0.85 and result["auc"] > 0.9
    p = next(est.predict(numpy_input_fn(features, shuffle=False)))
    assert set(p) == PREDICT_KEYS | {"logistic"} and p["logits"].shape == (1,) and p["probabilities"].shape == (2,)
    np.testing.assert_allclose(p["logistic"][0], 1 / (1 + np.exp(-p["logits"][0])), rtol=1e-5)


def test_label_vocabulary_gives_string_classes(tmp_path):
    features, y = _binary(120)
    labels = np.array(["no", "yes"])[y]
    est = LinearClassifier([fc.numeric_column("x", 2)], label_vocabulary=["no", "yes"], model_dir=str(tmp_path))
    est.train(numpy_input_fn(features, labels, batch_size=30, num_epochs=None, shuffle=True), steps=40)
    classes = [p["classes"][0] for p in est.predict(numpy_input_fn(features, shuffle=False))]
    assert set(classes) <= {b"no", b"yes"} and np.mean(np.array(classes) == labels.astype(bytes)) > 0.85


def test_linear_classifier_variables_and_ftrl_default(tmp_path):
    features = {"color": np.array(["r", "g", "b", "r"] * 30), "size": np.tile([1.0, 2.0, 3.0, 4.0], 30)}
    y = (features["color"] == "r").astype(np.int64)
    color = fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"])
    est = LinearClassifier([color, fc.numeric_column("size")], model_dir=str(tmp_path))
    assert isinstance(est._parts["linear/"], optimizers.Ftrl)
    np.testing.assert_allclose(est._parts["linear/"].learning_rate, 0.2, rtol=1e-6)  # min(0.2, 1/sqrt(2 columns))
    np.testing.assert_allclose(linear_learning_rate(50), 1 / np.sqrt(50))
    est.train(numpy_input_fn(features, y, batch_size=40, num_epochs=None, shuffle=True), steps=40)
    assert est.evaluate(numpy_input_fn(features, y, shuffle=False))["accuracy"] == 1.0
    assert est.get_variable_value("linear/linear_model/color/weights").shape == (3, 1)
    assert "linear/linear_model/bias_weights" in est.get_variable_names()
    assert est.get_variable_value("linear/linear_model/color/weights")[0, 0] > 0  # 'r' pushes to class 1


def test_regressors_fit_a_line(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(200, 1)).astype(np.float32)
    y = 3 * x[:, 0] + 1
    train = numpy_input_fn({"x": x}, y, batch_size=20, num_epochs=None, shuffle=True)
    column = [fc.numeric_column("x")]
    for i, est in enumerate([LinearRegressor(column, optimizer=optimizers.SGD(0.1), model_dir=str(tmp_path / "l")),
                             DNNRegressor([16], column, optimizer=optimizers.Adam(0.02), model_dir=str(tmp_path / "d")),
                             DNNLinearCombinedRegressor(str(tmp_path / "c"), linear_feature_columns=column,
                                                        linear_optimizer=optimizers.SGD(0.1), dnn_feature_columns=column,
                                                        dnn_hidden_units=[8])]):
        est.train(train, steps=200)
        result = est.evaluate(numpy_input_fn({"x": x}, y, shuffle=False))
        assert set(result) == {"average_loss", "label/mean", "loss", "prediction/mean", "global_step"}
        assert result["average_loss"] < 0.1, type(est).__name__
        pred = next(est.predict(numpy_input_fn({"x": np.array([[0.5]], np.float32)}, shuffle=False)))
        assert abs(pred["predictions"][0] - 2.5) < 0.4


def test_combined_classifier_trains_both_parts(tmp_path):
    features, y = _binary()
    est = DNNLinearCombinedClassifier(str(tmp_path), linear_feature_columns=[fc.numeric_column("x", 2)],
                                      dnn_feature_columns=[fc.numeric_column("x", 2)], dnn_hidden_units=[8])
    est.train(numpy_input_fn(features, y, batch_size=32, num_epochs=None, shuffle=True), steps=50)
    names = est.get_variable_names()
    assert "dnn/hiddenlayer_0/kernel" in names and "linear/linear_model/x/weights" in names
    assert np.abs(est.get_variable_value("linear/linear_model/x/weights")).sum() > 0
    assert est.evaluate(numpy_input_fn(features, y, shuffle=False))["accuracy"] > 0.85


def test_baselines_learn_the_prior_and_the_mean(tmp_path):
    features, y = _binary(200)
    cls = BaselineClassifier(str(tmp_path / "c"), n_classes=2)
    cls.train(numpy_input_fn(features, y, batch_size=50, num_epochs=None, shuffle=True), steps=100)
    p = next(cls.predict(numpy_input_fn(features, shuffle=False)))["logistic"][0]
    assert abs(p - y.mean()) < 0.05
    reg = BaselineRegressor(str(tmp_path / "r"))
    reg.train(numpy_input_fn(features, np.full(200, 4.0), batch_size=50, num_epochs=None, shuffle=True), steps=200)
    assert abs(reg.get_variable_value("baseline/bias")[0] - 4.0) < 0.2


def test_bad_input_is_named(tmp_path):
    features, y = _binary(40)
    est = DNNClassifier([4], [fc.numeric_column("pixels", 2)], n_classes=3, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"NumericColumn 'pixels'.*'pixels' is not in the input.*\['w', 'x'\]"):
        est.train(numpy_input_fn(features, y, batch_size=10, shuffle=False), steps=1)
    est = DNNClassifier([4], [fc.numeric_column("x", 2)], n_classes=3, model_dir=str(tmp_path / "b"))
    with pytest.raises(ValueError, match=r"DNNClassifier: labels must be in \[0, n_classes\) = \[0, 3\); received "
                                         r"\[5\]"):
        est.train(numpy_input_fn(features, np.where(y == 1, 5, 0), batch_size=10, shuffle=False), steps=1)
    with pytest.raises(ValueError, match="hidden_units must be a non-empty list"):
        DNNClassifier([], [fc.numeric_column("x")])
    with pytest.raises(ValueError, match="n_classes must be an integer > 1"):
        DNNClassifier([3], [fc.numeric_column("x")], n_classes=1)
    with pytest.raises(ValueError, match="categorical.*embedding_column"):
        DNNClassifier([3], [fc.categorical_column_with_identity("x", 3)])


def test_dnn_defaults_are_tensorflows():
    est = DNNClassifier([3], [fc.numeric_column("x")], config=RunConfig(model_dir=None))
    opt = est._parts["dnn/"]
    assert isinstance(opt, optimizers.Adagrad) and float(opt.learning_rate) == pytest.approx(0.05)
    config = est.config
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps, config.keep_checkpoint_max,
            config.log_step_count_steps, config.save_summary_steps) == (600, None, 5, 100, 100)
