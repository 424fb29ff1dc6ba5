"""BackupAndRestore: a run killed mid-training and started again ends with the weights of an uninterrupted
run with the same seed (shuffling, dropout and a seeded layer included), whether it was killed after an epoch,
in the middle of an epoch after batch backups, or while a backup was being written."""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

rng = np.random.default_rng(0)
X = rng.standard_normal((160, 6)).astype("float32")
Y = (X[:, 0] + X[:, 1] > 0).astype("int64")


class Killed(Exception):
    pass


class KillAt(keras.callbacks.Callback):
    """Raise at the end of (epoch, batch); batch None: at the end of the epoch."""

    def __init__(self, epoch, batch=None):
        super().__init__()
        self.at, self.epoch = (epoch, batch), None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise Killed(f"killed after batch {batch} of epoch {self.epoch}")

    def on_epoch_end(self, epoch, logs=None):
        if (epoch, None) == self.at:
            raise Killed(f"killed after epoch {epoch}")


def _model():
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                              layers.Dense(16, activation="relu"), layers.Dropout(0.2, seed=3),
                              layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _run(callbacks, model=None, epochs=5, batch_size=16):
    model = model or _model()
    history = model.fit(X, Y, epochs=epochs, batch_size=batch_size, callbacks=callbacks, verbose=0,
                        validation_split=0.2)
    return model, history.history


def _assert_same_run(reference, resumed, resumed_epochs):
    (ref_model, ref_history), (model, history) = reference, resumed
    for a, b in zip(ref_model.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(history["loss"]) == resumed_epochs
    for key, values in ref_history.items():  # the resumed epochs' logs, bit for bit (metrics put back mid-epoch)
        assert history[key] == values[len(values) - resumed_epochs:], key


def test_a_run_killed_after_an_epoch_resumes_at_the_next(tmp_path):
    reference = _run([])
    backup = str(tmp_path / "backup")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup), KillAt(2)])
    files = sorted(os.listdir(backup))
    assert files == ["backup-3.npz", "training_metadata.json"]  # one backup per epoch, older ones removed
    with open(os.path.join(backup, "training_metadata.json")) as f:
        meta = json.load(f)
    assert (meta["epoch"], meta["batch"], meta["weights_file"]) == (3, 0, "backup-3.npz")
    resumed = _run([keras.callbacks.BackupAndRestore(backup)])
    _assert_same_run(reference, resumed, 2)  # epochs 3 and 4 (0-based) only
    assert not os.path.exists(backup)  # deleted once the run completed


@pytest.mark.parametrize("same_model", [False, True], ids=["fresh-model", "same-model"])
def test_a_run_killed_mid_epoch_resumes_at_the_batch_after_its_last_backup(tmp_path, same_model):
    # 8 batches an epoch; save_freq=3 backs up after global batches 3, 6, 9 (epoch 1, batch 0), 12 (epoch 1,
    # batch 3); the kill after batch 5 of epoch 1 loses two batches
    reference = _run([])
    backup = str(tmp_path / "backup")
    model = _model()
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup, save_freq=3), KillAt(1, 5)], model)
    with open(os.path.join(backup, "training_metadata.json")) as f:
        meta = json.load(f)
    assert (meta["epoch"], meta["batch"]) == (1, 4)  # 4 batches of epoch 1 done
    # same-model: the metrics were built by the killed fit and are put back before the batch; a fresh model
    # builds them in its first step and the saved totals are added to that batch's
    seen = []
    spy = keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: seen.append(batch))
    resumed = _run([keras.callbacks.BackupAndRestore(backup, save_freq=3), spy], model if same_model else None)
    assert seen[:4] == [4, 5, 6, 7] and len(seen) == 4 + 3 * 8  # the done batches are not trained again
    _assert_same_run(reference, resumed, 4)
    assert not os.path.exists(backup)


@pytest.mark.parametrize("kill", [(2, None), (3, 1)], ids=["after-epoch-2", "mid-epoch-3"])  # (epoch, batch)
def test_steps_per_epoch_shorter_than_a_pass_resumes_inside_the_same_pass(tmp_path, kill):
    """With steps_per_epoch=4 and 8 shuffled batches a pass, every odd epoch starts inside a pass the epoch
    before began: the backup keeps the random state that pass was drawn from and how far it went, so the resumed run
    trains on the same batches, in the same order, as an uninterrupted one."""
    def run(callbacks, epochs=6):
        model = _model()
        history = model.fit(X[:128], Y[:128], epochs=epochs, batch_size=16, steps_per_epoch=4, callbacks=callbacks,
                            verbose=0)
        return model, history.history
    reference = run([])
    backup = str(tmp_path / "backup")
    with pytest.raises(Killed):
        run([keras.callbacks.BackupAndRestore(backup, save_freq=2 if kill[1] is not None else "epoch"),
             KillAt(*kill)])
    with open(os.path.join(backup, "training_metadata.json")) as f:
        meta = json.load(f)
    assert meta["epoch"] == 3 and meta["epoch_position"]["seen"] == 4  # epoch 3 starts half-way through a pass
    resumed = run([keras.callbacks.BackupAndRestore(backup, save_freq=2 if kill[1] is not None else "epoch")])
    for a, b in zip(reference[0].get_weights(), resumed[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    done = len(resumed[1]["loss"])
    assert resumed[1]["loss"] == reference[1]["loss"][6 - done:]


def test_a_backup_due_at_an_epochs_last_batch_is_taken_at_its_end(tmp_path):
    backup = str(tmp_path / "backup")
    with pytest.raises(Killed):  # save_freq=4 with 8 batches an epoch: due at the last batch of epoch 0
        _run([keras.callbacks.BackupAndRestore(backup, save_freq=4), KillAt(0)])
    with open(os.path.join(backup, "training_metadata.json")) as f:
        meta = json.load(f)
    assert (meta["epoch"], meta["batch"]) == (1, 0)


def test_double_checkpoint_falls_back_on_the_previous_backup(tmp_path):
    reference = _run([])
    backup = str(tmp_path / "backup")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup, double_checkpoint=True), KillAt(2)])
    assert sorted(os.listdir(backup)) == ["backup-2.npz", "backup-3.npz", "training_metadata.json",
                                          "training_metadata.json.bkp"]
    with open(os.path.join(backup, "backup-3.npz"), "r+b") as f:  # the latest backup damaged on disk
        f.truncate(100)
    with pytest.raises(OSError, match=r"backup-3.npz|cannot be read"):
        _run([keras.callbacks.BackupAndRestore(backup)])  # without double_checkpoint: a clear error
    resumed = _run([keras.callbacks.BackupAndRestore(backup, double_checkpoint=True)])
    _assert_same_run(reference, resumed, 3)  # from the backup of epoch 1's end


def test_backup_refuses_another_models_backup_other_batches_and_bad_frequencies(tmp_path):
    backup = str(tmp_path / "b")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(backup), KillAt(0)])
    other = keras.Sequential([keras.Input((6,)), layers.Dense(2)])
    other.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"holds 6 weights, the model has 2: it is another model's"):
        other.fit(X, np.zeros((160, 2)), callbacks=[keras.callbacks.BackupAndRestore(backup)], verbose=0)
    wider = keras.Sequential([keras.Input((6,)), layers.Dense(8), layers.Dense(16), layers.Dense(2)])
    wider.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"weight 0 with shape \(6, 16\), the model's dense_\d+/kernel has \(6, 8\)"):
        wider.fit(X, np.zeros((160, 2)), callbacks=[keras.callbacks.BackupAndRestore(backup)], verbose=0)

    mid = str(tmp_path / "mid")
    with pytest.raises(Killed):
        _run([keras.callbacks.BackupAndRestore(mid, save_freq=3), KillAt(0, 4)])
    with pytest.raises(RuntimeError, match=r"made in the middle of an epoch of 8 batches, but fit now makes 4 "
                                           r"batches an epoch: it was given other data or another batch size"):
        _run([keras.callbacks.BackupAndRestore(mid, save_freq=3)], batch_size=40)
    for bad in (0, -2, 2.5, True, "batch"):
        with pytest.raises(ValueError, match=r"`save_freq` must be 'epoch' or a positive integer"):
            keras.callbacks.BackupAndRestore(backup, save_freq=bad)
    with pytest.raises(ValueError, match=r"`backup_dir` must be a folder path"):
        keras.callbacks.BackupAndRestore("")


# ------------------------------------------------------------ killed for real (SIGKILL) in a subprocess
_TRAINER = r"""
import json, os, signal, sys
import numpy as np
import dendrite as keras
from dendrite import layers
from dendrite.callbacks import backup_and_restore

mode, backup, out = sys.argv[1:4]
rng = np.random.default_rng(0)
x = rng.standard_normal((160, 6)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int64")
keras.utils.set_random_seed(7)
model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                          layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class DieAt(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == (1, 6):
            die()

writes = []
def dying_atomic(path, write):
    # the third backup's npz (write 5) or metadata (write 6): killed with the temporary file half written
    def half_then_die(tmp):
        write(tmp)
        with open(tmp, "r+b") as f:
            f.truncate(os.path.getsize(tmp) // 2)
        die()
    writes.append(path)
    return real_atomic(path, half_then_die if len(writes) == int(mode[-1]) else write)

callbacks = [] if mode == "reference" else [keras.callbacks.BackupAndRestore(backup, save_freq=3)]
if mode == "kill-mid-epoch":
    callbacks.append(DieAt())
if mode.startswith("kill-in-write"):
    real_atomic, backup_and_restore._atomic = backup_and_restore._atomic, dying_atomic
history = model.fit(x, y, epochs=3, batch_size=16, callbacks=callbacks, verbose=0)
np.savez(out, *model.get_weights())
with open(out + ".json", "w") as f:
    json.dump(history.history, f)
"""


def _trainer(mode, tmp_path):
    out = str(tmp_path / f"{mode}.npz")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", _TRAINER, mode, str(tmp_path / "backup"), out], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    if mode.startswith("kill"):
        assert done.returncode == -signal.SIGKILL, done.stderr
        return None
    assert done.returncode == 0, done.stderr
    with np.load(out) as data, open(out + ".json") as f:
        return [data[k] for k in data.files], json.load(f)


def _metadata(tmp_path):
    with open(tmp_path / "backup" / "training_metadata.json") as f:
        return json.load(f)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
@pytest.mark.parametrize("kill", ["kill-mid-epoch", "kill-in-write-5", "kill-in-write-6"])
def test_a_trainer_killed_with_sigkill_ends_as_an_uninterrupted_one(tmp_path, kill):
    # 10 batches an epoch, backups after global batches 3, 6, 9, 12 (2 of epoch 1 done), 15 (5 of epoch 1 done)
    reference_weights, reference_history = _trainer("reference", tmp_path)
    _trainer(kill, tmp_path)
    left = sorted(os.listdir(tmp_path / "backup"))
    meta = _metadata(tmp_path)
    if kill == "kill-mid-epoch":  # after 7 batches of epoch 1: the backup after 5 of them is the latest
        assert (meta["epoch"], meta["batch"]) == (1, 5) and left == ["backup-5.npz", "training_metadata.json"]
    elif kill == "kill-in-write-5":  # in the third backup's npz: its half-written temporary file is ignored
        assert (meta["epoch"], meta["batch"]) == (0, 6) and "backup-2.npz" in left
        assert any(name.startswith(".tmp-") for name in left) and "backup-3.npz" not in left
    else:  # its npz in place, its metadata half written: the metadata still names the second backup
        assert (meta["epoch"], meta["batch"]) == (0, 6) and {"backup-2.npz", "backup-3.npz"} <= set(left)
    weights, history = _trainer("resume", tmp_path)
    for a, b in zip(reference_weights, weights):
        np.testing.assert_array_equal(a, b)
    resumed = len(history["loss"])
    assert resumed == (2 if kill == "kill-mid-epoch" else 3)
    assert history == {k: v[3 - resumed:] for k, v in reference_history.items()}
    assert not os.path.exists(tmp_path / "backup")
