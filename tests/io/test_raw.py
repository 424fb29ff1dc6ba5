"""decode_raw, read_file and write_file."""
import numpy as np
import pytest

from dendrite import io


def test_decode_raw_one_record_and_endianness():
    data = np.array([1.5, -2.0, 3.25], dtype="<f4").tobytes()
    np.testing.assert_array_equal(io.decode_raw(data, np.float32), [1.5, -2.0, 3.25])
    assert io.decode_raw(b"\x01\x00\x02\x00", "uint16").tolist() == [1, 2]
    assert io.decode_raw(b"\x01\x00\x02\x00", "uint16", little_endian=False).tolist() == [256, 512]
    out = io.decode_raw(b"\x00\x00\x00\x01", "int32", little_endian=False)
    assert out.dtype == np.int32 and out.dtype.isnative and out.tolist() == [1]


def test_decode_raw_batch_of_records_like_mnist():
    images = np.random.default_rng(0).integers(0, 256, (4, 28 * 28), dtype=np.uint8)
    records = [row.tobytes() for row in images]
    out = io.decode_raw(records, "uint8")
    assert out.shape == (4, 784) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, images)
    as_array = np.empty((2, 2), dtype=object)
    as_array[:] = [[records[0], records[1]], [records[2], records[3]]]
    assert io.decode_raw(as_array, np.uint8).shape == (2, 2, 784)
    # a fixed-width bytes array is read at its full width, zero bytes included
    fixed = np.array([b"\x01\x00", b"\x02\x00"])
    assert io.decode_raw(fixed, "uint8").tolist() == [[1, 0], [2, 0]]


def test_decode_raw_fixed_length_pads_and_truncates():
    out = io.decode_raw([b"\x01\x02\x03", b"\x04"], "uint8", fixed_length=2)
    assert out.tolist() == [[1, 2], [4, 0]]


def test_decode_raw_errors():
    with pytest.raises(ValueError, match=r"decode_raw: input_bytes has 5 bytes, which is not a multiple of 4 "
                                         r"\(the size of float32\)"):
        io.decode_raw(b"12345", np.float32)
    with pytest.raises(ValueError, match=r"element 0 has 2 and element 1 has 3. Pass fixed_length"):
        io.decode_raw([b"ab", b"abc"], "uint8")
    with pytest.raises(ValueError, match=r"fixed_length must be a non-negative multiple of 4"):
        io.decode_raw(b"1234", "int32", fixed_length=6)
    with pytest.raises(ValueError, match=r"out_type must be a numeric dtype"):
        io.decode_raw(b"1234", "U4")
    with pytest.raises(TypeError, match=r"decode_raw: input_bytes must be bytes .*received str"):
        io.decode_raw("text", "uint8")


def test_read_and_write_file(tmp_path):
    path = tmp_path / "sub" / "dir" / "f.bin"
    io.write_file(str(path), b"\x00\x01payload")
    assert io.read_file(path) == b"\x00\x01payload"
    io.write_file(path, "é")
    assert io.read_file(str(path).encode()) == "é".encode()
    with pytest.raises(TypeError, match=r"write_file: contents must be bytes or str; received int"):
        io.write_file(path, 3)
    with pytest.raises(FileNotFoundError):
        io.read_file(tmp_path / "missing")
