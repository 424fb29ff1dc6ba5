"""Writes the TensorFlow-made bytes and values that tests/io/test_serialization.py, test_sequence_parsing.py and
tests/compat/test_tf_io.py compare dendrite with (not run in CI; needs TensorFlow, e.g.
/work/bvenv/bin/python tools/make_tf_io_serialization_fixtures.py).

tests/fixtures/tf_io/serialization.json:
- ``tensors``: tf.io.serialize_tensor of small tensors of every dtype dendrite holds (and bfloat16), scalars,
  empty and string tensors: the value (bytes as latin-1 text, non-finite floats as their repr), dtype, shape
  and TensorFlow's bytes (hex).
- ``val_fields``: TensorProtos written with the ``*_val`` fields instead of tensor_content (fewer values than
  elements, none, more), and what tf.io.parse_tensor reads from them.
- ``sparse``: tf.io.serialize_sparse of a string and a float SparseTensor (hex of the 3 strings);
  ``many_sparse``: tf.io.serialize_many_sparse of a rank-3 SparseTensor and tf.io.deserialize_many_sparse of it.
- ``sequence``: two tf.train.SequenceExample records (hex), the context / sequence specs, and what
  tf.io.parse_single_sequence_example (of each) and tf.io.parse_sequence_example (of both) give.

At the end it checks the other direction: dendrite's (this checkout's) serialize_tensor / serialize_sparse
bytes equal TensorFlow's and parse in TensorFlow.
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import tensor_pb2

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "tf_io")

TENSORS = [
    ("book_matrix", [[0., 1.], [2., 3.], [4., 5.]], "float32"), ("float_scalar", 3.5, "float32"),
    ("float_special", [float("inf"), -0.0, float("nan"), 1e-40], "float32"), ("double", [1.0 / 3, -2.5], "float64"),
    ("bool_scalar", True, "bool"), ("bool_vector", [True, False, True], "bool"), ("int8", [-128, 0, 127], "int8"),
    ("uint8", [[0, 255], [7, 8]], "uint8"), ("int16", [-3, 30000], "int16"), ("uint16", [1, 65535], "uint16"),
    ("int32_scalar", -7, "int32"), ("int64", [2 ** 40, -1], "int64"), ("uint32", [4000000000], "uint32"),
    ("uint64", [2 ** 63 + 5], "uint64"), ("half", [1.5, -2.0, 65504.0], "float16"),
    ("bfloat16", [1.5, 2.0, -0.5], "bfloat16"), ("complex64", [[1 + 2j, -3j]], "complex64"),
    ("complex128", [0.5 - 0.25j], "complex128"), ("string_scalar", b"ab", "string"),
    ("string_matrix", [[b"a", b""], [b"\x00c", "é".encode()]], "string"), ("empty_float", [], "float32"),
    ("empty_int64_matrix", np.zeros((0, 3), np.int64), "int64"), ("rank3", np.arange(24).reshape(2, 3, 4), "int32"),
]


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, complex):
        return [_jsonable(value.real), _jsonable(value.imag)]
    if isinstance(value, float) and not np.isfinite(value):
        return repr(value)
    if isinstance(value, (np.generic,)):
        return _jsonable(value.item())
    return value


def _tensor(value, dtype):
    return tf.constant(value, dtype=getattr(tf, dtype) if dtype != "string" else tf.string)


def write_tensors():
    out = []
    for name, value, dtype in TENSORS:
        t = _tensor(value, dtype)
        numpy = t.numpy().astype(np.float32) if dtype == "bfloat16" else t.numpy()
        out.append({"name": name, "dtype": dtype, "shape": t.shape.as_list(), "value": _jsonable(numpy),
                    "hex": tf.io.serialize_tensor(t).numpy().hex()})
    return out


def write_val_fields():
    cases = [("float_val_repeats_last", 1, [4], dict(float_val=[1.5, 2.5]), "float32"),
             ("none_gives_zeros", 1, [3], {}, "float32"),
             ("more_values_are_cut", 1, [3], dict(float_val=[1, 2, 3, 4, 5]), "float32"),
             ("int_val_int8", 6, [3], dict(int_val=[-1, 5]), "int8"),
             ("int64_val", 9, [2, 2], dict(int64_val=[7]), "int64"),
             ("half_val", 19, [2], dict(half_val=[15360, 48128]), "float16"),
             ("bool_val", 10, [3], dict(bool_val=[True, False]), "bool"),
             ("string_val_repeats", 7, [2], dict(string_val=[b"x"]), "string"),
             ("scomplex_val", 8, [2], dict(scomplex_val=[1, 2, 3, 4]), "complex64"),
             ("double_val_scalar", 2, [], dict(double_val=[0.125]), "float64")]
    out = []
    for name, number, shape, fields, dtype in cases:
        proto = tensor_pb2.TensorProto(dtype=number, **fields)
        proto.tensor_shape.SetInParent()
        for size in shape:
            proto.tensor_shape.dim.add(size=size)
        data = proto.SerializeToString()
        parsed = tf.io.parse_tensor(data, tf.string if dtype == "string" else getattr(tf, dtype)).numpy()
        out.append({"name": name, "dtype": dtype, "hex": data.hex(), "shape": list(parsed.shape),
                    "value": _jsonable(parsed)})
    return out


def _sparse_json(sp):
    return {"indices": sp.indices.numpy().tolist(), "values": _jsonable(sp.values.numpy()),
            "dense_shape": sp.dense_shape.numpy().tolist()}


SPARSE = {"strings": ([[0, 1], [2, 0]], [b"a", b"bc"], [3, 2], "string"),
          "floats": ([[0, 0, 1], [1, 2, 0]], [0.5, -1.0], [2, 3, 2], "float32")}
MANY = ([[0, 1, 0], [2, 0, 1], [2, 1, 1]], [1., 2., 3.], [3, 2, 2])


def write_sparse():
    sparse = {}
    for name, (indices, values, shape, dtype) in SPARSE.items():
        sp = tf.SparseTensor(indices, _tensor(values, dtype), shape)
        sparse[name] = {"indices": indices, "values": _jsonable(values), "dense_shape": shape, "dtype": dtype,
                        "hex": [s.hex() for s in tf.io.serialize_sparse(sp).numpy().tolist()]}
    many = tf.io.serialize_many_sparse(tf.SparseTensor(*MANY))
    back = tf.io.deserialize_many_sparse(many, tf.float32)
    return sparse, {"indices": MANY[0], "values": MANY[1], "dense_shape": MANY[2],
                    "hex": [[s.hex() for s in row] for row in many.numpy().tolist()], "deserialized": _sparse_json(back)}


def _words(words):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[w.encode() for w in words]))


def _floats(values):
    return tf.train.Feature(float_list=tf.train.FloatList(value=values))


def _records():
    first = tf.train.SequenceExample(
        context=tf.train.Features(feature={
            "author_id": tf.train.Feature(int64_list=tf.train.Int64List(value=[123])),
            "title": _words(["A", "desert", "place", "."]),
            "pub_date": tf.train.Feature(int64_list=tf.train.Int64List(value=[1623, 12, 25]))}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "content": tf.train.FeatureList(feature=[_words(["When", "shall", "we"]), _words(["In", "thunder"])]),
            "vectors": tf.train.FeatureList(feature=[_floats([1, 2]), _floats([3, 4]), _floats([5, 6])]),
            "steps": tf.train.FeatureList(feature=[tf.train.Feature(int64_list=tf.train.Int64List(value=[v]))
                                                   for v in (4, 5)])}))
    second = tf.train.SequenceExample(
        context=tf.train.Features(feature={
            "author_id": tf.train.Feature(int64_list=tf.train.Int64List(value=[7])), "title": _words(["x"])}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "content": tf.train.FeatureList(feature=[_words(["p"]), _words(["q", "r", "s", "t"]), _words([])]),
            "vectors": tf.train.FeatureList(feature=[_floats([9, 8])]),
            "steps": tf.train.FeatureList(feature=[])}))
    return [first.SerializeToString(), second.SerializeToString()]


CONTEXT = {"author_id": {"kind": "fixed", "shape": [], "dtype": "int64", "default": 0},
           "title": {"kind": "varlen", "dtype": "string"},
           "pub_date": {"kind": "fixed", "shape": [3], "dtype": "int64", "default": [0, 0, 0]}}
SEQUENCE = {"content": {"kind": "varlen", "dtype": "string"},
            "vectors": {"kind": "fixedseq", "shape": [2], "dtype": "float32"},
            "steps": {"kind": "fixedseq", "shape": [], "dtype": "int64"},
            "missing": {"kind": "fixedseq", "shape": [2], "dtype": "float32", "allow_missing": True},
            "missing_varlen": {"kind": "varlen", "dtype": "int64"}}


def _specs(specs):
    out = {}
    for key, s in specs.items():
        dtype = tf.string if s["dtype"] == "string" else getattr(tf, s["dtype"])
        if s["kind"] == "fixed":
            out[key] = tf.io.FixedLenFeature(s["shape"], dtype, default_value=s.get("default"))
        elif s["kind"] == "varlen":
            out[key] = tf.io.VarLenFeature(dtype)
        else:
            out[key] = tf.io.FixedLenSequenceFeature(s["shape"], dtype, allow_missing=s.get("allow_missing", False))
    return out


def _parsed_json(parsed):
    return {k: _sparse_json(v) if isinstance(v, tf.SparseTensor) else
            {"dense": _jsonable(v.numpy()), "shape": v.shape.as_list(), "dtype": v.dtype.name}
            for k, v in parsed.items()}


def write_sequence():
    records = _records()
    context, sequence = _specs(CONTEXT), _specs(SEQUENCE)
    single = []
    for r in records:
        c, f = tf.io.parse_single_sequence_example(r, context, sequence)
        single.append({"context": _parsed_json(c), "feature_lists": _parsed_json(f)})
    c, f, lengths = tf.io.parse_sequence_example(tf.constant(records), context, sequence)
    ragged = tf.RaggedTensor.from_sparse(tf.io.parse_single_sequence_example(records[1], context, sequence)[1]
                                         ["content"])
    return {"records_hex": [r.hex() for r in records], "context_features": CONTEXT, "sequence_features": SEQUENCE,
            "single": single, "batch": {"context": _parsed_json(c), "feature_lists": _parsed_json(f),
                                        "lengths": {k: v.numpy().tolist() for k, v in lengths.items()}},
            "ragged_from_sparse_1": _jsonable(ragged.to_list())}


def check_dendrite_bytes_in_tensorflow(fixtures):
    """The other direction: dendrite's bytes (this checkout) equal TensorFlow's and parse there."""
    sys.path.insert(0, ROOT)
    from dendrite import io as dio
    for case in fixtures["tensors"]:
        if case["dtype"] == "bfloat16":
            continue  # dendrite holds bfloat16 as float32
        t = _tensor(next(v for n, v, _ in TENSORS if n == case["name"]), case["dtype"])
        value = np.asarray(t.numpy(), dtype=object if case["dtype"] == "string" else None)
        data = dio.serialize_tensor(value)
        assert data.hex() == case["hex"], case["name"]
        back = np.asarray(tf.io.parse_tensor(data, t.dtype).numpy())
        same = back.tolist() == value.tolist() if case["dtype"] == "string" else back.tobytes() == value.tobytes()
        assert back.shape == value.shape and same, case["name"]
    for name, (indices, values, shape, dtype) in SPARSE.items():
        values = np.array(values, dtype=object if dtype == "string" else dtype)
        rows = dio.serialize_sparse(dio.SparseTensor(indices, values, shape))
        assert [r.hex() for r in rows] == fixtures["sparse"][name]["hex"], name
    print("dendrite's serialize_tensor / serialize_sparse bytes equal TensorFlow", tf.__version__, "'s")


def main():
    os.makedirs(OUT, exist_ok=True)
    sparse, many = write_sparse()
    fixtures = {"tensors": write_tensors(), "val_fields": write_val_fields(), "sparse": sparse, "many_sparse": many,
                "sequence": write_sequence(),
                "versions": {"tensorflow": tf.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}}
    with open(os.path.join(OUT, "serialization.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
    check_dendrite_bytes_in_tensorflow(fixtures)


if __name__ == "__main__":
    main()
