"""Keras masks carried on tensors (Layer.supports_masking / compute_mask): passed to a call that takes one,
kept by layers that support masking, dropped with a warning by others, combined by merges, and ignored
timesteps in losses and metrics, as Keras 3 does."""
import warnings

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers


class ZeroSteps(layers.Layer):
    """A mask-making layer for the tests: a timestep whose features are all 0 is masked out."""

    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return np.any(inputs.numpy() != 0, axis=-1)


def _padded(batch=4, steps=6, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, steps, features)).astype(np.float32)
    lengths = np.array([6, 4, 2, 5])[:batch]
    for i, n in enumerate(lengths):
        x[i, n:] = 0.0  # padding at the end
    return x, np.arange(steps)[None, :] < lengths[:, None]


def test_a_mask_rides_through_layers_that_support_it_and_reaches_the_rnn():
    x, valid = _padded()
    masked = ZeroSteps()(x)
    np.testing.assert_array_equal(masked._keras_mask, valid)
    dense = layers.Dense(5)(masked)
    np.testing.assert_array_equal(dense._keras_mask, valid)  # Dense passes it on, as in Keras 3
    lstm = layers.LSTM(4, return_sequences=True)
    out = lstm(dense)
    explicit = lstm(keras.constant(dense.numpy()), mask=valid)  # the same values with the mask given by hand
    np.testing.assert_allclose(out.numpy(), explicit.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(out._keras_mask, valid)
    last = layers.GRU(2)(dense)
    assert last._keras_mask is None  # the last step has no timesteps left to mask


def test_a_layer_without_mask_support_drops_it_with_one_warning():
    x, _ = _padded()
    conv = layers.Conv1D(2, 1, name="conv")
    with pytest.warns(UserWarning, match=r"Layer 'conv' \(of type Conv1D\) was passed an input with a mask"):
        out = conv(ZeroSteps()(x))
    assert out._keras_mask is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conv(ZeroSteps()(x))  # once per layer


def test_merges_combine_masks():
    x, valid = _padded()
    other = x.copy()
    other[0, 1] = 0.0  # one more masked step in the second input
    a, b = ZeroSteps()(x), ZeroSteps()(other)
    both = valid.copy()
    both[0, 1] = False
    np.testing.assert_array_equal(layers.Add()([a, b])._keras_mask, both)
    np.testing.assert_array_equal(layers.Concatenate()([a, b])._keras_mask, both)
    joined = layers.Concatenate(axis=1)([a, keras.constant(x)])
    np.testing.assert_array_equal(joined._keras_mask, np.concatenate([valid, np.ones_like(valid)], axis=1))


def test_losses_and_metrics_ignore_masked_timesteps_in_fit_and_evaluate():
    x, valid = _padded()
    keras.utils.set_random_seed(2)
    inputs = keras.Input((6, 3))
    h = layers.LSTM(8, return_sequences=True)(ZeroSteps()(inputs))
    model = keras.Model(inputs, layers.Dense(3, activation="softmax")(h))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    y = np.random.default_rng(1).integers(0, 3, size=(4, 6))
    loss, accuracy = model.evaluate(x, y, verbose=0)
    probs = model.predict(x, verbose=0)
    per_step = -np.log(np.clip(probs[np.arange(4)[:, None], np.arange(6)[None, :], y], 1e-7, 1))
    np.testing.assert_allclose(loss, per_step[valid].mean(), rtol=1e-5)  # the mean over the valid steps
    np.testing.assert_allclose(accuracy, (probs.argmax(-1) == y)[valid].mean(), rtol=1e-6)
    y_changed = y.copy()
    y_changed[~valid] = (y_changed[~valid] + 1) % 3  # targets under the mask do not matter
    np.testing.assert_allclose(model.evaluate(x, y_changed, verbose=0), [loss, accuracy], rtol=1e-6)
    history = model.fit(x, y, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_a_mask_goes_through_a_nested_model_and_out_of_it_as_its_layers_leave_it():
    x, valid = _padded()
    inner_in = keras.Input((6, 3))
    inner = keras.Model(inner_in, layers.Dense(4)(inner_in), name="inner")
    outer_in = keras.Input((6, 3))
    seq = layers.LSTM(2, return_sequences=True)(inner(ZeroSteps()(outer_in)))
    outer = keras.Model(outer_in, [seq, layers.LSTM(2)(seq)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layer here drops the mask
        sequences, last = outer(x)
    np.testing.assert_array_equal(sequences._keras_mask, valid)
    assert last._keras_mask is None
    explicit = inner(keras.constant(x), mask=valid)  # a mask given to a model's call goes on its input
    np.testing.assert_array_equal(explicit._keras_mask, valid)


def test_embedding_mask_zero_and_masking_feed_the_recurrent_layers_as_keras():
    tokens = np.array([[3, 5, 2, 0, 0], [7, 1, 0, 0, 0]])
    keras.utils.set_random_seed(4)
    embed = layers.Embedding(10, 4, mask_zero=True)
    lstm = layers.LSTM(3)
    out = lstm(embed(tokens))
    valid = tokens != 0
    np.testing.assert_allclose(out.numpy(), lstm(keras.constant(embed(tokens).numpy()), mask=valid).numpy(),
                               rtol=1e-6)
    features = np.zeros((2, 5, 4), np.float32)
    features[valid] = 1.0
    gru = layers.GRU(2, return_sequences=True)
    masked = gru(layers.Masking(0.0)(features))
    np.testing.assert_array_equal(masked._keras_mask, valid)
    np.testing.assert_allclose(masked.numpy(), gru(keras.constant(features), mask=valid).numpy(), rtol=1e-6)


def test_global_average_pooling_1d_averages_the_valid_steps_as_keras():
    x, valid = _padded()
    pooled = layers.GlobalAveragePooling1D()(ZeroSteps()(x))
    expected = np.stack([x[i][valid[i]].mean(0) for i in range(len(x))])
    np.testing.assert_allclose(pooled.numpy(), expected, rtol=1e-6)
    assert pooled._keras_mask is None
    from dendrite.testing import check_grads
    check_grads(lambda t: layers.GlobalAveragePooling1D(dtype="float64")(t, mask=valid), [x])


@pytest.mark.parametrize("then_relu", [False, True])
def test_batch_normalization_keeps_the_embeddings_mask_for_the_lstm(then_relu):
    tokens = np.array([[3, 4, 5, 0, 0, 0], [1, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 9]])
    valid = tokens != 0
    keras.utils.set_random_seed(0)
    embed, norm, lstm = layers.Embedding(10, 4, mask_zero=True), layers.BatchNormalization(), layers.LSTM(3)
    relu = [layers.ReLU()] if then_relu else []  # BN -> relu runs as one fused op in a model (models/fusion.py)
    model = keras.Sequential([keras.Input((6,), dtype="int32"), embed, norm] + relu + [lstm])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layer drops the mask
        out = model(tokens, training=True)
        inference = model.predict(tokens, verbose=0)
    # the same chain with plain arrays, the mask given by hand to each layer that takes one
    features = keras.constant(embed(tokens).numpy())
    for training, got in ((False, inference), (True, out.numpy())):  # (training moves the moving statistics)
        x = norm(features, training=training, mask=valid)
        x = keras.constant((keras.ops.relu(x) if then_relu else x).numpy())
        np.testing.assert_allclose(got, lstm(x, mask=valid).numpy(), rtol=1e-5, atol=1e-6)
    assert not np.allclose(out.numpy(), lstm(x).numpy(), atol=1e-4)  # the mask mattered


def test_symbolic_tensors_show_the_mask_they_will_carry():
    """Keras 3's ``x._keras_mask`` on a functional graph: a boolean KerasTensor after a mask-making layer and
    the layers passing it on, None after a layer that consumes it."""
    class PassMask(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x):
            return x * 2

    ids = keras.Input(shape=(None,), dtype="int32")
    assert ids._keras_mask is None
    embedded = layers.Embedding(100, 4, mask_zero=True)(ids)
    mask = embedded._keras_mask
    assert mask.shape == (None, None) and mask.dtype == "bool"
    assert PassMask()(embedded)._keras_mask.shape == (None, None)
    assert layers.LSTM(3)(embedded)._keras_mask is None
    assert layers.Embedding(100, 4)(ids)._keras_mask is None
