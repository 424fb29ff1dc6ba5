"""tf.train.SequenceExample parsing: TensorFlow's records give TensorFlow's values
(tests/fixtures/tf_io, tools/make_tf_io_serialization_fixtures.py); bad specs and records are refused."""
import json
import os

import numpy as np
import pytest

from dendrite import io, train

if not os.environ.get("CI"):  # CI installs protobuf (the tfrecord extra); elsewhere skip without it
    pytest.importorskip("google.protobuf")

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tf_io", "serialization.json")


def _sequence():
    with open(FIXTURES) as f:
        return json.load(f)["sequence"]


def _specs(specs):
    out = {}
    for key, s in specs.items():
        if s["kind"] == "fixed":
            out[key] = io.FixedLenFeature(s["shape"], s["dtype"], default_value=s.get("default"))
        elif s["kind"] == "varlen":
            out[key] = io.VarLenFeature(s["dtype"])
        else:
            out[key] = io.FixedLenSequenceFeature(s["shape"], s["dtype"], allow_missing=s.get("allow_missing", False))
    return out


def _text(values):
    return [_text(v) if isinstance(v, list) else v.encode("latin-1") if isinstance(v, str) else v for v in values]


def _assert_matches(got, expected):
    assert set(got) == set(expected)
    for key, want in expected.items():
        value = got[key]
        if "indices" in want:
            assert isinstance(value, io.SparseTensor), key
            assert value.indices.tolist() == want["indices"] and value.dense_shape.tolist() == want["dense_shape"]
            assert value.values.tolist() == _text(want["values"]), key
        else:
            assert isinstance(value, np.ndarray) and value.shape == tuple(want["shape"]), key
            assert value.dtype == np.dtype(want["dtype"]) and value.tolist() == want["dense"], key


def _records(sequence):
    return [bytes.fromhex(h) for h in sequence["records_hex"]]


@pytest.mark.parametrize("which", [0, 1])
def test_parse_single_sequence_example_matches_tensorflow(which):
    sequence = _sequence()
    context, lists = io.parse_single_sequence_example(_records(sequence)[which], _specs(sequence["context_features"]),
                                                      _specs(sequence["sequence_features"]))
    _assert_matches(context, sequence["single"][which]["context"])
    _assert_matches(lists, sequence["single"][which]["feature_lists"])


def test_parse_sequence_example_matches_tensorflow():
    sequence = _sequence()
    context, lists, lengths = io.parse_sequence_example(
        np.array(_records(sequence), dtype=object), _specs(sequence["context_features"]),
        _specs(sequence["sequence_features"]))
    _assert_matches(context, sequence["batch"]["context"])
    _assert_matches(lists, sequence["batch"]["feature_lists"])
    assert {k: v.tolist() for k, v in lengths.items()} == sequence["batch"]["lengths"]  # FixedLenSequence only
    assert all(v.dtype == np.int64 for v in lengths.values())


def test_only_context_or_only_sequence_features():
    sequence = _sequence()
    record = _records(sequence)[0]
    context, lists = io.parse_single_sequence_example(record, context_features={"t": io.VarLenFeature("string")})
    assert lists == {} and context["t"].values.tolist() == []
    context, lists = io.parse_single_sequence_example(
        record, sequence_features={"vectors": io.FixedLenSequenceFeature([2], np.float32)})
    assert context == {} and lists["vectors"].tolist() == [[1, 2], [3, 4], [5, 6]]


def test_fixed_len_sequence_feature_defaults():
    spec = io.FixedLenSequenceFeature([2], np.float32)  # TensorFlow's defaults
    assert spec.shape == (2,) and spec.dtype == "float32" and spec.allow_missing is False
    assert spec.default_value is None
    assert repr(spec) == "FixedLenSequenceFeature(shape=[2], dtype='float32', allow_missing=False, default_value=None)"
    with pytest.raises(ValueError, match="FixedLenSequenceFeature: dtype must be float32, int64 or 'string'"):
        io.FixedLenSequenceFeature([], np.int32)


def _record(**lists):
    return train.SequenceExample(feature_lists=train.FeatureLists(feature_list={
        key: train.FeatureList(feature=steps) for key, steps in lists.items()})).SerializeToString()


def _floats(*values):
    return train.Feature(float_list=train.FloatList(value=values))


def test_bad_specs_are_refused():
    record = _record(x=[_floats(1, 2)])
    with pytest.raises(ValueError, match="both context_features and sequence_features are None"):
        io.parse_single_sequence_example(record)
    with pytest.raises(ValueError, match=r"sequence_features\['x'\] must be a FixedLenSequenceFeature or "
                                         r"VarLenFeature.*Use FixedLenSequenceFeature"):
        io.parse_single_sequence_example(record, sequence_features={"x": io.FixedLenFeature([2], np.float32)})
    with pytest.raises(ValueError, match=r"context_features\['x'\] must be a FixedLenFeature or VarLenFeature.*"
                                         r"Use FixedLenFeature for a context feature"):
        io.parse_single_sequence_example(record, context_features={"x": io.FixedLenSequenceFeature([], "int64")})
    with pytest.raises(ValueError, match="default_value must be None"):
        io.parse_single_sequence_example(record, sequence_features={
            "x": io.FixedLenSequenceFeature([2], np.float32, default_value=-1.0)})
    with pytest.raises(TypeError, match="sequence_features must be a dict"):
        io.parse_single_sequence_example(record, sequence_features=[io.VarLenFeature("int64")])


def test_bad_records_are_refused():
    record = _record(x=[_floats(1, 2), _floats(3)])
    with pytest.raises(ValueError, match=r"feature list 'x', step 1, in the record has 1 values, but its "
                                         r"FixedLenSequenceFeature shape \[2\] needs 2"):
        io.parse_single_sequence_example(record, sequence_features={"x": io.FixedLenSequenceFeature([2], "float32")})
    with pytest.raises(ValueError, match=r"feature list 'x', step 0, in the record holds float32 \(float_list\) "
                                         r"values, but its spec asks for int64"):
        io.parse_single_sequence_example(record, sequence_features={"x": io.VarLenFeature("int64")})
    with pytest.raises(ValueError, match="has no feature list 'y'.*allow_missing=True"):
        io.parse_single_sequence_example(record, sequence_features={"y": io.FixedLenSequenceFeature([], "int64")})
    with pytest.raises(ValueError, match="not a serialized tf.train.SequenceExample"):
        io.parse_single_sequence_example(b"\xff\xff", sequence_features={"x": io.VarLenFeature("float32")})
    with pytest.raises(ValueError, match="record 'b' has no feature list 'y'"):
        io.parse_sequence_example([record, record], sequence_features={"y": io.FixedLenSequenceFeature([], "int64")},
                                  example_names=["a", "b"][::-1])
    with pytest.raises(ValueError, match="1-D batch of records.*parse_single_sequence_example"):
        io.parse_sequence_example(record, sequence_features={"x": io.VarLenFeature("float32")})


def test_strings_pad_with_empty_bytes_in_a_batch():
    words = [train.Feature(bytes_list=train.BytesList(value=[w])) for w in (b"a", b"b")]
    context, lists, lengths = io.parse_sequence_example(
        [_record(w=words), _record(w=words[:1])], sequence_features={"w": io.FixedLenSequenceFeature([], "string")})
    assert lists["w"].tolist() == [[b"a", b"b"], [b"a", b""]] and lengths["w"].tolist() == [2, 1]
