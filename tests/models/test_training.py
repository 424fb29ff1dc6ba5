"""compile/fit/evaluate details that Keras users rely on: which metrics sample weights reach, the logs'
metric names, and how steps_per_epoch walks through array data."""
import warnings

import numpy as np
import pytest

import dendrite
from dendrite import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((40, 4)).astype(np.float32)
Y = rng.integers(0, 3, 40)
SW = rng.uniform(0.1, 2, 40).astype(np.float32)


def model(**compile_args):
    dendrite.set_random_seed(3)
    m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(3, activation="softmax")])
    m.compile("sgd", "sparse_categorical_crossentropy", **compile_args)
    return m


def test_sample_weights_reach_the_loss_and_weighted_metrics_only():
    m = model(metrics=["accuracy", "accuracy"], weighted_metrics=["accuracy", "sparse_categorical_crossentropy"])
    p = m.predict(X, verbose=0)
    hit = (p.argmax(1) == Y).astype(np.float64)
    nll = -np.log(p[np.arange(len(Y)), Y].astype(np.float64))
    logs = m.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    # Keras 3.15 gives these keys for this compile (its dict is sorted; the values are the same)
    assert list(logs) == ["loss", "accuracy", "accuracy_1", "weighted_accuracy", "sparse_categorical_crossentropy"]
    assert m.metrics_names == list(logs)
    np.testing.assert_allclose(logs["accuracy"], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["accuracy_1"], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["weighted_accuracy"], (hit * SW).sum() / SW.sum(), rtol=1e-6)
    np.testing.assert_allclose(logs["sparse_categorical_crossentropy"], (nll * SW).sum() / SW.sum(), rtol=1e-5)
    # the loss: weighted per sample, averaged over the samples (Keras's sum_over_batch_size)
    np.testing.assert_allclose(logs["loss"], (nll * SW).mean(), rtol=1e-5)
    assert abs(logs["accuracy"] - logs["weighted_accuracy"]) > 0.01  # the weights do matter here


def test_class_weights_leave_plain_metrics_unweighted_in_fit():
    cw = {0: 0.2, 1: 1.0, 2: 3.0}
    m = model(metrics=["accuracy"], weighted_metrics=["accuracy"])
    before = m.get_weights()
    h = m.fit(X, Y, class_weight=cw, epochs=1, batch_size=40, shuffle=False, verbose=0)
    m.set_weights(before)  # one full batch: the logged metrics are those of the weights before the step
    hit = (m.predict(X, verbose=0).argmax(1) == Y).astype(np.float64)
    w = np.array([cw[c] for c in Y])
    np.testing.assert_allclose(h.history["accuracy"][0], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(h.history["weighted_accuracy"][0], (hit * w).sum() / w.sum(), rtol=1e-6)


def test_a_weighted_metric_alone_keeps_its_own_name():
    m = model(weighted_metrics=["accuracy"])
    logs = m.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    assert list(logs) == ["loss", "accuracy"]
    hit = (m.predict(X, verbose=0).argmax(1) == Y).astype(np.float64)
    np.testing.assert_allclose(logs["accuracy"], (hit * SW).sum() / SW.sum(), rtol=1e-6)


def _identity_model():
    """A frozen identity model with an MAE loss: fit against zeros, each batch's loss is its samples' mean."""
    m = dendrite.Sequential([dendrite.Input((1,)), layers.Dense(1, kernel_initializer="ones")])
    m.compile(dendrite.optimizers.SGD(0.0), "mae")
    return m


class _BatchLosses(dendrite.callbacks.Callback):
    """Each epoch's batch losses (the logs give their running mean), as lists in ``epochs``."""

    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append([])

    def on_train_batch_end(self, batch, logs=None):
        seen = self.epochs[-1]
        seen.append(round(logs["loss"] * (len(seen) + 1) - sum(seen), 3))


def batches_per_epoch(steps_per_epoch, epochs, shuffle=False, warns=False):
    """fit on x = 0..63 (batch 8) with a frozen identity model and an MAE loss against zeros, so each
    batch's loss is the mean of its samples: returns per epoch the batch losses seen. ``warns``: whether
    Keras's "ran out of data" warning is expected."""
    x = np.arange(64, dtype=np.float32).reshape(64, 1)
    record = _BatchLosses()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _identity_model().fit(x, np.zeros_like(x), batch_size=8, epochs=epochs, steps_per_epoch=steps_per_epoch,
                              shuffle=shuffle, verbose=0, callbacks=[record])
    assert any("ran out of data" in str(w.message) for w in caught) == warns
    return record.epochs


def test_steps_per_epoch_goes_on_through_the_data_across_epochs_as_keras_3():
    # Keras 3.15, same fit: epochs of 3, 3, 2, 3 batches (the third meets the end of the data and warns
    # "Your input ran out of data"; the fourth starts a new pass)
    seen = batches_per_epoch(3, 4, warns=True)
    assert seen == [[3.5, 11.5, 19.5], [27.5, 35.5, 43.5], [51.5, 59.5], [3.5, 11.5, 19.5]]
    assert [len(e) for e in batches_per_epoch(5, 3, warns=True)] == [5, 3, 5]  # Keras: [5, 3, 5]
    assert [len(e) for e in batches_per_epoch(10, 2, warns=True)] == [8, 8]  # at most one pass per epoch
    assert batches_per_epoch(8, 2) == [[3.5 + 8 * i for i in range(8)]] * 2  # exactly one pass: no warning
    # shuffled: each pass (two epochs here) takes every sample once, in a new order
    a = batches_per_epoch(4, 4, shuffle=True)
    first, second = a[0] + a[1], a[2] + a[3]
    assert sum(first) == pytest.approx(252) and sum(second) == pytest.approx(252)  # sum(0..63) / 8
    assert first != sorted(first) and first != second


def test_validation_restarts_from_its_first_batch_every_epoch():
    x = np.arange(64, dtype=np.float32).reshape(64, 1)
    h = _identity_model().fit(x, np.zeros_like(x), batch_size=8, epochs=3, verbose=0, validation_data=(x, np.zeros_like(x)),
              validation_steps=2)
    assert h.history["val_loss"] == [7.5, 7.5, 7.5]  # batches 0 and 1 (means 3.5 and 11.5) each time


def test_steps_without_batch_size_cover_the_data_in_that_many_batches():
    """As Keras: with steps (or steps_per_epoch / validation_steps) and no batch size, the batch size is
    ceil(samples / steps), not 32."""
    x = np.arange(100, dtype=np.float32).reshape(100, 1)
    m = _identity_model()
    assert m.predict(x, steps=1, verbose=0).shape == (100, 1)  # Keras: (100, 1); one batch of 100
    assert m.predict(x, steps=2, verbose=0).shape == (100, 1)  # two batches of 50
    assert m.evaluate(x, np.zeros_like(x), steps=1, verbose=0) == pytest.approx(49.5)  # all 100 samples
    sizes = []

    class Sizes(dendrite.callbacks.Callback):  # the predict batches' sizes, from the outputs handed over
        def on_predict_batch_end(self, batch, logs=None):
            sizes.append(len(logs["outputs"]))
    m.predict(x, steps=3, verbose=0, callbacks=[Sizes()])
    assert sizes == [34, 34, 32]  # ceil(100 / 3) = 34 per batch
    sizes.clear()
    m.predict(x, verbose=0, callbacks=[Sizes()])
    assert sizes == [32, 32, 32, 4]  # no steps: Keras's 32
    # training: 4 steps of 25 samples each; the batch means of x = 0..99 under MAE against zeros show them
    record = _BatchLosses()
    h = m.fit(x, np.zeros_like(x), steps_per_epoch=4, epochs=1, verbose=0, shuffle=False, callbacks=[record],
              validation_data=(x, np.zeros_like(x)), validation_steps=1)
    assert record.epochs == [pytest.approx([12.0, 37.0, 62.0, 87.0], abs=1e-3)]  # means of 0..24, 25..49, ...
    assert h.history["val_loss"] == [pytest.approx(49.5)]  # validation on all 100, not the first 32


def test_verbose_auto_prints_the_bar_as_keras_does(capsys):
    """verbose='auto' is 1 as in Keras; off a terminal the bar is printed once, finished, per epoch."""
    x = np.zeros((64, 1), np.float32)
    m = dendrite.Sequential([dendrite.Input((1,)), layers.Dense(1)])
    m.compile("sgd", "mse")
    m.fit(x, x, batch_size=32, epochs=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2" and out[2] == "Epoch 2/2"
    assert out[1].startswith("2/2 [==============================] - ") and " - loss: " in out[1]


def test_repeated_weighted_metric_names_are_numbered_as_keras():
    m = model(metrics=["accuracy"], weighted_metrics=["accuracy", "accuracy"])
    logs = m.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    assert list(logs) == ["loss", "accuracy", "weighted_accuracy", "weighted_accuracy_1"]
    assert logs["weighted_accuracy"] == logs["weighted_accuracy_1"]


# ------------------------------------------------------------- arguments that cannot be right
@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=2.5), r"`epochs` must be an integer >= 0\. Received: epochs=2\.5 \(type float\)\. It is the number "
                       r"of passes over the data\."),
    (dict(epochs=-1), r"`epochs` must be an integer >= 0\. Received: epochs=-1\."),
    (dict(initial_epoch=-2), r"`initial_epoch` must be an integer >= 0\. Received: initial_epoch=-2\."),
    (dict(batch_size=0), r"`batch_size` must be a positive integer or None\. Received: batch_size=0\."),
    (dict(batch_size=8.0), r"`batch_size` must be a positive integer or None\. Received: batch_size=8\.0 "
                           r"\(type float\)"),
    (dict(steps_per_epoch=0), r"`steps_per_epoch` must be a positive integer or None\. Received: steps_per_epoch=0\."),
    (dict(validation_freq=0), r"`validation_freq` must be a positive integer\. Received: validation_freq=0\."),
    (dict(validation_data=(X, Y), validation_batch_size=-4), r"`validation_batch_size` must be a positive integer or "
                                                              r"None\. Received: validation_batch_size=-4\."),
    (dict(validation_split=1.5), r"`validation_split` must be a number in \(0, 1\)\. Received: "
                                 r"validation_split=1\.5\."),
])
def test_fit_refuses_counts_that_cannot_be_right(kwargs, message):
    m = model()
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.fit\(\): " + message):
        m.fit(X, Y, verbose=0, **kwargs)


def test_evaluate_and_predict_refuse_bad_batch_sizes_and_steps():
    m = model()
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.evaluate\(\): `steps` must be a positive integer "
                                         r"or None\. Received: steps=0\."):
        m.evaluate(X, Y, steps=0, verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.predict\(\): `batch_size` must be a positive "
                                         r"integer or None\. Received: batch_size=True \(type bool\)\."):
        m.predict(X, batch_size=True, verbose=0)


def test_zero_epochs_trains_nothing_as_keras():
    m = model()
    before = m.get_weights()
    assert m.fit(X, Y, epochs=0, verbose=0).history == {}
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_builtin_loss_without_targets_names_y():
    m = model()
    needs = (r"`y` is None, but the loss 'sparse_categorical_crossentropy' needs targets: it compares the model's "
             r"output with them\. Pass the targets as `y`")
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.fit\(\): " + needs):
        m.fit(X, verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.evaluate\(\): " + needs):
        m.evaluate(X, verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.train_on_batch\(\): " + needs):
        m.train_on_batch(X)
    with pytest.raises(ValueError, match=r"^Sequential 'sequential'\.fit\(\): `validation_data\[1\]` is None, but the "
                                         r"loss 'sparse_categorical_crossentropy' needs targets"):
        m.fit(X, Y, validation_data=(X, None), verbose=0)
    m.compile("sgd", dendrite.losses.MeanSquaredError())
    with pytest.raises(ValueError, match=r"test_on_batch\(\): `y` is None, but the loss 'mean_squared_error' needs"):
        m.test_on_batch(X)


def test_a_loss_of_the_users_own_may_go_without_targets():
    m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(1, kernel_initializer="ones")])
    m.compile(dendrite.optimizers.SGD(0.1),
              lambda y_true, y_pred: dendrite.ops.mean(dendrite.ops.square(y_pred), axis=-1))
    h = m.fit(X, epochs=3, batch_size=40, verbose=0)
    assert h.history["loss"][2] < h.history["loss"][0]  # it pulls the outputs towards 0


# ------------------------------------------------------------- from_logits against the output layer
def _compile_warnings(out_layer, loss, functional=False):
    if functional:
        inputs = dendrite.Input((4,))
        m = dendrite.Model(inputs, out_layer(layers.Dense(5, activation="relu")(inputs)))
    else:
        m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(5, activation="relu"), out_layer])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.compile("sgd", loss)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("loss, units, activation", [
    (dendrite.losses.CategoricalCrossentropy(from_logits=True), 3, "softmax"),
    (dendrite.losses.SparseCategoricalCrossentropy(from_logits=True), 3, "softmax"),
    (dendrite.losses.BinaryCrossentropy(from_logits=True), 1, "sigmoid"),
])
@pytest.mark.parametrize("functional", [False, True])
def test_from_logits_true_on_a_squashed_output_warns_once_at_compile(loss, units, activation, functional):
    caught = _compile_warnings(layers.Dense(units, activation=activation, name="out"), loss, functional)
    assert caught == [f"`{loss.name}` received `from_logits=True`, but the model's output is produced by a "
                      f"{activation.capitalize()} activation (output layer Dense 'out') and thus does not represent "
                      f"logits. Was this intended? Pass from_logits=False, or remove the activation from the last "
                      f"layer to train on logits."]


@pytest.mark.parametrize("loss, cls, squash", [
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", "softmax"),
    ("categorical_crossentropy", "CategoricalCrossentropy", "softmax"),
    (dendrite.losses.BinaryCrossentropy(), "BinaryCrossentropy", "sigmoid"),
])
def test_from_logits_false_on_a_linear_output_warns_once_at_compile(loss, cls, squash):
    caught = _compile_warnings(layers.Dense(3, name="logits"), loss)
    name = loss if isinstance(loss, str) else loss.name
    assert caught == [f"`{name}` received `from_logits=False`, but the model's output layer Dense 'logits' has no "
                      f"activation, so it produces logits, not probabilities: the loss would clip them to [1e-7, "
                      f"1 - 1e-7] and learn poorly. Pass loss=keras.losses.{cls}(from_logits=True), or give the last "
                      f"layer activation='{squash}'."]


def test_no_from_logits_warning_where_the_loss_and_the_output_agree_or_nothing_can_be_told():
    assert _compile_warnings(layers.Dense(3, activation="softmax"), "sparse_categorical_crossentropy") == []
    assert _compile_warnings(layers.Dense(3), dendrite.losses.SparseCategoricalCrossentropy(from_logits=True)) == []
    assert _compile_warnings(layers.Softmax(), "categorical_crossentropy") == []
    assert len(_compile_warnings(layers.Softmax(), dendrite.losses.CategoricalCrossentropy(from_logits=True))) == 1
    assert _compile_warnings(layers.Dropout(0.5), "sparse_categorical_crossentropy") == []  # not the activation's layer
    assert _compile_warnings(layers.Dense(3), "mse") == []

    head = dendrite.Sequential([layers.Dense(3, name="inner")], name="head")  # a nested model is looked into
    assert "output layer Dense 'inner' has no activation" in _compile_warnings(head, "categorical_crossentropy")[0]

    class Net(dendrite.Model):  # a subclassed model's call may do anything after its layers
        def __init__(self):
            super().__init__()
            self.out = layers.Dense(3)

        def call(self, inputs, training=None):
            return dendrite.ops.softmax(self.out(inputs))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Net().compile("sgd", "sparse_categorical_crossentropy")
