"""`BackupAndRestore`: a run killed at any point and started again goes on from its last backup (an epoch's
end, or every ``save_freq`` batches), and ends with the weights an uninterrupted run with the same seed ends with.

A backup holds the model's weights, the optimizer's state, the running metrics of the epoch in progress, the
random state (dendrite's generator, which shuffles and draws dropout masks, and each seeded layer's own stream)
and where training stood: the epoch, and how many of its batches were done. A run killed mid-epoch resumes at
that batch, as tf.keras 2 did: the generator is put back as it was when the epoch began, so the epoch's shuffle
is drawn again the same, the batches already trained on are passed over, and the random state of the backup is
restored before the next batch. (Keras 3 writes the batch but does not use it: it starts that epoch again from
its first batch with the mid-epoch weights, so its run differs from an uninterrupted one.) With
``steps_per_epoch`` shorter than a pass over the data, an epoch can begin inside a pass an earlier epoch
started: the backup also keeps where the data stood when the epoch began (the random state that pass's shuffle
was drawn from and how many of its batches were taken), and the resumed run goes on inside that pass. A Python
generator cannot be wound back: a run fed by one resumes with the generator's next batches.

The folder holds ``backup-<n>.npz`` (the arrays) and ``training_metadata.json``, which names the npz it goes
with. Each is written to a temporary file renamed into place, the npz first and the metadata last, and older
npz files are removed only after that: a kill at any moment leaves a metadata file pointing at a whole backup.
Nothing is pickled and no h5py is needed.
"""
import copy
import json
import os
import shutil
import zipfile

import numpy as np

from dendrite import backend
from dendrite.callbacks.base import Callback
from dendrite.saving.weights_h5 import _atomic

_METADATA = "training_metadata.json"
_PREVIOUS = _METADATA + ".bkp"  # double_checkpoint: the backup before the latest


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


def _running_metrics(model):
    """(key, metric) for every metric fit updates batch by batch: the loss trackers, the compiled metrics by
    their logs keys, and metrics assigned to the model's attributes (a custom train_step's)."""
    out, compiled = [], model._compiled
    if compiled is not None:
        out.append(("loss", compiled.loss_tracker))
        out += [(f"head{i}_loss", head.loss_tracker) for i, head in enumerate(compiled.heads)]
        out += list(compiled.named)
    out += [(f"tracked{i}", m) for i, m in enumerate(model.__dict__.get("_tracked_metrics", ()))]
    return out


def _numeric(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.generic)):
        return np.asarray(value).dtype.kind in "iuf"
    return isinstance(value, np.ndarray) and value.dtype.kind in "iuf"


def _metric_state(metric):
    """A metric's numbers (its totals and counts; numeric settings come along and restore to what they are)."""
    return {name: value for name, value in vars(metric).items() if _numeric(value)}


def _as_saved_type(saved, like):
    """A value read from the npz as the Python or NumPy type the metric held."""
    if isinstance(like, float):
        return float(saved)
    if isinstance(like, int):
        return int(saved)
    return np.array(saved, dtype=np.asarray(like).dtype)


class _Unreadable(Exception):
    """A backup whose files are missing, truncated or corrupted (double_checkpoint then tries the previous)."""


class BackupAndRestore(Callback):
    """Back up training into ``backup_dir`` and resume from it when ``fit`` starts again (Keras 3's callback).

    Args:
        backup_dir: the folder for the backup (made if missing); one run per folder, and no other files of yours.
        save_freq: 'epoch' (back up at each epoch's end) or an integer N (back up every N batches, counted across
            epochs; a run killed mid-epoch resumes at the batch after the backup). A backup due at an epoch's last
            batch is taken at that epoch's end instead, so the epoch's logs and validation are part of it. False:
            never back up (only restore).
        double_checkpoint: keep the previous backup too, and fall back on it when the latest cannot be read.
        delete_checkpoint: delete the backup when training completes.

    The model and the data given to ``fit`` must be the ones the backup was made with (with save_freq=N, the
    same batch size and samples, so that the epoch's batches come out the same). Metrics are taken to be sums
    over batches (all of Keras's and dendrite's are): a fresh process restores them onto the first batch's.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not isinstance(backup_dir, (str, os.PathLike)) or not os.fspath(backup_dir):
            raise ValueError("BackupAndRestore: `backup_dir` must be a folder path. "
                             f"Received: backup_dir={backup_dir!r}")
        if save_freq is not False and save_freq != "epoch" and (
                isinstance(save_freq, bool) or not isinstance(save_freq, (int, np.integer)) or save_freq < 1):
            raise ValueError("BackupAndRestore: `save_freq` must be 'epoch' or a positive integer (a number of "
                             f"batches). Received: save_freq={save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq if save_freq in ("epoch", False) else int(save_freq)
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._serial, self._since_backup, self._backup_at_epoch_end = 0, 0, False
        self._resume, self._epoch, self._epoch_rng = None, 0, None
        self._epoch_position, self._resume_position = None, None

    def _path(self, name):
        return os.path.join(self.backup_dir, name)

    # ---------------------------------------------------------------- reading
    def _read(self, meta_name):
        """The metadata and arrays of one backup, or _Unreadable."""
        try:
            with open(self._path(meta_name)) as f:
                meta = json.load(f)
            with open(self._path(meta["weights_file"]), "rb") as handle, \
                    np.load(handle, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
            return meta, arrays
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as e:
            raise _Unreadable(f"{self._path(meta_name)}: {type(e).__name__}: {e}") from e

    def _latest(self):
        """The newest readable backup (the previous one when double_checkpoint and the latest is damaged)."""
        names = [n for n in (_METADATA, _PREVIOUS) if os.path.exists(self._path(n))]
        if not names:
            return None
        problems = []
        for name in names if self.double_checkpoint else names[:1]:
            try:
                return self._read(name)
            except _Unreadable as e:
                problems.append(str(e))
        raise OSError(f"BackupAndRestore: the backup in {self.backup_dir} cannot be read ({'; '.join(problems)}). "
                      "Delete that folder to train from the start.")

    def _check_shapes(self, meta, arrays):
        weights = self.model.weights
        if meta.get("num_weights") != len(weights):
            raise ValueError(f"BackupAndRestore: the backup in {self.backup_dir} holds {meta.get('num_weights')} "
                             f"weights, the model has {len(weights)}: it is another model's. Use another "
                             "backup_dir, or delete that one.")
        for i, w in enumerate(weights):
            if tuple(arrays[f"w{i}"].shape) != tuple(w.shape):
                raise ValueError(f"BackupAndRestore: the backup in {self.backup_dir} holds weight {i} with shape "
                                 f"{tuple(arrays[f'w{i}'].shape)}, the model's {w.path} has {tuple(w.shape)}: it "
                                 "is another model's. Use another backup_dir, or delete that one.")

    # ---------------------------------------------------------------- hooks
    def on_train_begin(self, logs=None):
        self._since_backup, self._backup_at_epoch_end, self._resume = 0, False, None
        self._resume_position = None
        found = self._latest()
        if found is None:
            return
        meta, arrays = found
        model = self.model
        self._check_shapes(meta, arrays)
        for i, w in enumerate(model.weights):
            w.assign(np.asarray(arrays[f"w{i}"], dtype=w.value.dtype))
        optimizer = model.optimizer
        if meta.get("num_optimizer_variables") and optimizer is not None:
            optimizer.build(model.trainable_weights)
            for i, v in enumerate(optimizer.variables):
                v.assign(np.asarray(arrays[f"o{i}"], dtype=v.value.dtype))
        self._serial = int(meta.get("serial", 0))
        model._resume_epoch = int(meta["epoch"])
        # where in the data that epoch started (with steps_per_epoch, inside a pass begun by an earlier epoch)
        self._resume_position = (int(meta["epoch"]), meta.get("epoch_position"))
        if meta.get("batch", 0):  # killed mid-epoch: the rest is put back around the epoch's first batches
            steps = (self.params or {}).get("steps")
            if meta.get("steps") != steps:
                raise RuntimeError(f"BackupAndRestore: the backup in {self.backup_dir} was made in the middle of "
                                   f"an epoch of {meta.get('steps')} batches, but fit now makes {steps} batches an "
                                   "epoch: it was given other data or another batch size than the run backed up. "
                                   "Pass the same, or delete that folder to train from the start.")
            model._resume_step = int(meta["batch"])
            self._resume = (meta, arrays)
        else:
            self._set_random_state(meta)

    def _set_random_state(self, meta):
        backend.rng().bit_generator.state = meta["rng"]
        for layer, state in zip(_seeded_layers(self.model), meta.get("seed_generators", [])):
            layer.seed_generator.generator.bit_generator.state = state

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        if self._resume is not None and epoch == self._resume[0]["epoch"]:
            # the generator as the epoch found it, so that it draws the same shuffle
            backend.rng().bit_generator.state = self._resume[0]["epoch_rng"]
        adapter = getattr(self.model, "_train_adapter", None)
        if self._resume_position is not None and epoch == self._resume_position[0]:
            if adapter is not None and self._resume_position[1] is not None:
                adapter.restore_position(self._resume_position[1])
            self._resume_position = None
        self._epoch_rng = backend.rng().bit_generator.state
        self._epoch_position = adapter.position() if adapter is not None else None

    def on_train_batch_begin(self, batch, logs=None):
        if self._resume is None:
            return
        meta, arrays = self._resume
        if batch != meta["batch"]:  # the data gave fewer batches than the steps it promised
            raise RuntimeError(f"BackupAndRestore: the backup in {self.backup_dir} was made after {meta['batch']} "
                               f"batches of epoch {meta['epoch'] + 1}, but training resumed at batch {batch}: fit "
                               "was given other data than the run backed up.")
        self._set_random_state(meta)
        if self.model._compiled is not None and self.model._compiled._built:
            self._put_metrics(meta, arrays, merge=False)
            self._resume = None

    def on_train_batch_end(self, batch, logs=None):
        if self._resume is not None:  # a fresh model builds its metrics in the first step: add what was saved
            self._put_metrics(*self._resume, merge=True)
            self._resume = None
        if self.save_freq in ("epoch", False):
            return
        self._since_backup += 1
        if self._since_backup >= self.save_freq:
            self._since_backup = 0
            steps = (self.params or {}).get("steps")
            if steps is not None and batch + 1 >= steps:
                self._backup_at_epoch_end = True
            else:
                self._backup(self._epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" or self._backup_at_epoch_end:
            self._backup_at_epoch_end = False
            self._backup(epoch + 1, 0)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            for name in os.listdir(self.backup_dir):
                if self._ours(name):
                    os.remove(self._path(name))
            if not os.listdir(self.backup_dir):
                shutil.rmtree(self.backup_dir)

    # ---------------------------------------------------------------- metrics
    def _put_metrics(self, meta, arrays, merge):
        """The running metrics of the interrupted epoch back in place. ``merge``: the metrics already hold the
        resumed first batch, counted from a fresh state; the saved totals are added to it."""
        saved = dict((key, (j, attrs)) for j, (key, attrs) in enumerate(meta.get("metrics", [])))
        for key, metric in _running_metrics(self.model):
            if key not in saved:
                continue
            j, attrs = saved[key]
            now = vars(metric)
            fresh = _metric_state(_fresh(metric)) if merge else {}
            for attr in attrs:
                if attr not in now:
                    continue
                value = _as_saved_type(arrays[f"m{j}.{attr}"], now[attr])
                if merge and attr in fresh and np.shape(fresh[attr]) == np.shape(now[attr]):
                    value = value + (now[attr] - fresh[attr])
                setattr(metric, attr, value)

    # ---------------------------------------------------------------- writing
    def _ours(self, name):
        return (name in (_METADATA, _PREVIOUS) or (name.startswith("backup-") and name.endswith(".npz"))
                or name.startswith(".tmp-"))

    def _backup(self, epoch, batch):
        model = self.model
        optimizer = model.optimizer
        arrays = {f"w{i}": w.value for i, w in enumerate(model.weights)}
        opt_vars = optimizer.variables if optimizer is not None and optimizer.built else []
        arrays.update({f"o{i}": v.value for i, v in enumerate(opt_vars)})
        metrics = []
        for j, (key, metric) in enumerate(_running_metrics(model)):
            state = _metric_state(metric)
            metrics.append([key, sorted(state)])
            arrays.update({f"m{j}.{attr}": np.asarray(value) for attr, value in state.items()})
        self._serial += 1
        weights_file = f"backup-{self._serial}.npz"
        meta = {"epoch": epoch, "batch": batch, "steps": (self.params or {}).get("steps"),
                "serial": self._serial, "weights_file": weights_file,
                "num_weights": len(model.weights), "num_optimizer_variables": len(opt_vars), "metrics": metrics,
                "rng": backend.rng().bit_generator.state,
                "seed_generators": [layer.seed_generator.generator.bit_generator.state
                                    for layer in _seeded_layers(model)]}
        if batch:
            meta["epoch_rng"] = self._epoch_rng
            meta["epoch_position"] = self._epoch_position
        else:  # an epoch's end: the next epoch starts where the data is now
            adapter = getattr(model, "_train_adapter", None)
            meta["epoch_position"] = adapter.position() if adapter is not None else None
        os.makedirs(self.backup_dir, exist_ok=True)
        _atomic(self._path(weights_file), lambda tmp: _write_npz(tmp, arrays))
        if self.double_checkpoint and os.path.exists(self._path(_METADATA)):
            with open(self._path(_METADATA), "rb") as f:
                previous = f.read()
            _atomic(self._path(_PREVIOUS), lambda tmp: _write_bytes(tmp, previous))
        _atomic(self._path(_METADATA), lambda tmp: _write_bytes(tmp, json.dumps(meta).encode()))
        self._remove_stale()

    def _remove_stale(self):
        """The npz files no metadata names any more, and temporary files a killed run left behind."""
        keep = set()
        for name in (_METADATA, _PREVIOUS):
            try:
                with open(self._path(name)) as f:
                    keep.add(json.load(f)["weights_file"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
        for name in os.listdir(self.backup_dir):
            if self._ours(name) and name not in keep and name not in (_METADATA, _PREVIOUS):
                os.remove(self._path(name))


def _fresh(metric):
    """A copy of ``metric`` as reset_state leaves it."""
    fresh = copy.deepcopy(metric)
    fresh.reset_state()
    return fresh


def _write_npz(path, arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)
