"""Sequential models driven through the public API: the seed tutorials' networks and Keras's behaviour."""
import numpy as np
import pytest

import dendrite
from dendrite import layers


def toy_model():
    """Seed 001's network: x=[[1,2],[3,4]], Dense(3, sigmoid), Dense(1), mse, sgd."""
    model = dendrite.Sequential([layers.Dense(3, activation="sigmoid", input_shape=(2,)), layers.Dense(1)])
    model.compile(loss="mean_squared_error", optimizer="sgd")
    return model


def test_seed_toy_network_parameters_summary_and_hand_computed_predict(capsys):
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.0, 1.0])
    model = toy_model()
    model.fit(x, y, epochs=10, verbose=0)
    assert [layer.count_params() for layer in model.layers] == [9, 4]
    assert model.count_params() == 13
    model.summary()
    text = capsys.readouterr().out
    assert text.splitlines() == [
        'Model: "sequential"',
        "_" * 65,
        "Layer (type)                 Output Shape              Param #   ",
        "=" * 65,
        "dense (Dense)                (None, 3)                 9         ",
        "_" * 65,
        "dense_1 (Dense)              (None, 1)                 4         ",
        "=" * 65,
        "Total params: 13",
        "Trainable params: 13",
        "Non-trainable params: 0",
        "_" * 65,
    ]
    w1, b1, w2, b2 = model.get_weights()
    hidden = 1 / (1 + np.exp(-(x @ w1 + b1)))
    np.testing.assert_allclose(model.predict(x, verbose=0), hidden @ w2 + b2, rtol=1e-5)


def test_sgd_step_matches_the_gradient_computed_by_hand():
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), np.array([[0.0], [1.0]], np.float32)
    model = toy_model()
    w1, b1, w2, b2 = [w.astype(np.float64) for w in model.get_weights()]
    model.train_on_batch(x, y)
    h = 1 / (1 + np.exp(-(x @ w1 + b1)))
    err = 2 * (h @ w2 + b2 - y) / 2  # d(mean squared error)/d(prediction)
    g_w2, g_b2 = h.T @ err, err.sum(0)
    g_pre = (err @ w2.T) * h * (1 - h)
    g_w1, g_b1 = x.T @ g_pre, g_pre.sum(0)
    for new, old, g in zip(model.get_weights(), (w1, b1, w2, b2), (g_w1, g_b1, g_w2, g_b2)):
        np.testing.assert_allclose(new, old - 0.01 * g, rtol=1e-5, atol=1e-7)


def test_keras_defaults_batch_size_optimizer_and_history_keys():
    model = dendrite.Sequential([layers.Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.001) and model.optimizer.epsilon == 1e-7
    x = np.random.default_rng(0).standard_normal((100, 4)).astype(np.float32)
    y = dendrite.utils.to_categorical((x[:, 0] > 0).astype(int), 2)
    steps = []
    cb = dendrite.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: steps.append(batch))
    history = model.fit(x, y, epochs=2, validation_split=0.2, verbose=0, callbacks=[cb])
    assert len(steps) == 2 * 3  # 80 samples at the default batch size 32 -> 3 steps per epoch
    assert list(history.history) == ["loss", "acc", "val_loss", "val_acc"]
    assert history.epoch == [0, 1] and history.params["epochs"] == 2
    default = dendrite.Sequential([layers.Dense(1, input_shape=(4,))])
    default.compile(loss="mse")
    assert type(default.optimizer).__name__ == "RMSprop"


def test_mnist_dense_network_learns_and_evaluate_returns_keras_forms(mnist_small):
    xtr, ytr, xte, yte = mnist_small
    model = dendrite.Sequential([layers.Input((784,)), layers.Dense(64, activation="relu"), layers.Dropout(0.2),
                                 layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(xtr, ytr, batch_size=64, epochs=5, validation_data=(xte, yte), verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, acc = model.evaluate(xte, yte, verbose=0)
    assert acc > 0.85
    assert model.evaluate(xte, yte, verbose=0, return_dict=True) == {"loss": loss, "accuracy": acc}
    probs = model.predict(xte, verbose=0)
    assert probs.shape == (500, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(1), 1, rtol=1e-5)
    assert np.mean(np.argmax(probs, axis=1) == yte) == pytest.approx(acc, abs=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(xte[:7]), probs[:7], rtol=1e-5)
    assert model(xte[:3]).numpy().shape == (3, 10)


def test_evaluate_without_metrics_returns_a_scalar_and_test_on_batch():
    model = toy_model()
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.0, 1.0])
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    assert isinstance(model.test_on_batch(x, y), float)


def test_identical_seeds_give_identical_weights_after_training(mnist_small):
    xtr, ytr, _, _ = mnist_small

    def run():
        dendrite.utils.set_random_seed(7)
        model = dendrite.Sequential([layers.Dense(32, activation="relu", input_shape=(784,)), layers.Dropout(0.3),
                                     layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(xtr[:512], ytr[:512], epochs=2, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_restores_the_best_epoch_weights(mnist_small):
    xtr, ytr, xte, yte = mnist_small
    model = dendrite.Sequential([layers.Dense(10, activation="softmax", input_shape=(784,))])
    # a learning rate this large makes validation loss bounce, so the best epoch is not the last
    model.compile(optimizer=dendrite.optimizers.SGD(learning_rate=3.0), loss="sparse_categorical_crossentropy")
    snapshots = []
    keep = dendrite.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stop = dendrite.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = model.fit(xtr, ytr, epochs=30, batch_size=100, validation_data=(xte, yte), verbose=0,
                        callbacks=[keep, stop])
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert len(val) < 30 and best < len(val) - 1
    for restored, expected in zip(model.get_weights(), snapshots[best]):
        np.testing.assert_array_equal(restored, expected)


def test_learning_rate_scheduler_changes_the_optimizer_rate(capsys):
    model = toy_model()
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.0, 1.0])
    sched = dendrite.callbacks.LearningRateScheduler(lambda epoch: 0.01 * 0.6 ** epoch, verbose=True)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[sched])
    assert model.optimizer.learning_rate == pytest.approx(0.01 * 0.6 ** 2)
    assert "LearningRateScheduler setting learning rate to 0.006" in capsys.readouterr().out
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.006, 0.0036])


def test_progress_bar_line_in_keras_format(capsys):
    model = toy_model()
    x, y = np.random.default_rng(0).standard_normal((64, 2)), np.zeros(64)
    model.fit(x, y, epochs=2, verbose=1, validation_data=(x, y))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2"
    assert lines[1].startswith("2/2 [==============================] - ")
    assert "step - loss: " in lines[1] and " - val_loss: " in lines[1]
    model.fit(x, y, epochs=1, verbose=2)
    line = capsys.readouterr().out.strip()
    assert line.startswith("2/2 - ") and "- loss: " in line


def test_sample_weight_and_class_weight_scale_the_loss():
    model = dendrite.Sequential([layers.Dense(1, input_shape=(1,), kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.array([[1.0], [1.0]]), np.array([1.0, 3.0])
    assert model.test_on_batch(x, y) == pytest.approx(5.0)  # (1 + 9) / 2
    assert model.evaluate(x, y, sample_weight=np.array([1.0, 0.0]), verbose=0) == pytest.approx(0.5)
    clf = dendrite.Sequential([layers.Dense(2, activation="softmax", input_shape=(1,))])
    clf.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    ones = np.ones((4, 1))
    base = clf.evaluate(ones, np.array([0, 0, 1, 1]), verbose=0)
    w0 = clf.get_weights()
    clf.train_on_batch(ones, np.array([0, 0, 1, 1]), class_weight={0: 1.0, 1: 0.0})
    p = clf.predict(ones[:1], verbose=0)[0]
    assert p[0] > 0.5 and base > 0  # only class 0 was weighted, so the model moved towards it
    clf.set_weights(w0)


def test_add_pop_layers_and_functional_model_share_layers():
    model = dendrite.Sequential()
    model.add(layers.Dense(4, input_dim=3))
    model.add(layers.Activation("relu"))
    model.add(layers.Dense(2))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Activation", "Dense"]
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and len(model.layers) == 2
    inp = dendrite.Input((3,))
    hidden = layers.Dense(5, activation="relu")
    out = layers.Dense(2, activation="softmax")(hidden(inp))
    functional = dendrite.Model(inputs=inp, outputs=out)
    functional.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).standard_normal((20, 3))
    y = dendrite.utils.to_categorical(np.arange(20) % 2, 2)
    functional.fit(x, y, epochs=2, verbose=0)
    assert [type(layer).__name__ for layer in functional.layers] == ["InputLayer", "Dense", "Dense"]
    assert functional.layers[0].output is inp and functional.layers[1] is hidden
    assert functional.predict(x, verbose=0).shape == (20, 2)


def test_model_trainable_weights_in_keras_order():
    model = dendrite.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)])
    assert [w.path for w in model.trainable_weights] == ["dense/kernel", "dense/bias", "dense_1/kernel",
                                                         "dense_1/bias"]
    assert len(model.weights) == 4 and model.non_trainable_weights == []


def test_stop_training_from_a_callback_and_terminate_on_nan():
    model = toy_model()
    x, y = np.ones((64, 2)), np.zeros(64)

    class Stopper(dendrite.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    assert len(model.fit(x, y, epochs=10, verbose=0, callbacks=[Stopper()]).history["loss"]) == 2
    blowup = dendrite.Sequential([layers.Dense(1, input_shape=(2,))])
    blowup.compile(optimizer=dendrite.optimizers.SGD(learning_rate=1e18), loss="mse")
    big = np.full((64, 2), 1e10)
    history = blowup.fit(big, np.full(64, 1e10), batch_size=8, epochs=3, verbose=0,
                         callbacks=[dendrite.callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1


# ------------------------------------------------------------------ bad input
def test_fit_before_compile_is_a_clear_error():
    model = dendrite.Sequential([layers.Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match=r"compile\(\) before fit\(\)"):
        model.fit(np.ones((4, 2)), np.ones(4))


def test_wrong_input_shape_names_the_model_and_both_shapes():
    model = toy_model()
    with pytest.raises(ValueError, match=r"layer 'sequential'.*expected shape=\(None, 2\), found shape=\(4, 3\)"):
        model.fit(np.ones((4, 3)), np.ones(4), verbose=0)
    lazy = dendrite.Sequential([layers.Dense(3), layers.Dense(1)])
    lazy.compile(loss="mse")
    lazy.fit(np.ones((4, 5)), np.ones(4), verbose=0)
    with pytest.raises(ValueError, match=r"layer 'dense_2'.*value 5.*\(4, 6\)"):
        lazy.predict(np.ones((4, 6)), verbose=0)


def test_x_and_y_of_different_lengths():
    with pytest.raises(ValueError, match="x has 4 samples but y has 3"):
        toy_model().fit(np.ones((4, 2)), np.ones(3), verbose=0)


def test_nan_in_data_is_refused_with_its_location():
    x = np.ones((4, 2))
    x[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"`x` contains 1 NaN.*index \(2, 1\)"):
        toy_model().fit(x, np.ones(4), verbose=0)
    with pytest.raises(ValueError, match="`y` contains"):
        toy_model().fit(np.ones((4, 2)), np.array([0, np.inf, 0, 0]), verbose=0)


def test_unknown_names_list_the_valid_ones():
    model = dendrite.Sequential([layers.Dense(2, input_shape=(2,))])
    with pytest.raises(ValueError, match=r"(?s)adamm.*adam"):
        model.compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match=r"(?s)mean_squared_error.*msee"):
        model.compile(optimizer="adam", loss="msee")


def test_sparse_labels_out_of_range_are_refused():
    model = dendrite.Sequential([layers.Dense(3, activation="softmax", input_shape=(2,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        model.fit(np.ones((4, 2)), np.array([0, 1, 3, 2]), verbose=0)


def test_categorical_loss_with_integer_labels_suggests_sparse():
    model = dendrite.Sequential([layers.Dense(3, activation="softmax", input_shape=(2,))])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(np.ones((4, 2)), np.array([0, 1, 2, 2]), verbose=0)


def test_subclassed_model_tracks_its_layers_and_trains(capsys):
    class TwoLayer(dendrite.Model):
        def __init__(self):
            super().__init__(name="two_layer")
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = TwoLayer()
    model.compile(optimizer=dendrite.optimizers.Adam(0.05), loss="mse")
    x = np.random.default_rng(2).standard_normal((64, 3)).astype(np.float32)
    y = x.sum(1, keepdims=True)
    history = model.fit(x, y, epochs=20, verbose=0)
    assert [w.path for w in model.trainable_weights] == ["dense/kernel", "dense/bias", "dense_1/kernel",
                                                         "dense_1/bias"]
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    model.summary()
    text = capsys.readouterr().out
    assert "dense (Dense)                (None, 8)                 32" in text and "Total params: 41" in text


def test_model_subclass_errors_and_functional_name():
    class NoCall(dendrite.Model):
        pass

    with pytest.raises(NotImplementedError, match=r"NoCall defines no call\(\)"):
        NoCall().predict(np.ones((2, 3)), verbose=0)

    class Early(dendrite.Model):
        def __init__(self):
            self.d = layers.Dense(2)

        def call(self, inputs, training=None):
            return self.d(inputs)

    with pytest.raises(RuntimeError, match=r"super\(\).__init__\(\)"):
        Early()
    inp = dendrite.Input((2,))
    model = dendrite.Model(inp, layers.Dense(1)(inp))
    assert model.name == "functional" and isinstance(model, dendrite.models.Functional)


def test_summary_of_a_model_not_built_yet_lists_its_layers_unbuilt(capsys):
    """Keras 3 prints an unbuilt model's layers with '?' shapes and '0 (unbuilt)' parameters (tf.keras 2 refused)."""
    model = dendrite.Sequential([layers.Dense(4), layers.Dense(1)])
    model.summary()
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "(Dense)" in line]
    assert len(rows) == 2 and all(" ? " in r and r.rstrip().endswith("0 (unbuilt)") for r in rows)
    assert "Total params: 0" in out
    model.build((None, 3))
    model.summary()
    assert "Total params: 21" in capsys.readouterr().out


@pytest.mark.parametrize("declared", [True, False])
def test_a_list_holding_the_one_input_array_is_that_array(declared):
    """Keras flattens the data's structure: fit / evaluate / predict / call on [x] for a model of one input act
    on x (trekhleb's digits notebook predicts on [x_test]); it was stacked into one array of rank + 1."""
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 6, 5)).astype("float32"), rng.integers(0, 3, 40)
    first = [layers.Flatten(input_shape=(6, 5))] if declared else [layers.Flatten()]
    model = dendrite.Sequential(first + [layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit([x], y, batch_size=16, epochs=1, verbose=0)
    np.testing.assert_allclose(model.predict([x], verbose=0), model.predict(x, verbose=0))
    np.testing.assert_allclose(model([x]).numpy(), model(x).numpy())
    assert model.evaluate([x], y, verbose=0) == model.evaluate(x, y, verbose=0)
    inp = dendrite.Input((5,))
    functional = dendrite.Model(inp, layers.Dense(2)(inp))
    assert functional.predict([x[:, 0]], verbose=0).shape == (40, 2)
