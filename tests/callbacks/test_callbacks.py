"""Callback semantics on a fake model and a minimal fit loop."""

import numpy as np
import pytest

import dendrite
from dendrite.callbacks import (
    Callback,
    CallbackList,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    ProgbarLogger,
    ReduceLROnPlateau,
    TerminateOnNaN,
)


class FakeOptimizer:
    def __init__(self, learning_rate):
        self._lr = learning_rate

    @property
    def learning_rate(self):
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value):
        self._lr = float(value)


class FakeModel:
    """get_weights returns the live arrays, as a careless model might; the
    loop below updates them in place, so callbacks must copy."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.weights = [np.zeros(2), np.zeros(1)]

    def get_weights(self):
        return self.weights

    def set_weights(self, weights):
        for dst, src in zip(self.weights, weights):
            dst[...] = src


def fit(model, callbacks, epoch_logs, steps=2, batch_logs=None):
    """The loop's contract: weights become `epoch` during epoch `epoch`."""
    cbs = CallbackList(callbacks, add_history=True, add_progbar=False, model=model,
                       verbose=0, epochs=len(epoch_logs), steps=steps)
    model.stop_training = False
    cbs.on_train_begin()
    logs = None
    for epoch, logs in enumerate(epoch_logs):
        cbs.on_epoch_begin(epoch)
        for step in range(steps):
            cbs.on_train_batch_begin(step)
            for w in model.weights:
                w[...] = epoch
            batch = batch_logs(epoch, step) if batch_logs else {"loss": 1.0}
            cbs.on_train_batch_end(step, batch)
            if model.stop_training:
                break
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return cbs.history


def val_losses(*values):
    return [{"loss": 1.0, "val_loss": v} for v in values]


# -- History and the list ------------------------------------------------


def test_history_collects_logs_as_python_floats():
    model = FakeModel()
    logs = [{"loss": np.float32(0.5), "accuracy": np.float64(0.75)},
            {"loss": np.float32(0.25), "accuracy": np.float64(0.875)}]
    history = fit(model, [], logs)
    assert history.history == {"loss": [0.5, 0.25], "accuracy": [0.75, 0.875]}
    assert all(type(v) is float for v in history.history["loss"])
    assert history.epoch == [0, 1]
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 2}
    assert history.model is model and model.history is history


def test_callback_list_order_and_reuse_of_user_history():
    user_history = History()
    early = EarlyStopping()
    cbs = CallbackList([early, user_history], add_history=True, add_progbar=True,
                       verbose=1, epochs=1, steps=1)
    assert isinstance(cbs.callbacks[0], ProgbarLogger)
    assert cbs.callbacks[1:] == [early, user_history]
    assert cbs.history is user_history
    assert early.params == {"verbose": 1, "epochs": 1, "steps": 1}
    single = CallbackList(early, add_history=True)
    assert single.callbacks[0] is early and isinstance(single.callbacks[1], History)


def test_callback_list_rejects_non_callbacks():
    with pytest.raises(TypeError, match=r"pass an instance, e\.g\. EarlyStopping\(\)"):
        CallbackList([EarlyStopping])
    with pytest.raises(TypeError, match="Callback instance. Received: 3 of type int"):
        CallbackList([3])


def test_callbacks_share_logs_but_the_callers_dict_is_untouched():
    model = FakeModel()
    logs = {"loss": 1.0, "val_loss": 0.5}
    history = fit(model, [LearningRateScheduler(lambda epoch: 0.01)], [logs])
    assert history.history["learning_rate"] == [0.01]
    assert "learning_rate" not in logs


def test_legacy_on_batch_hooks_are_called():
    calls = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs["loss"]))

    fit(FakeModel(), [Legacy()], [{"loss": 1.0}], steps=2)
    assert calls == [("begin", 0), ("end", 0, 1.0), ("begin", 1), ("end", 1, 1.0)]


def test_every_hook_exists_on_the_base_class():
    cb = Callback()
    assert cb.params is None and cb.model is None
    for stage in ("train", "test", "predict"):
        for when in ("begin", "end"):
            getattr(cb, f"on_{stage}_{when}")(None)
            getattr(cb, f"on_{stage}_batch_{when}")(0, None)
    cb.on_epoch_begin(0, None)
    cb.on_epoch_end(0, None)


def test_lambda_callback():
    seen = []
    cb = LambdaCallback(
        on_train_begin=lambda logs: seen.append("train_begin"),
        on_epoch_end=lambda epoch, logs: seen.append(("epoch_end", epoch, logs["loss"])),
        on_batch_end=lambda batch, logs: seen.append(("batch_end", batch)),
        on_test_begin=lambda logs: seen.append("test_begin"),
    )
    fit(FakeModel(), [cb], [{"loss": 0.5}], steps=1)
    CallbackList([cb]).on_test_begin()
    assert seen == ["train_begin", ("batch_end", 0), ("epoch_end", 0, 0.5), "test_begin"]
    with pytest.raises(TypeError, match=r"\['on_epoch_ends'\]"):
        LambdaCallback(on_epoch_ends=print)


# -- EarlyStopping -------------------------------------------------------


def test_early_stopping_stops_and_restores_best_weights(capsys):
    model = FakeModel()
    es = EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    history = fit(model, [es], val_losses(0.5, 0.4, 0.45, 0.42, 0.41, 0.3))
    # Best at epoch 1; epochs 2 and 3 do not improve: stop at the end of 3.
    assert history.epoch == [0, 1, 2, 3]
    assert model.stop_training is True
    assert es.stopped_epoch == 3 and es.best == 0.4 and es.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])
    np.testing.assert_array_equal(model.weights[1], [1.0])
    assert capsys.readouterr().out == (
        "Epoch 4: early stopping\n"
        "Restoring model weights from the end of the best epoch: 2.\n"
    )


def test_early_stopping_restores_at_the_end_even_without_stopping():
    model = FakeModel()
    es = EarlyStopping(patience=5, restore_best_weights=True)
    history = fit(model, [es], val_losses(0.9, 0.3, 0.5))
    assert history.epoch == [0, 1, 2] and es.stopped_epoch == 0
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_early_stopping_without_restore_keeps_last_weights():
    model = FakeModel()
    fit(model, [EarlyStopping(patience=0)], val_losses(0.5, 0.6, 0.7))
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])  # stopped at 1


def test_early_stopping_mode_and_min_delta_sign():
    assert EarlyStopping(min_delta=0.001).min_delta == -0.001
    assert EarlyStopping(min_delta=-0.001).min_delta == -0.001
    assert EarlyStopping(monitor="val_accuracy", min_delta=0.001).min_delta == 0.001
    assert EarlyStopping(monitor="val_auc").monitor_op is np.greater
    assert EarlyStopping(monitor="acc").monitor_op is np.greater
    assert EarlyStopping(monitor="val_loss").monitor_op is np.less
    assert EarlyStopping(monitor="val_loss", mode="max", min_delta=0.01).min_delta == 0.01


def test_early_stopping_min_delta_ignores_small_improvements():
    es = EarlyStopping(min_delta=0.001, patience=1)
    history = fit(FakeModel(), [es], val_losses(1.0, 0.9995, 0.5))
    assert history.epoch == [0, 1] and es.stopped_epoch == 1 and es.best == 1.0


def test_early_stopping_max_mode_on_accuracy():
    logs = [{"val_accuracy": v} for v in (0.5, 0.7, 0.6, 0.65, 0.9)]
    es = EarlyStopping(monitor="val_accuracy", patience=2)
    history = fit(FakeModel(), [es], logs)
    assert history.epoch == [0, 1, 2, 3] and es.best == 0.7


# The expected numbers in the baseline tests below come from running Keras
# 3.15's EarlyStopping (on_train_begin / on_epoch_end / on_train_end on a
# stand-in model) over the same logs.


def test_early_stopping_baseline():
    # Keras 3: improving without beating the baseline keeps `wait` growing,
    # but an improving epoch never stops training.
    es = EarlyStopping(baseline=0.5, patience=2)
    history = fit(FakeModel(), [es], val_losses(0.9, 0.8, 0.7, 0.6))
    assert history.epoch == [0, 1, 2, 3] and es.stopped_epoch == 0
    assert es.best == 0.6 and es.best_epoch == 3 and es.wait == 4
    # Beating it resets the patience.
    es = EarlyStopping(baseline=0.85, patience=2)
    history = fit(FakeModel(), [es], val_losses(0.9, 0.8, 0.7, 0.6))
    assert history.epoch == [0, 1, 2, 3] and es.stopped_epoch == 0
    assert es.best == 0.6 and es.wait == 0
    # Two epochs worse than the first: the wait built up while missing the
    # baseline stops training at the first epoch that does not improve.
    es = EarlyStopping(baseline=0.5, patience=2)
    history = fit(FakeModel(), [es], val_losses(0.9, 0.95, 0.97, 0.6))
    assert history.epoch == [0, 1] and es.stopped_epoch == 1
    assert es.best == 0.9 and es.best_epoch == 0 and es.wait == 2


def test_early_stopping_baseline_on_accuracy():
    accuracy = lambda *values: [{"loss": 1.0, "accuracy": v} for v in values]
    # Climbs to and past the baseline: every epoch improves, never stops.
    es = EarlyStopping(monitor="accuracy", patience=1, baseline=0.9)
    history = fit(FakeModel(), [es], accuracy(0.5, 0.7, 0.8, 0.85, 0.95, 0.96, 0.97))
    assert history.epoch == [0, 1, 2, 3, 4, 5, 6] and es.stopped_epoch == 0
    assert es.best == 0.97 and es.best_epoch == 6 and es.wait == 0
    # A dip below the best while under the baseline stops at once (wait 3).
    es = EarlyStopping(monitor="accuracy", patience=1, baseline=0.9)
    history = fit(FakeModel(), [es], accuracy(0.5, 0.7, 0.6, 0.95, 0.94, 0.93))
    assert history.epoch == [0, 1, 2] and es.stopped_epoch == 2
    assert es.best == 0.7 and es.best_epoch == 1 and es.wait == 3
    # Above the baseline from the start: ordinary patience.
    es = EarlyStopping(monitor="accuracy", patience=1, baseline=0.9)
    history = fit(FakeModel(), [es], accuracy(0.95, 0.94, 0.93))
    assert history.epoch == [0, 1] and es.stopped_epoch == 1
    assert es.best == 0.95 and es.best_epoch == 0 and es.wait == 1


def test_early_stopping_baseline_restores_best_epoch_even_below_baseline(capsys):
    model = FakeModel()
    es = EarlyStopping(monitor="accuracy", patience=2, baseline=0.9,
                       restore_best_weights=True, verbose=1)
    history = fit(model, [es], [{"accuracy": v} for v in (0.5, 0.4, 0.3, 0.6)])
    assert history.epoch == [0, 1] and es.stopped_epoch == 1
    assert es.best == 0.5 and es.best_epoch == 0 and es.wait == 2
    np.testing.assert_array_equal(model.weights[0], [0.0, 0.0])
    assert capsys.readouterr().out == (
        "Epoch 2: early stopping\n"
        "Restoring model weights from the end of the best epoch: 1.\n"
    )


def test_early_stopping_best_starts_unset_and_a_first_nan_sticks():
    es = EarlyStopping(patience=1)
    assert es.best is None
    # As in Keras 3, the first monitored value is always the best so far.
    history = fit(FakeModel(), [es], val_losses(float("nan"), 0.4, 0.3, 0.2))
    assert history.epoch == [0, 1] and es.stopped_epoch == 1
    assert np.isnan(es.best) and es.best_epoch == 0 and es.wait == 1


def test_early_stopping_start_from_epoch():
    es = EarlyStopping(patience=0)
    assert fit(FakeModel(), [es], val_losses(0.1, 0.2, 0.3, 0.4)).epoch == [0, 1]
    es = EarlyStopping(patience=0, start_from_epoch=2)
    assert fit(FakeModel(), [es], val_losses(0.1, 0.2, 0.3, 0.4)).epoch == [0, 1, 2, 3]
    assert es.stopped_epoch == 3 and es.best == 0.3 and es.best_epoch == 2 and es.wait == 1


def test_early_stopping_is_reusable():
    es = EarlyStopping(patience=0)
    fit(FakeModel(), [es], val_losses(0.1, 0.2))
    assert es.stopped_epoch == 1
    assert fit(FakeModel(), [es], val_losses(0.5, 0.4, 0.3)).epoch == [0, 1, 2]


def test_early_stopping_missing_monitor_warns_with_available_keys():
    es = EarlyStopping(monitor="val_loss")
    with pytest.warns(UserWarning, match="Available metrics are: loss,accuracy"):
        fit(FakeModel(), [es], [{"loss": 1.0, "accuracy": 0.5}])


def test_early_stopping_bad_arguments():
    with pytest.raises(ValueError, match=r"'auto', 'min' or 'max'. Received: mode='minimum'"):
        EarlyStopping(mode="minimum")
    with pytest.raises(ValueError, match=r"Received: patience=-1"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match=r"Received: start_from_epoch=1.5"):
        EarlyStopping(start_from_epoch=1.5)


# -- Learning rate -------------------------------------------------------


def test_lr_scheduler_two_argument_schedule():
    model = FakeModel(learning_rate=0.1)
    sched = LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    history = fit(model, [sched], [{"loss": 1.0}] * 3)
    assert model.optimizer.learning_rate == pytest.approx(0.0125)
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025, 0.0125])


def test_lr_scheduler_one_argument_schedule_prints(capsys):
    model = FakeModel(learning_rate=0.1)
    fit(model, [LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1), verbose=1)],
        [{"loss": 1.0}] * 2)
    assert model.optimizer.learning_rate == pytest.approx(0.02)
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.01.\n"
        "\nEpoch 2: LearningRateScheduler setting learning rate to 0.02.\n"
    )


def test_lr_scheduler_does_not_hide_type_errors_inside_schedule():
    def schedule(epoch, lr):
        raise TypeError("bug inside the schedule")

    with pytest.raises(TypeError, match="bug inside the schedule"):
        fit(FakeModel(), [LearningRateScheduler(schedule)], [{"loss": 1.0}])


def test_lr_scheduler_bad_schedules():
    with pytest.raises(ValueError, match=r"^LearningRateScheduler: the learning rate that `schedule` returned for "
                                         r"epoch 0 \(0-based\) must be a number >= 0\. Received: 'fast' "
                                         r"\(type str\)\."):
        fit(FakeModel(), [LearningRateScheduler(lambda epoch: "fast")], [{"loss": 1.0}])
    # a rate that goes negative is refused at the epoch where it does, naming the epoch and the value
    model = FakeModel()
    with pytest.raises(ValueError, match=r"^LearningRateScheduler: the learning rate that `schedule` returned for "
                                         r"epoch 2 \(0-based\) must be a number >= 0\. Received: -0\.05\. Check the "
                                         r"schedule function"):
        fit(model, [LearningRateScheduler(lambda epoch, lr: [0.1, 0.025, -0.05][epoch])], [{"loss": 1.0}] * 4)
    assert model.optimizer.learning_rate == pytest.approx(0.025)  # epochs 0 and 1 ran with their rates
    with pytest.raises(ValueError, match=r"for epoch 0 \(0-based\) must be a number >= 0\. Received: nan\."):
        fit(FakeModel(), [LearningRateScheduler(lambda epoch: float("nan"))], [{"loss": 1.0}])
    with pytest.raises(ValueError, match="must be a function"):
        LearningRateScheduler(0.01)
    with pytest.raises(TypeError, match=r"\(epoch, lr\) or \(epoch\)"):
        LearningRateScheduler(lambda: 0.01)


def test_reduce_lr_on_plateau_after_patience_down_to_min_lr(capsys):
    model = FakeModel(learning_rate=0.1)
    cb = ReduceLROnPlateau(factor=0.5, patience=2, min_lr=0.02, verbose=1)
    history = fit(model, [cb], val_losses(*[1.0] * 8))
    assert history.history["learning_rate"] == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02])
    assert model.optimizer.learning_rate == pytest.approx(0.02)
    assert capsys.readouterr().out == (
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.05.\n"
        "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.025.\n"
        "\nEpoch 7: ReduceLROnPlateau reducing learning rate to 0.02.\n"
    )


def test_reduce_lr_on_plateau_cooldown_and_improvement():
    model = FakeModel(learning_rate=0.1)
    cb = ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2)
    history = fit(model, [cb], val_losses(*[1.0] * 6))
    # Reductions at epochs 1, 3 and 5: one epoch fully in cooldown each time.
    assert history.history["learning_rate"] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    model = FakeModel(learning_rate=0.1)
    fit(model, [ReduceLROnPlateau(patience=1)], val_losses(1.0, 0.9, 0.8, 0.7))
    assert model.optimizer.learning_rate == 0.1  # always improving
    model = FakeModel(learning_rate=0.1)
    logs = [{"val_accuracy": v} for v in (0.5, 0.6, 0.6)]
    fit(model, [ReduceLROnPlateau(monitor="val_accuracy", patience=1)], logs)
    assert model.optimizer.learning_rate == pytest.approx(0.01)


def test_reduce_lr_on_plateau_bad_arguments():
    with pytest.raises(ValueError, match=r"^ReduceLROnPlateau: `factor` must be a number in \[0, 1\)\. Received: "
                                         r"factor=1\.0\. The new rate is lr \* factor\.$"):
        ReduceLROnPlateau(factor=1.0)
    with pytest.raises(ValueError, match=r"^ReduceLROnPlateau: `min_lr` must be a number >= 0\. Received: "
                                         r"min_lr=-1e-06\.$"):
        ReduceLROnPlateau(min_lr=-1e-6)
    with pytest.raises(ValueError, match=r"Received: mode='up'"):
        ReduceLROnPlateau(mode="up")
    with pytest.raises(TypeError, match=r"\['delta'\]"):
        ReduceLROnPlateau(delta=0.1)
    assert ReduceLROnPlateau(epsilon=0.01).min_delta == 0.01


def test_reduce_lr_on_plateau_missing_monitor_warns():
    with pytest.warns(UserWarning, match="Available metrics are: loss"):
        fit(FakeModel(), [ReduceLROnPlateau()], [{"loss": 1.0}])


# -- TerminateOnNaN ------------------------------------------------------


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_terminate_on_nan(bad, capsys):
    model = FakeModel()
    history = fit(model, [TerminateOnNaN()], [{"loss": 1.0}] * 3, steps=3,
                  batch_logs=lambda epoch, step: {"loss": bad if step == 1 else 1.0})
    assert model.stop_training is True
    assert history.epoch == [0]
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


# ------------------------------------------- mode='auto': the direction of the compiled metric (Keras 3)
def _compiled_model(metrics):
    import dendrite
    model = dendrite.Sequential([dendrite.Input((3,)), dendrite.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=metrics)
    x = np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32)
    model.evaluate(x, (x[:, :1] > 0).astype(np.float32), verbose=0)  # builds the metrics
    return model


def _epochs(callback, model, monitor, values):
    """Drive `callback` through epochs whose logs give `monitor` the values; returns the epochs run."""
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    run = 0
    for epoch, v in enumerate(values):
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {"loss": 1.0, monitor: v})
        run += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return run


@pytest.mark.parametrize("metric,monitor,higher", [
    ("precision", "val_precision", True), ("recall", "recall", True), ("AUC", "val_auc", True),
    ("mse", "val_mse", False), ("cosine_similarity", "val_cosine_similarity", True),
    ("binary_crossentropy", "val_binary_crossentropy", False), ("accuracy", "val_accuracy", True),
    ("binary_accuracy", "binary_accuracy", True), ("mae", "val_mae", False), ("msle", "msle", False),
    ("hinge", "val_hinge", False), ("kld", "val_kld", False), ("poisson", "poisson", False),
    (lambda: dendrite.losses.Huber(), "val_huber_loss", False)])  # a Keras loss object as a metric
def test_auto_mode_follows_the_compiled_metric_direction(metric, monitor, higher):
    import warnings
    model = _compiled_model([metric() if callable(metric) else metric])
    rising = [0.1, 0.2, 0.3, 0.4, 0.5]
    es = EarlyStopping(monitor=monitor, patience=1, min_delta=0.01)
    # rising values improve a metric that goes up: no stop; they worsen one that goes down: stop at epoch 1.
    # Every built-in metric states its direction: no warning that the name had to decide.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _epochs(es, model, monitor, rising) == (5 if higher else 2)
    assert es.monitor_op is (np.greater if higher else np.less)
    assert es.min_delta == (0.01 if higher else -0.01)
    plateau = ReduceLROnPlateau(monitor=monitor, patience=1, factor=0.5)
    model.optimizer.learning_rate = 0.1
    _epochs(plateau, model, monitor, rising)
    assert model.optimizer.learning_rate == pytest.approx(0.1 if higher else 0.1 * 0.5 ** 4)  # cut each epoch after the first


def test_auto_mode_without_a_known_direction_goes_by_the_name():
    def score(y_true, y_pred):  # a user's metric: no direction, so 'score' (no 'acc') is minimised
        return np.abs(y_true - y_pred).mean(axis=-1)
    model = _compiled_model([score])
    with pytest.warns(UserWarning, match="'score' does not say whether higher is better.*mode='max'"):
        assert _epochs(EarlyStopping(monitor="val_score", patience=1), model, "val_score", [0.3, 0.2, 0.1]) == 3
    # before the model is known the name decides: precision would count as 'min' (the tf.keras rule)
    assert EarlyStopping(monitor="val_precision").monitor_op is np.less
