"""The strategy API as TensorFlow spells it (tf.distribute), data-parallel over the MPI processes of a job.

Each process is one replica: ``num_replicas_in_sync`` is the number of processes. A model built and compiled in
``strategy.scope()`` trains with fit as TensorFlow's would: ``batch_size`` is the global batch, each process
takes its share, gradients are averaged across processes before each update and the logs are those of the
whole data (see distribution.py). On one process (no mpiexec) every strategy is a strategy of one replica and
fit runs exactly as without it.
"""
import contextlib

import numpy as np

from . import collectives
from .comm import world
from .distribution import Distribution, _REPLICAS, _STRATEGIES
from .input import DistributedDataset


class ReduceOp:
    """How ``strategy.reduce`` combines the replicas' values."""

    SUM = "SUM"
    MEAN = "MEAN"


class ClusterResolver:
    """Where this process stands in the job (``strategy.cluster_resolver``): task_type 'worker', ``task_id`` its
    rank, ``num_workers`` the number of processes."""

    task_type = "worker"
    rpc_layer = "mpi"

    def __init__(self, task_id, num_workers):
        self.task_id, self.num_workers = task_id, num_workers

    def cluster_spec(self):
        return {"worker": [f"rank{r}" for r in range(self.num_workers)]}

    def num_accelerators(self, *args, **kwargs):
        return {}


class InputContext:
    """What ``distribute_datasets_from_function``'s function is given: its pipeline among the processes."""

    def __init__(self, num_input_pipelines, input_pipeline_id, num_replicas_in_sync):
        self.num_input_pipelines, self.input_pipeline_id = num_input_pipelines, input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"InputContext.get_per_replica_batch_size: the global batch size {global_batch_size} "
                             f"is not divisible by num_replicas_in_sync ({self.num_replicas_in_sync}). Choose a "
                             "multiple of the number of processes.")
        return global_batch_size // self.num_replicas_in_sync


class ValueContext:
    """``tf.distribute.experimental.ValueContext``: which replica a value function makes its value for."""

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self.replica_id_in_sync_group = replica_id_in_sync_group
        self.num_replicas_in_sync = num_replicas_in_sync


class Strategy:
    """Data-parallel over the processes of the job (one replica each)."""

    def __init__(self, timeout=None):
        if timeout is not None:
            collectives.set_timeout(timeout)
        self._world = world()
        self._distribution = Distribution()
        self.cluster_resolver = ClusterResolver(self._world.rank, self._world.size)

    @property
    def num_replicas_in_sync(self):
        return self._world.size

    def experimental_distribute_values_from_function(self, value_fn):
        """This process's value: ``value_fn(ValueContext(rank, size))`` (one replica per process)."""
        return value_fn(ValueContext(self._world.rank, self._world.size))

    @contextlib.contextmanager
    def scope(self):
        """Models built and compiled inside train data-parallel over the processes."""
        _STRATEGIES.append(self)
        try:
            yield self
        finally:
            _STRATEGIES.remove(self)

    def run(self, fn, args=(), kwargs=None):
        """``fn(*args, **kwargs)`` on this process's replica (each process runs its own), in the replica context
        of this strategy, as TensorFlow's: ``get_strategy()`` is this one there, an optimizer's
        ``apply_gradients`` sums the gradients over the processes, and a loss reduced to its mean over the batch
        is divided by ``num_replicas_in_sync`` (so the sum is the mean over the global batch)."""
        _STRATEGIES.append(self)
        _REPLICAS.append(self)
        try:
            return fn(*args, **(kwargs or {}))
        finally:
            _REPLICAS.pop()
            _STRATEGIES.pop()

    def reduce(self, reduce_op, value, axis=None):
        """The replicas' ``value`` combined: ReduceOp.SUM or MEAN over the processes; with ``axis``, also over
        that axis of each value (MEAN then divides by the number of elements over all processes)."""
        op = getattr(reduce_op, "value", reduce_op)
        op = op.upper() if isinstance(op, str) else op
        if op not in (ReduceOp.SUM, ReduceOp.MEAN):
            raise ValueError(f"strategy.reduce: `reduce_op` must be ReduceOp.SUM or ReduceOp.MEAN ('SUM' / 'MEAN'); "
                             f"received {reduce_op!r}.")
        arr = np.asarray(getattr(value, "value", value), dtype=np.float64)
        count = 1.0
        if axis is not None:
            count = float(arr.shape[axis]) if arr.ndim else 1.0
            arr = arr.sum(axis=axis)
        buf = np.ascontiguousarray(np.append(arr.reshape(-1), count))
        collectives.allreduce_(buf, what="strategy.reduce")
        total, n = buf[:-1].reshape(arr.shape), buf[-1]
        out = total / n if op == ReduceOp.MEAN else total
        return out.astype(np.asarray(getattr(value, "value", value)).dtype if np.ndim(out) else np.float64)

    def gather(self, value, axis=0):
        """Every replica's ``value`` joined along ``axis`` in rank order."""
        parts = collectives.allgather_objects(np.asarray(getattr(value, "value", value)), what="strategy.gather")
        return np.concatenate(parts, axis=axis)

    def experimental_distribute_dataset(self, dataset, options=None):
        """``dataset`` (of global batches) as this process's steps: its share of each batch, or its own files'
        batches cut into per-process pieces, by the dataset's auto_shard_policy (see input.py)."""
        return DistributedDataset(dataset, self._world.rank, self._world.size)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """``dataset_fn(InputContext)``: the function makes this process's own dataset (its own batches)."""
        ds = dataset_fn(InputContext(self._world.size, self._world.rank, self._world.size))
        try:
            ds._dendrite_per_replica = True
        except AttributeError:
            pass
        return ds

    def experimental_local_results(self, value):
        return (value,)

    def __repr__(self):
        return f"<{type(self).__name__}: {self.num_replicas_in_sync} replica(s), this is {self._world.rank}>"


class MultiWorkerMirroredStrategy(Strategy):
    """tf.distribute.MultiWorkerMirroredStrategy: synchronous data parallelism over the processes of the MPI
    job (on one machine or several). ``communication_options`` and ``cluster_resolver`` are accepted for
    TensorFlow's scripts; MPI decides the processes."""

    def __init__(self, communication_options=None, cluster_resolver=None, timeout=None):
        super().__init__(timeout=timeout)


class MirroredStrategy(Strategy):
    """tf.distribute.MirroredStrategy: on a CPU machine, the same data parallelism over the MPI processes
    (``devices`` and ``cross_device_ops`` are accepted for TensorFlow's scripts)."""

    def __init__(self, devices=None, cross_device_ops=None, timeout=None):
        super().__init__(timeout=timeout)


class CentralStorageStrategy(MirroredStrategy):
    """tf.distribute.experimental.CentralStorageStrategy: the variables in one place and the computation
    replicated; here, as MirroredStrategy, synchronous data parallelism over the MPI processes (one replica without
    MPI). ``compute_devices`` and ``parameter_device`` are accepted for TensorFlow's scripts."""

    def __init__(self, compute_devices=None, parameter_device=None):
        super().__init__()


class _DefaultStrategy(Strategy):
    """The strategy outside any scope: this process alone, whatever the job."""

    def __init__(self):  # pylint: disable=super-init-not-called - no world of processes to join
        self._world, self._distribution = _Alone(), None
        self.cluster_resolver = ClusterResolver(0, 1)

    def reduce(self, reduce_op, value, axis=None):
        arr = np.asarray(getattr(value, "value", value))
        if axis is None:
            return arr
        op = getattr(reduce_op, "value", reduce_op)
        return arr.mean(axis=axis) if str(op).upper() == ReduceOp.MEAN else arr.sum(axis=axis)

    def gather(self, value, axis=0):
        return np.asarray(getattr(value, "value", value))


class OneDeviceStrategy(_DefaultStrategy):
    """tf.distribute.OneDeviceStrategy: this process alone (``device`` is accepted for TensorFlow's scripts)."""

    def __init__(self, device=None):
        super().__init__()


class _Alone:
    rank, size = 0, 1


_DEFAULT = []


def get_strategy():
    """The strategy whose scope is entered (innermost), else the default one-process strategy."""
    if _STRATEGIES:
        return _STRATEGIES[-1]
    if not _DEFAULT:
        _DEFAULT.append(_DefaultStrategy())
    return _DEFAULT[0]


def has_strategy():
    """Whether a strategy's scope is entered."""
    return bool(_STRATEGIES)


def in_cross_replica_context():
    """True in a strategy's scope outside ``strategy.run``; False inside ``run`` (the replica context) and outside
    every scope (the default replica context), as TensorFlow answers."""
    return bool(_STRATEGIES) and not _REPLICAS
