"""TensorFlow's ``TensorProto`` and ``TensorShapeProto`` (tensor.proto, tensor_shape.proto, types.proto),
built at runtime from their descriptor with the protobuf package, in a private pool as example_proto's are.

    TensorShapeProto   dim (repeated Dim: size int64 = 1, name string = 2) = 2, unknown_rank bool = 3
    TensorProto        dtype (DataType enum) = 1, tensor_shape = 2, version_number = 3, tensor_content = 4,
                       half_val = 13, float_val = 5, double_val = 6, int_val = 7, string_val = 8,
                       scomplex_val = 9, int64_val = 10, bool_val = 11, dcomplex_val = 12, uint32_val = 16,
                       uint64_val = 17 (the numeric *_val fields packed, as proto3 packs them)

``DTYPES`` lists the DataType numbers dendrite reads and writes: NumPy dtype name -> (number, the name
TensorFlow's messages give the type, the ``*_val`` field that holds its values when ``tensor_content`` is
empty). bfloat16 (14) has no NumPy dtype: its values are read as float32, the type dendrite gives
``tf.bfloat16``. Parsing bytes builds message objects only; nothing in them is ever executed.
"""
from .example_proto import build_classes, field, message, protobuf

DTYPES = {"float32": (1, "float", "float_val"), "float64": (2, "double", "double_val"),
          "int32": (3, "int32", "int_val"), "uint8": (4, "uint8", "int_val"), "int16": (5, "int16", "int_val"),
          "int8": (6, "int8", "int_val"), "string": (7, "string", "string_val"),
          "complex64": (8, "complex64", "scomplex_val"), "int64": (9, "int64", "int64_val"),
          "bool": (10, "bool", "bool_val"), "bfloat16": (14, "bfloat16", "half_val"),
          "uint16": (17, "uint16", "int_val"), "complex128": (18, "complex128", "dcomplex_val"),
          "float16": (19, "half", "half_val"), "uint32": (22, "uint32", "uint32_val"),
          "uint64": (23, "uint64", "uint64_val")}
BY_NUMBER = {number: (name, tf_name, val) for name, (number, tf_name, val) in DTYPES.items()}
OTHER_TYPES = {20: "resource", 21: "variant", 11: "qint8", 12: "quint8", 13: "qint32", 15: "qint16",
               16: "quint16"}  # DataTypes TensorFlow has and dendrite does not hold
_NAMES = ("TensorShapeProto", "TensorProto")
_classes = {}


def _file_descriptor(descriptor_pb2):
    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="dendrite/tensorflow_tensor.proto", package="tensorflow",
                                               syntax="proto3")
    enum = proto.enum_type.add(name="DataType")
    enum.value.add(name="DT_INVALID", number=0)
    for number, (_, tf_name, _) in sorted(BY_NUMBER.items()):
        enum.value.add(name=f"DT_{tf_name.upper()}", number=number)
    for number, name in sorted(OTHER_TYPES.items()):
        enum.value.add(name=f"DT_{name.upper()}", number=number)

    def fld(*args, **kwargs):
        return field(descriptor_pb2, *args, **kwargs)

    repeated = F.LABEL_REPEATED
    dim = descriptor_pb2.DescriptorProto(name="Dim")
    dim.field.add().CopyFrom(fld("size", 1, F.TYPE_INT64))
    dim.field.add().CopyFrom(fld("name", 2, F.TYPE_STRING))
    message(proto, "TensorShapeProto", [fld("dim", 2, F.TYPE_MESSAGE, repeated, ".tensorflow.TensorShapeProto.Dim"),
                                        fld("unknown_rank", 3, F.TYPE_BOOL)], [dim])
    message(proto, "TensorProto", [
        fld("dtype", 1, F.TYPE_ENUM, type_name=".tensorflow.DataType"),
        fld("tensor_shape", 2, F.TYPE_MESSAGE, type_name=".tensorflow.TensorShapeProto"),
        fld("version_number", 3, F.TYPE_INT32), fld("tensor_content", 4, F.TYPE_BYTES),
        fld("half_val", 13, F.TYPE_INT32, repeated), fld("float_val", 5, F.TYPE_FLOAT, repeated),
        fld("double_val", 6, F.TYPE_DOUBLE, repeated), fld("int_val", 7, F.TYPE_INT32, repeated),
        fld("string_val", 8, F.TYPE_BYTES, repeated), fld("scomplex_val", 9, F.TYPE_FLOAT, repeated),
        fld("int64_val", 10, F.TYPE_INT64, repeated), fld("bool_val", 11, F.TYPE_BOOL, repeated),
        fld("dcomplex_val", 12, F.TYPE_DOUBLE, repeated), fld("uint32_val", 16, F.TYPE_UINT32, repeated),
        fld("uint64_val", 17, F.TYPE_UINT64, repeated)])
    return proto


def message_classes():
    """{name: message class} for TensorShapeProto and TensorProto, built once."""
    if not _classes:
        build_classes(_file_descriptor(protobuf()[0]), _NAMES, _classes)
    return _classes
