"""``dendrite.train``: the tf.train.Example message classes, for writing and reading TFRecord files::

    example = train.Example(features=train.Features(feature={
        "label": train.Feature(int64_list=train.Int64List(value=[3])),
        "image": train.Feature(bytes_list=train.BytesList(value=[png_bytes]))}))
    record = example.SerializeToString()

They are protobuf messages built from TensorFlow's definitions (see dendrite.io.example_proto); protobuf is
the optional ``tfrecord`` extra, needed only when one of them is used.

``Checkpoint``, ``CheckpointManager`` and ``latest_checkpoint`` save and restore the state of named objects
(dendrite.saving.object_checkpoint).
"""
from .io import example_proto as _example_proto

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList", "FeatureLists", "Example",
           "SequenceExample", "Checkpoint", "CheckpointManager", "latest_checkpoint"]
_CHECKPOINTS = ("Checkpoint", "CheckpointManager", "latest_checkpoint")


def __getattr__(name):
    if name in _CHECKPOINTS:
        from .saving import object_checkpoint
        return getattr(object_checkpoint, name)
    if name in __all__:
        return getattr(_example_proto, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
