"""Subclassed models and layers as Keras 3 writes them: a custom train_step / test_step / predict_step that fit,
evaluate and predict use (with compute_loss, optimizer.apply, self.metrics), tf.keras 2's compiled_loss /
compiled_metrics, metrics assigned to the model, add_loss, and sublayers and weights kept in lists and dicts."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

rng = np.random.default_rng(5)
X = rng.standard_normal((64, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]], np.float32)).astype("float32")


class Keras3Style(keras.Model):
    """The train_step of Keras 3's "Customizing what happens in fit()" guide."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.steps_seen = 0

    def call(self, inputs, training=None):
        return self.dense(inputs)

    def train_step(self, data):
        x, y = data
        self.steps_seen += 1
        with keras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_fit_uses_an_overridden_train_step_and_it_matches_the_built_in_one():
    keras.utils.set_random_seed(1)
    custom = Keras3Style()
    custom.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = custom.fit(X, Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    assert custom.steps_seen == 12 and list(history.history) == ["loss", "mae"]
    keras.utils.set_random_seed(1)
    plain = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    plain.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    reference = plain.fit(X, Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], reference.history["mae"], rtol=1e-5)
    for a, b in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


class TfKeras2Style(keras.Model):
    """tf.keras 2's spelling: compiled_loss, apply_gradients, compiled_metrics; its own test_step and a
    metric of its own assigned to an attribute."""

    def __init__(self):
        super().__init__()
        self.hidden = [layers.Dense(8, activation="relu"), layers.Dense(1)]  # sublayers in a list
        self.tracker = keras.metrics.Mean(name="custom_loss")

    def call(self, inputs, training=None):
        for layer in self.hidden:
            inputs = layer(inputs)
        return inputs

    def train_step(self, data):
        x, y = data
        with keras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        self.tracker.update_state(loss)
        return {"custom_loss": self.tracker.result(), **self.compiled_metrics.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.tracker.update_state(self.compiled_loss(y, y_pred))
        return {"custom_loss": self.tracker.result()}

    def predict_step(self, data):
        return self(data[0], training=False) * 2.0


def test_tf_keras_2_style_steps_lists_of_layers_and_tracked_metrics():
    model = TfKeras2Style()
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(X, Y, epochs=5, validation_split=0.25, verbose=0)
    assert list(history.history) == ["custom_loss", "mae", "val_custom_loss"]
    assert history.history["custom_loss"][-1] < history.history["custom_loss"][0]
    assert len(model.trainable_weights) == 4  # the two Dense layers in the list are tracked
    assert model.metrics[-1] is model.tracker
    value = model.evaluate(X, Y, verbose=0)
    np.testing.assert_allclose(value, np.mean((model(X).numpy() - Y) ** 2), rtol=1e-5)  # reset before evaluate
    np.testing.assert_allclose(model.predict(X, verbose=0), 2 * model(X).numpy(), rtol=1e-6)


class ReportsSelfMetrics(keras.Model):
    """The tf.keras 2 train_step of keras.io's debugging tips: compiled_loss, then every metric of self.metrics."""

    def train_step(self, data):
        x, y = data
        with keras.GradientTape() as tape:
            loss = self.compiled_loss(y, self(x, training=True))
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
        self.compiled_metrics.update_state(y, self(x))
        return {m.name: m.result() for m in self.metrics}


def test_compiled_loss_feeds_the_loss_a_custom_train_step_reports():
    """As tf.keras 2's compiled loss: 'loss' is the batch-size-weighted mean of the losses it computed (Keras 3
    would report the mean of y_pred there, feeding its loss tracker the predictions; dendrite keeps Keras 2's)."""
    inputs = keras.Input((4,))
    model = ReportsSelfMetrics(inputs, layers.Dense(1)(inputs))
    model.compile(keras.optimizers.SGD(0.0), "mse", metrics=["mae"])  # lr 0: every batch sees the same weights
    history = model.fit(X, Y, batch_size=48, epochs=1, verbose=0)  # batches of 48 and 16
    np.testing.assert_allclose(history.history["loss"][0], np.mean((model(X).numpy() - Y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"][0], np.mean(np.abs(model(X).numpy() - Y)), rtol=1e-5)


class Penalised(layers.Layer):
    """A custom layer with a weight made in build, a Variable assigned directly, and add_loss in call."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = keras.Variable(np.ones(1, np.float32), name="scale")

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1], self.units), initializer="ones")

    def call(self, inputs, training=None):
        out = keras.ops.matmul(inputs, self.w) * self.scale
        self.add_loss(keras.ops.multiply(keras.ops.sum(keras.ops.square(self.w)), 0.01))
        return out


def test_add_loss_and_a_directly_assigned_variable_in_a_custom_layer():
    layer = Penalised(2)
    out = layer(X[:3])
    assert [w.name for w in layer.trainable_weights] == ["scale", "w"]
    np.testing.assert_allclose(out.numpy(), X[:3].sum(1, keepdims=True).repeat(2, 1), rtol=1e-6)
    (penalty,) = layer.losses
    np.testing.assert_allclose(float(penalty.numpy()), 0.01 * 8, rtol=1e-6)
    layer(X[:3])
    assert len(layer.losses) == 1  # a new call replaces the losses of the call before
    model = keras.Sequential([keras.Input((4,)), layer])
    model.compile("sgd", "mse")
    loss = model.evaluate(X, np.zeros((64, 2), np.float32), verbose=0, batch_size=64)
    np.testing.assert_allclose(loss, np.mean(model.predict(X, verbose=0) ** 2) + 0.08, rtol=1e-5)


def test_layers_in_a_dict_are_tracked():
    class Heads(keras.Model):
        def __init__(self):
            super().__init__()
            self.heads = {"a": layers.Dense(1), "b": layers.Dense(2)}

        def call(self, inputs, training=None):
            return self.heads["a"](inputs) + keras.ops.sum(self.heads["b"](inputs), axis=1, keepdims=True)

    model = Heads()
    model(X[:2])
    assert len(model.weights) == 4 and model.count_params() == 5 + 10


def test_utils_pack_and_unpack_batches_as_keras():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert keras.utils.unpack_x_y_sample_weight(x)[1:] == (None, None)
    assert keras.utils.unpack_x_y_sample_weight((x, y))[2] is None
    assert keras.utils.pack_x_y_sample_weight(x, y, w)[2] is w
    assert keras.utils.pack_x_y_sample_weight(x) is x  # Keras 3: a lone x is not wrapped in a tuple
    assert keras.utils.pack_x_y_sample_weight((x, y)) == ((x, y),)  # ... unless it is a tuple itself
    with pytest.raises(ValueError, match="received a tuple of 4"):
        keras.utils.unpack_x_y_sample_weight((x, y, w, w))


def test_a_call_without_training_works_and_training_reaches_the_sublayers():
    class Plain(layers.Layer):
        def call(self, x):  # no training, no mask: the most basic custom layer
            return x * 2.0

    np.testing.assert_array_equal(Plain()(np.ones((2, 3))).numpy(), 2 * np.ones((2, 3)))

    class Noisy(keras.Model):
        def __init__(self):
            super().__init__()
            self.drop = layers.Dropout(0.5)
            self.norm = layers.BatchNormalization(momentum=0.0)

        def call(self, x):  # training is not passed on by hand: the sublayers take the model's
            return self.norm(self.drop(x))

    model = Noisy()
    x = np.random.default_rng(0).standard_normal((64, 100)).astype("float32") + 3.0
    model(x, training=True)
    assert abs(float(model.norm.moving_mean.numpy().mean()) - 3.0) < 0.5  # BatchNormalization trained
    assert (model.drop(x).numpy() == 0).mean() == 0  # called alone, outside training: no dropout
    dropped = []

    class Spy(layers.Layer):
        def call(self, x):
            dropped.append(float((x.numpy() == 0).mean()))
            return x

    class Wrapped(keras.Model):
        def __init__(self):
            super().__init__()
            self.drop, self.spy = layers.Dropout(0.5), Spy()

        def call(self, x):
            return self.spy(self.drop(x))

    Wrapped()(x, training=True)
    assert dropped[-1] > 0.3  # Dropout inside the model dropped units
    np.testing.assert_allclose(Plain()(x).numpy(), 2 * x)
    model.compile("sgd", "mse")
    model.fit(x, x, epochs=1, verbose=0)  # fit reaches a call that takes no training


def test_a_custom_train_step_needs_no_compiled_loss():
    class NoLoss(Keras3Style):
        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                loss = keras.ops.mean(keras.ops.square(self(x, training=True) - y))
            self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
            return {"my_loss": loss}

    model = NoLoss()
    model.compile(optimizer="adam")  # the GAN / VAE pattern: no loss given
    history = model.fit(X, Y, epochs=2, verbose=0)
    assert list(history.history) == ["my_loss"]
    with pytest.raises(ValueError, match=r"No loss to compute.*Provide a `loss` argument in compile\(\)"):
        model.evaluate(X, Y, verbose=0)


def test_layers_added_to_a_list_after_it_was_assigned_are_tracked():
    class Blocks(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = []
            for _ in range(2):
                self.blocks.append(layers.Dense(4))
            self.head = layers.Dense(1)

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.head(x)

    model = Blocks()
    model(X[:2])
    assert len(model.trainable_weights) == 6  # the two blocks' kernels and biases, and the head's
    model.compile("sgd", "mse")
    before = model.blocks[0].kernel.numpy().copy()
    model.fit(X, Y, epochs=1, verbose=0)
    assert not np.array_equal(before, model.blocks[0].kernel.numpy())  # trained


class TicketModel(keras.Model):
    """A subclassed model whose call reads a dict of named inputs (Deep Learning with Python's ticket model)."""

    def __init__(self):
        super().__init__()
        self.concat = layers.Concatenate()
        self.score = layers.Dense(1, activation="sigmoid")
        self.department = layers.Dense(3, activation="softmax")

    def call(self, inputs):
        features = self.concat([inputs["title"], inputs["body"]])
        return self.score(features), self.department(features)


def test_a_subclassed_model_called_on_a_dict_or_a_list_of_arrays_gets_that_structure():
    model = TicketModel()
    data = {"title": rng.random((5, 4)), "body": rng.random((5, 2))}
    score, department = model(data)
    assert score.shape == (5, 1) and department.shape == (5, 3)
    assert model.concat.input_shape == [(None, 4), (None, 2)]

    class Pair(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            a, b = inputs
            return self.dense(a) + b

    pair = Pair()
    a = rng.random((5, 3)).astype("float32")
    out = pair([a, np.ones((5, 2), "float32")])
    assert out.shape == (5, 2)
    np.testing.assert_allclose(out.numpy(), pair.dense(a).numpy() + 1, rtol=1e-6)


def test_a_model_that_overrides_dunder_call_instead_of_call_is_accepted():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(3)

        def __call__(self, x, is_training=False):
            x = self.out(self.hidden(x))
            return x if is_training else keras.ops.softmax(x)

    net = Net()
    probabilities = net(rng.random((4, 5)).astype("float32"))
    np.testing.assert_allclose(probabilities.numpy().sum(axis=1), 1.0, rtol=1e-6)
    assert len(net.trainable_variables) == 4

    class NoForward(keras.Model):  # built as Keras builds it: refused when called
        pass

    with pytest.raises(NotImplementedError, match="NoForward defines no call"):
        NoForward()(np.zeros((1, 2), "float32"))

    class OwnStep(keras.Model):  # trained by its own train_step (a GAN): no call() needed until it is called
        def __init__(self):
            super().__init__()
            self.w = self.add_weight(shape=(), initializer="ones")

        def train_step(self, data):
            self.w.assign(self.w.value * 0.5)
            return {"w": self.w.value}

    model = OwnStep()
    model.compile("sgd")
    model.fit(np.zeros((4, 1), "float32"), epochs=1, batch_size=2, verbose=0)
    assert float(model.w.value) == 0.25
    with pytest.raises(NotImplementedError, match="OwnStep defines no call"):
        model(np.zeros((1, 1), "float32"))


def test_a_model_compiled_without_a_loss_trains_on_its_layers_add_loss():
    class SquarePenalty(layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.mean(keras.ops.square(x)))
            return x

    inputs = keras.Input((4,))
    outputs = SquarePenalty()(layers.Dense(4)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.1))  # the Keras VAE pattern: the loss comes from add_loss
    history = model.fit(X, epochs=3, batch_size=16, verbose=0, validation_data=(X,))
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(history.history["val_loss"]) == 3
    plain = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    plain.compile(optimizer="sgd")
    with pytest.raises(ValueError, match=r"No loss to compute.*add_loss\(\)"):
        plain.fit(X, Y, verbose=0)


def test_a_subclassed_model_with_two_outputs_compiles_with_a_list_of_losses():
    class TwoHeads(keras.Model):
        def __init__(self):
            super().__init__()
            self.score = layers.Dense(1, activation="sigmoid")
            self.kind = layers.Dense(3, activation="softmax")

        def call(self, inputs):
            return self.score(inputs), self.kind(inputs)

    model = TwoHeads()
    score_y = (X[:, :1] > 0).astype("float32")
    kind_y = np.eye(3, dtype="float32")[np.arange(len(X)) % 3]
    model.compile("rmsprop", loss=["mean_squared_error", "categorical_crossentropy"],
                  metrics=[["mean_absolute_error"], ["accuracy"]])
    history = model.fit(X, [score_y, kind_y], epochs=2, verbose=0)
    assert {"loss", "output_1_loss", "output_2_loss", "output_1_mean_absolute_error",
            "output_2_accuracy"} <= set(history.history)
    loss, first, second = model.evaluate(X, [score_y, kind_y], verbose=0)[:3]
    assert loss == pytest.approx(first + second, rel=1e-5)
    score, kind = model.predict(X, verbose=0)
    assert score.shape == (64, 1) and kind.shape == (64, 3)


def test_a_custom_train_step_gets_x_itself_when_fit_has_no_targets():
    seen = []

    class Reconstruct(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(4)

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):  # the keras.io VAE pattern: data is the batch of x
            seen.append(type(data))
            with keras.GradientTape() as tape:
                loss = keras.ops.mean(keras.ops.square(self(data) - data))
            self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
            return {"loss": loss}

    model = Reconstruct()
    model.compile(optimizer="adam")
    model.fit(X, epochs=1, batch_size=16, verbose=0)
    assert len(seen) == 4 and all(kind is not tuple for kind in seen)


def test_a_model_overriding_dunder_call_saves_and_loads_its_weights(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.fc = layers.Dense(3)

        def __call__(self, x, is_training=False):
            return self.fc(x)

    net = Net()
    out = net(X[:4]).numpy()
    net.save_weights(str(tmp_path / "net.weights.h5"))
    fresh = Net()
    fresh(X[:1])
    fresh.load_weights(str(tmp_path / "net.weights.h5"))
    np.testing.assert_allclose(fresh(X[:4]).numpy(), out, rtol=1e-6)
    with pytest.raises(ValueError, match="has no weights yet"):
        Net().save_weights(str(tmp_path / "empty.weights.h5"))


def test_get_layer_on_a_subclassed_model():
    class Blocks(keras.Model):  # layers kept in a list attribute
        def __init__(self, names):
            super().__init__()
            self.blocks = [layers.Dense(2, name=n) for n in names]

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    model = Blocks(["hidden", "head"])
    model(np.ones((2, 3), "float32"))
    assert model.get_layer("head") is model.blocks[1] and model.get_layer(index=0) is model.blocks[0]
    with pytest.raises(ValueError, match="No such layer: tail"):
        model.get_layer("tail")


class OwnLossAndOptimizer(keras.Model):
    """A custom loop's model that keeps its optimizer and a list of its epoch losses in model.optimizer and
    model.loss, as TF 2 book code does (Keras keeps both as plain attributes)."""

    def __init__(self):
        super().__init__()
        self.loss = []
        self.optimizer = keras.optimizers.SGD(0.1)
        self.dense = layers.Dense(1)

    def call(self, x):
        return self.dense(x)


def test_an_optimizer_and_loss_written_into_the_instance_dict_are_the_models():
    """timsainb's autoencoders keep their constructor's arguments with self.__dict__.update(kwargs) (optimizer=,
    loss=); Keras reads them as plain attributes."""
    class Stored(keras.Model):
        def __init__(self, **kwargs):
            super().__init__()
            self.__dict__.update(kwargs)
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    optimizer = keras.optimizers.SGD(0.1)
    model = Stored(optimizer=optimizer, loss="a list of losses")
    assert model.optimizer is optimizer and model.loss == "a list of losses"
    model(X)
    with keras.GradientTape() as tape:
        loss = keras.ops.mean((model(X) - Y) ** 2)
    assert int(model.optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_weights),
                                                    model.trainable_weights)).numpy()) == 1


def test_a_subclass_may_hold_its_own_loss_list_and_optimizer():
    keras.set_random_seed(1)
    model = OwnLossAndOptimizer()
    for _ in range(30):
        with keras.GradientTape() as tape:
            loss = keras.ops.mean((model(X) - Y) ** 2)
        model.optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))
        model.loss.append(float(loss))
    assert len(model.loss) == 30 and model.loss[-1] < 0.2 * model.loss[0]
    assert len(model.weights) == 2  # the list attribute holds no layers

    model.compile(optimizer="adam", loss="mse")  # compile sets both again
    assert model.loss == "mse" and type(model.optimizer).__name__ == "Adam"
    model.optimizer = keras.optimizers.SGD(0.0)  # assigned after compile: what fit trains with
    before = [w.numpy().copy() for w in model.weights]
    model.fit(X, Y, epochs=1, verbose=0)
    assert all(np.array_equal(a, w.numpy()) for a, w in zip(before, model.weights))


def test_a_number_given_to_add_loss_is_a_constant_loss():
    inputs = keras.Input((8,))
    model = keras.Model(inputs, layers.Dense(8)(layers.Dense(2)(inputs)))
    model.add_loss(1.5)
    assert [float(loss) for loss in model.losses] == [1.5]


def test_a_model_without_call_holds_sub_models_for_a_custom_loop():
    """As Keras: a Model subclass with no call() is built and used as a holder of sub-models, trained by a
    GradientTape loop over its trainable_variables (the UCL course's convolutional VAE); it was refused at
    construction. Calling it, or fit, is refused with NotImplementedError."""
    rng = np.random.default_rng(0)

    class Pair(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder = keras.Sequential([keras.layers.Dense(3, activation="tanh", input_shape=(4,))])
            self.decoder = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])

    pair = Pair()
    assert len(pair.trainable_variables) == 4
    x = rng.random((16, 4)).astype("float32")
    optimizer = keras.optimizers.Adam(0.05)
    losses = []
    for _ in range(30):
        with keras.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(pair.decoder(pair.encoder(x)) - x))
        grads = tape.gradient(loss, pair.trainable_variables)
        optimizer.apply_gradients(zip(grads, pair.trainable_variables))
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]
    pair.compile("sgd", "mse")
    with pytest.raises(NotImplementedError, match="Pair defines no call"):
        pair.fit(x, x, verbose=0)
