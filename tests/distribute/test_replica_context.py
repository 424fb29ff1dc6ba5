"""tf.distribute's replica context and cluster resolvers, as TensorFlow answers on one process."""
import numpy as np
import pytest

from dendrite import distribute


def test_the_default_replica_context_outside_every_scope():
    ctx = distribute.get_replica_context()
    assert ctx.num_replicas_in_sync == 1 and ctx.replica_id_in_sync_group == 0
    assert float(ctx.all_reduce(distribute.ReduceOp.SUM, np.float32(2.0))) == 2.0
    assert ctx.merge_call(lambda strategy, x: (strategy.num_replicas_in_sync, x), args=(5,)) == (1, 5)
    with pytest.raises(ValueError, match="ReduceOp.SUM or ReduceOp.MEAN"):
        ctx.all_reduce("MAX", 1.0)


def test_inside_a_scope_there_is_no_replica_context_until_run():
    strategy = distribute.MirroredStrategy()
    with strategy.scope():
        assert distribute.get_replica_context() is None and distribute.get_cross_replica_context() is strategy
        ctx = strategy.run(distribute.get_replica_context)
    assert ctx.strategy is strategy and ctx.num_replicas_in_sync == 1
    distribute.experimental_set_strategy(strategy)
    assert distribute.get_strategy() is strategy and distribute.has_strategy()
    distribute.experimental_set_strategy(None)
    assert not distribute.has_strategy()


def test_tpu_resolver_raises_the_value_error_notebooks_catch():
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        distribute.cluster_resolver.TPUClusterResolver()
    with pytest.raises(ValueError, match="no TPU named 'grpc://x' can be reached"):
        distribute.cluster_resolver.TPUClusterResolver.connect("grpc://x")
    try:  # the preamble of Kaggle / Colab notebooks
        tpu = distribute.cluster_resolver.TPUClusterResolver()
        strategy = distribute.experimental.TPUStrategy(tpu)
    except ValueError:
        strategy = distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1


def test_tf_config_resolver_reads_the_variable(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}')
    resolver = distribute.cluster_resolver.TFConfigClusterResolver()
    assert (resolver.task_type, resolver.task_id, resolver.num_workers) == ("worker", 1, 2)
    assert resolver.cluster_spec() == {"worker": ["a:1", "b:2"]}
    with pytest.raises(NotImplementedError, match="cluster_resolver.GCEClusterResolver is not provided"):
        distribute.cluster_resolver.GCEClusterResolver
