"""Distributed data-parallel training over MPI: the same Keras script on one process or many.

Run a script as ``mpiexec -n 4 python train.py`` or ``dendrite launch -n 4 train.py``. The tf.distribute
spellings (``MultiWorkerMirroredStrategy``, ``MirroredStrategy``, ``get_strategy``, ``ReduceOp`` ...) and
Horovod's (``init``, ``rank``, ``size``, ``allreduce``, ``DistributedOptimizer`` ...) are both here; see
docs/distributed.md. Without MPI every process is a job of one and everything runs as without this package.
"""
from .collectives import set_timeout, timeout
from .comm import launched_by_mpi, world
from .strategy import (ClusterResolver, DistributedDataset, InputContext, MirroredStrategy,
                       MultiWorkerMirroredStrategy, ReduceOp, Strategy, get_strategy, has_strategy,
                       in_cross_replica_context)

__all__ = ["MultiWorkerMirroredStrategy", "MirroredStrategy", "Strategy", "ReduceOp", "get_strategy",
           "has_strategy", "in_cross_replica_context", "ClusterResolver", "InputContext", "DistributedDataset",
           "set_timeout", "timeout", "launched_by_mpi", "world"]
