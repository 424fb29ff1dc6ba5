"""What fit / evaluate / predict consult when a model was compiled under a strategy's scope over several
processes (``Model._distribution``; None otherwise, so a single process pays nothing).

- the data: each global batch is cut into one contiguous share per process (``shard``), after the shuffle all
  processes draw alike (rank 0's random state is broadcast when fit starts);
- the start: the processes check that they run the same thing (weight shapes, batches per epoch, which method),
  then take rank 0's weights;
- the step: gradients summed over the processes weighted by each one's samples, divided by the global count
  (the gradient of the mean loss over the global batch, whatever the split), in one bucketed allreduce;
- the logs: the running metrics' states (totals, counts, confusion counts) summed over the processes, so every
  process sees the logs of the whole data and callbacks decide alike;
- predict: each process's outputs gathered, batch by batch in rank order (the order of the samples);
- the callbacks: only rank 0 prints the progress bar and writes files (ModelCheckpoint, CSVLogger,
  TensorBoard, BackupAndRestore's backups); the others restore from a backup but never write one.
"""
import copy

import numpy as np

from .. import backend
from ..callbacks.backup_and_restore import BackupAndRestore, _running_metrics
from ..callbacks.callback_list import _flatten_callbacks
from ..callbacks.csv_logger import CSVLogger
from ..callbacks.model_checkpoint import ModelCheckpoint
from ..callbacks.progbar import ProgbarLogger
from ..callbacks.tensorboard import TensorBoard
from ..models.data_adapters.arrays import concatenate_batches, num_samples
from . import collectives
from .comm import world

_WRITERS = (ProgbarLogger, ModelCheckpoint, CSVLogger, TensorBoard)
_STRATEGIES = []  # the strategies whose scope() is entered, innermost last


def current():
    """The Distribution of the strategy whose scope is entered, None without one or on a single process."""
    if not _STRATEGIES or world().size == 1:
        return None
    return _STRATEGIES[-1]._distribution


def share(n, rank, size):
    """The [lo, hi) of ``n`` samples that process ``rank`` of ``size`` takes (contiguous, sizes differing by 1)."""
    return rank * n // size, (rank + 1) * n // size


def slice_structure(data, lo, hi):
    """Rows [lo, hi) of every array in ``data`` (an array, or a tuple / list / dict of them; None kept)."""
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: slice_structure(v, lo, hi) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(slice_structure(v, lo, hi) for v in data)
    return data[lo:hi]


class ShardedAdapter:
    """A data adapter giving this process its share of each of the wrapped adapter's global batches (anything
    else, such as ``first_batch`` that builds the model, is the wrapped adapter's)."""

    def __init__(self, adapter, rank, size):
        self._adapter, self._rank, self._size = adapter, rank, size

    def __getattr__(self, name):
        return getattr(self._adapter, name)

    def batches(self, epoch=0):
        for x, y, sample_weight in self._adapter.batches(epoch):
            lo, hi = share(num_samples(x), self._rank, self._size)
            yield slice_structure(x, lo, hi), slice_structure(y, lo, hi), slice_structure(sample_weight, lo, hi)


class _ReadOnlyBackup(BackupAndRestore):
    """BackupAndRestore on a process other than rank 0: restores like rank 0's, writes and deletes nothing."""

    def _backup(self, epoch, batch):
        pass

    def on_train_end(self, logs=None):
        pass


def _read_only(callback):
    twin = copy.copy(callback)
    twin.__class__ = type("ReadOnly" + type(callback).__name__, (_ReadOnlyBackup, type(callback)), {})
    return twin


def _state_keys(metric):
    """The attributes ``reset_state`` sets: the metric's state (settings such as thresholds are left alone)."""
    keys = []
    for key, value in vars(metric).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.ndarray, np.generic)):
            continue
        probe, marker = copy.copy(metric), object()
        setattr(probe, key, marker)
        try:
            probe.reset_state()
        except Exception:  # the attribute is a setting reset_state reads
            continue
        if getattr(probe, key) is not marker:
            keys.append(key)
    return keys


class Distribution:
    """Data-parallel fit / evaluate / predict over the processes of ``world()`` (see the module's text)."""

    def __init__(self):
        self.world = world()
        self.rank, self.size = self.world.rank, self.world.size
        self.is_chief = self.rank == 0
        self._keys = {}

    # ------------------------------------------------------------ start
    def start(self, model, adapter, owner):
        """Check that every process runs the same method on the same model and batch count, then take rank 0's
        weights (and for fit, rank 0's random state, so that all shuffle alike)."""
        mine = {"method": owner.rsplit(".", 1)[-1], "weights": [tuple(w.shape) for w in model.weights],
                "batches": adapter.num_batches}
        everyone = collectives.allgather_objects(mine, what=f"{owner}: the processes' check of their models")
        differ = [(rank, theirs) for rank, theirs in enumerate(everyone) if theirs != everyone[0]]
        if differ:
            lines = []
            for rank, theirs in differ:
                for key in ("method", "weights", "batches"):
                    if theirs[key] != everyone[0][key]:
                        lines.append(f"rank {rank} has {key}={theirs[key]} where rank 0 has {everyone[0][key]}")
            raise ValueError(f"{owner}: the {self.size} processes do not run the same thing: " + "; ".join(lines)
                             + ". Every process must build the same model and give it the same data (the "
                             "strategy splits each global batch itself); check what differs by rank in the script.")
        collectives.broadcast_arrays([w.value for w in model.weights], what=f"{owner}: broadcast of the weights")
        if mine["method"] == "fit()":
            state = collectives.broadcast_object(backend.rng().bit_generator.state, what=f"{owner}: random state")
            backend.rng().bit_generator.state = state

    # ------------------------------------------------------------ data
    def shard(self, adapter):
        if getattr(getattr(adapter, "source", None), "_dendrite_per_replica", False):
            return adapter  # experimental_distribute_dataset: already this process's share
        return ShardedAdapter(adapter, self.rank, self.size)

    # ------------------------------------------------------------ steps
    def reduce_gradients(self, grads, n):
        """The gradients of the global batch's mean loss from this process's (of its ``n`` samples)."""
        present = [i for i, g in enumerate(grads) if g is not None]
        summed, (total,) = collectives.allreduce_arrays([grads[i] for i in present], scale=float(n), extra=[n])
        out = list(grads)
        for i, g in zip(present, summed):
            out[i] = g / total if total else g
        return out

    def idle_step(self, model, variables):
        """A training step for a process without samples in this batch: it adds nothing but takes the update."""
        zeros = [np.zeros_like(v.value) for v in variables]
        model._compiled.optimizer.apply(self.reduce_gradients(zeros, 0), variables)

    def logs(self, model):
        """The compiled loss and metrics over the samples of every process."""
        metrics = [m for _, m in _running_metrics(model)]
        keys = []
        for m in metrics:
            if id(m) not in self._keys:
                self._keys[id(m)] = (m, _state_keys(m))
            keys.append(self._keys[id(m)][1])
        local = [{k: getattr(m, k) for k in ks} for m, ks in zip(metrics, keys)]
        flat = [np.asarray(v, np.float64).reshape(-1) for state in local for v in state.values()]
        buf = np.concatenate(flat) if flat else np.zeros(0)
        collectives.allreduce_(buf, what="the aggregation of the logs")
        at = 0
        for m, state in zip(metrics, local):
            for k, v in state.items():
                size = np.size(v)
                summed = buf[at:at + size]
                at += size
                setattr(m, k, type(v)(summed[0]) if isinstance(v, (int, float)) else summed.reshape(np.shape(v))
                        .astype(np.asarray(v).dtype))
        try:
            return model._compiled.logs()
        finally:
            for m, state in zip(metrics, local):
                for k, v in state.items():
                    setattr(m, k, v)

    def agree(self, flag):
        """True on every process when ``flag`` is on any (a callback stopping training)."""
        buf = np.array([1.0 if flag else 0.0])
        return bool(collectives.allreduce_(buf, what="the agreement on stop_training", op="max")[0])

    def gather_batches(self, outputs):
        """predict's per-batch outputs of every process, each batch's shares joined in rank order."""
        everyone = collectives.allgather_objects(outputs, what="predict: the gathering of the outputs")
        return [concatenate_batches([theirs[b] for theirs in everyone if theirs[b] is not None])
                for b in range(len(outputs))]

    # ------------------------------------------------------------ callbacks
    def for_this_rank(self, callbacks, verbose):
        """The callbacks and verbosity of this process: rank 0 keeps all; the others print and write nothing."""
        if self.is_chief:
            return callbacks, verbose
        kept = []
        for cb in _flatten_callbacks(callbacks):
            if isinstance(cb, _WRITERS):
                continue
            kept.append(_read_only(cb) if isinstance(cb, BackupAndRestore) else cb)
        return kept, 0
