"""tf.train.Example parsing: TensorFlow's records give TensorFlow's values; bad specs and records are refused."""
import json
import os

import numpy as np
import pytest

import dendrite
from dendrite import io, train

if not os.environ.get("CI"):  # CI installs protobuf (the tfrecord extra); elsewhere skip without it
    pytest.importorskip("google.protobuf")

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tfrecord")
SPEC = {"x": io.FixedLenFeature([3], np.float32), "label": io.FixedLenFeature([], "int64"),
        "name": io.FixedLenFeature([], "string"), "tokens": io.VarLenFeature(np.int64),
        "weights": io.VarLenFeature("float32"), "tags": io.VarLenFeature(bytes)}


def _expected():
    with open(os.path.join(FIXTURES, "examples.json")) as f:
        return json.load(f)


def _records(name="examples.tfrecord", compression=None):
    return list(io.tf_record_iterator(os.path.join(FIXTURES, name), compression))


def _latin1(values):
    return [v.encode("latin-1") for v in values]


@pytest.mark.parametrize("name, compression", [("examples.tfrecord", None), ("examples_gzip.tfrecord", "GZIP")])
def test_parse_example_matches_tensorflow(name, compression):
    expected = _expected()["parse_example"]
    got = io.parse_example(_records(name, compression), SPEC)
    assert got["x"].dtype == np.float32 and got["x"].shape == (5, 3)
    np.testing.assert_array_equal(got["x"], np.array(expected["x"], dtype=np.float32))  # 'inf' parses too
    assert got["label"].dtype == np.int64 and got["label"].tolist() == expected["label"]
    assert got["label"][2] == 2 ** 40
    assert got["name"].dtype == object and got["name"].tolist() == _latin1(expected["name"])
    for key in ("tokens", "weights", "tags"):
        sp = got[key]
        assert isinstance(sp, io.SparseTensor)
        assert sp.indices.tolist() == expected[key]["indices"]
        assert sp.dense_shape.tolist() == expected[key]["dense_shape"]
        values = _latin1(expected[key]["values"]) if key == "tags" else expected[key]["values"]
        if key == "weights":
            np.testing.assert_array_equal(sp.values, np.array(values, dtype=np.float32))
        else:
            assert sp.values.tolist() == values
    assert got["tokens"].values.dtype == np.int64 and got["weights"].values.dtype == np.float32


def test_parse_single_example_matches_tensorflow():
    expected = _expected()["parse_single_example_1"]
    got = io.parse_single_example(_records()[1], SPEC)
    assert got["x"].shape == (3,) and got["label"].shape == () and int(got["label"]) == -7
    assert got["name"].item() == b""
    assert got["tags"].values.tolist() == _latin1(expected["tags_values"]) == [b"", b"b\x00c"]
    assert got["tags"].indices.tolist() == expected["tags_indices"] == [[0], [1]]
    assert got["tags"].dense_shape.tolist() == expected["tags_dense_shape"]
    assert got["tokens"].dense_shape.tolist() == [0] and got["tokens"].indices.shape == (0, 1)


def test_sparse_to_dense():
    got = io.parse_example(_records(), SPEC)
    dense = io.sparse.to_dense(got["tokens"])
    assert dense.tolist() == [[1, 2, 3, 0], [0, 0, 0, 0], [9, 8, 7, 6], [0, 0, 0, 0], [5, 0, 0, 0]]
    assert got["tokens"].to_dense(default_value=-1)[0].tolist() == [1, 2, 3, -1]
    assert io.sparse.to_dense(got["tags"])[1].tolist() == [b"", b"b\x00c", b""]
    with pytest.raises(TypeError, match=r"sparse.to_dense: expected a SparseTensor .*received ndarray"):
        io.sparse.to_dense(dense)


def test_round_trip_through_writer_and_train_messages(tmp_path):
    path = tmp_path / "mine.tfrecord"
    with io.TFRecordWriter(path, "GZIP") as writer:
        for i in range(4):
            example = train.Example(features=train.Features(feature={
                "image": train.Feature(float_list=train.FloatList(value=np.arange(6) * i)),
                "label": train.Feature(int64_list=train.Int64List(value=[i])),
                "words": train.Feature(bytes_list=train.BytesList(value=[b"w"] * i))}))
            writer.write(example.SerializeToString())
    spec = {"image": io.FixedLenFeature([2, 3], "float32"), "label": io.FixedLenFeature([1], "int64"),
            "words": io.VarLenFeature("string")}
    batch = io.parse_example(list(io.tf_record_iterator(path, "GZIP")), spec)
    assert batch["image"].shape == (4, 2, 3)
    np.testing.assert_array_equal(batch["image"][3], np.arange(6).reshape(2, 3) * 3.0)
    assert batch["label"].tolist() == [[0], [1], [2], [3]]
    assert batch["words"].dense_shape.tolist() == [4, 3] and batch["words"].values.size == 6


def test_train_is_exposed_at_the_top_level():
    assert dendrite.train.Example is train.Example
    assert train.Example.DESCRIPTOR.full_name == "tensorflow.Example"
    feature = train.Feature(int64_list=train.Int64List(value=[1, 2]))
    assert feature.WhichOneof("kind") == "int64_list"
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        train.Nope


def test_default_value_for_missing_feature():
    record = _records()[3]  # has no 'tokens'
    spec = {"tokens": io.FixedLenFeature([2], "int64", default_value=[-1, -2]),
            "absent": io.FixedLenFeature([], "string", default_value=b"?")}
    got = io.parse_single_example(record, spec)
    assert got["tokens"].tolist() == [-1, -2] and got["absent"].item() == b"?"


def test_missing_required_feature_names_feature_and_record():
    with pytest.raises(ValueError, match=r"parse_example: record 3 of the batch has no feature 'tokens', which "
                                         r"is a FixedLenFeature with no default_value"):
        io.parse_example([_records()[i] for i in (2, 2, 2, 3)], {"tokens": io.FixedLenFeature([4], "int64")})


def test_wrong_dtype_names_feature_expected_and_given():
    with pytest.raises(ValueError, match=r"parse_single_example: feature 'label' in the record holds int64 "
                                         r"\(int64_list\) values, but its spec asks for float32 \(float_list\)"):
        io.parse_single_example(_records()[0], {"label": io.FixedLenFeature([], "float32")})


def test_wrong_length_for_fixed_feature():
    with pytest.raises(ValueError, match=r"feature 'x' in record 0 of the batch has 3 values, but its "
                                         r"FixedLenFeature shape \[2, 2\] needs 4"):
        io.parse_example(_records(), {"x": io.FixedLenFeature([2, 2], "float32")})


def test_non_example_payload():
    with pytest.raises(ValueError, match=r"parse_single_example: the record is not a serialized "
                                         r"tf.train.Example \(3 bytes that protobuf cannot parse"):
        io.parse_single_example(b"\xff\xff\xff", SPEC)
    with pytest.raises(TypeError, match=r"the record must be a serialized tf.train.Example \(bytes\); received "
                                        r"str"):
        io.parse_single_example("text", SPEC)


def test_bad_specs():
    with pytest.raises(ValueError, match=r"FixedLenFeature: dtype must be float32, int64 or 'string'.*float64"):
        io.FixedLenFeature([], "float64")
    with pytest.raises(ValueError, match=r"FixedLenFeature: default_value must hold 3 values"):
        io.FixedLenFeature([3], "float32", default_value=[1.0])
    with pytest.raises(ValueError, match=r"shape must be a list of non-negative ints"):
        io.FixedLenFeature([None], "int64")
    with pytest.raises(TypeError, match=r"features\['a'\] must be a FixedLenFeature or VarLenFeature"):
        io.parse_single_example(_records()[0], {"a": "int64"})
    with pytest.raises(ValueError, match=r"parse_example: serialized must be a 1-D batch"):
        io.parse_example(_records()[0], SPEC)


def test_missing_protobuf_says_how_to_install(monkeypatch):
    from dendrite.io import example_proto
    monkeypatch.setattr(example_proto, "_classes", {})
    for name in ("google.protobuf", "google.protobuf.descriptor_pb2"):
        monkeypatch.setitem(__import__("sys").modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "dendrite\[tfrecord\]"'):
        train.Example


def test_scalar_string_features_batch_as_bytes_and_text_defaults_are_encoded():
    from dendrite import train

    def example(value):
        feature = {"s": train.Feature(bytes_list=train.BytesList(value=[value]))} if value is not None else {}
        return train.Example(features=train.Features(feature=feature)).SerializeToString()
    spec = {"s": io.FixedLenFeature([], "string", default_value="dflt")}
    out = io.parse_example([example(b"cat"), example(None), example(b"dog")], spec)["s"]
    assert out.dtype == object and out.tolist() == [b"cat", b"dflt", b"dog"]  # TF: [b'cat', b'dflt', b'dog']
    assert io.parse_single_example(example(None), spec)["s"][()] == b"dflt"
