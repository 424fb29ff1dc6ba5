"""The ``tf.train.Example`` messages, built at runtime from their descriptor with the protobuf package.

The definitions are those of TensorFlow's feature.proto and example.proto (package ``tensorflow``, proto3):
``BytesList``, ``FloatList`` and ``Int64List`` (one repeated ``value`` field each; the numeric ones packed),
``Feature`` (a oneof of the three lists), ``Features`` (a map from name to Feature), ``FeatureList``,
``FeatureLists``, ``Example`` (one Features) and ``SequenceExample``. Their wire format is therefore
TensorFlow's, so records either side writes parse on the other. The messages live in a private descriptor
pool, so they never clash with TensorFlow's own classes when both are imported in one process.

protobuf is an optional extra: without it, touching any of these raises an ImportError saying how to
install it.
"""
_NAMES = ("BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList", "FeatureLists",
          "Example", "SequenceExample")
_classes = {}


def protobuf():
    """The protobuf modules this needs, or an ImportError that says how to install them."""
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError:
        raise ImportError('tf.train.Example records need the protobuf package: pip install "dendrite[tfrecord]" '
                          "(or pip install protobuf).") from None
    return descriptor_pb2, descriptor_pool, message_factory


def field(descriptor_pb2, name, number, type_, label=None, type_name=None, oneof=None):
    """A FieldDescriptorProto (``type_`` / ``label`` as FieldDescriptorProto's TYPE_* / LABEL_* numbers)."""
    F = descriptor_pb2.FieldDescriptorProto
    f = F(name=name, number=number, type=type_, label=F.LABEL_OPTIONAL if label is None else label, json_name=name)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    return f


def message(container, name, fields, nested=()):
    """Add a message ``name`` with ``fields`` (and ``nested`` DescriptorProtos) to a file or message proto."""
    m = (container.message_type if hasattr(container, "message_type") else container.nested_type).add(name=name)
    for nested_msg in nested:
        m.nested_type.add().CopyFrom(nested_msg)
    for f in fields:
        m.field.add().CopyFrom(f)
    return m


def build_classes(file_proto, names, into):
    """Fill ``into`` with {name: message class} for ``names`` of ``file_proto``, made in a private pool."""
    _, descriptor_pool, message_factory = protobuf()
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    for name in names:
        into[name] = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{file_proto.package}.{name}"))
    return into


def _file_descriptor(descriptor_pb2):
    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="dendrite/tensorflow_example.proto", package="tensorflow",
                                               syntax="proto3")

    def fld(*args, **kwargs):
        return field(descriptor_pb2, *args, **kwargs)

    repeated = F.LABEL_REPEATED
    message(proto, "BytesList", [fld("value", 1, F.TYPE_BYTES, repeated)])
    message(proto, "FloatList", [fld("value", 1, F.TYPE_FLOAT, repeated)])
    message(proto, "Int64List", [fld("value", 1, F.TYPE_INT64, repeated)])
    feature = message(proto, "Feature", [
        fld("bytes_list", 1, F.TYPE_MESSAGE, type_name=".tensorflow.BytesList", oneof=0),
        fld("float_list", 2, F.TYPE_MESSAGE, type_name=".tensorflow.FloatList", oneof=0),
        fld("int64_list", 3, F.TYPE_MESSAGE, type_name=".tensorflow.Int64List", oneof=0)])
    feature.oneof_decl.add(name="kind")

    def map_entry(entry_name, value_type):
        entry = descriptor_pb2.DescriptorProto(name=entry_name)
        entry.field.add().CopyFrom(fld("key", 1, F.TYPE_STRING))
        entry.field.add().CopyFrom(fld("value", 2, F.TYPE_MESSAGE, type_name=value_type))
        entry.options.map_entry = True
        return entry

    message(proto, "Features", [fld("feature", 1, F.TYPE_MESSAGE, repeated, ".tensorflow.Features.FeatureEntry")],
            [map_entry("FeatureEntry", ".tensorflow.Feature")])
    message(proto, "FeatureList", [fld("feature", 1, F.TYPE_MESSAGE, repeated, ".tensorflow.Feature")])
    message(proto, "FeatureLists",
            [fld("feature_list", 1, F.TYPE_MESSAGE, repeated, ".tensorflow.FeatureLists.FeatureListEntry")],
            [map_entry("FeatureListEntry", ".tensorflow.FeatureList")])
    message(proto, "Example", [fld("features", 1, F.TYPE_MESSAGE, type_name=".tensorflow.Features")])
    message(proto, "SequenceExample", [fld("context", 1, F.TYPE_MESSAGE, type_name=".tensorflow.Features"),
                                       fld("feature_lists", 2, F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")])
    return proto


def message_classes():
    """{name: message class} for the nine messages, built once."""
    if not _classes:
        build_classes(_file_descriptor(protobuf()[0]), _NAMES, _classes)
    return _classes


def __getattr__(name):  # the classes are made on first use, so importing dendrite never needs protobuf
    if name in _NAMES:
        return message_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
