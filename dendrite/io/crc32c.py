"""CRC-32C (the Castagnoli polynomial, as iSCSI and TFRecord files use it), written in Python and NumPy.

``crc32c(data)`` is the checksum; ``masked_crc32c(data)`` is the form TFRecord files store:
``((crc >> 15) | (crc << 17)) + 0xA282EAD8`` modulo 2**32.

Short inputs run a byte-at-a-time table loop. Long inputs are cut into equal lanes whose registers advance
together, one NumPy table lookup per byte column; the CRC is linear over GF(2), so the lane registers are
then folded pairwise, each fold advancing the left register past the right lane's length with a
precomputed "advance over n zero bytes" operator (a 32x32 bit matrix applied as four 256-entry tables).
When the ``google-crc32c`` package (Google's C library) is installed, ``crc32c`` uses it instead; the
Python version (``crc32c_python``) always works and gives the same values.
"""
import numpy as np

_POLY = 0x82F6_3B78  # the Castagnoli polynomial, bit-reflected
_MASK_DELTA = 0xA282_EAD8
_LANE_MIN = 8192  # from about this length on, the lane-parallel path beats the byte loop


def _byte_table():
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(_POLY), table >> 1).astype(np.uint32)
    return table


_TABLE = _byte_table()
_TABLE_LIST = [int(v) for v in _TABLE]


def _advance_bytes(reg, data):
    """The raw register after feeding ``data`` (no initial or final inversion)."""
    table = _TABLE_LIST
    for b in data:
        reg = table[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg


# ------------------------------------------------------------------ linear operators for the lane fold
def _apply(tables, x):
    """Apply the operator given by its four byte tables to uint32 values ``x`` (an array)."""
    return (tables[0][x & 0xFF] ^ tables[1][(x >> 8) & 0xFF] ^ tables[2][(x >> 16) & 0xFF]
            ^ tables[3][x >> 24])


def _tables_from_columns(columns):
    """Byte tables of the operator whose images of the 32 unit vectors are ``columns``."""
    v = np.arange(256, dtype=np.uint32)
    tables = []
    for k in range(4):
        t = np.zeros(256, dtype=np.uint32)
        for bit in range(8):
            t ^= np.where((v >> bit) & 1, columns[8 * k + bit], 0).astype(np.uint32)
        tables.append(t)
    return tables


_UNITS = np.left_shift(np.uint32(1), np.arange(32, dtype=np.uint32))
_ZERO_ADVANCE = {}  # n -> byte tables of "advance the register over n zero bytes"


def _zero_advance(n):
    """The operator that moves a register past n zero bytes (n a power of two), built by squaring."""
    if n not in _ZERO_ADVANCE:
        if n == 1:
            columns = _TABLE[_UNITS & 0xFF] ^ (_UNITS >> 8)
        else:
            half = _zero_advance(n // 2)
            columns = _apply(half, _apply(half, _UNITS))
        _ZERO_ADVANCE[n] = _tables_from_columns(columns)
    return _ZERO_ADVANCE[n]


def _lanes(buf):
    """The raw register of ``buf`` (uint8 array of length lanes * width, both powers of two), from zero."""
    n = buf.size
    lanes = 1 << max(0, (n.bit_length() - 1) // 2)
    width = n // lanes
    columns = buf.reshape(lanes, width).T.astype(np.uint32)
    reg = np.zeros(lanes, dtype=np.uint32)
    for col in columns:
        reg = _TABLE[(reg ^ col) & 0xFF] ^ (reg >> 8)
    while reg.size > 1:
        reg = _apply(_zero_advance(width), reg[0::2]) ^ reg[1::2]
        width *= 2
    return int(reg[0])


def crc32c_python(data, crc=0):
    """CRC-32C of ``data`` (bytes-like), continuing from a previous ``crc`` (0 to start)."""
    data = memoryview(data).cast("B")
    n = len(data)
    if n < _LANE_MIN:
        return _advance_bytes(crc ^ 0xFFFF_FFFF, data) ^ 0xFFFF_FFFF
    # Leading zero bytes leave a zero register unchanged, so pad the front to a power of two; the
    # starting register is folded into the first four bytes (the register is XORed into the input).
    size = 1 << (n - 1).bit_length()
    buf = np.zeros(size, dtype=np.uint8)
    buf[size - n:] = np.frombuffer(data, dtype=np.uint8)
    start = (crc ^ 0xFFFF_FFFF).to_bytes(4, "little")
    buf[size - n:size - n + 4] ^= np.frombuffer(start, dtype=np.uint8)
    return _lanes(buf) ^ 0xFFFF_FFFF


try:  # an optional accelerator: Google's C implementation, when installed
    import google_crc32c as _google_crc32c
except ImportError:  # pragma: no cover - depends on the environment
    _google_crc32c = None


def crc32c(data, crc=0):
    """CRC-32C of ``data`` (bytes-like), continuing from ``crc``; crc32c(b"123456789") == 0xE3069283."""
    if _google_crc32c is not None:
        return _google_crc32c.extend(crc, bytes(data))
    return crc32c_python(data, crc)


def mask(crc):
    """TFRecord's masked form of a CRC: rotate right by 15 bits, add 0xA282EAD8 (mod 2**32)."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFF_FFFF


def masked_crc32c(data):
    """The masked CRC-32C TFRecord files store after each length and each payload."""
    return mask(crc32c(data))
