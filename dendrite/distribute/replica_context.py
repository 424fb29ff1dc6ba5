"""tf.distribute's replica context and cluster resolvers, as TensorFlow scripts use them.

``get_replica_context()`` is the context of the replica running the code: inside ``strategy.run`` this process's
replica of that strategy, outside every strategy scope the default replica context (one replica), and None in a
strategy's cross-replica context (its scope, outside ``run``), as TensorFlow answers. ``cluster_resolver`` holds the
resolvers: ``TPUClusterResolver()`` raises the ValueError TensorFlow raises where no TPU is reachable, so the
TPU-detection preamble of Colab and Kaggle notebooks (``try: ... TPUClusterResolver() ... except ValueError:
strategy = tf.distribute.get_strategy()``) takes its fallback."""
import os
import json

import numpy as np

from .comm import world
from .distribution import _REPLICAS, _STRATEGIES
from .strategy import ClusterResolver, ReduceOp, get_strategy


class ReplicaContext:
    """``tf.distribute.ReplicaContext``: this replica's place among its strategy's replicas."""

    def __init__(self, strategy, replica_id_in_sync_group=0):
        self.strategy = strategy
        self.replica_id_in_sync_group = replica_id_in_sync_group

    @property
    def num_replicas_in_sync(self):
        return self.strategy.num_replicas_in_sync

    @property
    def devices(self):
        return ("/job:localhost/replica:0/task:0/device:CPU:0",)

    def all_reduce(self, reduce_op, value, options=None):
        """``value`` summed (ReduceOp.SUM) or averaged (MEAN) over the replicas, in its own type and dtype."""
        if self.num_replicas_in_sync == 1:
            _check_op(reduce_op, "all_reduce")
            return value
        out = self.strategy.reduce(reduce_op, value)
        return _like(value, out)

    def all_gather(self, value, axis, options=None):
        return value if self.num_replicas_in_sync == 1 else _like(value, self.strategy.gather(value, axis))

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """``merge_fn(strategy, *args, **kwargs)`` in the cross-replica context (each process runs its own)."""
        return merge_fn(self.strategy, *args, **(kwargs or {}))

    def __repr__(self):
        return (f"<ReplicaContext: replica {self.replica_id_in_sync_group} of {self.num_replicas_in_sync} "
                f"({type(self.strategy).__name__})>")


def _check_op(reduce_op, who):
    op = getattr(reduce_op, "value", reduce_op)
    if (op.upper() if isinstance(op, str) else op) not in (ReduceOp.SUM, ReduceOp.MEAN):
        raise ValueError(f"ReplicaContext.{who}: `reduce_op` must be ReduceOp.SUM or ReduceOp.MEAN ('SUM' / "
                         f"'MEAN'); received {reduce_op!r}.")


def _like(value, array):
    from ..autodiff import Tensor
    return Tensor(np.asarray(array)) if isinstance(value, Tensor) else array


def get_replica_context():
    """The running replica's context: in ``strategy.run`` that strategy's, outside any strategy scope the default
    one (a single replica), None in a strategy's cross-replica context."""
    if _REPLICAS:
        return ReplicaContext(_REPLICAS[-1], world().rank)
    if _STRATEGIES:
        return None
    return ReplicaContext(get_strategy(), 0)


def get_cross_replica_context():
    """The strategy whose cross-replica context this is (its scope, or the default), None inside ``run``."""
    return None if _REPLICAS else get_strategy()


_SET = []


def experimental_set_strategy(strategy):
    """Enter ``strategy``'s scope for the rest of the program (None leaves the one entered here)."""
    while _SET:
        scope = _SET.pop()
        scope.__exit__(None, None, None)
    if strategy is not None:
        scope = strategy.scope()
        scope.__enter__()
        _SET.append(scope)


class DistributedValues:
    """``tf.distribute.DistributedValues``: one value per replica; here each process holds its own replica's."""

    def __init__(self, values):
        self.values = tuple(values)


class RunOptions:
    """``tf.distribute.RunOptions``: accepted by ``strategy.run(options=...)`` and kept."""

    def __init__(self, experimental_enable_dynamic_batch_size=True, experimental_bucketizing_dynamic_shape=False,
                 experimental_xla_options=None):
        self.experimental_enable_dynamic_batch_size = experimental_enable_dynamic_batch_size
        self.experimental_bucketizing_dynamic_shape = experimental_bucketizing_dynamic_shape
        self.experimental_xla_options = experimental_xla_options


class TPUClusterResolver:
    """``tf.distribute.cluster_resolver.TPUClusterResolver``: there is no TPU to connect to, so making one raises
    the ValueError TensorFlow raises without one (scripts catch it and fall back to the default strategy)."""

    def __init__(self, tpu=None, zone=None, project=None, job_name="worker", coordinator_name=None,
                 coordinator_address=None, credentials="default", service=None, discovery_url=None):
        if not tpu:
            raise ValueError("Please provide a TPU Name to connect to.")
        raise ValueError(f"TPUClusterResolver: no TPU named {tpu!r} can be reached: dendrite runs on this machine's "
                         "CPU (use the default strategy, or MirroredStrategy over MPI processes).")

    @classmethod
    def connect(cls, tpu=None, zone=None, project=None):
        return cls(tpu, zone, project)


class TFConfigClusterResolver(ClusterResolver):
    """``tf.distribute.cluster_resolver.TFConfigClusterResolver``: the task read from the TF_CONFIG variable (as
    TensorFlow), else this process's place in the MPI job."""

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None):
        config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        task = config.get("task", {})
        me = world()
        super().__init__(task_id if task_id is not None else task.get("index", me.rank),
                         len(config.get("cluster", {}).get("worker", [])) or me.size)
        self.task_type = task_type or task.get("type", "worker")
        self._cluster = config.get("cluster")
        if rpc_layer is not None:
            self.rpc_layer = rpc_layer

    def cluster_spec(self):
        return self._cluster if self._cluster is not None else super().cluster_spec()


class SimpleClusterResolver(ClusterResolver):
    """``tf.distribute.cluster_resolver.SimpleClusterResolver(cluster_spec, task_type, task_id, ...)``."""

    def __init__(self, cluster_spec, master="", task_type=None, task_id=None, environment="", num_accelerators=None,
                 rpc_layer=None):
        spec = dict(getattr(cluster_spec, "as_dict", lambda: cluster_spec)())
        super().__init__(task_id or 0, len(spec.get("worker", [])) or 1)
        self.task_type, self._spec, self._master = task_type or "worker", spec, master
        if rpc_layer is not None:
            self.rpc_layer = rpc_layer

    def cluster_spec(self):
        return self._spec

    def master(self, *args, **kwargs):
        return self._master


class ClusterResolvers:
    """``tf.distribute.cluster_resolver``."""

    ClusterResolver = ClusterResolver
    TPUClusterResolver = TPUClusterResolver
    TFConfigClusterResolver = TFConfigClusterResolver
    SimpleClusterResolver = SimpleClusterResolver

    def __getattr__(self, name):
        raise NotImplementedError(f"tf.distribute.cluster_resolver.{name} is not provided by dendrite: dendrite's "
                                  "processes meet through MPI (see docs/distributed.md).")


cluster_resolver = ClusterResolvers()
