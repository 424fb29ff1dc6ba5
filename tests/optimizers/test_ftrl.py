"""Ftrl against a NumPy reference of Keras 3's update, and its defaults."""
import numpy as np

import dendrite
from dendrite import optimizers


def ftrl_reference(w, grads, lr, power, init, l1, l2, shrink, beta):
    n, z = np.full_like(w, init), np.zeros_like(w)
    for g in grads:
        new_n = n + g * g
        z = z + g + 2 * shrink * w - (new_n ** -power - n ** -power) / lr * w
        quadratic = new_n ** -power / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quadratic
        n = new_n
    return w


def test_ftrl_matches_the_reference_with_every_term():
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) for _ in range(5)]
    settings = dict(learning_rate=0.3, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                    l1_regularization_strength=0.05, l2_regularization_strength=0.01,
                    l2_shrinkage_regularization_strength=0.02, beta=0.1)
    var = dendrite.Variable(w0.copy(), dtype="float64")
    opt = optimizers.Ftrl(**settings)
    for g in grads:
        opt.apply([g], [var])
    expected = ftrl_reference(w0, grads, 0.3, -0.5, 0.1, 0.05, 0.01, 0.02, 0.1)
    np.testing.assert_allclose(var.numpy(), expected, rtol=1e-10)
    sparse = dendrite.Variable(np.zeros((3, 4)), dtype="float64")
    optimizers.Ftrl(0.3, l1_regularization_strength=1.0).apply([np.full((3, 4), 0.5)], [sparse])
    assert np.all(sparse.numpy() == 0)  # |z| within l1: exactly zero


def test_ftrl_defaults_and_name_lookup():
    opt = optimizers.get("Ftrl")
    assert isinstance(opt, optimizers.Ftrl)
    config = opt.get_config()
    assert (config["learning_rate"], config["learning_rate_power"], config["initial_accumulator_value"],
            config["l1_regularization_strength"], config["l2_regularization_strength"],
            config["l2_shrinkage_regularization_strength"], config["beta"]) == (0.001, -0.5, 0.1, 0, 0, 0, 0)
    assert [v.path.rsplit("_", 1)[-1] for v in (lambda o: (o.build([dendrite.Variable(np.zeros(2))]), o)[1])(
        optimizers.Ftrl()).variables[2:]] == ["accumulator", "linear"]
