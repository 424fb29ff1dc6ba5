"""compile / fit / evaluate / predict for models with several inputs and outputs, as Keras 3 does them
(history keys, evaluate's order and the weighted total checked against Keras 3.15's own figures'
structure), and one network trained the same way whether written as Sequential, functional or subclass."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

rng = np.random.default_rng(7)
X1, X2 = rng.standard_normal((96, 4)).astype("float32"), rng.standard_normal((96, 3)).astype("float32")
Y_CLS = (X1[:, 0] > 0).astype(int) + (X2[:, 0] > 0).astype(int)
Y_REG = X1.sum(1, keepdims=True)


def two_heads(dict_outputs=False):
    keras.utils.set_random_seed(0)
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    h = layers.concatenate([layers.Dense(16, activation="relu")(a), layers.Dense(16, activation="relu")(b)])
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    reg = layers.Dense(1, name="reg")(h)
    return keras.Model([a, b], {"cls": cls, "reg": reg} if dict_outputs else [cls, reg])


def test_two_outputs_log_keras_keys_and_the_weighted_total():
    model = two_heads()
    model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  metrics={"cls": "accuracy", "reg": ["mae"]}, loss_weights=[1.0, 0.5])
    history = model.fit([X1, X2], [Y_CLS, Y_REG], epochs=8, batch_size=16, validation_split=0.25, verbose=0)
    keys = ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]
    assert list(history.history) == keys + ["val_" + k for k in keys]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.metrics_names == keys
    results = model.evaluate({"a": X1, "b": X2}, {"cls": Y_CLS, "reg": Y_REG}, verbose=0)
    assert len(results) == 5
    cls, reg = model.predict([X1, X2], verbose=0)
    assert cls.shape == (96, 3) and reg.shape == (96, 1)
    ce = -np.mean(np.log(np.clip(cls[np.arange(96), Y_CLS], 1e-7, 1)))
    mse = np.mean((reg - Y_REG) ** 2)
    np.testing.assert_allclose(results[1:3], [ce, mse], rtol=1e-4)
    np.testing.assert_allclose(results[0], ce + 0.5 * mse, rtol=1e-4)  # the weighted sum, as Keras
    np.testing.assert_allclose(results[3], np.mean(cls.argmax(1) == Y_CLS), rtol=1e-6)


def test_one_loss_for_every_output_a_list_of_metrics_per_output_and_dict_outputs():
    model = two_heads(dict_outputs=True)
    model.compile("sgd", loss="mse", metrics=["mae", ["mse", "mae"]])
    y = {"cls": np.eye(3)[Y_CLS].astype("float32"), "reg": Y_REG}
    logs = model.evaluate([X1, X2], y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "cls_loss", "reg_loss", "cls_mae", "reg_mse", "reg_mae"]
    np.testing.assert_allclose(logs["loss"], logs["cls_loss"] + logs["reg_loss"], rtol=1e-5)
    out = model.predict([X1, X2], verbose=0)
    assert isinstance(out, dict) and out["cls"].shape == (96, 3)


def test_an_output_without_a_loss_is_not_trained_and_weights_per_output():
    model = two_heads()
    model.compile("adam", loss=[None, "mse"])
    reg_before = model.get_layer("reg").get_weights()[0].copy()
    cls_before = model.get_layer("cls").get_weights()[0].copy()
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['kernel', 'bias'\]"):
        model.fit([X1, X2], [None, Y_REG], epochs=1, verbose=0)  # the cls layer gets none, as in Keras
    assert not np.array_equal(reg_before, model.get_layer("reg").get_weights()[0])
    np.testing.assert_array_equal(cls_before, model.get_layer("cls").get_weights()[0])
    model.compile("sgd", loss=["sparse_categorical_crossentropy", "mse"])
    weights = np.r_[np.zeros(48), np.ones(48)].astype("float32")
    full = model.evaluate([X1, X2], [Y_CLS, Y_REG], verbose=0, batch_size=96)
    half = model.evaluate([X1, X2], [Y_CLS, Y_REG], sample_weight=[np.ones(96), weights], verbose=0, batch_size=96)
    np.testing.assert_allclose(half[1], full[1], rtol=1e-5)  # the first output is not reweighted
    reg = model.predict([X1, X2], verbose=0)[1]
    np.testing.assert_allclose(half[2], np.sum(weights * ((reg - Y_REG) ** 2)[:, 0]) / 96, rtol=1e-4)


def test_multi_output_mistakes_are_named():
    model = two_heads()
    with pytest.raises(ValueError, match=r"`loss` names \['nope'\], which is not an output.*\['cls', 'reg'\]"):
        model.compile("adam", loss={"nope": "mse"})
    with pytest.raises(ValueError, match=r"2 outputs.*`loss` needs 2 entries.*received 3"):
        model.compile("adam", loss=["mse"] * 3)
    model.compile("adam", loss="mse")
    with pytest.raises(ValueError, match=r"2 outputs \['cls', 'reg'\]: pass `y` as a list of 2 arrays"):
        model.fit([X1, X2], Y_REG, verbose=0)
    with pytest.raises(ValueError, match=r"`class_weight` is only supported for models with one output"):
        model.fit([X1, X2], [Y_CLS, Y_REG], class_weight={0: 1.0}, verbose=0)
    with pytest.raises(ValueError, match=r"x\[1\] has 10"):
        model.fit([X1, X2[:10]], [Y_CLS, Y_REG], verbose=0)


def _same_network(kind):
    keras.utils.set_random_seed(11)
    if kind == "sequential":
        return keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    if kind == "functional":
        x = keras.Input((4,))
        return keras.Model(x, layers.Dense(1)(layers.Dense(8, activation="relu")(x)))

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))
    model = Net()
    model.build_from = model(X1[:1])  # weights drawn now, in the same order as the others'
    return model


def test_sequential_functional_and_subclass_train_to_identical_weights_and_a_custom_loop_equals_fit():
    trained = []
    for kind in ("sequential", "functional", "subclass"):
        model = _same_network(kind)
        model.compile(keras.optimizers.SGD(0.05), "mse")
        model.fit(X1, Y_REG, epochs=2, batch_size=16, shuffle=False, verbose=0)
        trained.append(model.get_weights())
    for other in trained[1:]:
        for a, b in zip(trained[0], other):
            np.testing.assert_array_equal(a, b)
    model = _same_network("functional")
    optimizer, loss_fn = keras.optimizers.SGD(0.05), keras.losses.MeanSquaredError()
    for _ in range(2):
        for start in range(0, 96, 16):
            with keras.GradientTape() as tape:
                loss = loss_fn(Y_REG[start:start + 16], model(X1[start:start + 16], training=True))
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
    for a, b in zip(trained[0], model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
