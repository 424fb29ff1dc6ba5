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
import zipfile

import numpy as np

from .weights_h5 import WeightsFileError, _atomic

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
    """Weights from the checkpoint ``prefix`` into ``model`` (all checked first, then set)."""
    try:
        with open(prefix + ".index") as f:
            index = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"No checkpoint at {prefix} (no {prefix}.index).") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index ({e}).") from None
    if not isinstance(index, dict) or index.get("format") != _FORMAT or not isinstance(index.get("weights"), list):
        raise WeightsFileError(f"{prefix}.index: not a dendrite checkpoint index. A checkpoint TensorFlow wrote "
                               "cannot be read; save it from Keras as .weights.h5 and load that.")
    entries, weights = index["weights"], model.weights
    if len(entries) != len(weights):
        raise WeightsFileError(f"{prefix}: the checkpoint holds {len(entries)} weights, the model has "
                               f"{len(weights)}. It was saved from a different model.")
    for i, (entry, w) in enumerate(zip(entries, weights)):
        if not isinstance(entry, dict) or list(entry.get("shape", [])) != list(w.value.shape):
            raise WeightsFileError(f"{prefix}: weight {i} ({w.path}) has shape {tuple(w.value.shape)}; the "
                                   f"checkpoint holds {entry.get('shape') if isinstance(entry, dict) else entry}.")
    try:
        handle = open(prefix + _DATA, "rb")
    except FileNotFoundError:
        raise FileNotFoundError(f"{prefix}{_DATA} is missing: the checkpoint is incomplete.") from None
    values = []
    with handle:
        try:
            archive = np.load(handle, allow_pickle=False)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
            raise WeightsFileError(f"{prefix}{_DATA}: not readable ({e}); it may be truncated or "
                                   "corrupted.") from None
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
            values.append(archive[key])
    for w, v in zip(weights, values):
        w.assign(np.asarray(v, dtype=w.value.dtype))


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
