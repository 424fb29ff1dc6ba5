"""Writes what Keras's dataset loaders return for small files, for tests/datasets (not run in CI; needs Keras).

    KERAS_BACKEND=numpy /work/kvenv/bin/python tools/make_keras_datasets_fixtures.py
    # writes tests/fixtures/keras_datasets/housing.npz and cifar.npz

Housing: small npz files of x and y (boston: 37 samples of 13 float64 features; california: 650 samples of
8 float32 features, so that version='small' keeps 600) go through keras.datasets.boston_housing and
california_housing.load_data for several test_split / seed / version cases; the fixture holds the inputs,
and per case the input rows Keras returned (its shuffle and cut: x_train is x[train_rows], ...) and the
dtypes of its four arrays; ``cases`` holds the cases as JSON.

CIFAR: the same records are written in Keras's pickled python layout (a dict of b'data' (n, 3072) uint8
and Python lists of labels per batch) and kept in the fixture as binary-version records (label byte(s),
then 3072 pixel bytes). Keras's cifar10 fills 10000 records per training batch, so each training batch
holds our 2 records followed by filler, and the fixture keeps Keras's rows for our records only. Keras's
download is replaced by the folder written here (its get_file); everything else runs as shipped, in both
image_data_formats.
"""
import json
import os
import pickle
import tempfile

os.environ.setdefault("KERAS_BACKEND", "numpy")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.datasets import boston_housing, california_housing, cifar10, cifar100  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_datasets")
HOUSING_CASES = {  # name -> (loader, keyword arguments)
    "boston_default": ("boston", {}),
    "boston_no_test": ("boston", {"test_split": 0.0}),
    "boston_035_seed7": ("boston", {"test_split": 0.35, "seed": 7}),
    "california_large": ("california", {}),
    "california_small": ("california", {"version": "small"}),
    "california_small_01_seed0": ("california", {"version": "small", "test_split": 0.1, "seed": 0}),
}
PER_BATCH = 2  # our records in each CIFAR-10 file
CIFAR100_TRAIN, CIFAR100_TEST = 4, 3


def housing_inputs():
    """Deterministic, distinct rows: x[i, j] = i + j / 16 (+ 0.5 for california), y[i] = 3 i + 0.25."""
    def make(n, features, dtype, shift):
        x = (np.arange(n)[:, None] + np.arange(features)[None, :] / 16 + shift).astype(dtype)
        return x, (3 * np.arange(n) + 0.25).astype(dtype)
    return {"boston": make(37, 13, np.float64, 0.0), "california": make(650, 8, np.float32, 0.5)}


def pixels(first, n):
    """n images of 3072 bytes, each value set by its record, channel, row and column (any mix-up shows)."""
    rec = np.arange(first, first + n)[:, None, None, None]
    ch, row, col = np.arange(3)[:, None, None], np.arange(32)[:, None], np.arange(32)
    return ((rec * 37 + ch * 101 + row * 7 + col * 3) % 256).astype(np.uint8).reshape(n, 3072)


def write_pickle(path, data, **labels):
    with open(path, "wb") as f:
        pickle.dump({b"data": data, **{k.encode(): v for k, v in labels.items()}}, f)


def cifar10_case(tmp, out):
    folder = os.path.join(tmp, "c10", "cifar-10-batches-py")
    os.makedirs(folder)
    for i in range(6):
        data = pixels(PER_BATCH * i, PER_BATCH)
        labels = [(PER_BATCH * i + k) * 3 % 10 for k in range(PER_BATCH)]
        name = "test_batch" if i == 5 else f"data_batch_{i + 1}"
        out[f"cifar10_{name}"] = np.concatenate([np.array(labels, np.uint8)[:, None], data], axis=1)
        if i < 5:  # Keras's cifar10 needs 10000 records per training batch
            data = np.concatenate([data, np.zeros((10000 - PER_BATCH, 3072), np.uint8)])
            labels = labels + [0] * (10000 - PER_BATCH)
        write_pickle(os.path.join(folder, name), data, labels=labels)
    cifar10.get_file = lambda *a, **k: os.path.dirname(folder)
    ours = np.concatenate([np.arange(PER_BATCH) + 10000 * i for i in range(5)])
    for fmt in ("channels_last", "channels_first"):
        keras.config.set_image_data_format(fmt)
        (x_train, y_train), (x_test, y_test) = cifar10.load_data()
        out[f"cifar10_{fmt}_x_train"], out[f"cifar10_{fmt}_x_test"] = x_train[ours], x_test
        out[f"cifar10_{fmt}_y_train"], out[f"cifar10_{fmt}_y_test"] = y_train[ours], y_test
        out[f"cifar10_{fmt}_shapes"] = np.array([x_train.shape, x_test.shape])


def cifar100_case(tmp, out):
    folder = os.path.join(tmp, "c100", "cifar-100-python")
    os.makedirs(folder)
    for name, first, n in (("train", 0, CIFAR100_TRAIN), ("test", 100, CIFAR100_TEST)):
        fine = [(first + k) * 7 % 100 for k in range(n)]
        coarse = [f // 5 for f in fine]
        data = pixels(first, n)
        write_pickle(os.path.join(folder, name), data, fine_labels=fine, coarse_labels=coarse)
        out[f"cifar100_{name}"] = np.concatenate([np.array([coarse, fine], np.uint8).T, data], axis=1)
    cifar100.get_file = lambda *a, **k: os.path.dirname(folder)
    for fmt in ("channels_last", "channels_first"):
        keras.config.set_image_data_format(fmt)
        for mode in ("fine", "coarse"):
            (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=mode)
            for key, value in (("x_train", x_train), ("y_train", y_train), ("x_test", x_test),
                               ("y_test", y_test)):
                out[f"cifar100_{fmt}_{mode}_{key}"] = value


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        housing = {}
        for name, (x, y) in housing_inputs().items():
            path = os.path.join(tmp, f"{name}.npz")
            np.savez(path, x=x, y=y)
            housing[f"{name}_x"], housing[f"{name}_y"] = x, y
            {"boston": boston_housing, "california": california_housing}[name].get_file = \
                lambda *a, path=path, **k: path
        for case, (name, kwargs) in HOUSING_CASES.items():
            module = {"boston": boston_housing, "california": california_housing}[name]
            x, y = housing[f"{name}_x"], housing[f"{name}_y"]
            (x_train, y_train), (x_test, y_test) = module.load_data(**kwargs)
            for part, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
                rows = np.searchsorted(y, ys)  # y increases: each target names its row
                assert np.array_equal(y[rows], ys) and np.array_equal(x[rows], xs)
                housing[f"{case}_{part}_rows"] = rows.astype(np.int16)
                housing[f"{case}_{part}_dtypes"] = np.array([xs.dtype.name, ys.dtype.name])
        np.savez_compressed(os.path.join(OUT, "housing.npz"), keras_version=np.array(keras.__version__),
                            cases=np.array(json.dumps(HOUSING_CASES)), **housing)
        cifar = {}
        cifar10_case(tmp, cifar)
        cifar100_case(tmp, cifar)
        keras.config.set_image_data_format("channels_last")
        np.savez_compressed(os.path.join(OUT, "cifar.npz"), keras_version=np.array(keras.__version__), **cifar)


if __name__ == "__main__":
    main()
