"""Parsing ``tf.train.Example`` records: ``parse_single_example`` and ``parse_example`` with ``FixedLenFeature``
and ``VarLenFeature`` specs, as tf.io has them.

Results, per feature name:
- ``FixedLenFeature(shape, dtype)``: a NumPy array of ``shape`` (``(batch, *shape)`` from parse_example);
  a scalar feature (shape ``[]``) gives a 0-d array.
- ``VarLenFeature(dtype)``: a ``SparseTensor`` (dendrite.io.sparse) with indices ``(n, 1)`` and dense_shape
  ``[n]`` for one record, or indices ``(total, 2)`` ``[record, position]`` and dense_shape ``[batch, longest]``
  for a batch; ``io.sparse.to_dense`` makes it dense.

dtypes are float32, int64 and string (spelled 'string', ``bytes`` or ``object``); string values come back as
object arrays of ``bytes``, as TensorFlow's ``.numpy()`` gives them (a NumPy 'S' array would drop trailing
zero bytes of binary data).
"""
import numpy as np

from .example_proto import message_classes
from ..autodiff.tensor import array_of
from .raw import scalar_bytes
from .sparse import SparseTensor, stack

_KINDS = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_KIND_NAMES = {"float_list": "float32 (float_list)", "int64_list": "int64 (int64_list)",
               "bytes_list": "string (bytes_list)"}


def _dtype_name(dtype, who):
    if dtype in ("string", "str", bytes, str, object) or (isinstance(dtype, type) and issubclass(dtype, np.bytes_)):
        return "string"
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name in ("float32", "int64"):
        return name
    if name is not None and name.startswith(("bytes", "str")):
        return "string"
    raise ValueError(f"{who}: dtype must be float32, int64 or 'string' (the three kinds a tf.train.Example "
                     f"feature holds); received dtype={dtype!r}.")


def spec_shape(shape, who):
    """A feature spec's shape as a tuple of non-negative ints; a ValueError naming ``who`` otherwise."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
    if shape is None or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0 for d in shape):
        raise ValueError(f"{who}: shape must be a list of non-negative ints ([] for a scalar); received "
                         f"shape={shape!r}.")
    return tuple(int(d) for d in shape)


def _values_array(values, dtype):
    if dtype == "string":
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out
    return np.asarray(values, dtype=dtype)


class FixedLenFeature:
    """A feature with exactly ``prod(shape)`` values in every record; ``default_value`` (that many values)
    stands in when a record lacks it, and without one a missing feature is an error."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape = spec_shape(shape, "FixedLenFeature")
        self.dtype = _dtype_name(dtype, "FixedLenFeature")
        self.default_value = None
        if default_value is not None:
            values = np.asarray(default_value, dtype=object if self.dtype == "string" else self.dtype).ravel()
            if values.size != int(np.prod(self.shape)):
                raise ValueError(f"FixedLenFeature: default_value must hold {int(np.prod(self.shape))} values "
                                 f"(shape {list(self.shape)}); received {values.size}.")
            if self.dtype == "string":  # text defaults as the bytes a string feature holds, as TF encodes them
                values = [v.encode("utf-8") if isinstance(v, str) else v for v in values.tolist()]
            else:
                values = values.tolist()
            self.default_value = _values_array(values, self.dtype)

    def __repr__(self):
        return f"FixedLenFeature(shape={list(self.shape)}, dtype={self.dtype!r}, default_value={self.default_value!r})"


class VarLenFeature:
    """A feature with any number of values per record; parses to a SparseTensor."""

    def __init__(self, dtype):
        self.dtype = _dtype_name(dtype, "VarLenFeature")

    def __repr__(self):
        return f"VarLenFeature(dtype={self.dtype!r})"


def _check_spec(features, who):
    if not isinstance(features, dict) or not features:
        raise TypeError(f"{who}: features must be a non-empty dict mapping feature names to FixedLenFeature or "
                        f"VarLenFeature; received {type(features).__name__}.")
    for key, spec in features.items():
        if not isinstance(spec, (FixedLenFeature, VarLenFeature)):
            raise TypeError(f"{who}: features[{key!r}] must be a FixedLenFeature or VarLenFeature; received "
                            f"{type(spec).__name__}.")


def decode(record, message_name, who, where):
    """The ``message_name`` message (Example, SequenceExample) serialized in ``record``; a ValueError naming
    ``who`` and ``where`` for bytes protobuf cannot parse."""
    record = scalar_bytes(record, who, f"{where} must be a serialized tf.train.{message_name} (bytes)")
    from google.protobuf.message import DecodeError
    try:
        return message_classes()[message_name].FromString(record)
    except DecodeError as e:
        raise ValueError(f"{who}: {where} is not a serialized tf.train.{message_name} ({len(record)} bytes that "
                         f"protobuf cannot parse: {e}). Pass records written from "
                         f"train.{message_name}(...).SerializeToString().") from None


def feature_values(feature, dtype, who, what):
    """The values of one ``Feature`` message as a flat array of ``dtype``; ``what`` names it in the error
    for values of another kind."""
    kind = feature.WhichOneof("kind")
    if kind is None:  # an empty Feature holds zero values of any type
        return _values_array([], dtype)
    expected = _KINDS[dtype]
    if kind != expected:
        raise ValueError(f"{who}: {what} holds {_KIND_NAMES[kind]} values, but its spec asks for "
                         f"{_KIND_NAMES[expected]}. Change the spec's dtype to match the data.")
    return _values_array(getattr(feature, kind).value, dtype)


def fixed_shape(values, spec, who, what):
    """``values`` reshaped to ``spec.shape``, or TensorFlow's error when their number differs."""
    size = int(np.prod(spec.shape))
    if values.size != size:
        raise ValueError(f"{who}: {what} has {values.size} values, but its {type(spec).__name__} shape "
                         f"{list(spec.shape)} needs {size}. Fix the shape, or use VarLenFeature for a feature "
                         f"whose length varies.")
    return values.reshape(spec.shape)


def features_values(present, features, who, where):
    """{name: values} of a ``Features`` map by ``features``: FixedLenFeatures shaped, VarLenFeatures flat."""
    out = {}
    for key, spec in features.items():
        if key in present:
            values = feature_values(present[key], spec.dtype, who, f"feature {key!r} in {where}")
        elif isinstance(spec, FixedLenFeature):
            if spec.default_value is None:
                raise ValueError(f"{who}: {where} has no feature {key!r}, which is a FixedLenFeature with no "
                                 f"default_value. Give the spec a default_value, or use VarLenFeature for a "
                                 f"feature that may be missing.")
            values = spec.default_value
        else:
            values = _values_array([], spec.dtype)
        out[key] = fixed_shape(values, spec, who, f"feature {key!r} in {where}") if isinstance(
            spec, FixedLenFeature) else values
    return out


def var_len(values):
    n = values.shape[0]
    return SparseTensor(np.arange(n, dtype=np.int64).reshape(n, 1), values, [n])


def single_outputs(parsed, features):
    """One record's values as parse_single_example gives them: VarLenFeatures as SparseTensors."""
    return {key: var_len(parsed[key]) if isinstance(spec, VarLenFeature) else parsed[key]
            for key, spec in features.items()}


def batch_outputs(records, features):
    """Several records' values as parse_example gives them: FixedLenFeatures stacked to (batch, *shape),
    each VarLenFeature one SparseTensor of dense_shape [batch, longest]."""
    out = {}
    for key, spec in features.items():
        dtype = object if spec.dtype == "string" else spec.dtype
        if isinstance(spec, FixedLenFeature):
            stacked = np.empty((len(records), *spec.shape), dtype=dtype)
            for i, r in enumerate(records):
                stacked[i:i + 1] = r[key][None]  # (a scalar string into an object slot would store the 0-d array)
            out[key] = stacked
        else:
            out[key] = stack([var_len(r[key]) for r in records], 1, dtype)
    return out


def parse_single_example(serialized, features):
    """Parse one serialized tf.train.Example (bytes) into {name: array or SparseTensor} by ``features``."""
    who = "parse_single_example"
    _check_spec(features, who)
    example = decode(serialized, "Example", who, "the record")
    return single_outputs(features_values(example.features.feature, features, who, "the record"), features)


def check_batch(serialized, who, single):
    """``serialized`` as a list of records, refusing one record (bytes) or an array that is not 1-D. A string
    Tensor gives its array; a list may hold 0-d string Tensors (read by scalar_bytes)."""
    serialized = array_of(serialized)
    if isinstance(serialized, (bytes, np.bytes_)) or (isinstance(serialized, np.ndarray) and serialized.ndim != 1):
        raise ValueError(f"{who}: serialized must be a 1-D batch of records (a list or 1-D array of bytes); "
                         f"for one record use {single}.")
    return list(serialized)


def parse_example(serialized, features):
    """Parse a batch (list or 1-D array) of serialized Examples: FixedLenFeatures stack to ``(batch, *shape)``,
    VarLenFeatures give one SparseTensor of dense_shape ``[batch, longest]``."""
    who = "parse_example"
    _check_spec(features, who)
    records = []
    for i, r in enumerate(check_batch(serialized, who, "parse_single_example")):
        where = f"record {i} of the batch"
        records.append(features_values(decode(r, "Example", who, where).features.feature, features, who, where))
    return batch_outputs(records, features)
