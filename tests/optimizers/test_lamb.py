"""Lamb against Keras 3.15 (three steps, with and without weight decay: tests/fixtures/keras/layers4_objects.json),
its trust ratio, config and use in fit."""
import numpy as np

import dendrite
from dendrite import layers, optimizers
from dendrite.autodiff import Variable
from keras_objects4 import value

KERNEL = value("kernel")


def _three_steps(**kwargs):
    w = Variable(KERNEL.copy())
    opt = optimizers.Lamb(**kwargs)
    for step in range(3):
        opt.apply_gradients([(np.sin(KERNEL * (step + 1)).astype(np.float32), w)])
    return w.numpy()


def test_steps_match_keras():
    np.testing.assert_allclose(_three_steps(learning_rate=0.05), value("lamb"), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_three_steps(learning_rate=0.05, weight_decay=0.1), value("lamb_wd"), rtol=1e-5,
                               atol=1e-6)


def test_trust_ratio_scales_the_step_to_the_weights_norm():
    w = Variable(np.full((4,), 3.0, np.float32))
    optimizers.Lamb(learning_rate=0.1).apply_gradients([(np.array([1e-3, 0, 0, 0], np.float32), w)])
    # Adam's first step is ~(1, 0, 0, 0); LAMB rescales it to ||w|| = 6: w0 moves by lr * 6
    np.testing.assert_allclose(w.numpy(), [3.0 - 0.6, 3.0, 3.0, 3.0], rtol=1e-4)
    zero = Variable(np.zeros(2, np.float32))  # ||w|| = 0: ratio 1 (a plain bias-corrected Adam step)
    optimizers.Lamb(learning_rate=0.1).apply_gradients([(np.array([1.0, -1.0], np.float32), zero)])
    np.testing.assert_allclose(zero.numpy(), [-0.1, 0.1], rtol=1e-4)


def test_config_and_fit():
    opt = optimizers.get("lamb")
    assert isinstance(opt, optimizers.Lamb)
    config = optimizers.Lamb(learning_rate=0.01, beta_1=0.8).get_config()
    assert (config["beta_1"], config["beta_2"], config["epsilon"]) == (0.8, 0.999, 1e-7)
    assert optimizers.Lamb.from_config(config).get_config() == config
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 4)).astype(np.float32)
    y = (x.sum(axis=1, keepdims=True) > 0).astype(np.float32)
    dendrite.utils.set_random_seed(0)
    model = dendrite.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"),
                                 layers.Dense(1, activation="sigmoid")])
    model.compile(optimizers.Lamb(0.02), "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.9
