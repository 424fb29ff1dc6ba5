"""tf.io's serialization and SequenceExample functions through the compatibility namespace: Tensors and
tf.SparseTensors in and out, TensorFlow's bytes and values (tests/fixtures/tf_io), TensorFlow's errors."""
import json
import os
import pathlib

import numpy as np
import pytest

if not os.environ.get("CI"):  # CI installs protobuf (the tfrecord extra); elsewhere skip without it
    pytest.importorskip("google.protobuf")

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "tf_io" / "serialization.json"


def _fixtures():  # written by tools/make_tf_io_serialization_fixtures.py
    return json.loads(FIXTURES.read_text())


def _case(name):
    return next(c for c in _fixtures()["tensors"] if c["name"] == name)


def test_serialize_tensor_gives_a_scalar_string_tensor_of_tensorflows_bytes(tf):
    tensor = tf.constant([[0., 1.], [2., 3.], [4., 5.]])
    serialized = tf.io.serialize_tensor(tensor)
    assert isinstance(serialized, tf.Tensor) and serialized.shape == () and serialized.dtype == tf.string
    assert serialized.numpy().hex() == _case("book_matrix")["hex"]
    back = tf.io.parse_tensor(serialized, out_type=tf.float32)
    assert isinstance(back, tf.Tensor) and back.dtype == tf.float32
    np.testing.assert_array_equal(back.numpy(), tensor.numpy())
    assert tf.io.serialize_tensor(-7).numpy().hex() == _case("int32_scalar")["hex"]  # a Python int is int32
    strings = tf.io.parse_tensor(bytes.fromhex(_case("string_matrix")["hex"]), tf.string)
    assert strings.numpy().tolist() == [[b"a", b""], [b"\x00c", "é".encode()]]


def test_parse_tensor_errors_are_tensorflows(tf):
    serialized = tf.io.serialize_tensor(tf.constant([1., 2.]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Type mismatch between parsed tensor \(float\) and "
                                                             r"dtype \(int32\)"):
        tf.io.parse_tensor(serialized, tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not parse `serialized` as a TensorProto"):
        tf.io.parse_tensor(tf.constant(b"\xff\xff\xff"), tf.float32)
    with pytest.raises(ValueError, match="serialize_sparse for a SparseTensor"):
        tf.io.serialize_tensor(tf.SparseTensor([[0]], [1], [1]))


def test_serialize_sparse_and_back(tf):
    case = _fixtures()["sparse"]["strings"]
    sp = tf.SparseTensor(case["indices"], [b"a", b"bc"], case["dense_shape"])
    serialized = tf.io.serialize_sparse(sp)
    assert isinstance(serialized, tf.Tensor) and serialized.shape == (3,) and serialized.dtype == tf.string
    assert [s.hex() for s in serialized.numpy()] == case["hex"]
    listed = tf.train.BytesList(value=serialized.numpy())  # as a feature of an Example
    assert [v.hex() for v in listed.value] == case["hex"]
    back = tf.io.deserialize_sparse(serialized, tf.string)
    assert isinstance(back, tf.SparseTensor) and back.values.numpy().tolist() == [b"a", b"bc"]
    assert back.indices.numpy().tolist() == case["indices"] and back.dense_shape.numpy().tolist() == [3, 2]
    with pytest.raises(TypeError, match="tf.io.serialize_sparse: expected a SparseTensor.*received Tensor"):
        tf.io.serialize_sparse(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="out_type=tf.string"):
        tf.io.serialize_sparse(sp, out_type=tf.int32)


def test_many_sparse_round_trip_matches_tensorflow(tf):
    case = _fixtures()["many_sparse"]
    rows = tf.io.serialize_many_sparse(tf.SparseTensor(case["indices"], case["values"], case["dense_shape"]))
    assert rows.shape == (3, 3) and [[s.hex() for s in row] for row in rows.numpy()] == case["hex"]
    back = tf.io.deserialize_many_sparse(rows, tf.float32)
    assert back.indices.numpy().tolist() == case["deserialized"]["indices"]
    assert back.values.numpy().tolist() == case["deserialized"]["values"] and back.values.dtype == tf.float32


def _sequence_record(tf):
    def words(*sentence):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=[w.encode() for w in sentence]))
    return tf.train.SequenceExample(
        context=tf.train.Features(feature={"id": tf.train.Feature(int64_list=tf.train.Int64List(value=[9]))}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "text": tf.train.FeatureList(feature=[words("a", "b"), words("c"), words()]),
            "pos": tf.train.FeatureList(feature=[tf.train.Feature(float_list=tf.train.FloatList(value=[v, -v]))
                                                 for v in (1., 2.)])})).SerializeToString()


def test_parse_single_sequence_example_gives_tensors_and_ragged_rows(tf):
    record = tf.constant(_sequence_record(tf))
    context, lists = tf.io.parse_single_sequence_example(
        record, {"id": tf.io.FixedLenFeature([], tf.int64)},
        {"text": tf.io.VarLenFeature(tf.string), "pos": tf.io.FixedLenSequenceFeature([2], tf.float32)})
    assert isinstance(context["id"], tf.Tensor) and context["id"].numpy() == 9
    text = lists["text"]
    assert isinstance(text, tf.SparseTensor) and text.dense_shape.numpy().tolist() == [3, 2]
    assert text.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 0]]
    ragged = tf.RaggedTensor.from_sparse(text)
    assert ragged.to_list() == [[b"a", b"b"], [b"c"], []]
    assert lists["pos"].numpy().tolist() == [[1., -1.], [2., -2.]] and lists["pos"].dtype == tf.float32


def test_parse_sequence_example_gives_context_lists_and_lengths(tf):
    sequence = _fixtures()["sequence"]
    records = tf.constant([bytes.fromhex(h) for h in sequence["records_hex"]])
    context, lists, lengths = tf.io.parse_sequence_example(
        records, {"author_id": tf.io.FixedLenFeature([], tf.int64)},
        {"content": tf.io.VarLenFeature(tf.string), "vectors": tf.io.FixedLenSequenceFeature([2], tf.float32)})
    assert context["author_id"].numpy().tolist() == [123, 7]
    expected = sequence["batch"]["feature_lists"]
    assert lists["content"].dense_shape.numpy().tolist() == expected["content"]["dense_shape"]
    assert lists["vectors"].numpy().tolist() == expected["vectors"]["dense"]
    assert list(lengths) == ["vectors"] and lengths["vectors"].numpy().tolist() == [3, 1]
    with pytest.raises(ValueError, match="Use FixedLenSequenceFeature"):
        tf.io.parse_sequence_example(records, sequence_features={"vectors": tf.io.FixedLenFeature([2], tf.float32)})


def test_encode_jpeg_gives_a_string_tensor(tf):
    image = np.zeros((4, 6, 3), np.uint8)
    image[:, :3] = 255
    encoded = tf.io.encode_jpeg(image)
    assert isinstance(encoded, tf.Tensor) and encoded.dtype == tf.string and encoded.shape == ()
    assert encoded.numpy()[:2] == b"\xff\xd8"
    assert tf.io.decode_jpeg(encoded.numpy()).shape == (4, 6, 3)
    assert tf.io.encode_png(image).numpy()[:8] == b"\x89PNG\r\n\x1a\n"


def test_serialized_bytes_survive_tf_constant(tf):
    """int64 content ends in zero bytes, which a NumPy 'S' array would drop."""
    data = tf.io.serialize_tensor(tf.constant([1, 2], tf.int64)).numpy()
    assert data.endswith(b"\x00")
    assert tf.constant(data).numpy() == data and tf.constant([data, b"x"]).numpy()[0] == data
    assert tf.io.parse_tensor(tf.constant(data), tf.int64).numpy().tolist() == [1, 2]


MNIST = pathlib.Path(os.environ.get("DENDRITE_DATA", "/work/shared/data")) / "mnist.npz"


@pytest.mark.skipif(not MNIST.exists(), reason="needs mnist.npz in DENDRITE_DATA")
def test_tfrecord_records_parse_and_decode_in_a_plain_loop_as_tutorials_do(tf, tmp_path):
    """Records from iterating a TFRecordDataset are 0-d string Tensors (their trailing zero bytes kept); the
    tf.io parsers and decoders take them and give Tensors, as TensorFlow's do."""
    with np.load(MNIST) as data:
        images, labels = data["x_test"][:8], data["y_test"][:8]
    path = str(tmp_path / "mnist.tfrecord")
    feature = tf.train.Feature
    with tf.io.TFRecordWriter(path) as writer:
        for image, label in zip(images, labels):
            example = tf.train.Example(features=tf.train.Features(feature={
                "raw": feature(bytes_list=tf.train.BytesList(value=[image.tobytes()])),
                "png": feature(bytes_list=tf.train.BytesList(value=[tf.io.encode_png(image[..., None]).numpy()])),
                "tensor": feature(bytes_list=tf.train.BytesList(value=[tf.io.serialize_tensor(image).numpy()])),
                "label": feature(int64_list=tf.train.Int64List(value=[int(label)]))}))
            writer.write(example.SerializeToString())
    spec = {"raw": tf.io.FixedLenFeature([], tf.string), "png": tf.io.FixedLenFeature([], tf.string),
            "tensor": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}
    records = list(tf.data.TFRecordDataset(path))
    assert len(records) == 8
    for i, record in enumerate(records):
        assert isinstance(record, tf.Tensor) and record.shape == () and record.dtype == tf.string
        parsed = tf.io.parse_single_example(record, spec)
        assert all(isinstance(v, tf.Tensor) for v in parsed.values())
        assert int(parsed["label"]) == labels[i] and parsed["label"].dtype == tf.int64
        raw = tf.io.decode_raw(parsed["raw"], tf.uint8, name=None)
        assert isinstance(raw, tf.Tensor)
        np.testing.assert_array_equal(tf.reshape(raw, (28, 28)).numpy(), images[i])
        for decode in (tf.io.decode_png, tf.io.decode_image, tf.image.decode_png, tf.image.decode_image):
            png = decode(parsed["png"], channels=1)
            assert isinstance(png, tf.Tensor) and png.shape == (28, 28, 1)
            np.testing.assert_array_equal(png.numpy()[..., 0], images[i])
        np.testing.assert_array_equal(tf.io.parse_tensor(parsed["tensor"], tf.uint8).numpy(), images[i])
    batch = tf.io.parse_example(tf.stack(records), spec)  # a 1-D string Tensor of records
    np.testing.assert_array_equal(batch["label"].numpy(), labels)
    np.testing.assert_array_equal(tf.io.decode_raw(batch["raw"], tf.uint8).numpy().reshape(8, 28, 28), images)
    listed = tf.io.parse_example(records, spec)  # a list of 0-d string Tensors
    np.testing.assert_array_equal(listed["label"].numpy(), labels)
    mapped = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, spec)["label"])
    assert [int(v) for v in mapped] == labels.tolist()


def test_records_keep_their_trailing_zero_bytes(tf, tmp_path):
    path = str(tmp_path / "zeros.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        writer.write(b"ab\x00\x00")
        writer.write(b"\x00")
    assert [r.numpy() for r in tf.data.TFRecordDataset(path)] == [b"ab\x00\x00", b"\x00"]
    assert [r.numpy() for r in tf.data.Dataset.from_tensor_slices([b"c\x00", b"d"])] == [b"c\x00", b"d"]
