"""``tf.train.load_checkpoint``, ``list_variables`` and ``load_variable``: reading what a checkpoint holds, by
name, without the objects that wrote it, on dendrite's checkpoint format (dendrite.saving.checkpoint, written
by ``tf.train.Checkpoint`` and ``model.save_weights``).

Each value is named as TensorFlow names an object-based checkpoint's values: its attribute path and
``/.ATTRIBUTES/VARIABLE_VALUE`` (``step/.ATTRIBUTES/VARIABLE_VALUE``, ``model/0/.ATTRIBUTES/VARIABLE_VALUE``:
the model's first weight); ``get_tensor`` takes the bare path too. The paths below a model are dendrite's
(weight indices), not TensorFlow's layer names.
"""
import json
import os

import numpy as np

from ..saving.checkpoint import _DATA, WeightsFileError, latest_checkpoint

SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def _prefix(ckpt_dir_or_file, who):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = latest_checkpoint(path)
        if found is None:
            raise FileNotFoundError(f"{who}: no checkpoint in the folder {path} (its `checkpoint` file names none). "
                                    "Save one with tf.train.Checkpoint(...).save(prefix) or give the prefix.")
        return found
    if not os.path.exists(path + ".index"):
        raise FileNotFoundError(f"{who}: no checkpoint at {path} (no {path}.index); give a prefix save() returned "
                                "or the folder holding the checkpoints (TensorFlow's NotFoundError).")
    return path


class CheckpointReader:
    """What ``tf.train.load_checkpoint`` gives: the names, shapes and dtypes of a checkpoint's values, and
    each value as a NumPy array."""

    def __init__(self, prefix):
        self._prefix = prefix
        try:
            with open(prefix + ".index") as f:
                index = json.load(f)
        except (ValueError, UnicodeDecodeError) as e:
            raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index ({e}). A checkpoint "
                                   "TensorFlow wrote cannot be read by dendrite.") from None
        entries = index.get("weights") if isinstance(index, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index.")
        self._entries = {e.get("path") + SUFFIX: (i, e) for i, e in enumerate(entries)}

    def _key(self, name):
        if name in self._entries:
            return name
        if name + SUFFIX in self._entries:
            return name + SUFFIX
        raise FileNotFoundError(f"CheckpointReader.get_tensor: key {name!r} not found in checkpoint {self._prefix} "
                                f"(TensorFlow's NotFoundError). Its keys: {sorted(self._entries)[:10]}.")

    def get_variable_to_shape_map(self):
        return {k: list(e.get("shape", [])) for k, (_, e) in self._entries.items()}

    def get_variable_to_dtype_map(self):
        from . import dtypes
        return {k: dtypes.as_dtype(e.get("dtype", "float32")) for k, (_, e) in self._entries.items()}

    def has_tensor(self, name):
        return name in self._entries or name + SUFFIX in self._entries

    def get_tensor(self, name):
        i, _ = self._entries[self._key(name)]
        with np.load(self._prefix + _DATA, allow_pickle=False) as archive:
            return archive[f"w{i}"]

    def debug_string(self):
        return "".join(f"{k} ({e.get('dtype')}) {e.get('shape')}\n" for k, (_, e) in sorted(self._entries.items()))


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader of the checkpoint prefix given, or of the latest one in the folder given."""
    return CheckpointReader(_prefix(ckpt_dir_or_file, "tf.train.load_checkpoint"))


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the checkpoint's values, sorted by name."""
    return sorted(load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """One value of the checkpoint, as a NumPy array (``name`` with or without ``/.ATTRIBUTES/VARIABLE_VALUE``)."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


MEMBERS = dict(load_checkpoint=load_checkpoint, list_variables=list_variables, load_variable=load_variable,
               latest_checkpoint=latest_checkpoint)
