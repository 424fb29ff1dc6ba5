"""TextVectorization: Keras's documented examples, the vocabulary order, standardize / split / ngrams, output
modes, adapt from arrays, lists and generators, in a model from Input(dtype='string'), config and saving, errors."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers


def ids(t):
    return t.numpy().tolist()


def test_keras_docstring_examples():
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    # padding and OOV first, then by count (bar, baz: 2), ties by descending term, as Keras orders them
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer([["foo qux bar"], ["qux baz"]])
    assert out.dtype == np.int64 and ids(out) == [[4, 1, 3, 0], [1, 2, 0, 0]]
    given = layers.TextVectorization(max_tokens=5000, output_sequence_length=4,
                                     vocabulary=["earth", "wind", "and", "fire"])
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]
    assert given.get_vocabulary(include_special_tokens=False) == ["earth", "wind", "and", "fire"]
    assert given.vocabulary_size() == 6


def test_standardize_split_and_lengths():
    layer = layers.TextVectorization()
    layer.adapt(np.array(["The cat, the HAT!", "a cat"]))
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "cat", "hat", "a"]
    assert ids(layer(np.array(["the cat sat", "hat"]))) == [[2, 3, 1], [4, 0, 0]]  # padded to the longest
    assert ids(layer(np.array([b"The  cat\t\nHAT"], dtype=object))) == [[2, 3, 4]]
    strip = layers.TextVectorization(standardize="strip_punctuation")
    strip.adapt(["Hello, World! it's a-b_c"])
    assert strip.get_vocabulary() == ["", "[UNK]", "its", "abc", "World", "Hello"]
    chars = layers.TextVectorization(split="character", standardize=None)
    chars.adapt(["abca", "Ab"])
    assert chars.get_vocabulary() == ["", "[UNK]", "b", "a", "c", "A"] and ids(chars(["abz"])) == [[3, 2, 1]]
    lower = layers.TextVectorization(standardize="lower", split=None, vocabulary=["new york", "paris"])
    assert ids(lower([["New York"], ["PARIS"], ["rome"]])) == [[2], [3], [1]]
    short = layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=2)
    assert ids(short(["a b a b", ""])) == [[2, 3], [0, 0]]  # truncated, padded


def test_ngrams_and_max_tokens():
    layer = layers.TextVectorization(ngrams=2)
    layer.adapt(["a b c", "b c d"])
    assert layer.get_vocabulary() == ["", "[UNK]", "c", "b c", "b", "d", "c d", "a b", "a"]
    assert ids(layer(["a b c d"])) == [[8, 4, 2, 5, 7, 3, 6]]  # unigrams, then bigrams
    only_bigrams = layers.TextVectorization(ngrams=(2,), vocabulary=["a b"])
    assert ids(only_bigrams(["a b c"])) == [[2, 1]]
    capped = layers.TextVectorization(max_tokens=4)
    capped.adapt(["a a a b b c d"])
    assert capped.get_vocabulary() == ["", "[UNK]", "a", "b"]


def test_multi_hot_count_and_tf_idf():
    corpus = ["foo bar", "bar baz", "baz bada boom", "foo foo"]
    expected = {"multi_hot": [[1, 1, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0]],
                "count": [[1, 2, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0]]}
    for mode, rows in expected.items():
        layer = layers.TextVectorization(output_mode=mode)
        layer.adapt(corpus)
        assert layer.get_vocabulary() == ["[UNK]", "foo", "baz", "bar", "boom", "bada"]  # no padding index
        out = layer(["foo qux bar foo", "baz"])
        assert out.dtype == np.float32 and ids(out) == rows
    tfidf = layers.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(corpus)
    idf = np.log(1 + 4 / (1 + np.array([2, 2, 2, 1, 1])))  # 4 documents; foo, baz, bar in 2, boom, bada in 1
    np.testing.assert_allclose(tfidf(["foo qux bar foo", "baz"]).numpy(),
                               [[idf.mean(), 2 * idf[0], 0, idf[2], 0, 0], [0, 0, idf[1], 0, 0, 0]], rtol=1e-6)
    padded = layers.TextVectorization(output_mode="multi_hot", max_tokens=10, pad_to_max_tokens=True)
    padded.adapt(["foo bar", "bar baz"])
    assert ids(padded(["foo zz"])) == [[1, 0, 1, 0, 0, 0, 0, 0, 0, 0]]
    assert ids(padded([""])) == [[0] * 10]


def test_adapt_from_a_generator_of_string_batches():
    def batches():
        yield np.array(["red green", "green blue"])
        yield np.array([b"green"])
    layer = layers.TextVectorization()
    layer.adapt(batches())
    assert layer.get_vocabulary() == ["", "[UNK]", "green", "red", "blue"]
    listed = layers.TextVectorization()
    listed.adapt(["red green", "green blue", "green"], batch_size=1)
    assert listed.get_vocabulary() == layer.get_vocabulary()
    limited = layers.TextVectorization()
    limited.adapt(batches(), steps=1)
    assert limited.get_vocabulary() == ["", "[UNK]", "green", "red", "blue"]
    assert limited.vocabulary_size() == 5


def test_callables_and_set_vocabulary(tmp_path):
    def keep_vowels(strings):
        return np.array([''.join(c for c in s if c in "aeiou,") for s in strings.reshape(-1)]).reshape(strings.shape)

    def on_commas(strings):
        return [s.split(",") for s in strings]
    layer = layers.TextVectorization(standardize=keep_vowels, split=on_commas)
    layer.set_vocabulary(["a", "e", "ia"])
    assert ids(layer(["cat,bed,xyz,ria"])) == [[2, 3, 0, 4]]  # "xyz" leaves "", the padding token
    path = tmp_path / "vocab.txt"
    path.write_text("alpha\nbeta\n", encoding="utf-8")
    from_file = layers.TextVectorization(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["", "[UNK]", "alpha", "beta"]


def test_first_layer_of_a_sequential_model_on_strings():
    texts = np.array(["the cat sat", "the dog ran", "a cat ran", "dogs bark loud"])
    vectorize = layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(texts)
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), vectorize, layers.Embedding(20, 4),
                              layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")])
    assert model.inputs[0].dtype == "string" and vectorize.output.dtype == "int64"
    assert model.layers[0].output.shape == (None, 5)
    out = model(texts[:, None])
    assert out.shape == (4, 1)
    np.testing.assert_allclose(model(texts).numpy(), out.numpy())  # (batch,) is made (batch, 1)
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    labels = np.array([0, 1, 0, 1.0])
    history = model.fit(texts[:, None], labels, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()
    np.testing.assert_allclose(model.predict(texts[:, None], verbose=0), model(texts[:, None]).numpy(), rtol=1e-6)


def test_fit_evaluate_predict_on_strings_without_an_input_layer():
    """A stack whose first layer is TextVectorization takes the text itself, as in Keras's text tutorials."""
    texts = np.array(["the cat sat", "a dog ran", "the cat ran", "a dog sat"] * 8)
    labels = np.array([1, 0, 1, 0] * 8)
    vectorize = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(texts)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([vectorize, layers.Embedding(20, 8), layers.GlobalAveragePooling1D(),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(texts, labels, epochs=15, batch_size=8, verbose=0)
    assert history.history["accuracy"][-1] == 1.0  # 'cat' means 1, 'dog' 0
    loss, accuracy = model.evaluate(texts, labels, verbose=0)
    assert accuracy == 1.0 and loss < history.history["loss"][0]
    assert (model.predict(np.array(["the cat", "a dog"]), verbose=0)[:, 0] > 0.5).tolist() == [True, False]


def test_a_numeric_layer_on_a_string_input_is_refused():
    with pytest.raises(ValueError, match="Dense 'dense' takes numbers, but its input is text"):
        keras.Sequential([keras.Input(shape=(1,), dtype="string"), layers.Dense(3)])


def test_config_round_trip_and_saved_model(tmp_path):
    layer = layers.TextVectorization(max_tokens=50, ngrams=(1, 2), output_sequence_length=6, name="vec")
    layer.adapt(["a b c", "a b", "a"])
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "max_tokens", "standardize", "split", "ngrams",
                           "output_mode", "output_sequence_length", "pad_to_max_tokens", "sparse", "ragged",
                           "vocabulary", "idf_weights", "encoding", "vocabulary_size"}
    assert config["vocabulary"] == layer.get_vocabulary(include_special_tokens=False)
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(again) is layers.TextVectorization and again.get_config() == config
    assert ids(again(["a b c d"])) == ids(layer(["a b c d"]))
    tfidf = layers.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(["x y", "x"])
    restored = layers.TextVectorization.from_config(tfidf.get_config())
    np.testing.assert_allclose(restored(["x y z"]).numpy(), tfidf(["x y z"]).numpy())
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), layer, layers.Embedding(50, 3)])
    path = str(tmp_path / "text.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.layers[0].get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(loaded(np.array([["a b c"]])).numpy(), model(np.array([["a b c"]])).numpy())


def test_errors():
    with pytest.raises(ValueError, match="no tokens to learn"):
        layers.TextVectorization().adapt([])
    with pytest.raises(ValueError, match="no tokens to learn"):
        layers.TextVectorization().adapt(np.array(["", "  "]))
    with pytest.raises(ValueError, match="only with output_mode='int'"):
        layers.TextVectorization(output_mode="multi_hot", output_sequence_length=4)
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match="expected strings .* dtype float64"):
        layer(np.array([[1.0], [2.0]]))
    with pytest.raises(ValueError, match="shape \\(batch,\\) or \\(batch, 1\\).* \\(1, 2\\)"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="`standardize` must be"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="`split` must be"):
        layers.TextVectorization(split="comma")
    with pytest.raises(ValueError, match="`ngrams` must be"):
        layers.TextVectorization(ngrams=0)
    with pytest.raises(ValueError, match="`ragged` can be True only with output_mode='int'.*'count'"):
        layers.TextVectorization(ragged=True, output_mode="count")
    with pytest.raises(ValueError, match="ragged=True.*no other layer takes"):
        layers.TextVectorization(ragged=True, vocabulary=["a"])(keras.Input((1,), dtype="string"))


def test_ragged_gives_each_samples_indices_unpadded():
    """The values TensorFlow 2.21 gives for Hands-On ML's cell (a tf.RaggedTensor there; compatibility mode
    gives one too, tests/compat/test_tf_ragged.py): [[2, 1], [6, 2, 1, 2]], and [[2, 1], [6, 2]] truncated."""
    data = ["To be", "!(to be)", "That's the question", "Be, be, be."]
    layer = layers.TextVectorization(ragged=True)
    layer.adapt(data)
    rows = layer(["Be good!", "Question: be or be?"])
    assert [r.tolist() for r in rows] == [[2, 1], [6, 2, 1, 2]] and rows[0].dtype == np.int64
    short = layers.TextVectorization(ragged=True, output_sequence_length=2, vocabulary=layer.get_vocabulary()[2:])
    assert [r.tolist() for r in short(["Be good!", "Question: be or be?"])] == [[2, 1], [6, 2]]
    assert short.get_config()["ragged"] is True
    assert layers.TextVectorization.from_config(short.get_config()).ragged is True


def test_a_single_string_gives_its_row():
    """As Keras on TensorFlow: a scalar string input gives the 1-D output of that string (TF 2.21: [4, 3, 2, 5])."""
    layer = layers.TextVectorization()
    layer.adapt(["i love my dog", "i love my cat"])
    np.testing.assert_array_equal(layer("I love my dog").numpy(), [4, 3, 2, 5])
    np.testing.assert_array_equal(layer(np.array("I love my cat")).numpy(), [4, 3, 2, 6])
    ragged = layers.TextVectorization(ragged=True, vocabulary=layer.get_vocabulary()[2:])
    np.testing.assert_array_equal(ragged("my dog"), [2, 5])
