"""Weights saved to a TensorFlow-style checkpoint prefix (``save_weights('ckpt/model')``, as seed 004 does):
dendrite's own format, readable without TensorFlow, in the files TensorFlow's names would lead a user to expect.

- ``<prefix>.index``: JSON: the format name and version, and each weight's path, shape and dtype in order;
- ``<prefix>.data-00000-of-00001``: the arrays, as a NumPy ``.npz`` archive (read with allow_pickle=False);
- ``checkpoint`` in the folder: the latest prefix, in TensorFlow's text form (``model_checkpoint_path: "..."``),
  which ``latest_checkpoint(folder)`` reads.

Loading checks the index against the model (count, shapes, dtypes) before reading any array, and each array's
size against the index, so a hostile or damaged file fails with an error naming it rather than allocating
what it declares.
"""
import io
import json
import os

import numpy as np

from .file_checks import WeightsFileError, reading
from .weights_h5 import _atomic

_FORMAT = "dendrite-checkpoint"
_VERSION = 1
_DATA = ".data-00000-of-00001"


def save_checkpoint(model, prefix):
    """``model``'s weights to the checkpoint ``prefix`` (see the module's docstring); returns the prefix."""
    weights = model.weights
    index = {"format": _FORMAT, "version": _VERSION,
             "weights": [{"path": w.path or w.name, "shape": list(w.value.shape), "dtype": w.value.dtype.name}
                         for w in weights]}

    def write_data(tmp):
        with open(tmp, "wb") as f:
            np.savez(f, **{f"w{i}": w.value for i, w in enumerate(weights)})

    def write_index(tmp):
        with open(tmp, "w") as f:
            json.dump(index, f, indent=1)

    _atomic(prefix + _DATA, write_data)
    _atomic(prefix + ".index", write_index)  # last: an index always points at complete data
    folder = os.path.dirname(os.path.abspath(prefix))

    def write_state(tmp):
        name = os.path.basename(prefix)
        with open(tmp, "w") as f:
            f.write(f'model_checkpoint_path: "{name}"\nall_model_checkpoint_paths: "{name}"\n')
    _atomic(os.path.join(folder, "checkpoint"), write_state)
    return prefix


def is_checkpoint(prefix):
    return os.path.exists(prefix + ".index")


def load_checkpoint(model, prefix):
    """Weights from the checkpoint ``prefix`` into ``model`` (all checked and read first, then set)."""
    if os.path.isdir(prefix):
        raise WeightsFileError(f"{prefix} is a directory; load_weights reads a weights file (.weights.h5 or .h5) or "
                               f"a checkpoint prefix such as {os.path.join(prefix, 'model')} (the files "
                               "model.index and model.data-00000-of-00001); dendrite.saving.latest_checkpoint(folder) "
                               "names the latest.")
    try:
        with open(prefix + ".index") as f:
            index = json.load(f)
    except FileNotFoundError:
        if os.path.isfile(prefix):
            raise WeightsFileError(f"{prefix} is a file, but not one load_weights reads: weights files end in "
                                   ".weights.h5 (Keras 3) or .h5 / .hdf5 (tf.keras 2), and a path without those is "
                                   f"a checkpoint prefix ({prefix}.index is missing).") from None
        raise FileNotFoundError(f"No checkpoint at {prefix} (no {prefix}.index).") from None
    except OSError as e:
        raise WeightsFileError(f"{prefix}.index: cannot be read ({e}).") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index ({e}).") from None
    if not isinstance(index, dict) or index.get("format") != _FORMAT or not isinstance(index.get("weights"), list):
        raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index. A checkpoint TensorFlow wrote "
                               "cannot be read; save it from Keras as .weights.h5 and load that.")
    entries, weights = index["weights"], model.weights
    for i, (entry, w) in enumerate(zip(entries, weights)):
        shape = entry.get("shape") if isinstance(entry, dict) else entry
        if not isinstance(shape, list) or shape != list(w.value.shape):
            raise WeightsFileError(f"{prefix}: weight {i} ({w.path}) has shape {tuple(w.value.shape)}; the "
                                   f"checkpoint holds {_short(shape)} "
                                   f"(for {_short(entry.get('path')) if isinstance(entry, dict) else '?'}). It was "
                                   "saved from a different model.")
    if len(entries) != len(weights):
        raise WeightsFileError(f"{prefix}: the checkpoint holds {len(entries)} weights, the model has "
                               f"{len(weights)} (the first {min(len(entries), len(weights))} match in shape). It was "
                               "saved from a different model.")
    try:
        handle = open(prefix + _DATA, "rb")
    except FileNotFoundError:
        raise FileNotFoundError(f"{prefix}{_DATA} is missing: the checkpoint is incomplete.") from None
    values = []
    with handle, reading(prefix + _DATA, "not readable as the checkpoint's arrays (it may be truncated or damaged)"):
        archive = np.load(handle, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise WeightsFileError(f"{prefix}{_DATA}: not a checkpoint's data file.")
        for i, w in enumerate(weights):
            key = f"w{i}"
            if key not in archive.files:
                raise WeightsFileError(f"{prefix}{_DATA}: weight {i} ({w.path}) is missing.")
            shape = _declared_shape(archive, key)
            if shape is not None and shape != tuple(w.value.shape):
                raise WeightsFileError(f"{prefix}{_DATA}: weight {i} ({w.path}) is stored with shape {shape}, the "
                                       f"index says {tuple(w.value.shape)}: the checkpoint is damaged.")
            value = archive[key]
            if value.shape != tuple(w.value.shape) or value.dtype.kind not in "fiub":
                raise WeightsFileError(f"{prefix}{_DATA}: weight {i} ({w.path}) is stored as {value.dtype} of shape "
                                       f"{value.shape}; the model's is {w.value.dtype} of shape "
                                       f"{tuple(w.value.shape)}: the checkpoint is damaged.")
            values.append(np.asarray(value, dtype=w.value.dtype))
    for w, v in zip(weights, values):
        w.assign(v)


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _declared_shape(archive, key):
    """The shape an .npz member declares in its header, read without loading the array (None if unknown)."""
    try:
        with archive.zip.open(key + ".npy") as member:
            version = np.lib.format.read_magic(member)
            reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                      else np.lib.format.read_array_header_2_0)
            shape, _, _ = reader(member)
            return tuple(shape)
    except (KeyError, ValueError, AttributeError, OSError, io.UnsupportedOperation):
        return None


def latest_checkpoint(checkpoint_dir):
    """The prefix the folder's ``checkpoint`` file names (the latest saved), or None, as tf.train.latest_checkpoint."""
    state = os.path.join(checkpoint_dir, "checkpoint")
    try:
        with open(state) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model_checkpoint_path":
                    name = value.strip().strip('"')
                    prefix = name if os.path.isabs(name) else os.path.join(checkpoint_dir, name)
                    return prefix if is_checkpoint(prefix) else None
    except FileNotFoundError:
        return None
    return None
