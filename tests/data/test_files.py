"""File sources: FixedLengthRecordDataset (an IDX-like file with a header), TextLineDataset (plain, GZIP,
ZLIB) and list_files."""
import gzip
import zlib

import numpy as np
import pytest

from dendrite.data import Dataset, FixedLengthRecordDataset, TextLineDataset, TensorSpec


def idx_file(path, images):
    """An IDX3 file as MNIST's: a 16-byte big-endian header, then the uint8 images."""
    header = np.array([2051, len(images), images.shape[1], images.shape[2]], dtype=">i4").tobytes()
    path.write_bytes(header + images.astype(np.uint8).tobytes())
    return str(path)


def test_fixed_length_records_after_a_header(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (7, 4, 5))
    path = idx_file(tmp_path / "images-idx3-ubyte", images)
    ds = FixedLengthRecordDataset(path, 4 * 5, header_bytes=16)
    assert ds.element_spec == TensorSpec((), "string")
    records = list(ds)
    assert len(records) == 7 and all(isinstance(r, bytes) and len(r) == 20 for r in records)
    decoded = ds.map(lambda r: np.frombuffer(r, np.uint8).reshape(4, 5)).batch(3)
    np.testing.assert_array_equal(np.concatenate(list(decoded)), images)
    footed = tmp_path / "footed"
    footed.write_bytes(b"HEAD" + bytes(range(12)) + b"FOOT!")
    assert list(FixedLengthRecordDataset([str(footed)], 3, header_bytes=4, footer_bytes=5)) == [
        bytes([0, 1, 2]), bytes([3, 4, 5]), bytes([6, 7, 8]), bytes([9, 10, 11])]


def test_fixed_length_record_that_does_not_divide_names_the_file(tmp_path):
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(16 + 25))
    with pytest.raises(ValueError, match=r"bad.bin' \(41 bytes\).*header \(16 bytes\).*body of 25 bytes.*"
                                         r"record_bytes=10"):
        list(FixedLengthRecordDataset(str(path), 10, header_bytes=16))


def test_fixed_length_records_from_compressed_files(tmp_path):
    body = bytes(range(4)) + bytes(range(40))
    (tmp_path / "a.gz").write_bytes(gzip.compress(body))
    (tmp_path / "a.z").write_bytes(zlib.compress(body))
    for name, kind in (("a.gz", "GZIP"), ("a.z", "ZLIB")):
        records = list(FixedLengthRecordDataset(str(tmp_path / name), 8, header_bytes=4, compression_type=kind))
        assert records == [bytes(range(8 * k, 8 * k + 8)) for k in range(5)]
    with pytest.raises(ValueError, match="not a whole number of records"):
        list(FixedLengthRecordDataset(str(tmp_path / "a.gz"), 7, header_bytes=4, compression_type="GZIP"))
    with pytest.raises(ValueError, match="compression_type"):
        FixedLengthRecordDataset(str(tmp_path / "a.gz"), 8, compression_type="BZIP2")


def test_text_lines_plain_gzip_and_zlib(tmp_path):
    text = "first line\r\nsecond\n\nlast without newline"
    (tmp_path / "a.txt").write_bytes(text.encode())
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"g1\ng2\n"))
    (tmp_path / "c.txt.z").write_bytes(zlib.compress(b"z1\nz2"))
    assert list(TextLineDataset(str(tmp_path / "a.txt"))) == [b"first line", b"second", b"", b"last without newline"]
    assert list(TextLineDataset(str(tmp_path / "b.txt.gz"), compression_type="GZIP")) == [b"g1", b"g2"]
    assert list(TextLineDataset([str(tmp_path / "c.txt.z")], compression_type="ZLIB")) == [b"z1", b"z2"]
    both = TextLineDataset([str(tmp_path / "a.txt"), str(tmp_path / "a.txt")])
    assert len(list(both)) == 8 and both.cardinality() == -2
    with pytest.raises(FileNotFoundError, match="no file"):
        list(TextLineDataset(str(tmp_path / "missing.txt")))


def test_list_files(tmp_path):
    for name in ["b.csv", "a.csv", "c.txt", "d.csv"]:
        (tmp_path / name).write_text(name)
    ordered = [f.decode() for f in Dataset.list_files(str(tmp_path / "*.csv"), shuffle=False)]
    assert ordered == [str(tmp_path / n) for n in ["a.csv", "b.csv", "d.csv"]]
    ds = Dataset.list_files(str(tmp_path / "*.csv"), seed=4)
    passes = [[f.decode() for f in ds] for _ in range(6)]
    assert all(sorted(p) == ordered for p in passes) and any(p != passes[0] for p in passes)
    assert len(Dataset.list_files([str(tmp_path / "*.txt"), str(tmp_path / "a*")])) == 2
    with pytest.raises(ValueError, match="no files match"):
        Dataset.list_files(str(tmp_path / "*.png"))
