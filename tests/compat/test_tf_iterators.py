"""iter(dataset) in TensorFlow programs: a tf.data Iterator (get_next, get_next_as_optional, OutOfRangeError),
a distributed dataset's DistributedIterator, and the tf.distribute option objects scripts pass to strategies."""
import numpy as np
import pytest


def test_tf_programs_get_tf_data_iterators(tf):
    dataset = tf.data.Dataset.from_tensor_slices(np.arange(6.0)).batch(4)
    iterator = iter(dataset)
    assert iterator.element_spec.shape == (None,)
    first = iterator.get_next()
    assert isinstance(first, tf.Tensor) and first.numpy().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert tf.data.experimental.get_next_as_optional(iterator).get_value().numpy().tolist() == [4.0, 5.0]
    with pytest.raises(tf.errors.OutOfRangeError):
        iterator.get_next()
    strategy = tf.distribute.MirroredStrategy(cross_device_ops=tf.distribute.HierarchicalCopyAllReduce())
    distributed = iter(strategy.experimental_distribute_dataset(dataset))
    assert isinstance(distributed, tf.distribute.DistributedIterator)
    assert distributed.get_next().numpy().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert distributed.get_next_as_optional().has_value() and not distributed.get_next_as_optional().has_value()


def test_strategy_options_are_accepted_and_unprovided_strategies_refused(tf):
    options = tf.distribute.experimental.CommunicationOptions(
        implementation=tf.distribute.experimental.CommunicationImplementation.NCCL)
    assert tf.distribute.MultiWorkerMirroredStrategy(communication_options=options).num_replicas_in_sync == 1
    assert repr(tf.distribute.NcclAllReduce(num_packs=2)) == "NcclAllReduce(num_packs=2)"
    assert tf.distribute.InputOptions(experimental_fetch_to_device=False).experimental_fetch_to_device is False
    assert isinstance(tf.distribute.ReductionToOneDevice(), tf.distribute.CrossDeviceOps)
    for name in ("TPUStrategy", "ParameterServerStrategy"):
        with pytest.raises(NotImplementedError, match=f"tf.distribute.{name} is not provided by dendrite"):
            getattr(tf.distribute, name)
        with pytest.raises(NotImplementedError, match=f"tf.distribute.experimental.{name} is not provided"):
            getattr(tf.distribute.experimental, name)
    central = tf.distribute.experimental.CentralStorageStrategy()
    assert central.num_replicas_in_sync == 1
    with central.scope():
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
    assert np.isfinite(model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=1, verbose=0).history["loss"][0])
    dataset = tf.data.Dataset.from_tensor_slices(np.arange(6.0)).batch(4)
    assert central.experimental_distribute_dataset(dataset).element_spec.shape == (None,)
    values = central.experimental_distribute_values_from_function(
        lambda context: (context.replica_id_in_sync_group, context.num_replicas_in_sync))
    assert values == (0, 1)  # one process: replica 0 of 1


def test_an_iterator_is_checkpointed_at_its_position(tf, tmp_path):
    """TF's tf.data guide: tf.train.Checkpoint(iterator=iter(ds)); after restore, iteration resumes after the
    saved position (TF 2.21 prints [0..4], [5..9], then [5..9] again)."""
    iterator = iter(tf.data.Dataset.range(20))
    ckpt = tf.train.Checkpoint(step=tf.Variable(0), iterator=iterator)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=3)
    assert [int(next(iterator)) for _ in range(5)] == [0, 1, 2, 3, 4]
    manager.save()
    assert [int(next(iterator)) for _ in range(5)] == [5, 6, 7, 8, 9]
    ckpt.restore(manager.latest_checkpoint)
    assert [int(iterator.get_next()) for _ in range(5)] == [5, 6, 7, 8, 9]
    fresh = iter(tf.data.Dataset.range(20))  # restoring into a new iterator of the same dataset
    tf.train.Checkpoint(step=tf.Variable(0), iterator=fresh).restore(manager.latest_checkpoint)
    assert int(next(fresh)) == 5


def test_optional_is_also_tf_experimental_optional(tf):
    value = tf.experimental.Optional.from_value(tf.constant(3))
    assert value.has_value() and int(value.get_value()) == 3
    assert not tf.experimental.Optional.empty(tf.TensorSpec(shape=(), dtype=tf.int32)).has_value()
