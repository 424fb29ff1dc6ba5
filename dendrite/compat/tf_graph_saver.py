"""``tf.compat.v1.train.Saver`` and meta graphs. ``Saver.save`` writes the variables under their graph names in
dendrite's checkpoint format (as tf.train.Checkpoint: ``<prefix>.index`` + ``<prefix>.data-00000-of-00001`` and
the folder's ``checkpoint`` file) and a ``<prefix>.meta`` file: dendrite's meta graph, a JSON list of the
variables (name, shape, dtype, trainable). ``import_meta_graph(path)`` makes those variables again in the
default graph and returns a Saver that restores them, so ``sess.run('A:0')`` after a restore works; the
graph's operations are Python functions, which no file holds: rebuild them in Python. TensorFlow's own
MetaGraphDef files (protocol buffers) are refused with that explanation."""
import json
import os

import numpy as np

from ..autodiff.tensor import array_of
from . import tensor_api
from .tf_graph import Run
from .tf_graph_train import global_variables

_META_FORMAT = "dendrite-meta-graph"


class Saver:
    """``tf.compat.v1.train.Saver(var_list=None, max_to_keep=5)``: ``save(sess, path, global_step=None)``
    writes the variables under their names (dendrite's checkpoint format, as tf.train.Checkpoint) and returns
    the prefix; ``restore(sess, path)`` reads them back."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5, keep_checkpoint_every_n_hours=10000.0,
                 name=None, restore_sequentially=False, saver_def=None, builder=None, defer_build=False,
                 allow_empty=False, write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._named = dict(var_list)
        else:
            self._named = {getattr(v, "_op_name", None) or getattr(v, "path", None) or
                           getattr(v, "name", f"v{i}").removesuffix(":0"): v for i, v in enumerate(var_list)}
        if not self._named and not allow_empty:
            raise ValueError("No variables to save: make the variables (tf.Variable, get_variable) before the "
                             "Saver, or pass var_list.")
        self._var_list = list(self._named.values())
        self._max_to_keep = max_to_keep
        self.last_checkpoints = []

    def _checkpoint(self):
        from ..saving.object_checkpoint import Checkpoint
        return Checkpoint(**self._named)

    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        prefix = os.fspath(save_path)
        if global_step is not None:
            prefix = f"{prefix}-{int(np.asarray(array_of(global_step)))}"
        self._checkpoint().write(prefix)
        self.last_checkpoints = [p for p in self.last_checkpoints if p != prefix] + [prefix]
        if write_meta_graph:
            _write_meta_graph(prefix + "." + meta_graph_suffix, self._named)
        while self._max_to_keep and len(self.last_checkpoints) > self._max_to_keep:
            old = self.last_checkpoints.pop(0)
            for suffix in (".index", ".data-00000-of-00001", "." + meta_graph_suffix):
                if os.path.exists(old + suffix):
                    os.remove(old + suffix)
        return prefix

    def restore(self, sess, save_path):
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not os.path.exists(os.fspath(save_path) + ".index"):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        with Run():  # inside a run: the variables' assign acts now instead of making an operation
            self._checkpoint().restore(save_path)


def _write_meta_graph(path, named):
    entries = [{"name": name, "shape": list(np.shape(v.value)), "dtype": np.asarray(v.value).dtype.name,
                "trainable": bool(getattr(v, "trainable", True))} for name, v in named.items()]
    with open(path, "w") as f:
        json.dump({"format": _META_FORMAT, "version": 1, "variables": entries}, f, indent=1)


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """``tf.compat.v1.train.import_meta_graph(path)``: the variables a Saver's ``.meta`` file lists, made again
    in the default graph (zeros until restored), and a Saver over them."""
    path = os.fspath(meta_graph_or_file)
    try:
        with open(path) as f:
            meta = json.load(f)
    except FileNotFoundError:
        raise OSError(f"File {path} does not exist.") from None
    except (UnicodeDecodeError, ValueError):
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != _META_FORMAT:
        raise NotImplementedError(
            f"import_meta_graph: {path} is not a meta graph dendrite wrote (TensorFlow's MetaGraphDef protocol "
            "buffers are not read: dendrite's graphs are Python objects). Rebuild the graph in Python and restore "
            "the variables with tf.compat.v1.train.Saver().restore; see docs/compat.md.")
    named = {}
    for entry in meta.get("variables", []):
        name = entry["name"] if import_scope is None else f"{import_scope}/{entry['name']}"
        value = np.zeros(entry["shape"], dtype=np.dtype(entry["dtype"]))
        named[name] = tensor_api.Variable(value, trainable=entry.get("trainable", True), name=name,
                                          dtype=value.dtype)
    return Saver(var_list=named, allow_empty=True)
