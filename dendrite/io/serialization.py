"""Tensors and SparseTensors as bytes, as tf.io has them: ``serialize_tensor`` / ``parse_tensor`` write and read
TensorFlow's ``TensorProto`` (tensor_proto), so either side reads what the other wrote;
``serialize_sparse`` / ``serialize_many_sparse`` give a SparseTensor's indices, values and dense_shape each
serialized so, and ``deserialize_sparse`` / ``deserialize_many_sparse`` read them back.

A tensor is written as TensorFlow writes it: numbers little-endian in ``tensor_content`` (bool as one byte,
float16 as its 16 bits), strings one ``string_val`` each. Reading also takes the ``*_val`` fields other
writers use (fewer values than elements repeat the last one, none give zeros; more are cut, as
TensorFlow). Strings come back as object arrays of bytes. Reading only decodes a protobuf message and
copies numbers: no code in the bytes is ever run.
"""
import numpy as np

from .raw import scalar_bytes
from .sparse import SparseTensor, require, stack
from .tensor_proto import BY_NUMBER, DTYPES, OTHER_TYPES, message_classes


def dtype_key(dtype, who, argument="out_type"):
    """The DTYPES name of ``dtype`` (a NumPy dtype or type, a name, or 'string' / bytes / str / object for
    strings); a ValueError naming ``who`` and ``argument`` for anything else."""
    if dtype in ("string", "str", bytes, str, object):
        return "string"
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name == "object" or (name or "").startswith(("bytes", "str")):
        return "string"
    if name not in DTYPES or name == "bfloat16":
        raise ValueError(f"{who}: {argument} must be one of TensorFlow's types NumPy holds "
                         f"({', '.join(n for n in DTYPES if n != 'bfloat16')}); received {argument}={dtype!r}.")
    return name


def _string_array(values, shape):
    out = np.empty(len(values), dtype=object)
    out[:] = [bytes(v) for v in values]
    return out.reshape(shape)


def _varint(n):
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _string_content(values):
    """TensorFlow's tensor_content of strings: every length as a varint, then the bytes one after another."""
    return b"".join(_varint(len(v)) for v in values) + b"".join(values)


def _strings_of_content(content, count, who):
    lengths, pos = [], 0
    for _ in range(count):
        n = shift = 0
        while True:
            if pos >= len(content) or shift > 28:
                raise ValueError(f"{who}: the TensorProto's string tensor_content is corrupt (its {count} lengths "
                                 f"do not decode).")
            byte = content[pos]
            pos += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        lengths.append(n)
    if pos + sum(lengths) != len(content):
        raise ValueError(f"{who}: the TensorProto's string tensor_content holds {len(content) - pos} bytes of data "
                         f"where its lengths say {sum(lengths)}: the bytes are corrupt or cut short.")
    ends = np.cumsum([pos] + lengths)
    return [content[a:b] for a, b in zip(ends[:-1], ends[1:])]


def serialize_tensor(tensor, strings_in_content=False):
    """The TensorProto bytes of ``tensor`` (an array, a number, bytes or a nested list of them). Strings go
    one per ``string_val`` (as tf.io.serialize_tensor writes them), or with ``strings_in_content`` packed in
    ``tensor_content`` (as TensorFlow's serialize_sparse writes a SparseTensor's values)."""
    array = tensor if isinstance(tensor, np.ndarray) else np.asarray(tensor)
    key = dtype_key(array.dtype, "serialize_tensor", "the tensor's dtype")
    proto = message_classes()["TensorProto"](dtype=DTYPES[key][0])
    proto.tensor_shape.SetInParent()  # a scalar still writes its (empty) shape, as TensorFlow does
    for size in array.shape:
        proto.tensor_shape.dim.add(size=size)
    if key == "string":
        values = []
        for value in array.ravel().tolist():
            if isinstance(value, str):
                value = value.encode("utf-8")
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise TypeError(f"serialize_tensor: a string tensor holds bytes (or str, written as UTF-8); "
                                f"received an element of type {type(value).__name__}.")
            values.append(bytes(value))
        if strings_in_content:
            proto.tensor_content = _string_content(values)
        else:
            proto.string_val.extend(values)
    else:
        proto.tensor_content = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return proto.SerializeToString()


def _decode(serialized, who):
    data = scalar_bytes(serialized, who, "serialized must be the bytes of one tensor (a scalar string)")
    from google.protobuf.message import DecodeError
    try:
        proto = message_classes()["TensorProto"].FromString(data)
    except DecodeError as e:
        raise ValueError(f"{who}: could not parse `serialized` as a TensorProto ({len(data)} bytes that protobuf "
                         f"cannot parse: {e}). Pass bytes that tf.io.serialize_tensor wrote.") from None
    if proto.dtype not in BY_NUMBER:
        what = OTHER_TYPES.get(proto.dtype, "DT_INVALID: no tensor" if proto.dtype == 0 else f"number {proto.dtype}")
        raise ValueError(f"{who}: `serialized` holds a TensorProto of dtype {what}, which dendrite cannot read; "
                         f"it reads {', '.join(DTYPES)}.")
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    if proto.tensor_shape.unknown_rank or any(d < 0 for d in shape):
        raise ValueError(f"{who}: `serialized` holds a TensorProto without a fully defined shape "
                         f"(dims {list(shape)}{', unknown rank' if proto.tensor_shape.unknown_rank else ''}); a "
                         f"serialized tensor has every dimension known.")
    if int(np.prod(shape, dtype=object)) > _MAX_ELEMENTS:  # a few bytes may declare a huge repeated value
        raise ValueError(f"{who}: `serialized` declares a tensor of shape {list(shape)}, more than "
                         f"{_MAX_ELEMENTS} values; dendrite refuses to build it (the bytes are damaged or hostile).")
    return proto, shape


_MAX_ELEMENTS = 2 ** 32


def _from_vals(proto, key, val_field, shape):
    """The values of a proto without tensor_content, as TensorFlow reads them (see the module)."""
    count = int(np.prod(shape, dtype=object))
    values = getattr(proto, val_field)
    if key == "string":
        values = list(values)
    else:
        store = {"half_val": np.int32, "int_val": np.int32, "scomplex_val": np.float32, "dcomplex_val": np.float64}
        values = np.asarray(values, dtype=store.get(val_field, key))
        if val_field == "half_val":  # 16-bit patterns in int32s
            bits = values.astype(np.uint16)
            values = bits.view(np.float16) if key == "float16" else (bits.astype(np.uint32) << 16).view(np.float32)
        elif val_field != "int_val" and val_field in store:  # (real, imaginary) pairs
            values = values[0::2] + 1j * values[1::2]
    n = len(values)
    if n == 0:
        return _string_array([b""] * count, shape) if key == "string" else np.zeros(shape, _numpy_dtype(key))
    picked = [values[min(i, n - 1)] for i in range(count)] if key == "string" else values[np.minimum(
        np.arange(count), n - 1)]
    return _string_array(picked, shape) if key == "string" else picked.astype(_numpy_dtype(key)).reshape(shape)


def _numpy_dtype(key):
    return np.dtype("float32" if key == "bfloat16" else key)


def parse_tensor(serialized, out_type):
    """The array a TensorProto's bytes hold; its dtype must be ``out_type`` (TensorFlow's error otherwise)."""
    who = "parse_tensor"
    wanted = dtype_key(out_type, who)
    proto, shape = _decode(serialized, who)
    key, tf_name, val_field = BY_NUMBER[proto.dtype]
    if key != wanted and not (key == "bfloat16" and wanted == "float32"):
        raise ValueError(f"{who}: Type mismatch between parsed tensor ({tf_name}) and dtype "
                         f"({DTYPES[wanted][1]}): the bytes hold a {key} tensor; pass out_type={key!r}.")
    if not proto.tensor_content:
        return _from_vals(proto, key, val_field, shape)
    count = int(np.prod(shape, dtype=object))
    if key == "string":
        return _string_array(_strings_of_content(proto.tensor_content, count, who), shape)
    stored = np.dtype("<u2" if key == "bfloat16" else np.dtype(key).newbyteorder("<"))
    if len(proto.tensor_content) != count * stored.itemsize:
        raise ValueError(f"{who}: the TensorProto's tensor_content holds {len(proto.tensor_content)} bytes, but "
                         f"{count} {key} values of shape {list(shape)} take {count * stored.itemsize}: the bytes are "
                         f"corrupt or cut short.")
    values = np.frombuffer(proto.tensor_content, dtype=stored)
    if key == "bfloat16":
        values = (values.astype(np.uint32) << 16).view(np.float32)
    return values.astype(_numpy_dtype(key)).reshape(shape)


def _strings(items):
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def serialize_sparse(sp_input):
    """A string array of 3: the serialized indices, values and dense_shape of ``sp_input``."""
    sp = require(sp_input, "serialize_sparse")
    return _strings([serialize_tensor(sp.indices), serialize_tensor(sp.values, strings_in_content=True),
                     serialize_tensor(sp.dense_shape)])


def serialize_many_sparse(sp_input):
    """A (batch, 3) string array: row i serializes ``sp_input[i]`` (the entries whose first index is i, with
    that index dropped; dense_shape without its first dimension). The indices must be in row-major order."""
    who = "serialize_many_sparse"
    sp = require(sp_input, who)
    if len(sp.dense_shape) < 2:
        raise ValueError(f"{who}: sp_input must have rank 2 or more (a batch of SparseTensors along the first "
                         f"dimension); received dense_shape {sp.dense_shape.tolist()}.")
    if len(sp.indices) > 1:
        flat = np.ravel_multi_index(sp.indices.T, sp.dense_shape)
        bad = np.flatnonzero(np.diff(flat) <= 0)
        if bad.size:
            raise ValueError(f"{who}: indices[{bad[0] + 1}] = {sp.indices[bad[0] + 1].tolist()} is out of order. "
                             f"Use tf.sparse.reorder to create a correctly ordered copy.")
    rows = np.empty((int(sp.dense_shape[0]), 3), dtype=object)
    for i in range(rows.shape[0]):
        mine = sp.indices[:, 0] == i
        rows[i] = serialize_sparse(SparseTensor(sp.indices[mine, 1:], sp.values[mine], sp.dense_shape[1:]))
    return rows


def deserialize_sparse(serialized_sparse, dtype, rank=None):
    """The SparseTensor of ``serialize_sparse``'s 3 strings; an array of them, shape S + [3], gives one
    SparseTensor of rank len(S) + rank whose leading dimensions are S and whose other dimensions are the
    largest of each (the TensorFlow op DeserializeSparse)."""
    who = "deserialize_sparse"
    key = dtype_key(dtype, who, "dtype")
    rows = np.asarray(serialized_sparse, dtype=object)
    if rows.ndim == 0 or rows.shape[-1] != 3:
        raise ValueError(f"{who}: serialized_sparse must have a last dimension of 3 (indices, values, dense_shape "
                         f"as serialize_sparse gives them); received shape {list(rows.shape)}.")
    parts = []
    for i, (indices, values, dense_shape) in enumerate(rows.reshape(-1, 3)):
        where = f"{who} (entry {i})"
        indices, values = parse_tensor(indices, "int64"), parse_tensor(values, key)
        dense_shape = parse_tensor(dense_shape, "int64")
        if indices.ndim != 2 or values.ndim != 1 or dense_shape.ndim != 1 or len(values) != len(indices) or (
                indices.shape[1] != len(dense_shape)):
            raise ValueError(f"{where}: the three tensors do not make a SparseTensor: indices of shape "
                             f"{list(indices.shape)}, values of shape {list(values.shape)}, dense_shape of shape "
                             f"{list(dense_shape.shape)} (expected (n, rank), (n,) and (rank,)).")
        if rank is not None and len(dense_shape) != int(rank):
            raise ValueError(f"{where}: expected rank {int(rank)} (the rank argument); the serialized "
                             f"SparseTensor has rank {len(dense_shape)}.")
        if parts and len(dense_shape) != len(parts[0].dense_shape):
            raise ValueError(f"{where}: the serialized SparseTensors differ in rank ({len(parts[0].dense_shape)} "
                             f"and {len(dense_shape)}); a batch of them must share one rank.")
        parts.append(SparseTensor(indices, values, dense_shape))
    if rows.ndim == 1:
        return parts[0]
    batch = stack(parts, len(parts[0].dense_shape) if parts else int(rank or 0), _numpy_dtype(key)
                  if key != "string" else object)
    lead = np.stack(np.unravel_index(batch.indices[:, 0], rows.shape[:-1]), axis=1).astype(np.int64)
    return SparseTensor(np.concatenate([lead, batch.indices[:, 1:]], axis=1), batch.values,
                        list(rows.shape[:-1]) + batch.dense_shape[1:].tolist())


def deserialize_many_sparse(serialized_sparse, dtype, rank=None):
    """The SparseTensor of a (batch, 3) string array ``serialize_many_sparse`` wrote: rank + 1 dimensions,
    the first the batch."""
    rows = np.asarray(serialized_sparse, dtype=object)
    if rows.ndim != 2:
        raise ValueError(f"deserialize_many_sparse: serialized_sparse must be a (batch, 3) string array; received "
                         f"shape {list(rows.shape)}. For one SparseTensor's 3 strings use deserialize_sparse.")
    return deserialize_sparse(rows, dtype, rank)
