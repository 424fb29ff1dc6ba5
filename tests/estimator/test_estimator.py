"""Estimator with a custom model_fn (dendrite layers and the TF1 pieces of dendrite.estimator.v1): the three
modes, checkpoints that resume the global step, keep_checkpoint_max, logging, and clear errors."""
import logging
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.estimator import Estimator, EstimatorSpec, ModeKeys, RunConfig, numpy_input_fn, v1


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype(np.float32)
    y = (x[:, 0] - x[:, 1] > 0).astype(np.int64) + 2 * (x[:, 2] > 0.5)
    return x, y


def model_fn(features, labels, mode, params):
    """The seed's custom estimator: layers, then a spec per mode."""
    net = layers.Dense(32, activation="relu")(features["x"])
    logits = layers.Dense(4)(net)
    y_pred_cls = np.argmax(logits.numpy(), axis=1)
    if mode == ModeKeys.PREDICT:
        return EstimatorSpec(mode=mode, predictions=y_pred_cls)
    loss = v1.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    optimizer = v1.AdamOptimizer(learning_rate=params["learning_rate"])
    train_op = optimizer.minimize(loss=loss, global_step=v1.get_global_step())
    metrics = {"accuracy": v1.accuracy(labels, y_pred_cls)}
    return EstimatorSpec(mode=mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


def test_custom_model_fn_trains_evaluates_predicts_and_resumes(tmp_path):
    x, y = _data()
    est = Estimator(model_fn, model_dir=str(tmp_path), params={"learning_rate": 0.01})
    train = numpy_input_fn({"x": x}, y, batch_size=32, num_epochs=None, shuffle=True)
    est.train(train, steps=150)
    assert est.latest_checkpoint() == os.path.join(str(tmp_path), "model.ckpt-150")
    result = est.evaluate(numpy_input_fn({"x": x}, y, shuffle=False))
    assert result["global_step"] == 150 and set(result) == {"accuracy", "loss", "global_step"}
    predicted = np.array(list(est.predict(numpy_input_fn({"x": x}, shuffle=False))))
    assert predicted.shape == (400,)
    np.testing.assert_allclose(result["accuracy"], np.mean(predicted == y), rtol=1e-6)  # streamed over 4 batches
    assert result["accuracy"] > 0.8  # 4 classes: chance is about 0.25-0.4
    # a new Estimator on the same model_dir restores the weights and continues the global step
    again = Estimator(model_fn, model_dir=str(tmp_path), params={"learning_rate": 0.01})
    assert again.evaluate(numpy_input_fn({"x": x}, y, shuffle=False))["accuracy"] == result["accuracy"]
    again.train(train, steps=100)
    assert again.get_variable_value("global_step") == 250
    assert {"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "global_step"} <= \
        set(again.get_variable_names())


def test_evaluate_aggregates_over_steps_and_loss_is_the_mean_of_batch_losses(tmp_path):
    x, y = _data(96)
    est = Estimator(model_fn, model_dir=str(tmp_path), params={"learning_rate": 0.01})
    est.train(numpy_input_fn({"x": x}, y, batch_size=32, shuffle=False), steps=3)
    result = est.evaluate(numpy_input_fn({"x": x}, y, batch_size=32, shuffle=False), steps=2)
    first_two = []
    for i in range(2):
        spec_loss = est.evaluate(numpy_input_fn({"x": x[32 * i:32 * (i + 1)]}, y[32 * i:32 * (i + 1)],
                                                batch_size=32, shuffle=False))["loss"]
        first_two.append(spec_loss)
    np.testing.assert_allclose(result["loss"], np.mean(first_two), rtol=1e-6)


def test_checkpoints_every_n_steps_keep_the_newest(tmp_path):
    x, y = _data(64)
    config = RunConfig(save_checkpoints_steps=10, keep_checkpoint_max=2, log_step_count_steps=10)
    est = Estimator(model_fn, model_dir=str(tmp_path), config=config, params={"learning_rate": 0.01})
    est.train(numpy_input_fn({"x": x}, y, batch_size=8, num_epochs=None, shuffle=True), steps=35)
    index_files = sorted(f for f in os.listdir(tmp_path) if f.endswith(".index"))
    assert index_files == ["model.ckpt-30.index", "model.ckpt-35.index"]
    state = (tmp_path / "checkpoint").read_text()
    assert state.startswith('model_checkpoint_path: "model.ckpt-35"')
    assert 'all_model_checkpoint_paths: "model.ckpt-30"' in state


def test_max_steps_and_the_logged_loss_lines(tmp_path, caplog):
    x, y = _data(64)
    est = Estimator(model_fn, model_dir=str(tmp_path), config=RunConfig(log_step_count_steps=5),
                    params={"learning_rate": 0.01})
    with caplog.at_level(logging.INFO, logger="dendrite.estimator"):
        est.train(numpy_input_fn({"x": x}, y, batch_size=8, num_epochs=None, shuffle=True), max_steps=12)
        est.train(numpy_input_fn({"x": x}, y, batch_size=8, num_epochs=None, shuffle=True), max_steps=12)
    messages = [r.getMessage() for r in caplog.records]
    assert [m.split(",")[1].strip() for m in messages if m.startswith("loss = ")] == \
        ["step = 0", "step = 5", "step = 10"]
    assert any(m.startswith("global_step/sec: ") for m in messages)
    assert "Skipping training since max_steps has already saved." in messages
    assert est.get_variable_value("global_step") == 12


def test_train_ends_with_a_finite_input(tmp_path):
    x, y = _data(40)
    est = Estimator(model_fn, model_dir=str(tmp_path), params={"learning_rate": 0.01})
    est.train(numpy_input_fn({"x": x}, y, batch_size=16, num_epochs=2, shuffle=False))
    assert est.get_variable_value("global_step") == 6  # 3 batches per epoch


def test_bad_model_fns_are_clear_errors(tmp_path):
    x, y = _data(32)
    data = numpy_input_fn({"x": x}, y, batch_size=16, shuffle=False)

    def no_loss(features, labels, mode):
        logits = layers.Dense(4)(features["x"])
        return EstimatorSpec(mode, predictions=logits)
    with pytest.raises(ValueError, match="mode TRAIN needs a `loss`"):
        Estimator(no_loss, model_dir=str(tmp_path / "a")).train(data, steps=1)

    def no_step(features, labels, mode):
        loss = v1.sparse_softmax_cross_entropy(labels, layers.Dense(4)(features["x"]))
        return EstimatorSpec(mode, loss=loss, train_op=v1.GradientDescentOptimizer(0.1).minimize(loss))
    with pytest.raises(ValueError, match="did not increment the global step"):
        Estimator(no_step, model_dir=str(tmp_path / "b")).train(data, steps=1)

    def not_a_spec(features, labels, mode):
        return {"loss": 1.0}
    with pytest.raises(TypeError, match="must return an EstimatorSpec in mode EVAL"):
        Estimator(not_a_spec, model_dir=str(tmp_path / "c")).evaluate(data)

    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\).*from 0 to 7"):
        v1.sparse_softmax_cross_entropy(np.array([0, 7]), dendrite.constant(np.zeros((2, 4), np.float32)))
    est = Estimator(model_fn, model_dir=str(tmp_path / "d"), params={"learning_rate": 0.01})
    with pytest.raises(NotImplementedError, match="export_saved_model: dendrite writes no TensorFlow SavedModel"):
        est.export_saved_model(str(tmp_path / "export"), None)
    with pytest.raises(ValueError, match="no checkpoint in model_dir"):
        est.get_variable_names()
    with pytest.raises(ValueError, match="give steps or max_steps, not both"):
        est.train(data, steps=1, max_steps=2)


def test_v1_pieces_match_numpy():
    logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]], np.float32)
    labels = np.array([0, 2])
    expected = np.mean([-np.log(np.exp(row[k]) / np.exp(row).sum()) for row, k in zip(logits, labels)])
    got = v1.sparse_softmax_cross_entropy(labels, dendrite.constant(logits))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    weighted = v1.sparse_softmax_cross_entropy(labels, dendrite.constant(logits), weights=np.array([1.0, 0.0]))
    np.testing.assert_allclose(weighted.numpy(), -np.log(np.exp(2) / np.exp(logits[0]).sum()), rtol=1e-6)
    value, update = v1.accuracy(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0]))
    assert float(value) == 0.5 and update.metric is value.metric
    assert v1.get_or_create_global_step() is v1.get_global_step()


def test_keras_layers_in_model_fn_keep_their_weights_across_calls(tmp_path):
    x, y = _data(64)
    seen = []

    def fn(features, labels, mode):
        dense = layers.Dense(4, name="only")
        logits = dense(features["x"])
        seen.append(dense.kernel)
        loss = v1.sparse_softmax_cross_entropy(labels, logits)
        return EstimatorSpec(mode, loss=loss,
                             train_op=v1.GradientDescentOptimizer(0.1).minimize(loss, v1.get_global_step()))
    est = Estimator(fn, model_dir=str(tmp_path))
    est.train(numpy_input_fn({"x": x}, y, batch_size=16, shuffle=False), steps=3)
    assert seen[0] is seen[1] is seen[2]
    names = est.get_variable_names()  # the model's variables, the global step, the optimizer's state
    assert [n for n in names if not n.startswith("SGD/")] == ["global_step", "only/bias", "only/kernel"]
    assert "SGD/iteration" in names
    np.testing.assert_array_equal(est.get_variable_value("only/kernel"), seen[0].numpy())
