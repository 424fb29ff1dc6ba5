"""The strategy API on one process (no mpiexec): a strategy of one replica, and fit under it exactly fit."""
import numpy as np
import pytest

import dendrite
from dendrite import distribute, layers


def test_scope_and_default_strategy():
    assert not distribute.has_strategy()
    default = distribute.get_strategy()
    assert default.num_replicas_in_sync == 1 and default is distribute.get_strategy()
    strategy = distribute.MultiWorkerMirroredStrategy()
    with strategy.scope() as entered:
        assert entered is strategy and distribute.has_strategy() and distribute.get_strategy() is strategy
        with distribute.MirroredStrategy().scope():
            assert distribute.get_strategy() is not strategy
        assert distribute.get_strategy() is strategy
    assert not distribute.has_strategy()
    assert strategy.num_replicas_in_sync == 1
    assert (strategy.cluster_resolver.task_type, strategy.cluster_resolver.task_id) == ("worker", 0)


def test_run_and_reduce():
    strategy = distribute.MirroredStrategy()
    assert strategy.run(lambda a, b=0: a + b, args=(2,), kwargs={"b": 3}) == 5
    values = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    np.testing.assert_allclose(strategy.reduce(distribute.ReduceOp.SUM, values), values)
    np.testing.assert_allclose(strategy.reduce(distribute.ReduceOp.MEAN, values, axis=0), [2.0, 4.0])
    np.testing.assert_allclose(strategy.reduce("sum", values, axis=1), [3.0, 9.0])
    np.testing.assert_allclose(distribute.get_strategy().reduce("MEAN", values, axis=0), [2.0, 4.0])
    with pytest.raises(ValueError, match="ReduceOp.SUM or ReduceOp.MEAN"):
        strategy.reduce("MAX", values)


def test_run_is_the_replica_context():
    strategy = distribute.MultiWorkerMirroredStrategy()
    assert not distribute.in_cross_replica_context()  # the default replica context, as TensorFlow's
    with strategy.scope():
        assert distribute.in_cross_replica_context() and distribute.get_replica_context() is None
    seen = strategy.run(lambda: (distribute.get_strategy(), distribute.in_cross_replica_context()))
    assert seen == (strategy, False)
    assert not distribute.in_cross_replica_context() and not distribute.has_strategy()  # left as it was
    # one process: a mean loss inside run is not divided, and an optimizer made in the scope updates as always
    loss = dendrite.losses.MeanSquaredError()
    assert float(strategy.run(loss, args=(np.zeros(4), np.full(4, 2.0))).value) == 4.0
    with strategy.scope():
        sgd = dendrite.optimizers.SGD(0.5)
    w = dendrite.Variable(np.ones(3, np.float32))
    strategy.run(lambda: sgd.apply_gradients([(np.full(3, 2.0, np.float32), w)]))
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0, 0.0])


def test_distribute_dataset_on_one_process_is_the_dataset():
    ds = dendrite.data.Dataset.from_tensor_slices(np.arange(10.0)).batch(4)
    dist = distribute.MultiWorkerMirroredStrategy().experimental_distribute_dataset(ds)
    assert [b.tolist() for b in dist] == [b.tolist() for b in ds] and dist.cardinality() == 3
    ctx = []
    distribute.MirroredStrategy().distribute_datasets_from_function(lambda c: ctx.append(c) or ds)
    assert (ctx[0].num_input_pipelines, ctx[0].input_pipeline_id, ctx[0].get_per_replica_batch_size(64)) == (1, 0, 64)
    with pytest.raises(ValueError, match="not divisible"):
        distribute.InputContext(1, 0, 3).get_per_replica_batch_size(64)


def test_fit_under_a_strategy_on_one_process_is_fit():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(100, 5)).astype("float32"), rng.integers(0, 3, 100)
    runs = []
    for strategy in (None, distribute.MultiWorkerMirroredStrategy()):
        dendrite.utils.set_random_seed(0)
        with strategy.scope() if strategy else __import__("contextlib").nullcontext():
            m = dendrite.Sequential([layers.Input((5,)), layers.Dense(8, "relu"), layers.Dense(3, "softmax")])
            m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        assert m._distribution is None  # one process: nothing to consult
        h = m.fit(x, y, batch_size=16, epochs=2, verbose=0, validation_split=0.2)
        runs.append((h.history, m.predict(x, verbose=0), m.get_weights()))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    for a, b in zip(runs[0][2], runs[1][2]):
        np.testing.assert_array_equal(a, b)


def test_compatibility_mode_tf_distribute_is_this_package():
    import dendrite.compat
    dendrite.compat.install()
    try:
        import tensorflow as tf
        assert tf.distribute.MultiWorkerMirroredStrategy is distribute.MultiWorkerMirroredStrategy
        assert tf.distribute.experimental.MultiWorkerMirroredStrategy is distribute.MultiWorkerMirroredStrategy
        assert tf.distribute.get_strategy().num_replicas_in_sync == 1
        assert tf.distribute.ReduceOp.SUM == "SUM" and tf.distribute.OneDeviceStrategy("/cpu:0").num_replicas_in_sync == 1
        assert tf.data.experimental.AutoShardPolicy.FILE == 1 and tf.data.experimental.AutoShardPolicy.OFF == -1
        per_example = np.array([1.0, 2.0, 3.0, 6.0], np.float32)
        assert float(tf.nn.compute_average_loss(per_example)) == 3.0  # the batch times 1 replica
        assert float(tf.nn.compute_average_loss(per_example, global_batch_size=8)) == 1.5
        assert float(tf.nn.scale_regularization_loss([np.float32(1.0), np.float32(2.5)])) == 3.5
    finally:
        dendrite.compat.uninstall()
