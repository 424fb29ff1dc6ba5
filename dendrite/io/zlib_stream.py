"""A zlib-compressed file (TensorFlow's 'ZLIB' compression_type) read as a buffered binary stream: ``read(n)``
and iteration over lines, decompressing as it goes, with no copy of the rest of the buffer on each read."""
import io as _io
import zlib

_CHUNK = 1 << 16


class _ZlibRaw(_io.RawIOBase):
    def __init__(self, raw):
        self._raw, self._z = raw, zlib.decompressobj()
        self._out, self._pos = b"", 0  # decompressed bytes not yet handed out, from _pos on

    def readable(self):
        return True

    def readinto(self, buffer):
        while self._pos >= len(self._out):
            if self._z.eof:
                return 0
            chunk = self._raw.read(_CHUNK)
            self._out, self._pos = (self._z.decompress(chunk) if chunk else self._z.flush()), 0
            if not chunk and not self._out:
                return 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = memoryview(self._out)[self._pos:self._pos + n]
        self._pos += n
        return n

    def close(self):
        self._raw.close()
        super().close()


def open_zlib(path):
    """The decompressed content of the zlib file at ``path`` as a buffered binary stream."""
    return _io.BufferedReader(_ZlibRaw(open(path, "rb")), buffer_size=_CHUNK)
