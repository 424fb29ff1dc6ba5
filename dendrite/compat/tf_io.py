"""``tf.io``'s serialization and SequenceExample functions under the compatibility hooks: dendrite.io's
(NumPy) functions taking Tensors and tf.SparseTensors and giving them back, as TensorFlow's ops do.

``serialize_tensor`` gives a scalar string Tensor (TensorFlow's TensorProto bytes), ``parse_tensor`` the
Tensor back; ``serialize_sparse`` a string Tensor of 3 (``serialize_many_sparse`` (batch, 3)) and
``deserialize_many_sparse`` / ``deserialize_sparse`` a tf.SparseTensor; ``parse_single_example`` /
``parse_example`` dicts of Tensors and tf.SparseTensors, from records given as bytes or as string Tensors (a
TFRecordDataset's elements); the image decoders and ``decode_raw`` a Tensor; ``parse_single_sequence_example``
gives ``(context, feature_lists)`` and ``parse_sequence_example`` ``(context, feature_lists, lengths)``,
dicts of Tensors and tf.SparseTensors. ``encode_jpeg`` / ``encode_png`` give a scalar string Tensor.
"""
import inspect

import numpy as np

from .. import io as _io
from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from ..io import sparse as _sparse
from . import dtypes
from .tensor_api import convert_to_tensor
from .tf_sparse import SparseTensor


def _plain(value):
    """A Tensor argument as the NumPy value dendrite.io takes."""
    return np.asarray(array_of(value)) if isinstance(value, Tensor) else value


def _sparse_in(sp_input, who):
    """A (tf.)SparseTensor as dendrite.io's; anything else a TypeError."""
    _sparse.require(sp_input, f"tf.io.{who}")
    if isinstance(sp_input, SparseTensor):
        return _sparse.SparseTensor(sp_input._indices, np.asarray(sp_input._values.value), sp_input._dense_shape)
    return sp_input


def _out(value):
    """dendrite.io's result as TensorFlow gives it: Tensors, tf.SparseTensors, and dicts of them."""
    if isinstance(value, dict):
        return {k: _out(v) for k, v in value.items()}
    if isinstance(value, _sparse.SparseTensor):
        return SparseTensor(value.indices, value.values, value.dense_shape)
    if isinstance(value, bytes):
        value = np.array(value, dtype=object)
    return Tensor(np.asarray(value))


def _string_out_type(out_type, who):
    if out_type is not None and dtypes.as_dtype(out_type) != dtypes.string:
        raise ValueError(f"tf.io.{who}: dendrite serializes SparseTensors to strings only (out_type=tf.string); "
                         f"received out_type={out_type!r} (TensorFlow's tf.variant form has no NumPy value).")


def serialize_tensor(tensor, name=None):
    """TensorFlow's TensorProto bytes of ``tensor``, as a scalar string Tensor."""
    if isinstance(tensor, _sparse.SparseTensor) or type(tensor).__name__ == "RaggedTensor":
        raise ValueError(f"tf.io.serialize_tensor: Attempt to convert a value ({type(tensor).__name__}) with an "
                         f"unsupported type to a Tensor. Use tf.io.serialize_sparse for a SparseTensor, or "
                         f"serialize a RaggedTensor's flat_values and row_splits.")
    return _out(_io.serialize_tensor(np.asarray(array_of(convert_to_tensor(tensor)))))


def parse_tensor(serialized, out_type, name=None):
    """The Tensor that TensorProto bytes hold; ``out_type`` must be its dtype (TensorFlow's error otherwise)."""
    return _out(_io.parse_tensor(_plain(serialized), out_type))


def serialize_sparse(sp_input, out_type=dtypes.string, name=None):
    """A string Tensor of 3: ``sp_input``'s indices, values and dense_shape, each serialize_tensor'd."""
    _string_out_type(out_type, "serialize_sparse")
    return _out(_io.serialize_sparse(_sparse_in(sp_input, "serialize_sparse")))


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None):
    """A (batch, 3) string Tensor: row i serializes ``sp_input[i]`` (indices in row-major order)."""
    _string_out_type(out_type, "serialize_many_sparse")
    return _out(_io.serialize_many_sparse(_sparse_in(sp_input, "serialize_many_sparse")))


def deserialize_sparse(serialized_sparse, dtype, rank=None, name=None):
    """The tf.SparseTensor of serialize_sparse's 3 strings (of an array of them, shape S + [3], one with the
    leading dimensions S)."""
    return _out(_io.deserialize_sparse(_plain(serialized_sparse), dtype, rank))


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """The tf.SparseTensor of a (batch, 3) string Tensor from serialize_many_sparse, its first dimension the
    batch."""
    return _out(_io.deserialize_many_sparse(_plain(serialized_sparse), dtype, rank))


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None, example_name=None,
                                  name=None):
    """``(context, feature_lists)`` of one serialized tf.train.SequenceExample (see dendrite.io.sequence_parsing)."""
    return tuple(_out(part) for part in _io.parse_single_sequence_example(
        _plain(serialized), context_features, sequence_features, _plain(example_name)))


def parse_sequence_example(serialized, context_features=None, sequence_features=None, example_names=None,
                           name=None):
    """``(context, feature_lists, lengths)`` of a batch of serialized tf.train.SequenceExamples."""
    names = _plain(example_names)
    names = None if names is None else [n.decode() if isinstance(n, bytes) else n for n in np.ravel(names).tolist()]
    return tuple(_out(part) for part in _io.parse_sequence_example(_plain(serialized), context_features,
                                                                   sequence_features, names))


def parse_single_example(serialized, features, example_names=None, name=None):
    """{feature: Tensor or tf.SparseTensor} of one serialized tf.train.Example (bytes or a 0-d string Tensor);
    ``example_names`` names records in TensorFlow's errors only."""
    return _out(_io.parse_single_example(_plain(serialized), features))


def parse_example(serialized, features, example_names=None, name=None):
    """{feature: Tensor or tf.SparseTensor} of a batch (a 1-D string Tensor or list) of serialized Examples."""
    if isinstance(serialized, (list, tuple)):
        serialized = [_plain(s) for s in serialized]
    return _out(_io.parse_example(_plain(serialized), features))


def _tensors(fn):
    """dendrite.io's ``fn`` (an image or bytes codec) taking Tensors and giving a Tensor, with its signature."""
    def decode(contents, *args, **kwargs):
        return _out(fn(_plain(contents), *args, **kwargs))
    decode.__name__, decode.__doc__, decode.__signature__ = fn.__name__, fn.__doc__, inspect.signature(fn)
    return decode


# the JPEG / PNG bytes of an image as a scalar string Tensor; the decoders' arrays as Tensors
encode_jpeg, encode_png, decode_raw, decode_png, decode_jpeg, decode_image, decode_gif, decode_bmp = (
    _tensors(getattr(_io, n)) for n in "encode_jpeg encode_png decode_raw decode_png decode_jpeg decode_image "
                                       "decode_gif decode_bmp".split())

NAMES = ("parse_single_example parse_example decode_raw decode_png decode_jpeg decode_image decode_gif decode_bmp "
         "serialize_tensor parse_tensor serialize_sparse serialize_many_sparse deserialize_sparse "
         "deserialize_many_sparse parse_single_sequence_example parse_sequence_example encode_jpeg encode_png")
