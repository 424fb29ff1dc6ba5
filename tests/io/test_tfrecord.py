"""The TFRecord container: TensorFlow's files read, dendrite's files read back, and damaged files refused."""
import gzip
import hashlib
import json
import os
import zlib

import pytest

from dendrite import io

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tfrecord")


def _fixture(name):
    return os.path.join(FIXTURES, name)


def test_reads_raw_records_tensorflow_wrote():
    with open(_fixture("raw.json")) as f:
        expected = json.load(f)
    records = list(io.tf_record_iterator(_fixture("raw.tfrecord")))
    assert [len(r) for r in records] == expected["lengths"] == [0, 14, 20000]
    assert [hashlib.sha256(r).hexdigest() for r in records] == expected["sha256"]
    assert records[1] == b"hello tfrecord"


@pytest.mark.parametrize("name, compression", [("examples.tfrecord", None), ("examples_gzip.tfrecord", "GZIP"),
                                               ("examples_zlib.tfrecord", "ZLIB")])
def test_reads_compressed_files_tensorflow_wrote(name, compression):
    with open(_fixture("examples.json")) as f:
        expected = json.load(f)["serialized_sha256"]
    records = list(io.tf_record_iterator(_fixture(name), compression_type=compression))
    assert [hashlib.sha256(r).hexdigest() for r in records] == expected
    # the options object and lower-case names are taken too
    again = list(io.tf_record_iterator(_fixture(name), io.TFRecordOptions(compression and compression.lower())))
    assert again == records


@pytest.mark.parametrize("options", [None, "", "GZIP", "ZLIB", io.TFRecordOptions("GZIP", compression_level=1)])
def test_write_then_read_back(tmp_path, options):
    path = tmp_path / "out.tfrecord"
    payloads = [b"", b"abc", bytes(range(256)) * 40, "text é"]
    with io.TFRecordWriter(path, options) as writer:
        for p in payloads:
            writer.write(p)
        writer.flush()
    compression = options.compression_type if isinstance(options, io.TFRecordOptions) else options
    assert list(io.tf_record_iterator(path, compression)) == payloads[:3] + ["text é".encode()]
    raw = path.read_bytes()
    if compression == "GZIP":
        raw = gzip.decompress(raw)
    elif compression == "ZLIB":
        raw = zlib.decompress(raw)
    assert len(raw) == sum(16 + len(p) for p in payloads[:3]) + 16 + len("text é".encode())


def test_writes_the_same_bytes_as_tensorflow(tmp_path):
    """Uncompressed framing is deterministic: re-writing TF's payloads gives TF's file byte for byte."""
    records = list(io.tf_record_iterator(_fixture("raw.tfrecord")))
    with io.TFRecordWriter(tmp_path / "copy.tfrecord") as writer:
        for r in records:
            writer.write(r)
    with open(_fixture("raw.tfrecord"), "rb") as f:
        assert (tmp_path / "copy.tfrecord").read_bytes() == f.read()


def test_writer_after_close_and_bad_record(tmp_path):
    writer = io.TFRecordWriter(tmp_path / "w.tfrecord")
    with pytest.raises(TypeError, match=r"TFRecordWriter.write: a record must be bytes .*received int"):
        writer.write(3)
    writer.close()
    writer.close()  # twice is fine
    with pytest.raises(ValueError, match=r"TFRecordWriter.write: the writer for .*w.tfrecord' is closed"):
        writer.write(b"x")


def test_bad_compression_type(tmp_path):
    with pytest.raises(ValueError, match=r"compression_type must be None, '', 'GZIP' or 'ZLIB'.*'SNAPPY'"):
        io.TFRecordWriter(tmp_path / "x", "SNAPPY")
    with pytest.raises(ValueError, match=r"tf_record_iterator: compression_type must be"):
        list(io.tf_record_iterator(_fixture("raw.tfrecord"), "LZ4"))


def _copy(tmp_path, data):
    path = tmp_path / "damaged.tfrecord"
    path.write_bytes(data)
    return path


def test_truncated_payload_names_file_record_and_offset(tmp_path):
    with open(_fixture("raw.tfrecord"), "rb") as f:
        data = f.read()
    path = _copy(tmp_path, data[:-10])
    reader = io.tf_record_iterator(path)
    assert next(reader) == b"" and next(reader) == b"hello tfrecord"
    with pytest.raises(io.DataLossError, match=r"damaged.tfrecord' is truncated: record 2 \(byte offset 46\) "
                                               r"declares 20000 payload bytes plus a 4-byte checksum, but only "
                                               r"19994 bytes remain"):
        next(reader)


def test_truncated_header(tmp_path):
    with open(_fixture("raw.tfrecord"), "rb") as f:
        data = f.read()
    path = _copy(tmp_path, data[:16 + 5])
    with pytest.raises(io.DataLossError, match=r"truncated: record 1 \(byte offset 16\) has a 5-byte header"):
        list(io.tf_record_iterator(path))
    assert issubclass(io.DataLossError, ValueError)


def test_flipped_payload_byte_is_a_checksum_error(tmp_path):
    with open(_fixture("raw.tfrecord"), "rb") as f:
        data = bytearray(f.read())
    data[16 + 12 + 3] ^= 0x01  # a byte of record 1's payload ("hello tfrecord")
    path = _copy(tmp_path, bytes(data))
    with pytest.raises(io.DataLossError, match=r"corrupted record in .*damaged.tfrecord': the payload checksum "
                                               r"of record 1 \(byte offset 16\) does not match"):
        list(io.tf_record_iterator(path))


def test_flipped_length_byte_is_a_checksum_error(tmp_path):
    with open(_fixture("raw.tfrecord"), "rb") as f:
        data = bytearray(f.read())
    data[46 + 1] ^= 0x40  # record 2's length
    with pytest.raises(io.DataLossError, match=r"the length checksum of record 2 \(byte offset 46\)"):
        list(io.tf_record_iterator(_copy(tmp_path, bytes(data))))


def test_wrong_compression_type_is_a_clear_error():
    with pytest.raises(io.DataLossError, match=r"cannot decompress .*examples.tfrecord' as GZIP data"):
        list(io.tf_record_iterator(_fixture("examples.tfrecord"), "GZIP"))


def test_truncated_gzip_stream(tmp_path):
    with open(_fixture("examples_gzip.tfrecord"), "rb") as f:
        data = f.read()
    with pytest.raises(io.DataLossError, match=r"damaged.tfrecord"):
        list(io.tf_record_iterator(_copy(tmp_path, data[:-30]), "GZIP"))
