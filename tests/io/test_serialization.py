"""Tensors and SparseTensors as TensorFlow's TensorProto bytes: dendrite writes TensorFlow's bytes, reads
TensorFlow's (tests/fixtures/tf_io, tools/make_tf_io_serialization_fixtures.py), and refuses bad input."""
import json
import os
import pickle

import numpy as np
import pytest

from dendrite import io

if not os.environ.get("CI"):  # CI installs protobuf (the tfrecord extra); elsewhere skip without it
    pytest.importorskip("google.protobuf")

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tf_io", "serialization.json")


def _fixtures():
    with open(FIXTURES) as f:
        return json.load(f)


def _value(json_value, dtype):
    """The array a fixture's JSON value stands for (bytes as latin-1 text, complex as pairs)."""
    def unjson(v):
        if isinstance(v, list):
            if dtype.startswith("complex") and len(v) == 2 and not isinstance(v[0], list):
                return complex(*v)
            return [unjson(x) for x in v]
        if isinstance(v, str):
            return float(v) if dtype.startswith("float") or dtype == "bfloat16" else v.encode("latin-1")
        return v
    if dtype == "string":
        value = unjson(json_value)
        out = np.empty(np.shape(value) if isinstance(value, list) else (), dtype=object)
        out[...] = value if not isinstance(value, list) else np.array(value, dtype=object)
        return out
    return np.array(unjson(json_value), dtype="float32" if dtype == "bfloat16" else dtype)


TENSORS = [c for c in _fixtures()["tensors"]] if os.path.exists(FIXTURES) else []


@pytest.mark.parametrize("case", [c for c in TENSORS if c["dtype"] != "bfloat16"], ids=lambda c: c["name"])
def test_serialize_tensor_writes_tensorflows_bytes(case):
    value = _value(case["value"], case["dtype"]).reshape(case["shape"])
    assert io.serialize_tensor(value).hex() == case["hex"]


@pytest.mark.parametrize("case", TENSORS, ids=lambda c: c["name"])
def test_parse_tensor_reads_tensorflows_bytes(case):
    expected = _value(case["value"], case["dtype"]).reshape(case["shape"])
    got = io.parse_tensor(bytes.fromhex(case["hex"]), "float32" if case["dtype"] == "bfloat16" else
                          "string" if case["dtype"] == "string" else case["dtype"])
    assert got.shape == tuple(case["shape"]) and got.dtype == expected.dtype
    if case["dtype"] == "string":
        assert got.tolist() == expected.tolist()
    else:
        np.testing.assert_array_equal(got, expected)  # nan, -0.0 and inf included


def test_the_books_matrix_is_float32_little_endian_content():
    data = io.serialize_tensor(np.array([[0., 1.], [2., 3.], [4., 5.]], np.float32))
    assert data[:2] == b"\x08\x01"  # dtype DT_FLOAT (1)
    assert data.endswith(np.arange(6, dtype="<f4").tobytes())
    np.testing.assert_array_equal(io.parse_tensor(data, np.float32), np.arange(6, dtype=np.float32).reshape(3, 2))


@pytest.mark.parametrize("case", _fixtures()["val_fields"] if os.path.exists(FIXTURES) else [],
                         ids=lambda c: c["name"])
def test_parse_tensor_reads_the_val_fields_as_tensorflow(case):
    """Fewer values than elements repeat the last, none give zeros, more are cut (TensorFlow's reading)."""
    got = io.parse_tensor(bytes.fromhex(case["hex"]), case["dtype"])
    expected = _value(case["value"], case["dtype"])
    assert got.shape == tuple(case["shape"]) and got.dtype == expected.dtype
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint8", "int16", "uint16", "int32",
                                   "uint32", "int64", "uint64", "bool", "complex64", "complex128"])
def test_round_trip_of_every_dtype(dtype):
    rng = np.random.default_rng(3)
    value = (rng.normal(size=(2, 3, 4)) * 50).astype(dtype) if dtype != "bool" else rng.random((2, 3, 4)) > 0.5
    back = io.parse_tensor(io.serialize_tensor(value), dtype)
    assert back.dtype == value.dtype and back.shape == value.shape
    np.testing.assert_array_equal(back, value)


def test_strings_round_trip_as_string_val_or_content():
    value = np.array([[b"", b"\x00\xff"], ["text é", b"x" * 300]], dtype=object)
    for packed in (False, True):
        back = io.parse_tensor(io.serialize_tensor(value, strings_in_content=packed), "string")
        assert back.dtype == object and back.tolist() == [[b"", b"\x00\xff"], ["text é".encode(), b"x" * 300]]


def test_wrong_out_type_is_tensorflows_type_mismatch():
    data = io.serialize_tensor(np.float32([1, 2]))
    with pytest.raises(ValueError, match=r"Type mismatch between parsed tensor \(float\) and dtype \(double\).*"
                                         r"out_type='float32'"):
        io.parse_tensor(data, np.float64)
    with pytest.raises(ValueError, match=r"parsed tensor \(float\) and dtype \(string\)"):
        io.parse_tensor(data, "string")


def test_corrupt_and_foreign_bytes_are_refused():
    with pytest.raises(ValueError, match="could not parse `serialized` as a TensorProto"):
        io.parse_tensor(b"\xff\xff\xff", "float32")
    with pytest.raises(ValueError, match="DT_INVALID"):  # empty bytes are an empty message: no tensor
        io.parse_tensor(b"", "float32")
    cut = io.serialize_tensor(np.arange(4, dtype=np.int64))[:-3]
    with pytest.raises(ValueError, match="could not parse|corrupt or cut short"):
        io.parse_tensor(cut, "int64")
    short = io.serialize_tensor(np.zeros(5, np.uint8)).replace(b"\x08\x05", b"\x08\x06")  # 6 dims, 5 bytes
    with pytest.raises(ValueError, match="holds 5 bytes, but 6 uint8 values"):
        io.parse_tensor(short, "uint8")
    with pytest.raises(TypeError, match="serialized must be the bytes of one tensor"):
        io.parse_tensor([b"a", b"b"], "float32")


def test_loading_never_runs_code(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    with pytest.raises(ValueError):
        io.parse_tensor(pickle.dumps(Payload()), "string")
    assert not marker.exists()


def test_bad_dtypes_are_refused():
    with pytest.raises(ValueError, match="out_type must be one of TensorFlow's types"):
        io.parse_tensor(io.serialize_tensor(np.float32(1)), "datetime64[s]")
    with pytest.raises(TypeError, match="a string tensor holds bytes"):
        io.serialize_tensor(np.array([b"a", 3], dtype=object))


# ---------------------------------------------------------------- SparseTensors

def test_serialize_sparse_writes_tensorflows_bytes():
    for case in _fixtures()["sparse"].values():
        values = _value(case["values"], case["dtype"])
        rows = io.serialize_sparse(io.SparseTensor(case["indices"], values, case["dense_shape"]))
        assert rows.shape == (3,) and rows.dtype == object
        assert [r.hex() for r in rows] == case["hex"]
        back = io.deserialize_sparse(np.array([bytes.fromhex(h) for h in case["hex"]], dtype=object), case["dtype"])
        assert back.indices.tolist() == case["indices"] and back.dense_shape.tolist() == case["dense_shape"]
        assert back.values.tolist() == values.tolist()


def test_many_sparse_matches_tensorflow():
    case = _fixtures()["many_sparse"]
    sp = io.SparseTensor(case["indices"], np.float32(case["values"]), case["dense_shape"])
    rows = io.serialize_many_sparse(sp)
    assert rows.shape == (3, 3) and [[r.hex() for r in row] for row in rows] == case["hex"]
    tf_rows = np.array([[bytes.fromhex(h) for h in row] for row in case["hex"]], dtype=object)
    back = io.deserialize_many_sparse(tf_rows, np.float32)
    expected = case["deserialized"]
    assert back.indices.tolist() == expected["indices"] and back.dense_shape.tolist() == expected["dense_shape"]
    assert back.values.dtype == np.float32 and back.values.tolist() == expected["values"]


def test_deserialize_sparse_batches_under_leading_dimensions():
    a = io.serialize_sparse(io.SparseTensor([[0, 1]], np.int64([5]), [1, 2]))
    b = io.serialize_sparse(io.SparseTensor([[2, 0], [3, 3]], np.int64([6, 7]), [4, 4]))
    out = io.deserialize_sparse(np.stack([a, b])[None], np.int64)  # shape (1, 2, 3)
    assert out.dense_shape.tolist() == [1, 2, 4, 4]
    assert out.indices.tolist() == [[0, 0, 0, 1], [0, 1, 2, 0], [0, 1, 3, 3]] and out.values.tolist() == [5, 6, 7]


def test_sparse_bad_input_is_refused():
    with pytest.raises(TypeError, match="serialize_sparse: expected a SparseTensor.*received ndarray"):
        io.serialize_sparse(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"indices\[1\] = \[0, 0\] is out of order.*tf.sparse.reorder"):
        io.serialize_many_sparse(io.SparseTensor([[1, 1], [0, 0]], np.float32([1, 2]), [2, 2]))
    with pytest.raises(ValueError, match="rank 2 or more"):
        io.serialize_many_sparse(io.SparseTensor([[1]], np.float32([1]), [2]))
    rows = io.serialize_sparse(io.SparseTensor([[0]], np.float32([1]), [3]))
    with pytest.raises(ValueError, match="last dimension of 3"):
        io.deserialize_sparse(rows[:2], np.float32)
    with pytest.raises(ValueError, match=r"Type mismatch between parsed tensor \(float\) and dtype \(int64\)"):
        io.deserialize_sparse(rows, np.int64)
    with pytest.raises(ValueError, match="expected rank 2"):
        io.deserialize_sparse(rows, np.float32, rank=2)
    swapped = np.array([rows[1], rows[1], rows[2]], dtype=object)  # values where the indices belong
    with pytest.raises(ValueError, match="Type mismatch|do not make a SparseTensor"):
        io.deserialize_sparse(swapped, np.float32)
    two = io.serialize_sparse(io.SparseTensor([[0, 0]], np.float32([1]), [1, 1]))
    with pytest.raises(ValueError, match="differ in rank"):
        io.deserialize_many_sparse(np.stack([rows, two]), np.float32)
    with pytest.raises(ValueError, match=r"\(batch, 3\) string array"):
        io.deserialize_many_sparse(rows, np.float32)


def test_a_huge_declared_shape_is_refused_before_anything_is_built():
    """A few bytes can declare 2**40 copies of one value; parse_tensor refuses rather than exhausting memory."""
    from dendrite.io import tensor_proto
    proto = tensor_proto.message_classes()["TensorProto"]()
    proto.dtype = 7  # DT_STRING
    proto.tensor_shape.dim.add(size=2 ** 40)
    proto.string_val.append(b"x")
    with pytest.raises(ValueError, match=r"shape \[1099511627776\], more than 4294967296 values"):
        io.parse_tensor(proto.SerializeToString(), "string")
