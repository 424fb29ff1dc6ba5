"""StringLookup and IntegerLookup: Keras's documented examples, adapt from arrays and batches, special tokens,
output modes, invert, config round trips, errors."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
DATA4 = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]


def values(t):
    return t.numpy().tolist()


def test_string_lookup_keras_examples():
    out = layers.StringLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == np.int64 and values(out) == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.StringLookup()
    adapted.adapt(DATA)
    assert adapted.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]  # by count, ties by descending term
    assert values(adapted(DATA)) == [[5, 3, 1], [1, 2, 4]]
    two_oov = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert values(two_oov([["a", "c", "d"], ["m", "z", "b"]])) == [[2, 4, 5], [0, 1, 3]]  # FarmHash buckets


def test_string_lookup_encoded_outputs():
    one = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    assert one.dtype == np.float32 and values(one) == np.eye(5)[[1, 2, 3, 4, 0]].tolist()
    multi = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(DATA4)
    assert values(multi) == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    count = layers.StringLookup(vocabulary=VOCAB, output_mode="count")(DATA4)
    assert values(count) == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    tfidf = layers.StringLookup(output_mode="tf_idf")
    tfidf.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(tfidf(DATA4).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6)
    with_oov = layers.StringLookup(output_mode="tf_idf")
    with_oov.set_vocabulary(["[UNK]"] + VOCAB, idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(with_oov(DATA4).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], rtol=1e-6)
    padded = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot", max_tokens=8, pad_to_max_tokens=True)
    assert padded(DATA4).shape == (2, 8)


def test_invert_and_round_trip():
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    out = inverse([[1, 3, 4], [4, 0, 2]]).numpy()
    assert out.dtype == object and out.tolist() == [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"b"]]
    forward = layers.StringLookup(vocabulary=VOCAB)
    assert inverse(forward(DATA)).numpy().tolist() == [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"b"]]
    assert inverse(np.array([[99, -1]])).numpy().tolist() == [[b"[UNK]", b"[UNK]"]]


def test_mask_token():
    masked = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    assert values(masked([["a", "", "d"]])) == [[2, 0, 5]]
    multi = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    assert multi.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]  # no mask index outside 'int' mode
    assert values(multi([["a", "", "d"]])) == [[0, 1, 0, 0, 1]]  # the mask token is dropped
    assert layers.StringLookup(vocabulary=["", "[UNK]", "x"], mask_token="").get_vocabulary() == ["", "[UNK]", "x"]


def test_adapt_from_a_generator_of_batches_and_max_tokens():
    def batches():
        yield np.array(["x", "y", "x"])
        yield np.array([b"y", b"x", b"w"])  # bytes are read as UTF-8
        yield np.array(["never read"])
    layer = layers.StringLookup(max_tokens=3)
    layer.adapt(batches(), steps=2)
    assert layer.get_vocabulary() == ["[UNK]", "x", "y"] and layer.vocabulary_size() == 3
    assert values(layer(np.array(["w", "y"], dtype=object))) == [0, 2]


def test_adapt_tf_idf_learns_idf_weights():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b"], ["a", "a"], ["c", "b"]])  # each row a document
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    idf = np.log(1 + 3 / (1 + np.array([2, 2, 1])))  # log(1 + documents / (1 + documents with the term))
    expected = np.array([[idf.mean(), 2 * idf[0], 0, 0]])
    np.testing.assert_allclose(layer([["a", "a", "zz"]]).numpy(), expected, rtol=1e-6)


def test_integer_lookup_keras_examples():
    vocab = [12, 36, 1138, 42]
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    out = layers.IntegerLookup(vocabulary=vocab)(data)
    assert out.dtype == np.int64 and values(out) == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.IntegerLookup()
    adapted.adapt(data)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert values(adapted(data)) == [[5, 2, 1], [1, 3, 4]]
    floormod = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=2)
    assert values(floormod(np.array([[12, 1138, 42], [37, 1000, 36]]))) == [[2, 4, 5], [1, 0, 3]]
    inverse = layers.IntegerLookup(vocabulary=vocab, invert=True)
    assert values(inverse(np.array([[1, 3, 4], [4, 0, 2]]))) == [[12, 1138, 42], [42, -1, 36]]
    multi = layers.IntegerLookup(vocabulary=vocab, output_mode="multi_hot")(np.array([[12, 1138, 42, 42]]))
    assert values(multi) == [[0, 1, 0, 1, 1]]
    assert values(layers.IntegerLookup(vocabulary=vocab)(np.array([[12.0, 36.0]]))) == [[1, 2]]  # whole floats


def test_config_keys_and_round_trip_through_the_registry():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="", name="words")
    config = layer.get_config()
    assert {k: config[k] for k in ("invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token",
                                   "output_mode", "sparse", "pad_to_max_tokens", "idf_weights", "vocabulary",
                                   "vocabulary_size", "oov_method", "salt", "encoding")} == {
        "invert": False, "max_tokens": None, "num_oov_indices": 1, "oov_token": "[UNK]", "mask_token": "",
        "output_mode": "int", "sparse": False, "pad_to_max_tokens": False, "idf_weights": None,
        "vocabulary": VOCAB, "vocabulary_size": 6, "oov_method": "floormod", "salt": None, "encoding": "utf-8"}
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(again) is layers.StringLookup and again.get_config() == config
    assert values(again(DATA)) == values(layer(DATA))
    ints = layers.IntegerLookup()
    ints.adapt(np.array([3, 3, 5]))
    config = ints.get_config()
    assert config["vocabulary"] == [3, 5] and config["vocabulary_dtype"] == "int64" and config["oov_token"] == -1
    assert layers.IntegerLookup.from_config(config).get_vocabulary() == [-1, 3, 5]


def test_in_a_model_from_a_string_input():
    inp = keras.Input(shape=(2,), dtype="string")
    out = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(inp)
    assert out.shape == (None, 5) and out.dtype == "float32"
    model = keras.Model(inp, layers.Dense(1, kernel_initializer="ones")(out))
    assert model(np.array([["a", "b"], ["z", "z"]])).numpy().tolist() == [[2.0], [1.0]]


def test_errors():
    with pytest.raises(ValueError, match="expected strings .* dtype int64"):
        layers.StringLookup(vocabulary=VOCAB)(np.array([[1, 2]]))
    with pytest.raises(ValueError, match="expected integers"):
        layers.IntegerLookup(vocabulary=[1])(np.array(["a"]))
    with pytest.raises(ValueError, match="no tokens to learn"):
        layers.StringLookup().adapt(np.array([], dtype=str))
    with pytest.raises(ValueError, match="num_oov_indices=0 .* \\['z'\\]"):
        layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)(DATA)
    with pytest.raises(ValueError, match="repeats the terms \\['a'\\]"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="mask token '' is in the vocabulary at index 1"):
        layers.StringLookup(vocabulary=["a", ""], mask_token="")
    with pytest.raises(ValueError, match="more than max_tokens=3"):
        layers.StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match="cannot adapt a layer given its vocabulary"):
        layers.StringLookup(vocabulary=VOCAB).adapt(DATA)
    with pytest.raises(ValueError, match="no vocabulary yet"):
        layers.StringLookup()(DATA)
    with pytest.raises(ValueError, match="invert=True .* 'int'"):
        layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="needs its `idf_weights`"):
        layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf")
    with pytest.raises(ValueError, match="pad_to_max_tokens=True"):
        layers.StringLookup(pad_to_max_tokens=True, output_mode="count")
    with pytest.raises(ValueError, match="integers; received 'x'"):
        layers.IntegerLookup(vocabulary=["x"])
    with pytest.raises(ValueError, match="repeats forever"):
        class Forever:
            def cardinality(self):
                return -1

            def __iter__(self):
                while True:
                    yield np.array(["a"])
        layers.StringLookup().adapt(Forever())


def test_integer_ids_above_2_to_the_24_reach_a_first_lookup_or_hashing_layer_unchanged():
    """float32 holds integers exactly only up to 2**24: ids must not pass through it on the way to the layer."""
    ids = np.array([16777217, 16777218, 5])
    model = keras.Sequential([layers.IntegerLookup(vocabulary=[16777217, 16777218])])
    np.testing.assert_array_equal(model.predict(ids, verbose=0), [1, 2, 0])  # Keras: [1, 2, 0]
    inp = keras.Input((1,), dtype="int64")
    hashed = keras.Model(inp, layers.Hashing(num_bins=1000)(inp))
    assert hashed._input_dtypes() == [(hashed.input_names[0], "int64")]
    np.testing.assert_array_equal(hashed.predict(ids[:1, None], verbose=0),
                                  layers.Hashing(num_bins=1000)(ids[:1, None]).numpy())
