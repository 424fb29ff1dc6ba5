"""Embedding: lookups, gradients, masks, configs and errors, against NumPy and Keras 3's documented values."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads

# Embedding.get_config() keys in Keras 3.15.1
KERAS_KEYS = {"name", "trainable", "dtype", "input_dim", "output_dim", "embeddings_initializer",
              "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero",
              "quantization_config"}


def test_lookup_returns_the_rows_of_the_matrix_and_keeps_integer_indices():
    seen = []

    class Spy(layers.Embedding):
        def call(self, inputs, training=None):
            seen.append(inputs.dtype)
            return super().call(inputs, training)

    layer = Spy(6, 3)
    idx = np.array([[0, 5, 2], [2, 2, 1]], np.int64)
    out = layer(idx)
    (table,) = layer.get_weights()
    assert out.shape == (2, 3, 3) and out.dtype == np.float32 and seen == [np.int64]
    np.testing.assert_array_equal(out.numpy(), table[idx])
    # floats holding whole numbers (what fit hands a model) look up the same rows
    np.testing.assert_array_equal(layer(idx.astype(np.float32)).numpy(), table[idx])
    assert table.shape == (6, 3) and np.abs(table).max() <= 0.05  # Keras's 'uniform': RandomUniform(-0.05, 0.05)


def test_gradient_scatter_adds_onto_the_looked_up_rows():
    layer = layers.Embedding(5, 3)
    idx = np.array([[1, 1, 4], [0, 1, 4]])
    layer.build()
    check_grads(lambda i: layer(i), [idx], params=[layer.embeddings])
    with dendrite.GradientTape() as tape:
        loss = dendrite.ops.sum(layer(idx))
    grad = tape.gradient(loss, layer.embeddings)
    np.testing.assert_array_equal(grad, np.array([1, 3, 0, 0, 2])[:, None] * np.ones((1, 3)))


def test_shapes_symbolic_and_eager_and_the_parameter_count_in_summary():
    assert layers.Embedding(1000, 16)(dendrite.Input((10,))).shape == (None, 10, 16)
    assert layers.Embedding(1000, 16)(np.zeros((2, 4, 5), int)).shape == (2, 4, 5, 16)
    model = dendrite.Sequential([dendrite.Input((10,)), layers.Embedding(1000, 16)])
    lines = []
    model.summary(print_fn=lines.append)
    assert model.count_params() == 16000
    assert any("(None, 10, 16)" in line and "16000" in line for line in lines)
    assert "Total params: 16,000" in lines


def test_training_changes_only_the_rows_it_looked_up():
    model = dendrite.Sequential([dendrite.Input((3,)), layers.Embedding(10, 4), layers.GlobalAveragePooling1D(),
                                 layers.Dense(1)])
    model.compile("sgd", "mse")
    before = model.layers[0].get_weights()[0]
    x = np.array([[1, 2, 3], [3, 2, 1], [1, 1, 7]])
    model.fit(x, np.array([[1.0], [0.0], [2.0]]), epochs=2, verbose=0)
    after = model.layers[0].get_weights()[0]
    changed = np.flatnonzero(np.any(after != before, axis=1))
    np.testing.assert_array_equal(changed, [1, 2, 3, 7])


def test_mask_zero_gives_the_mask_of_nonzero_indices():
    idx = np.array([[3, 0, 1], [0, 0, 2]])
    masked = layers.Embedding(4, 2, mask_zero=True)
    np.testing.assert_array_equal(masked.compute_mask(idx), idx != 0)
    assert masked.compute_mask(idx).dtype == bool and masked.supports_masking
    plain = layers.Embedding(4, 2)
    assert plain.compute_mask(idx) is None and not plain.supports_masking
    np.testing.assert_array_equal(masked(idx).numpy()[0, 1], masked.get_weights()[0][0])  # row 0 is still looked up


def test_config_has_keras_keys_and_round_trips():
    layer = layers.Embedding(7, 3, mask_zero=True, embeddings_regularizer="l2", embeddings_constraint="non_neg",
                             name="words")
    config = layer.get_config()
    assert set(config) == KERAS_KEYS
    assert config["embeddings_initializer"] == {"module": "keras.initializers", "class_name": "RandomUniform",
                                                "config": {"seed": None, "minval": -0.05, "maxval": 0.05},
                                                "registered_name": None}
    assert config["quantization_config"] is None and config["activity_regularizer"] is None
    again = layers.Embedding.from_config(config)
    assert again.get_config() == config
    again(np.array([[1, 2]]))
    np.testing.assert_allclose(float(again.losses[0].numpy()), 0.01 * (again.get_weights()[0] ** 2).sum(), rtol=1e-6)


def test_weights_argument_sets_the_matrix_at_once():
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    layer = layers.Embedding(4, 3, weights=table)
    assert layer.built
    np.testing.assert_array_equal(layer(np.array([[3, 0]])).numpy(), table[[[3, 0]]])
    np.testing.assert_array_equal(layers.Embedding(4, 3, weights=[table]).get_weights()[0], table)
    with pytest.raises(ValueError, match=r"'embeddings' has shape \(4, 3\).*\(3, 4\)"):
        layers.Embedding(4, 3, weights=table.T)


def test_input_length_is_keras_2s_input_shape_with_a_warning():
    with pytest.warns(UserWarning, match="`input_length` is deprecated"):
        model = dendrite.Sequential([layers.Embedding(50, 8, input_length=6), layers.Flatten(), layers.Dense(1)])
    assert model.built and model.output_shape == (None, 1)
    assert model.layers[0].output_shape == (None, 6, 8)


def test_errors_name_the_layer():
    layer = layers.Embedding(5, 2, name="emb")
    with pytest.raises(ValueError, match=r"Embedding 'emb': every index must be in \[0, 5\) \(input_dim=5\); "
                                         r"received 5 at position \(1, 0\)\. input_dim must be the vocabulary size"):
        layer(np.array([[0, 1], [5, 2]]))
    with pytest.raises(ValueError, match=r"received -1 at position \(0, 1\)\. Indices count from 0"):
        layer(np.array([[0, -1]]))
    with pytest.raises(ValueError, match=r"Embedding 'emb': inputs must be integer indices; received a float32 "
                                         r"array holding 0\.5 at position \(0, 1\), which is not a whole number"):
        layer(np.array([[1.0, 0.5]]))
    with pytest.raises(ValueError, match="not a whole number"):
        layer(np.array([[np.nan]]))
    with pytest.raises(ValueError, match=r"Embedding 'e2': `input_dim` must be a positive integer\. "
                                         r"Received: input_dim=0\."):
        layers.Embedding(0, 2, name="e2")
    with pytest.raises(ValueError, match=r"`output_dim` must be a positive integer\. Received: output_dim=2\.5"):
        layers.Embedding(3, 2.5)
    with pytest.raises(ValueError, match=r"`lora_rank` is not supported"):
        layers.Embedding(3, 2, lora_rank=4)


def _fixture_cases():
    from keras_layers4 import cases
    return cases("ReversibleEmbedding")


@pytest.mark.parametrize("i, case", _fixture_cases(), ids=lambda v: None if isinstance(v, dict) else str(v))
def test_reversible_embedding_matches_keras(i, case, tmp_path):
    from keras_layers3 import keras_file_round_trip
    from keras_layers4 import arrays, built
    x, weights, (expected,) = arrays(i)
    layer = built(case, x, weights)
    reverse = x.dtype.kind == "f"
    np.testing.assert_allclose(layer(x, reverse=reverse).numpy(), expected, rtol=1e-5, atol=1e-6)
    config = {k: v for k, v in layer.get_config().items() if not isinstance(v, dict) and k not in ("name", "dtype")}
    assert config == {k: v for k, v in case["config"].items() if k != "name"}
    if reverse:
        check_grads(lambda v: layer(v, reverse=True), [x], params=layer.trainable_weights)
    else:
        assert layer.compute_mask(x).tolist() == (x != 0).tolist()


def test_reversible_embedding_in_a_model_ties_input_and_output(tmp_path):
    ids = layers.Input((5,), dtype="int32")
    emb = layers.ReversibleEmbedding(11, 6, name="tok")
    hidden = layers.Dense(6, activation="tanh")(emb(ids))
    logits = emb(hidden, reverse=True)
    assert tuple(logits.shape) == (None, 5, 11)
    model = dendrite.Model(ids, logits)
    assert model.count_params() == 11 * 6 + 6 * 6 + 6  # one shared matrix
    x = np.random.default_rng(0).integers(0, 11, (32, 5))
    model.compile(dendrite.optimizers.Adam(0.05), dendrite.losses.SparseCategoricalCrossentropy(from_logits=True))
    first = model.evaluate(x, x, verbose=0)
    model.fit(x, x, epochs=60, verbose=0)
    assert model.evaluate(x, x, verbose=0) < first * 0.7
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    with pytest.raises(ValueError, match="logit_soft_cap"):
        layers.ReversibleEmbedding(3, 2, logit_soft_cap=-1)
