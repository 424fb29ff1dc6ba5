"""Horovod's spellings, for scripts coming from ``import horovod.tensorflow.keras as hvd``.

In Horovod's way each process trains on its own data with its own batch size: ``DistributedOptimizer``
averages the gradients over the processes before each update, ``BroadcastGlobalVariablesCallback(0)`` starts
every process from rank 0's weights, ``MetricAverageCallback`` averages the epoch's logs. (The strategy API
instead splits a global batch itself; the two may be combined.)
"""
import copy

import numpy as np

from ..callbacks.base import Callback
from . import collectives
from .comm import world
from .distribution import Reduced


def init(comm=None):
    """Join the job's processes (MPI when launched by mpiexec, else a job of one)."""
    world()


def rank():
    return world().rank


def size():
    return world().size


def local_rank():
    return world().local_rank


def local_size():
    return world().local_size


def is_initialized():
    return True


def _array(tensor):
    return np.ascontiguousarray(np.asarray(getattr(tensor, "value", tensor)))


def allreduce(tensor, average=None, name=None, op=None):
    """The sum over processes of ``tensor``, divided by their number unless ``average=False`` or ``op='sum'``
    (Horovod's default is the average)."""
    op = "average" if op is None else str(op).lower()
    if op not in ("average", "sum"):
        raise ValueError(f"allreduce: `op` must be 'average' or 'sum' (hvd.Average / hvd.Sum); received {op!r}.")
    mean = average if average is not None else op == "average"
    arr = _array(tensor)
    (out,), _ = collectives.allreduce_arrays([arr.astype(np.result_type(arr, np.float32))],
                                             scale=1.0 / size() if mean else 1.0, what=f"allreduce {name or ''}")
    return out


def broadcast(tensor, root_rank=0, name=None):
    """``tensor`` as process ``root_rank`` has it."""
    return collectives.broadcast_object(_array(tensor), root=root_rank, what=f"broadcast {name or ''}")


def allgather(tensor, name=None):
    """Every process's ``tensor`` joined along the first axis in rank order (first sizes may differ)."""
    return np.concatenate(collectives.allgather_objects(_array(tensor), what=f"allgather {name or ''}"), axis=0)


def broadcast_variables(variables, root_rank=0):
    """Overwrite the variables (in place) with process ``root_rank``'s values."""
    collectives.broadcast_arrays([v.value for v in variables], root=root_rank, what="broadcast_variables")


Average, Sum = "average", "sum"


def DistributedOptimizer(optimizer, name=None, **kwargs):
    """A copy of ``optimizer`` that averages each update's gradients over the processes first."""
    base = type(optimizer)

    def apply(self, grads, variables=None):
        grads = list(grads)
        present = [i for i, g in enumerate(grads) if g is not None]
        averaged, _ = collectives.allreduce_arrays([grads[i] for i in present], scale=1.0 / size(),
                                                   what="DistributedOptimizer's gradient allreduce")
        for i, g in zip(present, averaged):
            grads[i] = g
        return base.apply(self, Reduced(grads), variables)  # never reduced again under a strategy

    twin = copy.copy(optimizer)
    twin.__class__ = type(base.__name__, (base,), {"apply": apply, "__module__": base.__module__,
                                                    "_dendrite_distributed": True})
    return twin


class BroadcastGlobalVariablesCallback(Callback):
    """At the start of training, every process takes process ``root_rank``'s weights (and optimizer state)."""

    def __init__(self, root_rank=0, device=""):
        super().__init__()
        self.root_rank = root_rank

    def on_train_begin(self, logs=None):
        broadcast_variables(self.model.weights, self.root_rank)
        optimizer = self.model.optimizer
        if optimizer is not None and optimizer.built:
            broadcast_variables(optimizer.variables, self.root_rank)


class MetricAverageCallback(Callback):
    """At each epoch's end, the logs' numbers become their average over the processes (put it first, before
    callbacks that read the logs)."""

    def on_epoch_end(self, epoch, logs=None):
        if not logs or size() == 1:
            return
        keys = sorted(k for k, v in logs.items() if np.ndim(v) == 0)
        buf = np.array([float(logs[k]) for k in keys])
        collectives.allreduce_(buf, what="MetricAverageCallback")
        logs.update({k: v / size() for k, v in zip(keys, buf)})
