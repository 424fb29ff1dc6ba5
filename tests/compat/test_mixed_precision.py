"""keras.mixed_precision under compatibility mode (dendrite/compat/mixed_precision.py): policies are accepted and
recorded, layers keep float32 variables and compute in float32, LossScaleOptimizer trains, and the tf.keras 2
custom-loop methods scale and unscale."""
import numpy as np
import pytest


@pytest.fixture
def mixed(tf):
    yield tf.keras.mixed_precision
    tf.keras.mixed_precision.set_global_policy("float32")


def test_policies_name_their_dtypes_as_keras(mixed):
    policy = mixed.Policy("mixed_float16")
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == ("mixed_float16", "float16", "float32")
    assert mixed.Policy("mixed_bfloat16").compute_dtype == "bfloat16"
    assert mixed.Policy("float16").variable_dtype == "float16"
    assert repr(policy) == '<DTypePolicy "mixed_float16">' and mixed.Policy("float32") == mixed.Policy("float32")
    with pytest.raises(ValueError, match=r"one of 'float32'.*received name='float8'"):
        mixed.Policy("float8")


def test_a_mixed_global_policy_trains_a_float32_model_with_a_note(tf, mixed, capfd):
    mixed.set_global_policy("mixed_float16")
    assert mixed.global_policy().name == "mixed_float16"
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(8,))
    dense = layers.Dense(16, activation="relu")
    x = dense(inputs)
    outputs = layers.Activation("softmax", dtype="float32")(layers.Dense(3)(x))
    model = tf.keras.Model(inputs, outputs)
    assert dense.dtype_policy.name == "mixed_float16" and dense.compute_dtype == "float32"
    assert model.layers[-1].dtype_policy.name == "float32"
    assert "dendrite computes in float32" in capfd.readouterr().err
    rng = np.random.default_rng(0)
    x_train = rng.normal(size=(256, 8)).astype("float32")
    y_train = (x_train[:, 0] > 0).astype("int64") + (x_train[:, 1] > 0)
    optimizer = mixed.LossScaleOptimizer(tf.keras.optimizers.Adam(0.01))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=4, verbose=0)
    assert dense.kernel.dtype == np.float32 and model.predict(x_train[:4], verbose=0).dtype == np.float32
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.7


def test_the_tf_keras_2_custom_loop_methods_scale_and_unscale(tf, mixed):
    optimizer = mixed.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), initial_scale=1024.0)
    w = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(w))
        scaled = optimizer.get_scaled_loss(loss)
    assert float(scaled) == 5.0 * 1024 and optimizer.loss_scale == 1024.0
    grads = optimizer.get_unscaled_gradients(tape.gradient(scaled, [w]))
    np.testing.assert_allclose(grads[0].numpy(), [2.0, -4.0])
    optimizer.apply_gradients(zip(grads, [w]))
    np.testing.assert_allclose(w.numpy(), [0.8, -1.6], rtol=1e-6)


def test_experimental_spellings_and_keras_config(tf, mixed):
    mixed.experimental.set_policy("mixed_bfloat16")
    assert mixed.experimental.global_policy().name == "mixed_bfloat16"
    assert tf.keras.layers.Dense(2).dtype == "float32"
    tf.keras.config.set_dtype_policy("float32")
    assert tf.keras.config.dtype_policy().name == "float32"
    assert tf.keras.layers.Dense(2, dtype=mixed.Policy("mixed_float16")).dtype_policy.name == "mixed_float16"
