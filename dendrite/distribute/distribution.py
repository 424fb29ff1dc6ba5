"""What fit / evaluate / predict consult when a model was compiled under a strategy's scope over several
processes (``Model._distribution``; None otherwise, so a single process pays nothing).

- the data: each global batch is cut into one contiguous share per process (``shard``), after the shuffle all
  processes draw alike (rank 0's random state is broadcast when fit starts); a dataset read from files under the
  FILE auto-shard policy (or OFF) gives each process its own batches instead (input.py);
- the start: the processes check that they run the same thing (weight shapes, batches per epoch, which method),
  then take rank 0's weights;
- the step: gradients summed over the processes weighted by each one's samples, divided by the global count
  (the gradient of the mean loss over the global batch, whatever the split), in one bucketed allreduce; a custom
  train_step's optimizer does the same, and one in ``strategy.run`` sums them as TensorFlow's
  (``gradients_to_apply``, the optimizers' hook; gradients already reduced are never reduced again);
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
from .input import agreed, own_input, share, slice_structure

_WRITERS = (ProgbarLogger, ModelCheckpoint, CSVLogger, TensorBoard)
_STRATEGIES = []  # the strategies whose scope() is entered, innermost last
_REPLICAS = []  # the strategies whose run() is running (the replica context), innermost last
_BATCH = []  # (distribution, this process's samples) of the batch fit is training on, while it is


def current():
    """The Distribution of the strategy whose scope is entered, None without one or on a single process."""
    if not _STRATEGIES or world().size == 1:
        return None
    return _STRATEGIES[-1]._distribution


class Reduced(list):
    """Gradients already averaged over the processes (fit's own step, DistributedOptimizer): an optimizer applies
    them as they are, never reducing them a second time."""


def gradients_to_apply(optimizer, grads):
    """What an optimizer's apply / apply_gradients updates with (its hook; ``grads`` as given, or a list):

    - inside a custom ``train_step`` that fit runs on a model compiled under a strategy: the gradients averaged
      over the processes, weighted by each one's samples (the gradient of the mean loss over the global batch,
      as fit's own step; what TensorFlow reaches by dividing the loss by the replicas and summing);
    - inside ``strategy.run``, or for an optimizer made in a strategy's scope: the gradients summed over the
      processes, as TensorFlow's apply_gradients all-reduces them (the loss divided as TensorFlow asks:
      ``compute_average_loss(per_example_loss, global_batch_size=...)``, or a mean loss, which a replica divides
      by num_replicas_in_sync);
    - else (one process, no strategy, or gradients already reduced): as they are."""
    if isinstance(grads, Reduced):
        return grads
    if _BATCH:  # (set only by a Distribution, i.e. over several processes)
        distribution, n = _BATCH[-1]
        return distribution.reduce_gradients(list(grads), n)
    distribution = current() or getattr(optimizer, "_distribution", None)
    if distribution is None:  # no strategy over several processes (the MPI world is not even looked up)
        return grads
    return distribution.sum_gradients(list(grads))


def replica_loss_scale():
    """What a loss reduced to its mean over the batch is multiplied by: 1 / num_replicas_in_sync inside
    ``strategy.run`` on several processes (as Keras 3 scales it under TensorFlow), else 1."""
    if not _REPLICAS:
        return 1.0
    size = world().size
    return 1.0 / size if size > 1 else 1.0


class ShardedAdapter:
    """A data adapter giving this process its share of each of the wrapped adapter's global batches (``split``)
    or the wrapped adapter's batches as they are (already this process's); anything else, such as
    ``first_batch`` that builds the model, is the wrapped adapter's. While a batch is being trained on, an
    optimizer's apply_gradients (a custom train_step) averages the gradients over the processes."""

    def __init__(self, adapter, distribution, split=True, agree=False):
        self._adapter, self._distribution, self._split, self._agree = adapter, distribution, split, agree

    def __getattr__(self, name):
        return getattr(self._adapter, name)

    def batches(self, epoch=0):
        rank, size = self._distribution.rank, self._distribution.size
        batches = self._adapter.batches(epoch)
        if self._agree:  # processes reading their own files: the same steps on all (empty ones where run out)
            batches = agreed(batches, self._adapter.owner, rank, size)
        for x, y, sample_weight in batches:
            if self._split:
                lo, hi = share(num_samples(x), rank, size)
                x, y, sample_weight = (slice_structure(x, lo, hi), slice_structure(y, lo, hi),
                                       slice_structure(sample_weight, lo, hi))
            _BATCH.append((self._distribution, num_samples(x)))
            try:
                yield x, y, sample_weight
            finally:
                _BATCH.pop()


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
        """This process's batches of ``adapter``'s: its share of each global batch, or, for a dataset that fit
        or evaluate reads under the FILE or OFF auto-shard policy, the batches of its own files (input.py).
        predict always shares batches (its outputs come back in the order of the samples)."""
        source = getattr(adapter, "source", None)
        own = getattr(source, "own", None)  # experimental_distribute_dataset of a FILE / OFF dataset
        if own is None and adapter.kind == "dataset" and not adapter.owner.endswith("predict()") \
                and not getattr(source, "_dendrite_per_replica", False):
            own = own_input(source, self.rank, self.size, adapter.owner)
        if own is not None:  # the processes agree on the steps once the batches are prepared (empty ones too)
            adapter = copy.copy(adapter)
            adapter.source, adapter._full = own.unagreed(), None  # its number of batches is known once a pass ends
            return ShardedAdapter(adapter, self, split=False, agree=True)
        if getattr(source, "_dendrite_per_replica", False):  # experimental_distribute_dataset: already its own
            return ShardedAdapter(adapter, self, split=False)
        return ShardedAdapter(adapter, self)

    # ------------------------------------------------------------ steps
    def reduce_gradients(self, grads, n):
        """The gradients of the global batch's mean loss from this process's (of its ``n`` samples; none: it
        adds zeros, whatever its gradients of an empty batch are)."""
        present = [i for i, g in enumerate(grads) if g is not None]
        local = [np.asarray(grads[i]) for i in present]
        if n == 0:
            local = [np.zeros_like(g) for g in local]
        summed, (total,) = collectives.allreduce_arrays(local, scale=float(n) if n else 1.0, extra=[n])
        out = Reduced(grads)
        for i, g in zip(present, summed):
            out[i] = g / total if total else g
        return out

    def sum_gradients(self, grads):
        """The gradients summed over the processes (TensorFlow's all-reduce in apply_gradients)."""
        present = [i for i, g in enumerate(grads) if g is not None]
        summed, _ = collectives.allreduce_arrays([np.asarray(grads[i]) for i in present],
                                                 what="apply_gradients' gradient allreduce")
        out = Reduced(grads)
        for i, g in zip(present, summed):
            out[i] = g
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
