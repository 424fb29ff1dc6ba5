"""BackupAndRestore: a run killed mid-training and started again ends with the weights of an uninterrupted
run with the same seed (shuffling, dropout and a seeded layer included)."""
import os

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((96, 6)).astype("float32")
Y = (X[:, 0] + X[:, 1] > 0).astype("int64")


class Killed(Exception):
    pass


class KillAfter(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise Killed(f"killed after epoch {epoch}")


def _run(callbacks):
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                              layers.Dense(16, activation="relu"), layers.Dropout(0.2, seed=3),
                              layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, Y, epochs=5, batch_size=16, callbacks=callbacks, verbose=0)
    return model, history


def test_a_killed_run_started_again_ends_as_an_uninterrupted_one(tmp_path):
    reference, _ = _run([])
    backup = str(tmp_path / "backup")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup), KillAfter(2)])
    assert sorted(os.listdir(backup)) == ["backup.npz", "training_metadata.json"]
    resumed, history = _run([keras.callbacks.BackupAndRestore(backup)])
    assert len(history.history["loss"]) == 2  # epochs 3 and 4 (0-based) only
    for a, b in zip(reference.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not os.path.exists(backup)  # deleted once the run completed


def test_backup_refuses_another_models_backup_and_batch_frequencies(tmp_path):
    backup = str(tmp_path / "b")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup), KillAfter(0)])
    other = keras.Sequential([keras.Input((6,)), layers.Dense(2)])
    other.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"holds 6 weights, the model has 2: it is another model's"):
        other.fit(X, np.zeros((96, 2)), callbacks=[keras.callbacks.BackupAndRestore(backup)], verbose=0)
    with pytest.raises(NotImplementedError, match=r"save_freq=5.*not supported yet"):
        keras.callbacks.BackupAndRestore(backup, save_freq=5)
