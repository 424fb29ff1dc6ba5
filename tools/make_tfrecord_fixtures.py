"""Writes the TensorFlow-made files that tests/io and tests/test_image.py compare dendrite with (not run in CI;
needs TensorFlow, e.g. /work/bvenv/bin/python tools/make_tfrecord_fixtures.py).

tests/fixtures/tfrecord/:
- ``examples.tfrecord`` (uncompressed) and ``examples_gzip.tfrecord`` (GZIP), ``examples_zlib.tfrecord``
  (ZLIB): the same five tf.train.Example records, written by tf.io.TFRecordWriter, with a fixed-length float
  feature ``x`` (3 values), a scalar int64 ``label``, a scalar bytes ``name``, a variable-length int64
  ``tokens`` (0 to 4 values; absent from one record), a variable-length float ``weights`` and a
  variable-length bytes ``tags``.
- ``examples.json``: what tf.io.parse_example makes of them (dense values as nested lists, each
  VarLenFeature's indices / values / dense_shape; bytes as latin-1 strings), and the versions that wrote them.
- ``raw.tfrecord``: three records of arbitrary bytes (empty, short, 20000 bytes) with their SHA-256 in
  ``raw.json``, to check framing and the CRC of a long payload.
- ``image_ops.npz`` + ``image_ops.json``: tf.image.resize (each method, with and without antialias, up and
  down, preserve_aspect_ratio), convert_image_dtype, rgb_to_grayscale, per_image_standardization,
  adjust_contrast, central_crop and resize_with_crop_or_pad on small fixed arrays (np.savez, plain arrays).

At the end it checks the other direction: files written by dendrite (this checkout) read back in TensorFlow.
"""
import hashlib
import json
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "tfrecord")

RECORDS = [
    {"x": [0.5, -1.25, 3.0], "label": 1, "name": b"first", "tokens": [1, 2, 3], "weights": [0.1], "tags": [b"a"]},
    {"x": [1e-3, 2.5e6, -0.0], "label": -7, "name": b"", "tokens": [], "weights": [], "tags": [b"", b"b\x00c"]},
    {"x": [1.0, 2.0, 3.0], "label": 2 ** 40, "name": b"\xff\x00bin", "tokens": [9, 8, 7, 6],
     "weights": [1.5, -2.5], "tags": []},
    {"x": [float("inf"), -5.5, 7.25], "label": 0, "name": "unicode é".encode(), "weights": [3.0, 4.0, 5.0],
     "tags": [b"x", b"y", b"z"]},  # no 'tokens' at all
    {"x": [9.0, 8.0, 7.0], "label": 42, "name": b"last", "tokens": [5], "weights": [6.0], "tags": [b"q"]},
]
SPEC = {"x": tf.io.FixedLenFeature([3], tf.float32), "label": tf.io.FixedLenFeature([], tf.int64),
        "name": tf.io.FixedLenFeature([], tf.string), "tokens": tf.io.VarLenFeature(tf.int64),
        "weights": tf.io.VarLenFeature(tf.float32), "tags": tf.io.VarLenFeature(tf.string)}


def _feature(value):
    if isinstance(value, (bytes, list)) and (isinstance(value, bytes) or (value and isinstance(value[0], bytes))):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value] if isinstance(value, bytes) else value))
    if isinstance(value, float) or (isinstance(value, list) and value and isinstance(value[0], float)):
        return tf.train.Feature(float_list=tf.train.FloatList(value=value if isinstance(value, list) else [value]))
    return tf.train.Feature(int64_list=tf.train.Int64List(value=value if isinstance(value, list) else [value]))


def _example(record):
    features = {}
    for key, value in record.items():
        if key == "weights":
            features[key] = tf.train.Feature(float_list=tf.train.FloatList(value=value))
        elif key == "tags":
            features[key] = tf.train.Feature(bytes_list=tf.train.BytesList(value=value))
        elif key == "tokens":
            features[key] = tf.train.Feature(int64_list=tf.train.Int64List(value=value))
        else:
            features[key] = _feature(value)
    return tf.train.Example(features=tf.train.Features(feature=features))


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()] if value.dtype == object else _floats(value.tolist())
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _floats(value):
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return repr(value)
    return value


def write_examples():
    serialized = [_example(r).SerializeToString() for r in RECORDS]
    for name, options in (("examples.tfrecord", None), ("examples_gzip.tfrecord", "GZIP"),
                          ("examples_zlib.tfrecord", "ZLIB")):
        with tf.io.TFRecordWriter(os.path.join(OUT, name), options) as writer:
            for s in serialized:
                writer.write(s)
    parsed = tf.io.parse_example(tf.constant(serialized), SPEC)
    expected = {}
    for key, value in parsed.items():
        if isinstance(value, tf.SparseTensor):
            expected[key] = {"indices": value.indices.numpy().tolist(), "values": _jsonable(value.values.numpy()),
                             "dense_shape": value.dense_shape.numpy().tolist()}
        else:
            expected[key] = _jsonable(value.numpy())
    single = tf.io.parse_single_example(serialized[1], SPEC)
    return {"files": ["examples.tfrecord", "examples_gzip.tfrecord", "examples_zlib.tfrecord"],
            "compression": {"examples.tfrecord": None, "examples_gzip.tfrecord": "GZIP",
                            "examples_zlib.tfrecord": "ZLIB"},
            "parse_example": expected,
            "parse_single_example_1": {"tags_values": _jsonable(single["tags"].values.numpy()),
                                       "tags_indices": single["tags"].indices.numpy().tolist(),
                                       "tags_dense_shape": single["tags"].dense_shape.numpy().tolist()},
            "serialized_sha256": [hashlib.sha256(s).hexdigest() for s in serialized]}


def write_raw():
    payloads = [b"", b"hello tfrecord", bytes(np.random.default_rng(0).integers(0, 256, 20000, dtype=np.uint8))]
    with tf.io.TFRecordWriter(os.path.join(OUT, "raw.tfrecord")) as writer:
        for p in payloads:
            writer.write(p)
    return {"sha256": [hashlib.sha256(p).hexdigest() for p in payloads], "lengths": [len(p) for p in payloads]}


RESIZES = [((3, 4), "bilinear", False), ((8, 11), "bilinear", False), ((2, 3), "bilinear", True),
           ((8, 11), "bilinear", True), ((3, 4), "nearest", False), ((9, 13), "nearest", False),
           ((3, 4), "bicubic", False), ((8, 11), "bicubic", False), ((2, 3), "bicubic", True),
           ((3, 4), "area", False), ((8, 11), "area", False), ((2, 3), "area", True),
           ((3, 4), "lanczos3", False), ((2, 3), "lanczos3", True), ((3, 4), "lanczos5", True),
           ((3, 4), "mitchellcubic", True), ((8, 11), "gaussian", False), ((3, 4), "gaussian", False),
           ((1, 1), "bilinear", False), ((5, 7), "bilinear", False)]


def write_image_ops():
    rng = np.random.default_rng(1)
    x = rng.random((2, 5, 7, 3)).astype("float32")
    x_uint8 = (x * 255).astype("uint8")
    arrays = {"x": x, "x_uint8": x_uint8}
    cases = []

    def case(name, fn, inputs, kwargs, call):
        out = f"y{len(cases)}"
        arrays[out] = np.asarray(call(arrays[inputs]).numpy())
        cases.append({"function": fn, "input": inputs, "kwargs": kwargs, "output": out, "name": name})

    for size, method, antialias in RESIZES:
        case("resize", "resize", "x", {"size": list(size), "method": method, "antialias": antialias},
             lambda a, s=size, m=method, aa=antialias: tf.image.resize(a, s, method=m, antialias=aa))
    case("resize", "resize", "x", {"size": [4, 4], "method": "bilinear", "preserve_aspect_ratio": True},
         lambda a: tf.image.resize(a, [4, 4], preserve_aspect_ratio=True))
    case("resize", "resize", "x_uint8", {"size": [3, 4], "method": "bilinear"},
         lambda a: tf.image.resize(a, [3, 4]))
    case("resize", "resize", "x_uint8", {"size": [3, 4], "method": "nearest"},
         lambda a: tf.image.resize(a, [3, 4], method="nearest"))
    for dtype in ("float32", "float64", "uint8", "int32", "uint16", "int8"):
        case("convert", "convert_image_dtype", "x_uint8", {"dtype": dtype},
             lambda a, d=dtype: tf.image.convert_image_dtype(a, d))
    big = (x * 4 - 2).astype("float32")
    arrays["x_wide"] = big
    for dtype, saturate in (("uint8", True), ("int16", True)):  # unsaturated out-of-range casts are undefined
        case("convert", "convert_image_dtype", "x_wide", {"dtype": dtype, "saturate": saturate},
             lambda a, d=dtype, s=saturate: tf.image.convert_image_dtype(a, d, saturate=s))
    case("convert", "convert_image_dtype", "x", {"dtype": "uint8"}, lambda a: tf.image.convert_image_dtype(a, "uint8"))
    case("convert", "convert_image_dtype", "x", {"dtype": "int32"}, lambda a: tf.image.convert_image_dtype(a, "int32"))
    case("gray", "rgb_to_grayscale", "x", {}, tf.image.rgb_to_grayscale)
    case("gray", "rgb_to_grayscale", "x_uint8", {}, tf.image.rgb_to_grayscale)
    case("std", "per_image_standardization", "x", {}, tf.image.per_image_standardization)
    case("std", "per_image_standardization", "x_uint8", {}, tf.image.per_image_standardization)
    case("contrast", "adjust_contrast", "x", {"contrast_factor": 1.7}, lambda a: tf.image.adjust_contrast(a, 1.7))
    case("contrast", "adjust_contrast", "x_uint8", {"contrast_factor": 1.7},
         lambda a: tf.image.adjust_contrast(a, 1.7))
    case("brightness", "adjust_brightness", "x_uint8", {"delta": 0.2}, lambda a: tf.image.adjust_brightness(a, 0.2))
    for fraction in (0.5, 0.33, 0.8):
        case("crop", "central_crop", "x", {"central_fraction": fraction},
             lambda a, f=fraction: tf.image.central_crop(a, f))
    for h, w in ((3, 9), (8, 4), (5, 7)):
        case("crop_or_pad", "resize_with_crop_or_pad", "x", {"target_height": h, "target_width": w},
             lambda a, h=h, w=w: tf.image.resize_with_crop_or_pad(a, h, w))
    np.savez(os.path.join(OUT, "image_ops.npz"), **arrays)
    return cases


def check_dendrite_files_in_tensorflow():
    """The other direction: records dendrite writes (this checkout) parse in TensorFlow."""
    sys.path.insert(0, ROOT)
    from dendrite import io as dio, train
    with tempfile.TemporaryDirectory() as tmp:
        for compression in (None, "GZIP", "ZLIB"):
            path = os.path.join(tmp, f"d{compression}.tfrecord")
            with dio.TFRecordWriter(path, compression) as writer:
                for r in RECORDS:
                    feats = {"x": train.Feature(float_list=train.FloatList(value=r["x"])),
                             "label": train.Feature(int64_list=train.Int64List(value=[r["label"]])),
                             "name": train.Feature(bytes_list=train.BytesList(value=[r["name"]])),
                             "tags": train.Feature(bytes_list=train.BytesList(value=r["tags"]))}
                    writer.write(train.Example(features=train.Features(feature=feats)).SerializeToString())
            ds = tf.data.TFRecordDataset(path, compression_type=compression or "")
            got = [tf.io.parse_single_example(s, {k: SPEC[k] for k in ("x", "label", "name", "tags")}) for s in ds]
            assert len(got) == len(RECORDS)
            for g, r in zip(got, RECORDS):
                np.testing.assert_array_equal(g["x"].numpy(), np.float32(r["x"]))
                assert int(g["label"]) == r["label"] and g["name"].numpy() == r["name"]
                assert g["tags"].values.numpy().tolist() == r["tags"]
    print("dendrite-written TFRecord files (none, GZIP, ZLIB) parse in TensorFlow", tf.__version__)


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"tensorflow": tf.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}
    with open(os.path.join(OUT, "examples.json"), "w") as f:
        json.dump({**write_examples(), "versions": versions}, f, indent=1)
    with open(os.path.join(OUT, "raw.json"), "w") as f:
        json.dump({**write_raw(), "versions": versions}, f, indent=1)
    with open(os.path.join(OUT, "image_ops.json"), "w") as f:
        json.dump({"cases": write_image_ops(), "versions": versions}, f, indent=1)
    check_dendrite_files_in_tensorflow()


if __name__ == "__main__":
    main()
