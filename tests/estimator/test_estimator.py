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


def _events(folder):
    """The scalars of the event files in ``folder``, read back with TensorBoard's EventAccumulator."""
    if not os.environ.get("CI"):  # the tensorboard extra (and the reader): always there in CI (the dev extra)
        pytest.importorskip("tensorboardX")
        pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0})
    events.Reload()
    return events


def test_training_writes_tensorflows_summaries_every_save_summary_steps(tmp_path, caplog):
    x, y = _data(64)
    config = RunConfig(save_summary_steps=10, log_step_count_steps=10)
    est = Estimator(model_fn, model_dir=str(tmp_path), config=config, params={"learning_rate": 0.01})
    data = numpy_input_fn({"x": x}, y, batch_size=8, num_epochs=None, shuffle=True)
    with caplog.at_level(logging.INFO, logger="dendrite.estimator"):
        est.train(data, steps=35)
        est.train(data, steps=5)  # a second train summarizes its first step too, as SummarySaverHook does
    events = _events(tmp_path)
    assert {"loss", "global_step/sec"} <= set(events.Tags()["scalars"])
    losses = events.Scalars("loss")
    # TensorFlow's steps: the global step after the step, on the first step and every save_summary_steps after
    assert [e.step for e in losses] == [1, 11, 21, 31, 36]
    logged = {int(m.split("step = ")[1]): float(m.split(",")[0][len("loss = "):]) for m in
              (r.getMessage() for r in caplog.records) if m.startswith("loss = ")}
    for e in losses[:4]:  # the loss logged at the step before is the loss of that step
        assert e.value == pytest.approx(logged[e.step - 1], rel=1e-6)
    rates = events.Scalars("global_step/sec")
    assert [e.step for e in rates] == [11, 21, 31] and all(e.value > 0 for e in rates)
    est.evaluate(numpy_input_fn({"x": x}, y, shuffle=False))
    assert [e.step for e in _events(tmp_path / "eval").Scalars("accuracy")] == [40]


def bn_model_fn(features, labels, mode, params):
    """Dense, BatchNormalization (non-trainable moving statistics), Dense."""
    net = layers.Dense(8, activation="relu")(features["x"])
    net = layers.BatchNormalization(momentum=params["momentum"])(net, training=mode == ModeKeys.TRAIN)
    logits = layers.Dense(4)(net)
    loss = v1.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = v1.AdamOptimizer(params["learning_rate"]).minimize(loss=loss, global_step=v1.get_global_step())
    return EstimatorSpec(mode=mode, loss=loss, train_op=train_op)


def test_warm_start_from_a_model_dir_and_from_settings_with_a_regex(tmp_path):
    x, y = _data(64)
    data = numpy_input_fn({"x": x}, y, batch_size=16, num_epochs=None, shuffle=True)
    source = Estimator(bn_model_fn, model_dir=str(tmp_path / "source"), params={"learning_rate": 0.05,
                                                                               "momentum": 0.5})
    source.train(data, steps=20)
    trainable = ["dense/kernel", "dense/bias", "batch_normalization/gamma", "batch_normalization/beta",
                 "dense_1/kernel", "dense_1/bias"]
    moving = ["batch_normalization/moving_mean", "batch_normalization/moving_variance"]
    # a learning rate of 0 and a momentum of 1 keep every variable where it started: the values checkpointed
    # after one step are those the warm start gave
    frozen = {"learning_rate": 0.0, "momentum": 1.0}

    def started(name, warm_start_from):
        est = Estimator(bn_model_fn, model_dir=str(tmp_path / name), params=frozen, warm_start_from=warm_start_from)
        est.train(data, steps=1)
        assert est.get_variable_value("global_step") == 1  # the global step is not warm-started
        return est

    def same(a, b, name):
        return np.array_equal(a.get_variable_value(name), b.get_variable_value(name))

    whole = started("whole", str(tmp_path / "source"))  # a model_dir: its newest checkpoint, trainable variables
    assert all(same(whole, source, n) for n in trainable)
    assert not any(same(whole, source, n) for n in moving)  # '.*' takes the trainable variables only, as TF
    np.testing.assert_array_equal(whole.get_variable_value("batch_normalization/moving_mean"), 0)

    prefix = source.latest_checkpoint()
    dense_only = started("regex", dendrite.estimator.WarmStartSettings(prefix, vars_to_warm_start="dense/.*"))
    assert same(dense_only, source, "dense/kernel") and same(dense_only, source, "dense/bias")
    assert not any(same(dense_only, source, n) for n in trainable[2:])  # dense_1/... does not match 'dense/.*'

    listed = started("list", dendrite.estimator.WarmStartSettings(prefix, vars_to_warm_start=["batch_norm.*"]))
    assert all(same(listed, source, n) for n in moving + trainable[2:4])  # a list: non-trainable ones too
    assert not same(listed, source, "dense/kernel")

    everything = started("all", dendrite.estimator.WarmStartSettings(prefix, vars_to_warm_start=[".*"]))
    assert all(same(everything, source, n) for n in trainable + moving)
    test = numpy_input_fn({"x": x}, y, shuffle=False)
    loss = source.evaluate(test)["loss"]
    assert everything.evaluate(test)["loss"] == loss
    untouched = Estimator(bn_model_fn, model_dir=str(tmp_path / "eval"), params=frozen,
                          warm_start_from=str(tmp_path / "source"))
    assert untouched.evaluate(test)["loss"] != loss  # evaluating without a checkpoint: no warm start, as TF
    with pytest.raises(ValueError, match="warm_start_from=.*holds no checkpoint"):
        Estimator(bn_model_fn, model_dir=str(tmp_path / "bad"), params=frozen,
                  warm_start_from=str(tmp_path / "nothing")).train(data, steps=1)
