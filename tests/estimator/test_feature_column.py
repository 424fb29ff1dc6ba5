"""Each feature column's output against a NumPy reference; hashed ids against TensorFlow's values
(tools/make_estimator_hash_fixtures.py); DenseFeatures's order, weights and gradients; bad input."""
import numpy as np
import pytest

import dendrite
from dendrite import feature_column as fc
from dendrite.layers import DenseFeatures
from dendrite.testing import check_grads

# printed by tools/make_estimator_hash_fixtures.py from TensorFlow 2.21
TF_CROSS_STRINGS_UNBUCKETED = [1484974617627318892, 5470948523078679805]
TF_CROSS_STRINGS_100 = [92, 5]
TF_CROSS_INT_STRING_UNBUCKETED = [306214652172042612, 6080331003608173075]
TF_HASH_2_62 = [3694432073954588131, 107802420385376258, 2768103858547727113]
INT64_MAX = 2 ** 63 - 1


def test_numeric_column_flattens_and_normalizes():
    x = np.arange(12, dtype=np.float64).reshape(3, 2, 2)
    col = fc.numeric_column("x", shape=(2, 2), normalizer_fn=lambda v: (v - 1.0) / 2.0)
    out = DenseFeatures([col])({"x": x})
    np.testing.assert_allclose(out.numpy(), (x.reshape(3, 4) - 1) / 2)
    assert out.dtype == np.float32 and col.shape == (2, 2) and fc.numeric_column("a").shape == (1,)


def test_bucketized_column_one_hot_of_the_bucket():
    x = np.array([[-5.0], [0.0], [1.0], [2.5], [10.0]])
    col = fc.bucketized_column(fc.numeric_column("x"), boundaries=[0.0, 1.0, 3.0])
    expected = np.eye(4)[[0, 1, 2, 2, 3]]  # bucket i: boundaries[i-1] <= x < boundaries[i]
    np.testing.assert_array_equal(DenseFeatures([col])({"x": x}).numpy(), expected)
    assert col.name == "x_bucketized" and col.num_buckets == 4


def test_vocabulary_list_with_oov_buckets_and_missing_values():
    col = fc.categorical_column_with_vocabulary_list("c", ["a", "b", "c"], num_oov_buckets=2)
    ids = col.ids({"c": np.array([["a", "zz"], ["c", ""]])})
    oov = 3 + dendrite.layers.hashing.fingerprint64(b"zz") % 2
    np.testing.assert_array_equal(ids, [[0, oov], [2, -1]])  # '' is missing
    counts = DenseFeatures([fc.indicator_column(col)])({"c": np.array([["a", "a"], ["b", "c"]])}).numpy()
    np.testing.assert_array_equal(counts, [[2, 0, 0, 0, 0], [0, 1, 1, 0, 0]])  # indicator counts repeats


def test_vocabulary_file_and_identity(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("red\ngreen\nblue\n")
    col = fc.categorical_column_with_vocabulary_file("color", str(path), default_value=0)
    np.testing.assert_array_equal(col.ids({"color": np.array(["blue", "pink", "green"])}), [[2], [0], [1]])
    ident = fc.categorical_column_with_identity("n", num_buckets=4, default_value=3)
    np.testing.assert_array_equal(ident.ids({"n": np.array([0, 2, 9, -1])}), [[0], [2], [3], [-1]])
    strict = fc.categorical_column_with_identity("n", num_buckets=4)
    with pytest.raises(ValueError, match=r"categorical_column_with_identity|IdentityColumn 'n'.*\[0, 4\).*\[9\]"):
        strict.ids({"n": np.array([1, 9])})


def test_hash_bucket_matches_tensorflow():
    col = fc.categorical_column_with_hash_bucket("h", 2 ** 62)
    np.testing.assert_array_equal(col.ids({"h": np.array(["a", "x"])}).ravel(), TF_HASH_2_62[:2])
    ints = fc.categorical_column_with_hash_bucket("h", 2 ** 62, dtype="int64")
    assert ints.ids({"h": np.array([3])}).item() == TF_HASH_2_62[2]  # integers hash as their text


def test_crossed_column_matches_tensorflow_cross_hashed():
    features = {"s": np.array(["a", "b"]), "t": np.array(["x", "y"]), "i": np.array([3, 7])}
    assert fc.crossed_column(["s", "t"], INT64_MAX).ids(features).ravel().tolist() == TF_CROSS_STRINGS_UNBUCKETED
    assert fc.crossed_column(["s", "t"], 100).ids(features).ravel().tolist() == TF_CROSS_STRINGS_100
    assert fc.crossed_column(["i", "t"], INT64_MAX).ids(features).ravel().tolist() == TF_CROSS_INT_STRING_UNBUCKETED
    assert fc.crossed_column(["t", "s"], 10).name == "s_X_t"


def test_embedding_column_combiners_against_numpy():
    cat = fc.categorical_column_with_identity("ids", num_buckets=5)
    ids = np.array([[0, 3], [4, -1], [-1, -1]])
    for combiner in ("mean", "sum", "sqrtn"):
        layer = DenseFeatures([fc.embedding_column(cat, 3, combiner=combiner)])
        out = layer({"ids": ids}).numpy()
        table = layer.weights[0].numpy()
        assert layer.weights[0].path.endswith("ids_embedding/embedding_weights") and table.shape == (5, 3)
        scale = {"mean": [2, 1], "sum": [1, 1], "sqrtn": [np.sqrt(2), 1]}[combiner]
        np.testing.assert_allclose(out[0], (table[0] + table[3]) / scale[0], rtol=1e-6)
        np.testing.assert_allclose(out[1], table[4] / scale[1], rtol=1e-6)
        np.testing.assert_array_equal(out[2], 0)  # no ids: zeros


def test_embedding_gradient_is_checked():
    layer = DenseFeatures([fc.embedding_column(fc.categorical_column_with_identity("ids", 4), 2, combiner="sqrtn")])
    features = {"ids": np.array([[0, 1], [1, 1], [3, -1]])}
    layer(features)
    check_grads(lambda: dendrite.ops.sum(dendrite.ops.square(layer(features))), [], params=layer.weights)


def test_dense_features_sorts_columns_by_name_and_refuses_categorical():
    features = {"b": np.array([[1.0], [2.0]]), "a": np.array([[10.0, 20.0], [30.0, 40.0]])}
    out = DenseFeatures([fc.numeric_column("b"), fc.numeric_column("a", 2)])(features).numpy()
    np.testing.assert_array_equal(out, [[10, 20, 1], [30, 40, 2]])  # 'a' first, as TensorFlow sorts
    with pytest.raises(ValueError, match="categorical.*indicator_column"):
        DenseFeatures([fc.categorical_column_with_hash_bucket("h", 10)])


def test_a_column_naming_a_missing_key_is_a_clear_error():
    with pytest.raises(ValueError, match=r"NumericColumn 'pixels'.*'pixels' is not in the input.*\['x'\]"):
        DenseFeatures([fc.numeric_column("pixels", 4)])({"x": np.zeros((2, 4))})
    with pytest.raises(ValueError, match=r"expected 4 value\(s\) per example.*shape \(2, 3\)"):
        DenseFeatures([fc.numeric_column("x", 4)])({"x": np.zeros((2, 3))})
