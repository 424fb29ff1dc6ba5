"""``decode_raw``, ``read_file`` and ``write_file``: bytes in and out of files and arrays, as tf.io has them."""
import os

import numpy as np

from ..autodiff.tensor import array_of

_RAW_TYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
              "uint64", "complex64", "complex128", "bool")


def dtype_among(value, names, who, argument, expected):
    """``value`` as a NumPy dtype whose name is one of ``names``; else a ValueError naming ``who``,
    ``argument`` and what was ``expected``."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.name not in names:
        raise ValueError(f"{who}: {argument} must be {expected}; received {argument}={value!r}.")
    return dtype


def _out_type(out_type):
    return dtype_among(out_type, _RAW_TYPES, "decode_raw", "out_type", f"a numeric dtype ({', '.join(_RAW_TYPES)})")


def scalar_bytes(value, who, what):
    """``value`` (bytes, bytearray, memoryview, a NumPy bytes scalar or 0-d array of one) as bytes; anything
    else raises a TypeError saying ``who`` needs ``what``. A 0-d string Tensor (a record from iterating a
    TFRecordDataset) gives its bytes."""
    value = array_of(value)
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, (bytes, np.bytes_, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{who}: {what}; received {type(value).__name__}.")


def _as_bytes(value, where):
    return scalar_bytes(value, "decode_raw", f"{where} must be bytes (a string tensor's element; encode text "
                                             f"first, e.g. s.encode())")


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None):
    """Reinterpret bytes as numbers, as tf.io.decode_raw: one bytes value gives a 1-D array of ``out_type``;
    an array (or list) of them, shape S, gives S + (n,), every element holding the same number of bytes.

    ``fixed_length``: zero-pad or truncate every element to that many bytes first (a multiple of the item
    size). ``little_endian=False`` reads big-endian numbers. A NumPy fixed-width bytes ('S') array is read
    at its full width (NumPy stores the trailing zero bytes it hides when printing)."""
    dtype = _out_type(out_type)
    size = dtype.itemsize
    if fixed_length is not None and (isinstance(fixed_length, bool) or not isinstance(fixed_length, (int, np.integer))
                                     or fixed_length < 0 or fixed_length % size):
        raise ValueError(f"decode_raw: fixed_length must be a non-negative multiple of {size} (the size of "
                         f"{dtype.name}); received fixed_length={fixed_length!r}.")
    stored = dtype.newbyteorder("<" if little_endian else ">") if size > 1 else dtype
    arr = input_bytes if isinstance(input_bytes, np.ndarray) else None
    if arr is None and isinstance(input_bytes, (list, tuple)):
        arr = np.empty(len(input_bytes), dtype=object)
        arr[:] = list(input_bytes)
    if arr is None or arr.ndim == 0:
        data = _as_bytes(arr.item() if arr is not None else input_bytes, "input_bytes")
        if fixed_length is not None:
            data = data[:fixed_length].ljust(fixed_length, b"\0")
        if len(data) % size:
            raise ValueError(f"decode_raw: input_bytes has {len(data)} bytes, which is not a multiple of {size} "
                             f"(the size of {dtype.name}).")
        return np.frombuffer(data, dtype=stored).astype(dtype)
    shape = arr.shape
    if arr.dtype.kind == "S" and fixed_length is None:  # one contiguous buffer already
        width = arr.dtype.itemsize
        buf = np.ascontiguousarray(arr).tobytes()
    else:
        items = [_as_bytes(v, f"element {i} of input_bytes") for i, v in enumerate(arr.ravel())]
        if fixed_length is not None:
            items = [v[:fixed_length].ljust(fixed_length, b"\0") for v in items]
        width = len(items[0]) if items else 0
        for i, v in enumerate(items):
            if len(v) != width:
                raise ValueError(f"decode_raw: every element must hold the same number of bytes, but element 0 "
                                 f"has {width} and element {i} has {len(v)}. Pass fixed_length to pad or "
                                 f"truncate them to one length.")
        buf = b"".join(items)
    if width % size:
        raise ValueError(f"decode_raw: each element has {width} bytes, which is not a multiple of {size} (the "
                         f"size of {dtype.name}).")
    return np.frombuffer(buf, dtype=stored).astype(dtype).reshape(*shape, width // size)


def read_file(filename):
    """The whole contents of ``filename`` as bytes (tf.io.read_file)."""
    with open(_path(filename, "read_file"), "rb") as f:
        return f.read()


def write_file(filename, contents):
    """Write ``contents`` (bytes, or str as UTF-8) to ``filename``, creating missing folders (tf.io.write_file)."""
    path = _path(filename, "write_file")
    contents = getattr(contents, "value", contents)  # a scalar string Tensor (tf.audio.encode_wav's, ...)
    if isinstance(contents, np.ndarray) and contents.shape == ():
        contents = contents.item()
    if isinstance(contents, str):
        contents = contents.encode("utf-8")
    if not isinstance(contents, (bytes, bytearray, memoryview, np.bytes_)):
        raise TypeError(f"write_file: contents must be bytes or str; received {type(contents).__name__}.")
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes(contents))


def _path(filename, who):
    if isinstance(filename, np.ndarray) and filename.shape == ():
        filename = filename.item()
    if isinstance(filename, bytes):
        filename = os.fsdecode(filename)
    if not isinstance(filename, (str, os.PathLike)):
        raise TypeError(f"{who}: filename must be a path (str, bytes or os.PathLike); received "
                        f"{type(filename).__name__}.")
    return os.fspath(filename)
