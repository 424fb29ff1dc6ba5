"""`BackupAndRestore`: a run killed at any point and started again goes on from the last completed epoch,
and ends with the weights an uninterrupted run with the same seed ends with (Keras 3's callback).

At each epoch's end the backup folder gets the model's weights, the optimizer's state, the random state
(dendrite's generator, which shuffles and draws dropout masks, and each seeded layer's own stream) and the
epoch, written to temporary files renamed into place (the weights first, the metadata that points to them
last, so a kill mid-write leaves the previous backup whole). At the start of ``fit`` a backup found there is
restored and training starts at the epoch after it; at the end of a completed run the backup is deleted
(``delete_checkpoint``). The files are NumPy and JSON only: no h5py needed, nothing pickled.
"""
import json
import os
import shutil

import numpy as np

from dendrite import backend
from dendrite.callbacks.base import Callback

_WEIGHTS, _METADATA = "backup.npz", "training_metadata.json"


def _seeded_layers(model):
    """The layers that draw from a SeedGenerator of their own, in a fixed order."""
    out, stack, seen = [], list(getattr(model, "layers", [])), set()
    while stack:
        layer = stack.pop(0)
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        if getattr(layer, "seed_generator", None) is not None:
            out.append(layer)
        stack.extend(getattr(layer, "_layers", []))
    return out


class BackupAndRestore(Callback):
    """Back up training at each epoch's end into ``backup_dir`` and resume from it when ``fit`` starts again.

    Args:
        backup_dir: the folder for the backup (made if missing); one run per folder.
        save_freq: 'epoch' (the only frequency this version supports; Keras also takes a number of batches).
        delete_checkpoint: delete the backup when training completes.
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True, double_checkpoint=False):
        super().__init__()
        if not isinstance(backup_dir, (str, os.PathLike)) or not os.fspath(backup_dir):
            raise ValueError(f"BackupAndRestore: `backup_dir` must be a folder path. Received: backup_dir={backup_dir!r}")
        if save_freq != "epoch":
            raise NotImplementedError(f"BackupAndRestore: save_freq={save_freq!r} (a number of batches) is not "
                                      "supported yet; use save_freq='epoch' (a run then resumes from its last "
                                      "completed epoch).")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = bool(delete_checkpoint)

    def _path(self, name):
        return os.path.join(self.backup_dir, name)

    # ---------------------------------------------------------------- hooks
    def on_train_begin(self, logs=None):
        if not os.path.exists(self._path(_METADATA)):
            return
        with open(self._path(_METADATA)) as f:
            meta = json.load(f)
        model = self.model
        weights, optimizer = model.weights, model.optimizer
        with open(self._path(_WEIGHTS), "rb") as handle, np.load(handle, allow_pickle=False) as data:
            if meta.get("num_weights") != len(weights):
                raise ValueError(f"BackupAndRestore: the backup in {self.backup_dir} holds {meta.get('num_weights')} "
                                 f"weights, the model has {len(weights)}: it is another model's. Use another "
                                 "backup_dir, or delete that one.")
            for i, w in enumerate(weights):
                w.assign(np.asarray(data[f"w{i}"], dtype=w.value.dtype))
            if meta.get("num_optimizer_variables") and optimizer is not None:
                optimizer.build(model.trainable_weights)
                for i, v in enumerate(optimizer.variables):
                    v.assign(np.asarray(data[f"o{i}"], dtype=v.value.dtype))
        backend.rng().bit_generator.state = meta["rng"]
        for layer, state in zip(_seeded_layers(model), meta.get("seed_generators", [])):
            layer.seed_generator.generator.bit_generator.state = state
        model._resume_epoch = int(meta["epoch"]) + 1

    def on_epoch_end(self, epoch, logs=None):
        os.makedirs(self.backup_dir, exist_ok=True)
        model = self.model
        optimizer = model.optimizer
        arrays = {f"w{i}": w.value for i, w in enumerate(model.weights)}
        opt_vars = optimizer.variables if optimizer is not None and optimizer.built else []
        arrays.update({f"o{i}": v.value for i, v in enumerate(opt_vars)})
        tmp = self._path(_WEIGHTS + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, self._path(_WEIGHTS))
        meta = {"epoch": epoch, "num_weights": len(model.weights), "num_optimizer_variables": len(opt_vars),
                "rng": backend.rng().bit_generator.state,
                "seed_generators": [layer.seed_generator.generator.bit_generator.state
                                    for layer in _seeded_layers(model)]}
        tmp = self._path(_METADATA + ".tmp")
        with open(tmp, "w") as f:
            json.dump(meta, f)
        os.replace(tmp, self._path(_METADATA))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            for name in (_WEIGHTS, _METADATA):
                if os.path.exists(self._path(name)):
                    os.remove(self._path(name))
            if not os.listdir(self.backup_dir):
                shutil.rmtree(self.backup_dir)
