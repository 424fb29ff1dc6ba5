"""``dendrite.io``: tf.io's file and record functions on NumPy values.

- TFRecord files: ``tf_record_iterator`` (read), ``TFRecordWriter`` / ``TFRecordOptions`` (write),
  ``DataLossError`` for truncated or corrupted files; CRC-32C in ``io.crc32c``.
- tf.train.Example records: ``parse_single_example``, ``parse_example``, ``FixedLenFeature``,
  ``VarLenFeature``; variable-length features parse to ``SparseTensor`` (``io.sparse.to_dense``). The message
  classes are in ``dendrite.train``.
"""
from . import crc32c, sparse
from .example_proto import message_classes
from .parsing import FixedLenFeature, VarLenFeature, parse_example, parse_single_example
from .sparse import SparseTensor
from .tfrecord import DataLossError, TFRecordOptions, TFRecordWriter, tf_record_iterator

__all__ = ["crc32c", "sparse", "message_classes", "FixedLenFeature", "VarLenFeature", "parse_example",
           "parse_single_example", "SparseTensor", "DataLossError", "TFRecordOptions", "TFRecordWriter",
           "tf_record_iterator"]
