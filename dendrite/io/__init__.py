"""``dendrite.io``: tf.io's file and record functions on NumPy values.

- TFRecord files: ``tf_record_iterator`` (read), ``TFRecordWriter`` / ``TFRecordOptions`` (write),
  ``DataLossError`` for truncated or corrupted files; CRC-32C in ``io.crc32c``.
- tf.train.Example records: ``parse_single_example``, ``parse_example``, ``FixedLenFeature``,
  ``VarLenFeature``; variable-length features parse to ``SparseTensor`` (``io.sparse.to_dense``). The message
  classes are in ``dendrite.train``.
- tf.train.SequenceExample records: ``parse_single_sequence_example``, ``parse_sequence_example``, with
  ``FixedLenSequenceFeature`` for feature lists (io.sequence_parsing).
- Tensors as bytes (TensorFlow's TensorProto, io.tensor_proto): ``serialize_tensor``, ``parse_tensor``;
  SparseTensors: ``serialize_sparse``, ``serialize_many_sparse``, ``deserialize_sparse``,
  ``deserialize_many_sparse`` (io.serialization).
- Bytes and files: ``decode_raw``, ``read_file``, ``write_file``.
- Images (Pillow): ``decode_image``, ``decode_png``, ``decode_jpeg``, ``decode_gif``, ``decode_bmp``,
  ``encode_png``, ``encode_jpeg`` (also in dendrite.image).
"""
from . import crc32c, sparse
from .example_proto import message_classes
from .image_codecs import decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png
from .raw import decode_raw, read_file, write_file
from .parsing import FixedLenFeature, VarLenFeature, parse_example, parse_single_example
from .sequence_parsing import FixedLenSequenceFeature, parse_sequence_example, parse_single_sequence_example
from .serialization import (deserialize_many_sparse, deserialize_sparse, parse_tensor, serialize_many_sparse,
                            serialize_sparse, serialize_tensor)
from .sparse import SparseTensor
from .tfrecord import DataLossError, TFRecordOptions, TFRecordWriter, tf_record_iterator

__all__ = ["crc32c", "sparse", "message_classes", "FixedLenFeature", "VarLenFeature", "parse_example",
           "parse_single_example", "SparseTensor", "DataLossError", "TFRecordOptions", "TFRecordWriter",
           "tf_record_iterator", "decode_raw", "read_file", "write_file", "decode_bmp", "decode_gif", "decode_image",
           "decode_jpeg", "decode_png", "encode_jpeg", "encode_png", "FixedLenSequenceFeature",
           "parse_sequence_example", "parse_single_sequence_example", "serialize_tensor", "parse_tensor",
           "serialize_sparse", "serialize_many_sparse", "deserialize_sparse", "deserialize_many_sparse"]
