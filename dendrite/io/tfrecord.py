"""The TFRecord container: ``tf_record_iterator`` reads it, ``TFRecordWriter`` writes it.

Each record is framed as TensorFlow frames it::

    uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes | payload | uint32 masked CRC-32C of it

and the whole stream may be GZIP- or ZLIB-compressed (``compression_type`` 'GZIP' / 'ZLIB'; None or '' for
none). Reading checks both checksums of every record and raises ``DataLossError`` naming the file, the
record's index and its byte offset (in the uncompressed stream) when a record is truncated or corrupted.
"""
import gzip
import os
import struct
import zlib

from .crc32c import masked_crc32c
from .zlib_stream import open_zlib

_COMPRESSIONS = ("", "GZIP", "ZLIB")
_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")


class DataLossError(ValueError):
    """A record file that is truncated or corrupted (TensorFlow raises tf.errors.DataLossError here)."""


class TFRecordOptions:
    """How a TFRecord file is compressed: ``compression_type`` None or '' (none), 'GZIP' or 'ZLIB', and
    ``compression_level`` (0-9, None for zlib's default), as tf.io.TFRecordOptions."""

    def __init__(self, compression_type=None, compression_level=None):
        self.compression_type = compression_type_of(compression_type, "TFRecordOptions")
        if compression_level is not None and (isinstance(compression_level, bool)
                                              or not isinstance(compression_level, int)
                                              or not -1 <= compression_level <= 9):
            raise ValueError(f"TFRecordOptions: compression_level must be an int from 0 to 9 (or None for the "
                             f"default); received compression_level={compression_level!r}.")
        self.compression_level = compression_level

    def __repr__(self):
        return f"TFRecordOptions(compression_type={self.compression_type!r}, " \
               f"compression_level={self.compression_level!r})"


def compression_type_of(value, who):
    """'' , 'GZIP' or 'ZLIB' from None, those names (any case) or a TFRecordOptions."""
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    name = "" if value is None else value
    if isinstance(name, str) and name.upper() in _COMPRESSIONS:
        return name.upper()
    raise ValueError(f"{who}: compression_type must be None, '', 'GZIP' or 'ZLIB' (or a TFRecordOptions); "
                     f"received {value!r}.")


# ------------------------------------------------------------------ reading
def _open_for_reading(path, compression):
    if compression == "ZLIB":
        stream = open_zlib(path)
        return stream, stream
    raw = open(path, "rb")
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw
    return raw, raw


def _read_exact(stream, n, path, compression):
    try:
        return stream.read(n)
    except (OSError, EOFError, zlib.error) as e:
        raise DataLossError(f"tf_record_iterator: cannot decompress {os.fspath(path)!r} as "
                            f"{compression or 'uncompressed'} data ({e}). Check compression_type "
                            f"(None, 'GZIP' or 'ZLIB') matches how the file was written.") from None


def tf_record_iterator(path, compression_type=None):
    """Yield the payload of each record of the TFRecord file at ``path`` as bytes, in order.

    Raises DataLossError (a ValueError) for a truncated record or a checksum mismatch, naming the file,
    the record's index and its offset."""
    compression = compression_type_of(compression_type, "tf_record_iterator")
    name = os.fspath(path)
    stream, raw = _open_for_reading(path, compression)
    index = offset = 0
    try:
        while True:
            header = _read_exact(stream, _HEADER.size, path, compression)
            if not header:
                return
            where = f"record {index} (byte offset {offset}{' after decompression' if compression else ''})"
            if len(header) < _HEADER.size:
                raise DataLossError(f"tf_record_iterator: {name!r} is truncated: {where} has a "
                                    f"{len(header)}-byte header where {_HEADER.size} bytes were expected.")
            length, length_crc = _HEADER.unpack(header)
            if masked_crc32c(header[:8]) != length_crc:
                raise DataLossError(f"tf_record_iterator: corrupted record in {name!r}: the length checksum "
                                    f"of {where} does not match (stored {length_crc:#010x}, computed "
                                    f"{masked_crc32c(header[:8]):#010x}).")
            body = _read_exact(stream, length + _FOOTER.size, path, compression)
            if len(body) < length + _FOOTER.size:
                raise DataLossError(f"tf_record_iterator: {name!r} is truncated: {where} declares "
                                    f"{length} payload bytes plus a 4-byte checksum, but only {len(body)} "
                                    f"bytes remain.")
            payload = body[:length]
            (payload_crc,) = _FOOTER.unpack(body[length:])
            if masked_crc32c(payload) != payload_crc:
                raise DataLossError(f"tf_record_iterator: corrupted record in {name!r}: the payload checksum "
                                    f"of {where} does not match (stored {payload_crc:#010x}, computed "
                                    f"{masked_crc32c(payload):#010x}).")
            yield payload
            index += 1
            offset += _HEADER.size + length + _FOOTER.size
    finally:
        stream.close()
        raw.close()


# ------------------------------------------------------------------ writing
class _ZlibWriter:
    def __init__(self, raw, level):
        self._raw, self._z = raw, zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION if level is None else level)

    def write(self, data):
        self._raw.write(self._z.compress(data))

    def flush(self):
        self._raw.write(self._z.flush(zlib.Z_SYNC_FLUSH))
        self._raw.flush()

    def close(self):
        self._raw.write(self._z.flush(zlib.Z_FINISH))
        self._raw.close()


def _record_bytes(record):
    if isinstance(record, str):
        return record.encode("utf-8")
    if isinstance(record, (bytes, bytearray, memoryview)):
        return bytes(record)
    item = getattr(record, "item", None)  # a NumPy bytes scalar or 0-d array
    if item is not None and getattr(record, "shape", None) == ():
        return _record_bytes(item())
    raise TypeError(f"TFRecordWriter.write: a record must be bytes (e.g. example.SerializeToString()); "
                    f"received {type(record).__name__}.")


class TFRecordWriter:
    """Writes records to a TFRecord file, as tf.io.TFRecordWriter::

        with TFRecordWriter("data.tfrecord", "GZIP") as writer:
            writer.write(example.SerializeToString())

    ``options``: None, a compression name ('', 'GZIP', 'ZLIB') or a TFRecordOptions."""

    def __init__(self, path, options=None):
        options = options if isinstance(options, TFRecordOptions) else TFRecordOptions(
            compression_type_of(options, "TFRecordWriter"))
        self.path, self.options = os.fspath(path), options
        raw = open(path, "wb")
        level = options.compression_level
        if options.compression_type == "GZIP":
            self._stream = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9 if level is None else level,
                                         mtime=0)
        elif options.compression_type == "ZLIB":
            self._stream = _ZlibWriter(raw, level)
        else:
            self._stream = raw
        self._raw = raw

    def _check_open(self, what):
        if self._stream is None:
            raise ValueError(f"TFRecordWriter.{what}: the writer for {self.path!r} is closed.")

    def write(self, record):
        """Append one record (bytes)."""
        self._check_open("write")
        payload = _record_bytes(record)
        length = struct.pack("<Q", len(payload))
        self._stream.write(length + _FOOTER.pack(masked_crc32c(length)) + payload
                           + _FOOTER.pack(masked_crc32c(payload)))

    def flush(self):
        """Push what was written so far to the file."""
        self._check_open("flush")
        self._stream.flush()
        if self._stream is not self._raw:
            self._raw.flush()

    def close(self):
        """Finish the file (writes the compressed stream's trailer); closing twice is allowed."""
        if self._stream is not None:
            self._stream.close()
            if self._stream is not self._raw:
                self._raw.close()
            self._stream = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
