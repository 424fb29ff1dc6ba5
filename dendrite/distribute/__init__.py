"""Distributed data-parallel training over MPI: the same Keras script on one process or many.

Run a script as ``mpiexec -n 4 python train.py`` or ``dendrite launch -n 4 train.py``. The tf.distribute
spellings (``MultiWorkerMirroredStrategy``, ``MirroredStrategy``, ``get_strategy``, ``ReduceOp`` ...) and
Horovod's (``init``, ``rank``, ``size``, ``allreduce``, ``DistributedOptimizer`` ...) are both here; see
docs/distributed.md. Without MPI every process is a job of one and everything runs as without this package.
"""
from types import SimpleNamespace

from .collectives import set_timeout, timeout
from .comm import launched_by_mpi, world
from .strategy import (CentralStorageStrategy, ClusterResolver, DistributedDataset, InputContext, MirroredStrategy,
                       MultiWorkerMirroredStrategy, OneDeviceStrategy, ReduceOp, Strategy, ValueContext, get_strategy,
                       has_strategy, in_cross_replica_context)
from .horovod import (Average, BroadcastGlobalVariablesCallback, DistributedOptimizer, MetricAverageCallback, Sum,
                      allgather, allreduce, broadcast, broadcast_variables, init, is_initialized, local_rank,
                      local_size, rank, size)

from .tf_options import (REFUSED, CommunicationImplementation, CommunicationOptions, CrossDeviceOps, Experimental,
                         HierarchicalCopyAllReduce, InputOptions, InputReplicationMode, NcclAllReduce,
                         ReductionToOneDevice)
from .replica_context import (DistributedValues, ReplicaContext, RunOptions, cluster_resolver,
                              experimental_set_strategy, get_cross_replica_context, get_replica_context)
from ..data.iterator import Iterator as DistributedIterator

experimental = Experimental(MultiWorkerMirroredStrategy=MultiWorkerMirroredStrategy,  # TF 2.x's older spelling
                            CentralStorageStrategy=CentralStorageStrategy, CommunicationOptions=CommunicationOptions,
                            CommunicationImplementation=CommunicationImplementation, ValueContext=ValueContext)
callbacks = SimpleNamespace(BroadcastGlobalVariablesCallback=BroadcastGlobalVariablesCallback,
                            MetricAverageCallback=MetricAverageCallback)

__all__ = ["MultiWorkerMirroredStrategy", "MirroredStrategy", "OneDeviceStrategy", "experimental", "Strategy", "ReduceOp", "get_strategy",
           "has_strategy", "in_cross_replica_context", "ClusterResolver", "InputContext", "DistributedDataset",
           "set_timeout", "timeout", "launched_by_mpi", "world", "init", "rank", "size", "local_rank", "local_size",
           "is_initialized", "allreduce", "broadcast", "allgather", "broadcast_variables", "DistributedOptimizer",
           "BroadcastGlobalVariablesCallback", "MetricAverageCallback", "callbacks", "Average", "Sum",
           "SyncBatchNormalization", "CrossDeviceOps", "HierarchicalCopyAllReduce", "NcclAllReduce",
           "ReductionToOneDevice", "InputOptions", "InputReplicationMode", "DistributedIterator", "CentralStorageStrategy",
           "DistributedValues", "ReplicaContext", "RunOptions", "cluster_resolver", "experimental_set_strategy",
           "get_cross_replica_context", "get_replica_context"]


def __getattr__(name):  # the layer imports dendrite.layers, loaded only when asked for
    if name == "SyncBatchNormalization":
        from .sync_batch_norm import SyncBatchNormalization
        return SyncBatchNormalization
    if name in REFUSED:
        raise NotImplementedError(f"tf.distribute.{name} is not provided by dendrite: {REFUSED[name]} "
                                  "See docs/distributed.md.")
    if name in _TF_ONLY:
        raise NotImplementedError(f"tf.distribute.{name} is not provided by dendrite: {_TF_ONLY[name]} See "
                                  "docs/distributed.md.")
    raise AttributeError(f"module 'dendrite.distribute' has no attribute {name!r}")


_TF_ONLY = {"coordinator": "the parameter-server ClusterCoordinator needs ParameterServerStrategy, which dendrite "
                           "does not have.",
            "StrategyExtended": "strategy.extended (TensorFlow's device-level API) has no counterpart here.",
            "experimental_connect_to_cluster": "there is no cluster of TensorFlow servers to connect to."}
