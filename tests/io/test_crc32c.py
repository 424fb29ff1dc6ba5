"""CRC-32C against published test vectors, both paths (byte loop and lane-parallel) against each other."""
import os

import numpy as np
import pytest

from dendrite.io import crc32c

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tfrecord")


@pytest.mark.parametrize("data, expected", [
    (b"", 0x00000000),
    (b"a", 0xC1D04330),
    (b"123456789", 0xE3069283),  # the CRC catalogue's check value for CRC-32/ISCSI
    (bytes(32), 0x8A9136AA),  # RFC 3720 B.4: 32 bytes of zeros
    (b"\xff" * 32, 0x62A8AB43),  # RFC 3720 B.4: 32 bytes of 0xFF
    (bytes(range(32)), 0x46DD794E),  # RFC 3720 B.4: incrementing
    (bytes(range(31, -1, -1)), 0x113FDB5C),  # RFC 3720 B.4: decrementing
])
def test_known_vectors(data, expected):
    assert crc32c.crc32c_python(data) == expected
    assert crc32c.crc32c(data) == expected


@pytest.mark.parametrize("n", [8191, 8192, 8193, 12345, 65536, 100003])
def test_lane_parallel_path_agrees_with_byte_loop(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    by_bytes = crc32c._advance_bytes(0xFFFFFFFF, data) ^ 0xFFFFFFFF
    assert crc32c.crc32c_python(data) == by_bytes
    assert crc32c.crc32c_python(data[n // 3:], crc32c.crc32c_python(data[:n // 3])) == by_bytes


def test_masked_crc_formula():
    crc = crc32c.crc32c(b"123456789")
    assert crc32c.mask(crc) == ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) % 2 ** 32
    assert crc32c.masked_crc32c(b"123456789") == crc32c.mask(0xE3069283)


def test_masked_crcs_match_the_ones_tensorflow_stored():
    """raw.tfrecord (written by TensorFlow) starts with an empty record: 8 zero length bytes, their masked
    CRC, then the masked CRC of the empty payload."""
    with open(os.path.join(FIXTURES, "raw.tfrecord"), "rb") as f:
        head = f.read(16)
    assert head[:8] == bytes(8)
    assert int.from_bytes(head[8:12], "little") == crc32c.masked_crc32c(bytes(8))
    assert int.from_bytes(head[12:16], "little") == crc32c.masked_crc32c(b"")
