"""tf.train.Checkpoint / CheckpointManager (dendrite.saving.object_checkpoint), reached as dendrite.train."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers, train


def _model(seed):
    dendrite.utils.set_random_seed(seed)
    model = dendrite.Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    return model


def test_checkpoint_save_numbers_prefixes_and_restores_into_fresh_objects(tmp_path):
    model, step = _model(1), dendrite.Variable(np.array(7, dtype=np.int32), trainable=False)
    ckpt = train.Checkpoint(model=model, step=step)
    first = ckpt.save(str(tmp_path / "ckpt"))
    second = ckpt.save(str(tmp_path / "ckpt"))
    assert first.endswith("ckpt-1") and second.endswith("ckpt-2") and int(ckpt.save_counter.numpy()) == 2
    assert train.latest_checkpoint(str(tmp_path)) == second
    fresh, fresh_step = _model(2), dendrite.Variable(np.array(0, dtype=np.int32), trainable=False)
    assert not np.allclose(fresh.get_weights()[0], model.get_weights()[0])
    status = train.Checkpoint(model=fresh, step=fresh_step).restore(second)
    status.assert_consumed()
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(fresh_step.numpy()) == 7
    assert train.Checkpoint(model=fresh).restore(None).expect_partial() is not None  # nothing saved yet: no-op


def test_restore_reports_what_did_not_match_and_refuses_other_shapes(tmp_path):
    w = dendrite.Variable(np.ones((2, 3), np.float32))
    path = train.Checkpoint(w=w, extra=dendrite.Variable(np.zeros(1, np.float32))).write(str(tmp_path / "a"))
    status = train.Checkpoint(w=dendrite.Variable(np.zeros((2, 3), np.float32))).restore(path)
    status.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="extra"):
        status.assert_consumed()
    with pytest.raises(ValueError, match=r"`w` has shape \(3,\).*\(2, 3\)"):
        train.Checkpoint(w=dendrite.Variable(np.zeros(3, np.float32))).restore(path)
    with pytest.raises(FileNotFoundError, match="no checkpoint at .*nowhere"):
        train.Checkpoint(w=w).restore(str(tmp_path / "nowhere"))
    with pytest.raises(ValueError, match="`model` is a object, which holds no state"):
        train.Checkpoint(model=object())


def test_manager_keeps_the_newest_and_names_them_in_the_checkpoint_file(tmp_path):
    w = dendrite.Variable(np.zeros(2, np.float32))
    optimizer = dendrite.optimizers.SGD(0.1)
    manager = train.CheckpointManager(train.Checkpoint(w=w, optimizer=optimizer), str(tmp_path / "run"),
                                      max_to_keep=2)
    for value in (1.0, 2.0, 3.0):
        w.assign(np.full(2, value, np.float32))
        manager.save()
    names = sorted(os.listdir(tmp_path / "run"))
    assert names == ["checkpoint", "ckpt-2.data-00000-of-00001", "ckpt-2.index", "ckpt-3.data-00000-of-00001",
                     "ckpt-3.index"]
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-2", "ckpt-3"]
    again = train.CheckpointManager(train.Checkpoint(w=w), str(tmp_path / "run"), max_to_keep=2)
    assert again.latest_checkpoint == manager.latest_checkpoint
    w.assign(np.zeros(2, np.float32))
    assert again.restore_or_initialize() == manager.latest_checkpoint
    np.testing.assert_array_equal(w.numpy(), [3.0, 3.0])
    with pytest.raises(TypeError, match="expected a tf.train.Checkpoint"):
        train.CheckpointManager({"w": w}, str(tmp_path), max_to_keep=1)
