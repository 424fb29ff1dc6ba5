"""``tf.compat.v1.summary``: TensorFlow 1's summaries. ``scalar`` / ``histogram`` / ``text`` / ``image`` give
a serialized ``Summary`` message (bytes), deferred in graph mode like any tensor, and join the graph's
``summaries`` collection; ``merge_all()`` / ``merge()`` join several into one; ``FileWriter(logdir,
sess.graph).add_summary(summary, step)`` writes them to a TensorBoard event file through dendrite.summary's
writer (tensorboardX). The graph itself is not written: dendrite's graphs are Python objects, not GraphDefs.
TensorFlow 2's ``tf.summary`` names (``create_file_writer``, ...) are served too."""
import numpy as np

from ..autodiff.tensor import array_of
from . import tf_graph


def _tensorboardx():
    from ..callbacks.tensorboard import _tensorboardx as load
    return load()


def _proto():
    _tensorboardx()
    from tensorboardX.proto import summary_pb2
    return summary_pb2


def _collect(summary, collections):
    graph = tf_graph.get_default_graph()
    for key in collections or ["summaries"]:
        graph.add_to_collection(key, summary)
    return summary


def _summary(make, name, value, collections):
    """``make(tag, array)`` as bytes: now for a value, in a run for a deferred tensor."""
    def serialize(v):
        return make(name, np.asarray(array_of(v))).SerializeToString()
    if isinstance(value, tf_graph.Node) or isinstance(value, tf_graph.GraphVariable):
        return _collect(tf_graph.Node(serialize, (value,), type_="ScalarSummary", name=name), collections)
    return _collect(serialize(value), collections)


def scalar(name, tensor, collections=None, family=None):
    tb = _tensorboardx()
    return _summary(lambda tag, a: tb.summary.scalar(tag, float(a)), name, tensor, collections)


def histogram(name, values, collections=None, family=None):
    tb = _tensorboardx()
    return _summary(lambda tag, a: tb.summary.histogram(tag, a.astype(np.float64).ravel(), 30), name,
                    values, collections)


def text(name, tensor, collections=None):
    tb = _tensorboardx()
    return _summary(lambda tag, a: tb.summary.text(tag, str(a.item() if a.ndim == 0 else a)), name, tensor,
                    collections)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    tb = _tensorboardx()

    def make(tag, images):
        images = images[:max_outputs]
        summaries = [tb.summary.image(f"{tag}/image/{i}" if len(images) > 1 else f"{tag}/image", img,
                                      dataformats="HWC") for i, img in enumerate(images)]
        out = summaries[0]
        for more in summaries[1:]:
            out.value.extend(more.value)
        return out
    return _summary(make, name, tensor, collections)


def _merged(parts):
    out = _proto().Summary()
    for part in parts:
        if part is None:
            continue
        one = _proto().Summary()
        one.ParseFromString(bytes(part) if not isinstance(part, bytes) else part)
        out.value.extend(one.value)
    return out.SerializeToString()


def merge(inputs, collections=None, name=None):
    """One summary holding the values of ``inputs`` (summaries, deferred or not)."""
    inputs = list(inputs)
    if any(isinstance(i, tf_graph.Node) for i in inputs):
        return tf_graph.Node(lambda *parts: _merged(parts), tuple(inputs), type_="MergeSummary", name=name)
    return _merged(inputs)


def merge_all(key="summaries", scope=None, name=None):
    """The summaries of the graph's ``key`` collection merged, or None when there are none (as TensorFlow)."""
    summaries = tf_graph.get_default_graph().get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None


class FileWriter:
    """``tf.compat.v1.summary.FileWriter(logdir, graph=None)``: ``add_summary(summary, global_step)`` writes a
    summary (the bytes a run gave, or a Summary message) to ``logdir``'s event file."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        from ..summary import SummaryWriter
        self._writer = SummaryWriter(logdir, max_queue=max_queue, flush_millis=flush_secs * 1000,
                                     filename_suffix=filename_suffix)
        self._logdir = self._writer.logdir

    def add_summary(self, summary, global_step=None):
        if isinstance(summary, (bytes, bytearray)):
            parsed = _proto().Summary()
            parsed.ParseFromString(bytes(summary))
            summary = parsed
        elif not hasattr(summary, "value"):
            raise TypeError(f"FileWriter.add_summary: expected the summary a session run gave (bytes) or a Summary "
                            f"message; received {type(summary).__name__}.")
        self._writer._write(summary, int(np.asarray(array_of(global_step))) if global_step is not None else 0)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """(dendrite's graphs are Python objects with no GraphDef to write; TensorBoard's graph tab stays empty.)"""

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """(No run metadata: dendrite does not trace runs.)"""

    def get_logdir(self):
        return self._logdir

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()

    def reopen(self):
        """(The writer stays open until close.)"""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def namespace():
    from ._namespace import Namespace, dendrite_module
    members = dict(scalar=scalar, histogram=histogram, text=text, image=image, merge=merge, merge_all=merge_all,
                   FileWriter=FileWriter)
    return Namespace("tensorflow.compat.v1.summary", __doc__, members=members,
                     sources=(dendrite_module("summary", "tf.compat.v1.summary")(),))
