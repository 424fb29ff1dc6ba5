"""TensorBoard: event files read back with TensorBoard's own EventAccumulator hold Keras 3's tags, with the
values of fit's history, the weights' histograms and images, batch scalars every N batches and the graph."""
import json
import os
import sys

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

if not os.environ.get("CI"):  # the tensorboard extra (and the reader): always there in CI (the dev extra)
    pytest.importorskip("tensorboardX")
    pytest.importorskip("tensorboard")

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402
from tensorboard.plugins.graph import keras_util  # noqa: E402


def _read(folder):
    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0, "images": 0, "tensors": 0})
    acc.Reload()
    return acc


def _scalars(acc, tag):
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def _f32(values):
    return [float(np.float32(v)) for v in values]


@pytest.fixture
def digits(mnist):
    (x, y), _ = mnist
    x, y = x[:480].astype("float32") / 255, y[:480]
    return x[:384], y[:384], x[384:], y[384:]


def _dense_model():
    model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(16, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.002), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_epoch_scalars_equal_the_history_in_train_and_validation(tmp_path, digits):
    x, y, xv, yv = digits
    model = _dense_model()
    tb = keras.callbacks.TensorBoard(log_dir=tmp_path / "logs")
    history = model.fit(x, y, epochs=3, batch_size=64, validation_data=(xv, yv), callbacks=[tb], verbose=0).history
    assert sorted(os.listdir(tmp_path / "logs")) == ["train", "validation"]
    assert tb._writers == {}  # closed at the end of training
    train, val = _read(tmp_path / "logs" / "train"), _read(tmp_path / "logs" / "validation")
    assert sorted(train.Tags()["scalars"]) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    assert train.Tags()["histograms"] == [] and train.Tags()["images"] == []  # histogram_freq=0
    for key in ("loss", "accuracy"):
        assert _scalars(train, f"epoch_{key}") == list(zip(range(3), _f32(history[key])))
        assert _scalars(val, f"epoch_{key}") == list(zip(range(3), _f32(history[f"val_{key}"])))
    assert _scalars(train, "epoch_learning_rate") == [(e, float(np.float32(0.002))) for e in range(3)]
    # each validation's end, against optimizer.iterations (6 batches an epoch)
    assert sorted(val.Tags()["scalars"]) == ["epoch_accuracy", "epoch_loss", "evaluation_accuracy_vs_iterations",
                                             "evaluation_loss_vs_iterations"]
    assert _scalars(val, "evaluation_loss_vs_iterations") == list(zip([6, 12, 18], _f32(history["val_loss"])))

    # write_graph: the model's JSON config as Keras writes it, which TensorBoard's graph plugin draws
    assert train.Tags()["tensors"] == ["keras"]
    assert train.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"
    (event,) = train.Tensors("keras")
    config = json.loads(event.tensor_proto.string_val[0])
    assert event.step == 0 and config == json.loads(model.to_json())
    graph = keras_util.keras_model_to_graph_def(config)
    assert [node.name.split("/")[-1] for node in graph.node] == ["input_layer", "flatten", "dense", "dense_1"]


def test_the_seeds_form_writes_histograms_and_images_of_each_weight(tmp_path, digits, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x, y, xv, yv = digits
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3, activation="relu"),
                              layers.MaxPooling2D(4), layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    tb = keras.callbacks.TensorBoard(log_dir="./graph", histogram_freq=1, write_graph=True, write_images=True)
    model.fit(x[..., None], y, epochs=2, batch_size=128, validation_data=(xv[..., None], yv), callbacks=[tb],
              verbose=0)
    train = _read(tmp_path / "graph" / "train")
    paths = ["conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias"]
    assert sorted(train.Tags()["histograms"]) == sorted(f"{p}/histogram" for p in paths)
    weights = {w.path: np.asarray(w.value) for w in model.weights}
    for path in paths:
        events = train.Histograms(f"{path}/histogram")
        assert [e.step for e in events] == [0, 1]
        last = events[-1].histogram_value
        w = weights[path]
        assert last.num == w.size and last.min == pytest.approx(w.min()) and last.max == pytest.approx(w.max())
        assert last.sum == pytest.approx(float(w.sum()), abs=1e-5)
    assert sorted(train.Tags()["images"]) == sorted(f"{p}/image" for p in paths)
    # as Keras lays them out: the conv kernel (3, 3, 1, 4) as 4 images of 3x3 (tiled side by side), the dense
    # kernel (144, 10) transposed to 10 rows of 144, a bias as one column
    sizes = {p: (train.Images(f"{p}/image")[-1].height, train.Images(f"{p}/image")[-1].width) for p in paths}
    assert sizes == {"conv2d/kernel": (3, 12), "conv2d/bias": (4, 1), "dense/kernel": (10, 144),
                     "dense/bias": (10, 1)}
    assert [e.step for e in train.Images("dense/kernel/image")] == [0, 1]


def test_histogram_freq_picks_the_epochs(tmp_path, digits):
    x, y, _, _ = digits
    model = _dense_model()
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=2, write_graph=False)
    model.fit(x, y, epochs=5, batch_size=128, callbacks=[tb], verbose=0)
    train = _read(tmp_path / "train")
    assert [e.step for e in train.Histograms("dense/kernel/histogram")] == [0, 2, 4]
    assert train.Tags()["tensors"] == [] and train.Tags()["images"] == []  # no graph, no images


@pytest.mark.parametrize("update_freq, every", [(4, 4), ("batch", 1)])
def test_batch_scalars_every_n_batches(tmp_path, digits, update_freq, every):
    x, y, _, _ = digits
    model = _dense_model()
    seen = []  # the logs fit gives each batch, numbered from 1 over the whole fit
    spy = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=update_freq, write_steps_per_second=True)
    model.fit(x, y, epochs=2, batch_size=64, callbacks=[spy, tb], verbose=0)  # 12 batches
    train = _read(tmp_path / "train")
    steps = list(range(every, 13, every))
    for key in ("loss", "accuracy"):
        assert _scalars(train, f"batch_{key}") == [(s, float(np.float32(seen[s - 1][key]))) for s in steps]
    per_batch = _scalars(train, "batch_steps_per_second")
    per_epoch = _scalars(train, "epoch_steps_per_second")
    assert [s for s, _ in per_batch] == steps and [s for s, _ in per_epoch] == [0, 1]
    assert all(v > 0 for _, v in per_batch + per_epoch)
    assert sorted(os.listdir(tmp_path)) == ["train"]  # no validation data: no validation folder


def test_update_freq_epoch_writes_no_batch_scalars_and_evaluate_writes_to_validation(tmp_path, digits):
    x, y, xv, yv = digits
    model = _dense_model()
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path))
    loss, accuracy = model.evaluate(xv, yv, callbacks=[tb], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["validation"]  # evaluate alone: nothing in train
    val = _read(tmp_path / "validation")
    assert _scalars(val, "evaluation_loss_vs_iterations") == [(6, float(np.float32(loss)))]
    assert _scalars(val, "evaluation_accuracy_vs_iterations") == [(6, float(np.float32(accuracy)))]
    assert tb._writers == {}  # closed after evaluate


def test_tensorboard_arguments_are_checked_and_profile_batch_is_ignored(tmp_path, digits, monkeypatch):
    for good in (0, 3, (2, 4), "2,4"):
        keras.callbacks.TensorBoard(log_dir=str(tmp_path), profile_batch=good)
    for bad in (-1, (4, 2), "a", 1.5, (1, 2, 3)):
        with pytest.raises(ValueError, match=r"`profile_batch` must be a non-negative integer or a pair"):
            keras.callbacks.TensorBoard(log_dir=str(tmp_path), profile_batch=bad)
    for bad in (0, -3, "often"):
        with pytest.raises(ValueError, match=r"update_freq"):
            keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=bad)
    with pytest.raises(ValueError, match=r"histogram_freq"):
        keras.callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=-1)
    x, y, _, _ = digits
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), embeddings_freq=1, embeddings_metadata={"words": "m.tsv"})
    with pytest.raises(ValueError, match=r"`embeddings_metadata` names \['words'\], which are not Embedding layers"):
        _dense_model().fit(x, y, epochs=1, callbacks=[tb], verbose=0)
    monkeypatch.setitem(sys.modules, "tensorboardX", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r'pip install "dendrite\[tensorboard\]"'):
        keras.callbacks.TensorBoard(log_dir=str(tmp_path))


def test_writers_of_a_fit_that_raised_do_not_pile_up(tmp_path):
    """A fit a callback aborts never reaches on_train_end: the writer threads and files of its TensorBoard
    callback end when the callback goes, so repeated aborted runs do not accumulate threads."""
    import gc
    import threading
    import time

    class Abort(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise RuntimeError("stop")

    rs = np.random.default_rng(0)
    x, y = rs.random((32, 4)).astype("float32"), rs.random((32, 1)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    def writer_threads():
        """The event writers' threads (tensorboardX's logger thread and its queue's feeder), not every thread
        of the process: another test's daemon thread may come or go meanwhile."""
        return sum(type(t).__name__ == "_EventLoggerThread" or "QueueFeederThread" in t.name
                   for t in threading.enumerate())

    before = writer_threads()
    for i in range(4):
        with pytest.raises(RuntimeError, match="stop"):
            model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.TensorBoard(
                log_dir=str(tmp_path / str(i)), update_freq=1), Abort()])
        gc.collect()
        deadline = time.monotonic() + 10  # a closed writer's threads end a moment after close() returns
        while writer_threads() > before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert writer_threads() <= before  # no writer thread left behind per aborted run
