"""`TensorBoard`: the logs of fit and evaluate as TensorBoard event files, with the tags Keras 3 writes.

The files are written through tensorboardX (the optional extra ``dendrite[tensorboard]``) into
``log_dir/train`` and ``log_dir/validation``:

- per epoch: ``epoch_<name>`` for each logs key (``epoch_loss``, ``epoch_accuracy``, ...; the ``val_`` keys go
  to validation without their prefix), ``epoch_learning_rate`` (the optimizer's rate at the epoch's end) and,
  with ``write_steps_per_second``, ``epoch_steps_per_second``; the step is the epoch (0-based);
- per batch, with ``update_freq`` N (or 'batch' for 1): ``batch_<name>`` (and ``batch_steps_per_second``)
  every N batches, the step counting the batches of the fit from 1;
- at each evaluation's end (fit's validation or ``evaluate``): ``evaluation_<name>_vs_iterations`` in validation,
  the step being ``optimizer.iterations``;
- every ``histogram_freq`` epochs: a histogram of each weight of each layer, tagged ``<weight path>/histogram``
  (``dense/kernel/histogram``), and with ``write_images`` the weight as images, ``<weight path>/image``;
- with ``write_graph``: the model's config as JSON, tagged ``keras`` with the ``graph_keras_model`` plugin, at
  step 0: what Keras writes and TensorBoard's Graphs tab draws as the model's conceptual graph.
"""
import os
import time
import warnings

import numpy as np

from dendrite import backend
from dendrite.callbacks.base import Callback, _check_non_negative_int


def _tensorboardx():
    try:
        import tensorboardX
    except ImportError as e:
        raise ImportError("The TensorBoard callback writes its event files through tensorboardX, which is not "
                          "installed. Install it with: pip install \"dendrite[tensorboard]\" (or pip install "
                          "tensorboardX).") from e
    return tensorboardX


def _profile_range(profile_batch):
    """Keras's check of ``profile_batch``: a non-negative int, a pair (start, stop), or 'start,stop'."""
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            value = None
        value = value[0] if value is not None and len(value) == 1 else value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        start = stop = int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        start, stop = (int(v) for v in value)
    else:
        start, stop = -1, -1
    if start < 0 or stop < start:
        raise ValueError("TensorBoard: `profile_batch` must be a non-negative integer or a pair of positive "
                         f"integers (start, stop), the batches to profile. Received: profile_batch={profile_batch!r}")
    return start, stop


def weight_images(value):
    """A weight as Keras lays it out for TensorBoard: a batch of grey images (N, H, W, 1), or None when it has
    no such form. A bias is one column, a 2-D kernel one image (transposed to be wider than tall), a 3-D
    kernel (a conv kernel once its axes of 1 are squeezed) one image per output channel."""
    w = np.squeeze(np.asarray(value, dtype=np.float32))
    if w.ndim == 1:
        w = w.reshape(1, w.shape[0], 1, 1)
    elif w.ndim == 2:
        if w.shape[0] > w.shape[1]:
            w = w.T
        w = w.reshape(1, w.shape[0], w.shape[1], 1)
    elif w.ndim == 3:
        if backend.image_data_format() == "channels_last":
            w = np.transpose(w, (2, 0, 1))  # one image per channel of the last axis
        w = w.reshape(w.shape + (1,))
    return w if w.ndim == 4 and w.shape[-1] in (1, 3, 4) else None


class TensorBoard(Callback):
    """Write fit's and evaluate's logs, weight histograms, weight images and the model's graph for TensorBoard.

    Args:
        log_dir: the folder for the event files (``train/`` and ``validation/`` under it); one run per folder.
        histogram_freq: every how many epochs to write the weights' histograms (0: never); epochs 0, f, 2f, ...
        write_graph: write the model's config (the Keras conceptual graph, see the module's doc).
        write_images: with histograms, also write each weight as images (as tf.summary.image, float values
            are clipped to [0, 1]; several images of one weight are tiled into one).
        write_steps_per_second: also write the training steps per second (per epoch, and per batch with
            update_freq).
        update_freq: 'epoch', 'batch' or an integer N: write the batch logs every N batches as well.
        profile_batch: checked as Keras checks it, then ignored: dendrite has no profiler to trace with.
        embeddings_freq, embeddings_metadata: checked (metadata names Embedding layers), then ignored: Keras 3
            writes the projector a weights file it cannot read, and dendrite writes no projector data.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        self._tbx = _tensorboardx()
        self.log_dir = str(log_dir)
        self.histogram_freq = _check_non_negative_int("TensorBoard", "histogram_freq", histogram_freq)
        self.write_graph, self.write_images = bool(write_graph), bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch":
            if _check_non_negative_int("TensorBoard", "update_freq", update_freq) == 0:
                raise ValueError("TensorBoard: `update_freq` must be 'epoch', 'batch' or a positive integer (a "
                                 "number of batches). Received: update_freq=0")
        self.update_freq = update_freq
        self.profile_batch = _profile_range(profile_batch)
        self.embeddings_freq = _check_non_negative_int("TensorBoard", "embeddings_freq", embeddings_freq)
        if embeddings_metadata is not None and not isinstance(embeddings_metadata, (str, dict)):
            raise ValueError("TensorBoard: `embeddings_metadata` must be a file name or a dict from Embedding layer "
                             f"names to file names. Received: embeddings_metadata={embeddings_metadata!r}")
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._in_fit = False

    # ---------------------------------------------------------------- writers
    def _writer(self, name):
        """The SummaryWriter of ``log_dir/train`` or ``log_dir/validation``, opened when first written to."""
        if name not in self._writers:
            self._writers[name] = self._tbx.SummaryWriter(os.path.join(self.log_dir, name))
        return self._writers[name]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def __del__(self):  # a fit that raised never reached on_train_end: its writers' threads and files end here
        try:
            self._close_writers()
        except Exception:  # interpreter shutdown: nothing left to close with
            pass

    def _scalars(self, writer, prefix, logs, step, drop_prefix=""):
        for name, value in logs.items():
            if drop_prefix and name.startswith(drop_prefix):
                name = name[len(drop_prefix):]
            if np.ndim(value) == 0 and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
                self._writer(writer).add_scalar(f"{prefix}{name}", float(value), step)

    def _iterations(self):
        optimizer = self.model.optimizer
        return None if optimizer is None else int(optimizer.iterations.value)

    # ---------------------------------------------------------------- fit
    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._global_train_batch = 0
        if self.embeddings_metadata is not None and not isinstance(self.embeddings_metadata, str):
            from dendrite.layers import Embedding
            names = {layer.name for layer in self.model.layers if isinstance(layer, Embedding)}
            unknown = sorted(set(self.embeddings_metadata) - names)
            if unknown:
                raise ValueError(f"TensorBoard: `embeddings_metadata` names {unknown}, which are not Embedding "
                                 f"layers of the model (its Embedding layers: {sorted(names)}).")
        if self.write_graph:
            self._write_model_graph()

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = (time.time(), self._iterations() or 0)

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        step = self._global_train_batch
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start, 1e-9)
            self._writer("train").add_scalar("batch_steps_per_second", 1.0 / elapsed, step)
        if isinstance(logs, dict):
            self._scalars("train", "batch_", logs, step)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k: v for k, v in logs.items() if k.startswith("val_")}
        if self.model.optimizer is not None:
            train["learning_rate"] = float(self.model.optimizer.learning_rate)
        if self.write_steps_per_second:
            start, iterations = self._epoch_start
            train["steps_per_second"] = ((self._iterations() or 0) - iterations) / max(time.time() - start, 1e-9)
        if logs:
            self._scalars("train", "epoch_", train, epoch)
        if val:
            self._scalars("validation", "epoch_", val, epoch, drop_prefix="val_")
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_weights(epoch)
        for writer in self._writers.values():
            writer.flush()

    # ---------------------------------------------------------------- evaluate
    def on_test_end(self, logs=None):
        step = self._iterations()
        if step is not None and logs:
            self._scalars("validation", "evaluation_", {f"{k}_vs_iterations": v for k, v in logs.items()}, step)
        if self._in_fit:
            self._writer("validation").flush()
        else:  # evaluate on its own: nothing else will close the file
            self._close_writers()

    # ---------------------------------------------------------------- weights and graph
    def _write_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                value = np.asarray(weight.value)
                writer.add_histogram(f"{name}/histogram", value.astype(np.float64), epoch)
                images = weight_images(value) if self.write_images else None
                if images is not None:
                    writer.add_images(f"{name}/image", np.clip(images, 0.0, 1.0), epoch, dataformats="NHWC")

    def _write_model_graph(self):
        """The model's JSON config as Keras 3's keras_model_summary writes it (plugin 'graph_keras_model')."""
        try:
            config = self.model.to_json()
        except Exception as e:  # as Keras: a model that cannot be written as JSON gets no graph, and a warning
            warnings.warn(f"TensorBoard: the model could not be written as JSON, so no graph is written: {e}",
                          stacklevel=2)
            return
        from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboardX.proto.tensor_pb2 import TensorProto
        from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto
        metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model",
                                                                            content=b"1"))
        tensor = TensorProto(dtype="DT_STRING", string_val=[config.encode("utf-8")], tensor_shape=TensorShapeProto())
        summary = Summary(value=[Summary.Value(tag="keras", tensor=tensor, metadata=metadata)])
        self._writer("train")._get_file_writer().add_summary(summary, 0)
