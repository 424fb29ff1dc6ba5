"""Weight constraints: Keras's formulas and names, applied after every optimizer update (fit and custom loops)."""
import numpy as np
import pytest

import dendrite
from dendrite import constraints, layers

W = np.array([[3.0, -0.5, 0.1], [4.0, 0.2, -0.3], [-1.0, 0.0, 0.4]], np.float32)


def norms(w, axis):
    return np.sqrt(np.sum(w.astype(np.float64) ** 2, axis=axis, keepdims=True))


def test_formulas_as_keras_documents_them():
    eps = 1e-7
    n0, n1 = norms(W, 0), norms(W, 1)
    np.testing.assert_allclose(constraints.MaxNorm(2.0, axis=0)(W), W * np.clip(n0, 0, 2) / (eps + n0), rtol=1e-6)
    np.testing.assert_allclose(constraints.MaxNorm(1.0, axis=1)(W), W * np.clip(n1, 0, 1) / (eps + n1), rtol=1e-6)
    desired = 0.7 * np.clip(n0, 0.5, 1.5) + 0.3 * n0
    np.testing.assert_allclose(constraints.MinMaxNorm(0.5, 1.5, rate=0.7)(W), W * desired / (eps + n0), rtol=1e-6)
    np.testing.assert_array_equal(constraints.NonNeg()(W), np.where(W >= 0, W, 0))
    np.testing.assert_allclose(constraints.UnitNorm(axis=1)(W), W / (eps + n1), rtol=1e-6)
    # the values keras.constraints.MaxNorm(2.0)(W) returns (Keras 3.15)
    np.testing.assert_allclose(constraints.MaxNorm(2.0)(W)[:, 0], [1.1766968, 1.5689291, -0.39223227], rtol=1e-6)
    assert constraints.MaxNorm(2.0)(W).dtype == np.float32


def test_defaults_names_and_configs_are_keras_s():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    assert constraints.NonNeg().get_config() == {}
    for name, cls in [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
                      ("min_max_norm", constraints.MinMaxNorm), ("non_neg", constraints.NonNeg),
                      ("NonNeg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm)]:
        assert type(constraints.get(name)) is cls
    c = constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": [0, 1]}})
    assert (c.max_value, c.axis) == (3, [0, 1])
    # Keras 3.15.1's serialize_keras_object(MaxNorm(3, axis=[0, 1]))
    assert constraints.serialize(c) == {"module": "keras.constraints", "class_name": "MaxNorm",
                                        "config": {"max_value": 3, "axis": [0, 1]}, "registered_name": None}
    fn = lambda w: w  # noqa: E731
    assert constraints.get(fn) is fn and constraints.get(None) is None
    assert type(constraints.get(constraints.UnitNorm)) is constraints.UnitNorm  # a class: its defaults
    assert constraints.deserialize(constraints.serialize(c)).get_config() == c.get_config()
    with pytest.raises(ValueError, match=r"constraint: unknown constraint class 'Foo' in \{'class_name': 'Foo'"):
        constraints.get({"class_name": "Foo", "config": {}})
    with pytest.raises(ValueError, match="constraint: unknown constraint 'maxnorm'.*max_norm"):
        constraints.get("maxnorm")
    with pytest.raises(ValueError, match="Dense 'd' kernel_constraint: unknown constraint 'max_norm '"):
        layers.Dense(2, kernel_constraint="max_norm ", name="d")


def test_string_constraints_hold_after_fit():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 5)).astype(np.float32)
    y = x @ rng.standard_normal((5, 3)).astype(np.float32) * 10
    model = dendrite.Sequential([dendrite.Input((5,)),
                                 layers.Dense(3, kernel_constraint="non_neg", bias_constraint="unit_norm"),
                                 layers.Dense(2, kernel_constraint="max_norm")])
    model.compile(optimizer=dendrite.optimizers.SGD(0.5), loss="mse")
    model.fit(x, y[:, :2], epochs=3, batch_size=16, verbose=0)
    k1, b1, k2, _ = model.get_weights()
    assert (k1 >= 0).all() and (k1 == 0).any()  # the unconstrained fit drives some weights negative
    np.testing.assert_allclose(np.linalg.norm(b1), 1.0, rtol=1e-5)
    assert (np.linalg.norm(k2, axis=0) <= 2.0 + 1e-5).all()


def test_a_custom_training_loop_gets_the_constraints_from_the_optimizer():
    layer = layers.Dense(4, kernel_constraint=constraints.MaxNorm(0.1, axis=0))
    x = np.ones((8, 6), np.float32)
    layer(x)
    opt = dendrite.optimizers.SGD(1.0)
    with dendrite.GradientTape() as tape:
        loss = dendrite.ops.sum(dendrite.ops.square(layer(x)))
    grads = tape.gradient(loss, layer.trainable_weights)
    opt.apply_gradients(zip(grads, layer.trainable_weights))
    np.testing.assert_allclose(np.linalg.norm(np.asarray(layer.kernel.value), axis=0), 0.1, rtol=1e-5)


def test_layer_configs_carry_their_constraints_through_from_config():
    dense = layers.Dense(3, kernel_constraint=constraints.MaxNorm(3, axis=0), bias_constraint="non_neg",
                         activity_regularizer="l2")
    config = dense.get_config()
    # as Keras 3.15.1 writes them in a Dense config
    assert config["kernel_constraint"] == {"module": "keras.constraints", "class_name": "MaxNorm",
                                           "config": {"max_value": 3, "axis": 0}, "registered_name": None}
    assert config["bias_constraint"] == {"module": "keras.constraints", "class_name": "NonNeg", "config": {},
                                         "registered_name": None}
    again = layers.Dense.from_config(config)
    assert isinstance(again.kernel_constraint, constraints.MaxNorm) and again.kernel_constraint.max_value == 3
    assert isinstance(again.bias_constraint, constraints.NonNeg)
    assert again.activity_regularizer is not None
    conv = layers.Conv2D(4, 3, kernel_constraint="unit_norm", bias_constraint=constraints.MaxNorm(1))
    again = layers.Conv2D.from_config(conv.get_config())
    assert isinstance(again.kernel_constraint, constraints.UnitNorm)
    assert again.bias_constraint.get_config() == {"max_value": 1, "axis": 0}


def test_normalization_layers_take_beta_and_gamma_constraints():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 4)).astype(np.float32)
    bn = layers.BatchNormalization(gamma_constraint="non_neg", beta_constraint=constraints.MaxNorm(0.1))
    model = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(4), bn])
    model.compile(dendrite.optimizers.SGD(1.0), "mse")
    model.fit(x, -5 * np.abs(x), epochs=3, batch_size=16, verbose=0)  # pushes gamma below 0 and beta far
    assert (bn.gamma.numpy() >= 0).all() and np.linalg.norm(bn.beta.numpy()) <= 0.1 + 1e-6
    ln = layers.LayerNormalization(gamma_constraint="unit_norm")
    again = layers.LayerNormalization.from_config(ln.get_config())
    assert isinstance(again.gamma_constraint, constraints.UnitNorm) and again.beta_constraint is None
    with pytest.raises(ValueError, match="BatchNormalization 'b' gamma_constraint: unknown constraint 'nonneg'"):
        layers.BatchNormalization(gamma_constraint="nonneg", name="b")
