"""ModelCheckpoint (seed 004's spelling included) and CSVLogger through fit."""
import csv
import os

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((80, 5)).astype("float32")
Y = (X[:, :1] > 0).astype("int64")[:, 0]


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), layers.Dense(8, activation="relu"),
                              layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    return model


def test_seed_004s_checkpoint_keeps_the_best_weights_by_val_acc(tmp_path, capsys):
    model = _model()
    pattern = str(tmp_path / "ckpt" / "singlenn_{epoch:02d}-{val_acc:.2f}.h5")
    with pytest.warns(DeprecationWarning, match="period"):
        ckpt = keras.callbacks.ModelCheckpoint(pattern, monitor="val_acc", save_best_only=True,
                                               save_weights_only=True, mode="auto", period=1, verbose=1)
    history = model.fit(X, Y, epochs=6, batch_size=16, validation_split=0.25, callbacks=[ckpt], verbose=0)
    accs = history.history["val_acc"]
    improved = [i for i, a in enumerate(accs) if a > max(accs[:i], default=-1)]
    expected = sorted(f"singlenn_{i + 1:02d}-{accs[i]:.2f}.h5" for i in improved)
    assert sorted(os.listdir(tmp_path / "ckpt")) == expected  # a file each time val_acc improved, none else
    assert "val_acc improved from -inf to" in capsys.readouterr().out
    best = _model()
    best.load_weights(str(tmp_path / "ckpt" / expected[-1]))
    assert best.evaluate(X[60:], Y[60:], verbose=0)[1] == pytest.approx(max(accs))


def test_checkpoint_every_n_batches_and_a_missing_key_is_named(tmp_path):
    model = _model()
    ckpt = keras.callbacks.ModelCheckpoint(str(tmp_path / "w-{epoch}-{batch}.weights.h5"), save_weights_only=True,
                                           save_freq=3)
    model.fit(X, Y, epochs=2, batch_size=16, callbacks=[ckpt], verbose=0)  # 5 batches an epoch: 10 in all
    assert sorted(os.listdir(tmp_path)) == ["w-1-3.weights.h5", "w-2-1.weights.h5", "w-2-4.weights.h5"]
    bad = keras.callbacks.ModelCheckpoint(str(tmp_path / "{val_loss:.2f}.h5"), save_weights_only=True)
    with pytest.raises(KeyError, match=r"names 'val_loss', which is not in the logs"):
        model.fit(X, Y, epochs=1, callbacks=[bad], verbose=0)
    with pytest.raises(ValueError, match=r"`save_freq` must be 'epoch' or a positive integer"):
        keras.callbacks.ModelCheckpoint("x.h5", save_freq=0)


def test_csv_logger_writes_keras_rows_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    model = _model()
    history = model.fit(X, Y, epochs=3, validation_split=0.25, callbacks=[keras.callbacks.CSVLogger(str(path))],
                        verbose=0)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "acc", "loss", "val_acc", "val_loss"]  # sorted, as Keras writes them
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    np.testing.assert_allclose([float(r[2]) for r in rows[1:]], history.history["loss"], rtol=1e-6)
    model.fit(X, Y, epochs=1, callbacks=[keras.callbacks.CSVLogger(str(path), separator=",", append=True)],
              verbose=0)
    with open(path, newline="") as f:
        assert len(list(csv.reader(f))) == 5  # one more row, no second header


def test_checkpoint_of_whole_models_loads_back_compiled(tmp_path):
    model = _model()
    ckpt = keras.callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"))
    model.fit(X, Y, epochs=2, callbacks=[ckpt], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["m-1.keras", "m-2.keras"]
    again = keras.models.load_model(str(tmp_path / "m-2.keras"))
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))
    assert again.evaluate(X, Y, verbose=0) == model.evaluate(X, Y, verbose=0)
