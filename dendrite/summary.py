"""TensorBoard summaries as TensorFlow 2 programs write them from their own training loops (``tf.summary``):

    writer = summary.create_file_writer("logs/train")
    with writer.as_default():
        summary.scalar("loss", loss, step=epoch)

A writer made the default (``as_default()`` for a block, ``set_as_default()`` for good) receives what
``scalar``, ``histogram``, ``image`` and ``text`` write, at the ``step`` given, or at the default step set by
``as_default(step=...)`` / ``experimental.set_step``. With no default writer, or inside ``record_if(False)``,
they write nothing and return False, as TensorFlow's do. The event files are written through tensorboardX
(the optional extra ``dendrite[tensorboard]``), as the TensorBoard callback's are, so TensorBoard reads them.

dendrite runs everything eagerly and has no graphs: ``trace_on`` / ``trace_export`` accept their arguments
and record nothing (said once on stderr); ``audio`` and raw protocol buffers are not written.
"""
import atexit
import contextlib
import importlib
import itertools
import os
import sys
import threading
import time
import types
import weakref

import numpy as np

__all__ = ["SummaryWriter", "create_file_writer", "create_noop_writer", "scalar", "histogram", "image", "text",
           "flush", "record_if", "should_record_summaries", "graph", "write", "audio", "trace_on", "trace_off", "trace_export", "experimental"]

_state = threading.local()  # per thread, as TensorFlow keeps them: the default writer, the step, record_if
_SAID = set()  # the notes said once
_FILES = itertools.count()  # numbers the event files of this process
_OPEN = weakref.WeakSet()  # open writers, flushed at exit


@atexit.register
def _flush_at_exit():
    for writer in list(_OPEN):
        writer.flush()


def _get(name, default=None):
    return getattr(_state, name, default)


def _number(value, what):
    """A Python number from a tensor, a Variable, a NumPy value or a number."""
    array = np.asarray(value)
    if array.size != 1:
        raise ValueError(f"tf.summary: `{what}` must be a scalar; received a value of shape {array.shape}.")
    return array.reshape(()).item()


class SummaryWriter:
    """A writer of TensorBoard event files into ``logdir`` (``create_file_writer``). The file is opened at
    once, as TensorFlow opens it. Events are written in the calling thread and reach the disk on ``flush``
    (also on leaving ``as_default``, every ``max_queue`` events, after ``flush_millis``, on ``close`` and at
    exit), so that a flushed file holds every summary written before."""

    def __init__(self, logdir, max_queue=None, flush_millis=None, filename_suffix=None, name=None):
        from .callbacks.tensorboard import _tensorboardx
        if not isinstance(logdir, (str, bytes, os.PathLike)) or not os.fspath(logdir):
            raise ValueError(f"create_file_writer: `logdir` must be a folder path; received {logdir!r}.")
        tensorboardx = _tensorboardx()
        from tensorboardX.event_file_writer import EventsWriter
        self.logdir = os.fsdecode(logdir)
        self.name = name
        os.makedirs(self.logdir, exist_ok=True)
        # a file of its own (TensorFlow's names end in .<pid>.<n>.v2): two writers opened in one second would
        # otherwise share the file name (time and host), the second overwriting the first's events
        suffix = f".{os.getpid()}.{next(_FILES)}.v2{filename_suffix or ''}"
        self._file = EventsWriter(os.path.join(self.logdir, "events"), suffix)
        self._summaries, self._event_pb2 = tensorboardx.summary, importlib.import_module(
            "tensorboardX.proto.event_pb2")
        self._max_queue = int(max_queue or 10)
        self._flush_seconds = 120.0 if flush_millis is None else float(flush_millis) / 1000
        self._pending, self._flushed_at = 0, time.monotonic()
        self._closed = False
        _OPEN.add(self)

    def _write(self, summary, step):
        if self._closed:
            raise RuntimeError(f"tf.summary: the writer of {self.logdir!r} is closed; create a new one with "
                               "tf.summary.create_file_writer.")
        self._file.write_event(self._event_pb2.Event(wall_time=time.time(), step=step, summary=summary))
        self._pending += 1
        if self._pending >= self._max_queue or time.monotonic() - self._flushed_at >= self._flush_seconds:
            self.flush()

    @contextlib.contextmanager
    def as_default(self, step=None):
        """The default writer (and, when given, the default step) inside the block; flushed on leaving it."""
        before = (_get("writer"), _get("step"))
        _state.writer = self
        if step is not None:
            _state.step = step
        try:
            yield self
        finally:
            _state.writer, _state.step = before
            self.flush()

    def set_as_default(self, step=None):
        """Make this the default writer (and ``step`` the default step) from now on."""
        _state.writer = self
        if step is not None:
            _state.step = step

    def init(self):
        """(The file is opened when the writer is made.)"""

    def flush(self):
        if not self._closed:
            self._file.flush()
            self._pending, self._flushed_at = 0, time.monotonic()

    def close(self):
        if not self._closed:
            self._file.close()
            self._closed = True
            _OPEN.discard(self)

    def __del__(self):  # as TensorFlow's: a writer no longer referenced is closed (its events kept)
        if not getattr(self, "_closed", True):
            self.close()

    def __repr__(self):
        return f"<SummaryWriter logdir={self.logdir!r}>"


class _NoopWriter(SummaryWriter):
    """A writer that writes nothing (``create_noop_writer``)."""

    def __init__(self):
        self.logdir, self.name, self._closed = None, None, False

    def flush(self):
        pass

    def close(self):
        pass


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None, name=None,
                       experimental_trackable=False, experimental_mesh=None):
    """A :class:`SummaryWriter` on a new event file in ``logdir`` (made if missing)."""
    return SummaryWriter(logdir, max_queue, flush_millis, filename_suffix, name)


def create_noop_writer():
    return _NoopWriter()


@contextlib.contextmanager
def record_if(condition):
    """Inside, summaries are written only while ``condition`` (a bool, or a function called at each write)
    holds."""
    before = _get("record_if", True)
    _state.record_if = condition
    try:
        yield
    finally:
        _state.record_if = before


def should_record_summaries():
    """Whether a summary written now would be recorded: a default writer exists and record_if allows it."""
    writer = _get("writer")
    if writer is None:
        return False
    condition = _get("record_if", True)
    return bool(condition() if callable(condition) else _number(condition, "record_if condition"))


def flush(writer=None, name=None):
    """Flush ``writer``, or the default writer."""
    writer = writer if writer is not None else _get("writer")
    if writer is not None:
        writer.flush()


def _target(name, step, what):
    """(writer, tag, step) for a summary to write now, or None when none is recorded."""
    if not should_record_summaries():
        return None
    if not isinstance(name, str) or not name:
        raise ValueError(f"tf.summary.{what}: `name` must be a non-empty string; received {name!r}.")
    step = step if step is not None else _get("step")
    if step is None:
        raise ValueError(f"tf.summary.{what}: no step set. Give one with the `step` argument, with "
                         "writer.as_default(step=...), or with tf.summary.experimental.set_step(step).")
    writer = _get("writer")
    if isinstance(writer, _NoopWriter):
        return None
    return writer, name, int(_number(step, "step"))


def scalar(name, data, step=None, description=None):
    """Write the scalar ``data`` under ``name`` at ``step``; True if written."""
    target = _target(name, step, "scalar")
    if target is None:
        return False
    writer, tag, step = target
    writer._write(writer._summaries.scalar(tag, float(_number(data, "data"))), step)
    return True


def histogram(name, data, step=None, buckets=None, description=None):
    """Write the distribution of the values of ``data`` (any shape) in ``buckets`` buckets (30 by default)."""
    target = _target(name, step, "histogram")
    if target is None:
        return False
    writer, tag, step = target
    values = np.asarray(data).astype(np.float64).ravel()
    if values.size == 0:
        return False
    writer._write(writer._summaries.histogram(tag, values, int(buckets or 30)), step)
    return True


def image(name, data, step=None, max_outputs=3, description=None):
    """Write up to ``max_outputs`` images of ``data``, shaped (k, height, width, channels) with 1, 3 or 4
    channels: floats in [0, 1] or uint8 values."""
    target = _target(name, step, "image")
    if target is None:
        return False
    images = np.asarray(data)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError("tf.summary.image: `data` must have shape (k, height, width, channels) with 1, 3 or 4 "
                         f"channels; received shape {images.shape}. Add the batch axis with images[None] for one "
                         "image, and the channel axis with [..., None] for grayscale.")
    writer, tag, step = target
    images = images[:max(int(max_outputs), 0)]
    if images.dtype != np.uint8:
        images = np.clip(images.astype(np.float32), 0.0, 1.0)
    for i, picture in enumerate(images):
        tagged = tag if len(images) == 1 else f"{tag}/image/{i}"
        writer._write(writer._summaries.image(tagged, picture, dataformats="HWC"), step)
    return True


def text(name, data, step=None, description=None):
    """Write a string (or each string of an array of strings, one per line) as text."""
    target = _target(name, step, "text")
    if target is None:
        return False
    values = np.asarray(data)
    strings = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values.ravel()]
    writer, tag, step = target
    writer._write(writer._summaries.text(tag, "\n\n".join(strings)), step)
    return True


def _no_graphs(what):
    if what not in _SAID:
        _SAID.add(what)
        print(f"dendrite: tf.summary.{what}: dendrite runs eagerly and has no graphs or profiles to trace; "
              "nothing is recorded.", file=sys.stderr)


def graph(graph_data):
    """``tf.summary.graph``: there is no graph to record (dendrite runs eagerly); says so once."""
    _no_graphs("graph")
    return False


def write(tag, tensor, step=None, metadata=None, name=None):
    """``tf.summary.write``: a scalar ``tensor`` is written as a scalar summary under ``tag``; True if written."""
    array = np.asarray(tensor)
    if array.size != 1 or array.dtype.kind not in "biuf":
        raise NotImplementedError(f"tf.summary.write: dendrite writes scalar numbers only (received shape "
                                  f"{array.shape}, dtype {array.dtype}); use tf.summary.histogram, image or text "
                                  "for other data (see docs/compat.md).")
    return scalar(tag, array, step=step)


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    raise NotImplementedError("tf.summary.audio is not provided by dendrite (its event files hold scalars, "
                              "histograms, images and text; see docs/compat.md).")


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    _no_graphs("trace_on")


def trace_off():
    pass


def trace_export(name, step=None, profiler_outdir=None):
    _no_graphs("trace_export")


def _get_step():
    return _get("step")


def _set_step(step):
    _state.step = step


@contextlib.contextmanager
def _summary_scope(name, default_name=None, values=None):
    tag = name or default_name
    yield tag, tag


def _write_raw_pb(tensor, step=None, name=None):
    """``tf.summary.experimental.write_raw_pb``: serialized Summary protos (bytes, or a string tensor of them)
    written as they are, as TensorBoard's plugins (the hparams API) write theirs; True if written."""
    values = np.asarray(getattr(tensor, "value", tensor), dtype=object).ravel()
    target = _target(name or "raw_pb", step, "experimental.write_raw_pb")
    if target is None:
        return False
    writer, _, step = target
    summary_pb2 = importlib.import_module("tensorboardX.proto.summary_pb2")
    for value in values:
        if not isinstance(value, (bytes, np.bytes_)):
            raise TypeError(f"tf.summary.experimental.write_raw_pb: expected serialized Summary protos (bytes); "
                            f"received {type(value).__name__}.")
        writer._write(summary_pb2.Summary.FromString(bytes(value)), step)
    return True


experimental = types.SimpleNamespace(get_step=_get_step, set_step=_set_step, summary_scope=_summary_scope,
                                     write_raw_pb=_write_raw_pb)
