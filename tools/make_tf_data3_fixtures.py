"""Writes what TensorFlow 2.21's tf.data and Keras 3.15's legacy preprocessing give for the cases of
tests/data/test_data3_fixtures.py and tests/preprocessing/test_affine.py, test_timeseries.py and
test_skipgrams.py (not run in CI; needs
TensorFlow, and SciPy for Keras's apply_affine_transform):

    PYTHONPATH=/path/to/scipy /work/bvenv/bin/python tools/make_tf_data3_fixtures.py

tests/fixtures/tf_data3/pipelines.json: each case is a Python expression over ``D`` (the Dataset class),
``E`` (tf.data.experimental), ``TS`` (TensorSpec) and ``np``, run the same way against dendrite.data in the
tests; its elements
(nested lists; bytes as {"bytes": text}, a RaggedTensor as {"ragged": rows}, a SparseTensor as its three
parts) and cardinality. The CSV cases carry the file text they read.
tests/fixtures/tf_data3/preprocessing.json: keras.preprocessing (Keras 2's, kept in keras.src.legacy) on a
slice of an MNIST digit: apply_affine_transform, apply_channel_shift, apply_brightness_shift, smart_resize,
TimeseriesGenerator batches, make_sampling_table, skipgrams without negatives or shuffling.
"""
import json
import os
import tempfile

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_data3")
MNIST = "/work/shared/data/mnist.npz"

CASES = [
    "D.counter(3, 2).take(4)",
    "D.counter(0.5, 0.25, dtype=np.float32).take(3)",
    "D.range(10).take_while(lambda x: x < 4)",
    "D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(2), window_size=2)",
    "D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(10).map(lambda b: (k, b)), "
    "window_size_func=lambda k: k + 1)",
    "D.range(10).apply(E.group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), window_size=3))",
    "D.range(10).apply(E.group_by_reducer(lambda x: x % 3, E.Reducer(lambda k: np.int64(0), "
    "lambda s, x: s + x, lambda s: s)))",
    "D.choose_from_datasets([D.range(3), D.range(10, 13)], D.from_tensor_slices(np.array([0, 1, 1, 0, 0, 0, 1])))",
    "E.choose_from_datasets([D.range(3), D.range(10, 13)], D.from_tensor_slices(np.array([0, 1, 1, 0, 0, 0, 1])))",
    "D.from_generator(lambda: (np.arange(n) for n in range(5)), output_signature=TS((None,), np.int64))"
    ".ragged_batch(3)",
    "D.from_generator(lambda: (np.ones((n, 2), np.float32) * n for n in range(4)), "
    "output_signature=TS((None, 2), np.float32)).apply(E.dense_to_ragged_batch(2))",
    "D.from_tensor_slices(np.arange(6).reshape(3, 2)).ragged_batch(2)",
    "D.from_generator(lambda: (np.arange(n) for n in range(1, 4)), output_signature=TS((None,), np.int64))"
    ".sparse_batch(2, [5])",
    "D.from_generator(lambda: (np.arange(n) for n in range(1, 4)), output_signature=TS((None,), np.int64))"
    ".apply(E.dense_to_sparse_batch(2, [4]))",
    "D.from_tensor_slices({'a': [1, 2]}).apply(E.pad_to_cardinality(4))",
    "E.from_list([(1, 'a'), (2, 'b')])",
    "D.range(5).apply(E.scan(np.int64(0), lambda s, x: (s + x, s * 10)))",
    "D.from_tensor_slices([1, 2, 1, 3, 2]).apply(E.unique())",
    "D.range(3).apply(E.enumerate_dataset(5))",
    "D.range(6).batch(4).apply(E.unbatch())",
    "D.range(7).apply(E.map_and_batch(lambda x: x * 2, 3))",
    "D.range(7).apply(E.map_and_batch(lambda x: x * 2, 3, drop_remainder=True))",
    "D.range(4).apply(E.take_while(lambda x: x < 2))",
    "E.Counter(5).take(2)",
    "D.range(3).apply(E.parallel_interleave(lambda x: D.range(x, x + 2), cycle_length=1))",
    "D.range(4).apply(E.shuffle_and_repeat(1, 2))",
]

CSV = 'n,x,name,big,y\n1,0.5,"a,b",3000000000,0\n2,,cc,4,1\n3,1.5,,5,1\n'
CSV_CASES = [
    "E.make_csv_dataset(PATH, batch_size=2, label_name='y', shuffle=False, num_epochs=1)",
    "E.make_csv_dataset(PATH, batch_size=3, select_columns=['x', 'y'], shuffle=False, num_epochs=1)",
    "E.make_csv_dataset(PATH, batch_size=2, label_name='n', select_columns=['n', 'name'], shuffle=False, "
    "num_epochs=2)",
    "E.make_csv_dataset(PATH, batch_size=2, shuffle=False, num_epochs=None).take(3)",
    "E.CsvDataset(PATH, [0, 2.5, ''], header=True, select_cols=[0, 1, 2])",
    "E.CsvDataset(PATH, [0, 0.0, 'q', np.int64(0), 0], header=True)",
    "E.CsvDataset(PATH, [0, 0], header=True, exclude_cols=[1, 2, 3])",
]
DECODE_CASES = [
    "tf.io.decode_csv(['1,2.5,a', '3,,\"q,r\"'], [[0], [1.0], ['']])",
    "tf.io.decode_csv([['1;2'], ['3;4']], [0, np.int64(0)], field_delim=';')",
    "tf.io.decode_csv(['1,NA,x'], [0, 7.0, ''], na_value='NA')",
    "tf.io.decode_csv(['1,2,3,4'], [0, 0], select_cols=[1, 3])",
]


def to_json(x):
    if isinstance(x, tf.data.Dataset):
        return [to_json(e) for e in x]
    if isinstance(x, tf.RaggedTensor):
        return {"ragged": to_json(x.to_list())}
    if isinstance(x, tf.SparseTensor):
        return {"indices": x.indices.numpy().tolist(), "values": to_json(x.values),
                "dense_shape": x.dense_shape.numpy().tolist()}
    if isinstance(x, dict):
        return {k: to_json(v) for k, v in x.items()}
    if isinstance(x, (tuple, list)):
        return [to_json(v) for v in x]
    if isinstance(x, tf.Tensor):
        x = x.numpy()
    if isinstance(x, bytes):
        return {"bytes": x.decode()}
    if isinstance(x, np.ndarray):
        return [to_json(v) for v in x] if x.dtype == object else x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def dtypes_of(element):
    return [x.dtype.name if x.dtype != tf.string else "string"
            for x in tf.nest.flatten(element) if isinstance(x, tf.Tensor)]


def pipelines():
    env = {"D": tf.data.Dataset, "E": tf.data.experimental, "np": np, "tf": tf, "TS": tf.TensorSpec}
    cases = []
    for text in CASES:
        ds = eval(text, env)  # noqa: S307 - this file's own case texts
        cases.append({"pipeline": text, "elements": [to_json(e) for e in ds],
                      "cardinality": int(ds.cardinality().numpy())})
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "data.csv")
    with open(path, "w") as f:
        f.write(CSV)
    for text in CSV_CASES:
        ds = eval(text, dict(env, PATH=path))  # noqa: S307
        elements = list(ds)
        cases.append({"pipeline": text, "csv": CSV, "elements": [to_json(e) for e in elements],
                      "dtypes": dtypes_of(elements[0]), "keys": [list(e.keys()) if isinstance(e, dict) else
                                                                 list(e[0].keys()) if isinstance(e, tuple) and
                                                                 isinstance(e[0], dict) else None
                                                                 for e in elements[:1]][0]})
    decoded = []
    for text in DECODE_CASES:
        out = eval(text, env)  # noqa: S307
        decoded.append({"call": text, "columns": [to_json(c) for c in out], "dtypes": dtypes_of(out)})
    return {"tensorflow": tf.__version__, "cases": cases, "decode_csv": decoded}


def preprocessing():
    import keras
    from keras.src.legacy.preprocessing import image as legacy_image
    from keras.src.legacy.preprocessing import sequence as legacy_sequence
    with np.load(MNIST) as f:
        digit = f["x_train"][0][::2, ::2].astype("float32")  # 14 x 14
    img = np.stack([digit, digit.T], axis=-1)  # channels last, two channels
    out = {"keras": keras.__version__, "image": img.tolist(), "affine": [], "channel_shift": [], "brightness": []}
    for kwargs in (dict(theta=30), dict(tx=2.5, ty=-1.5), dict(shear=20), dict(zx=0.8, zy=1.3),
                   dict(theta=-15, zx=1.2, zy=1.2, fill_mode="constant", cval=7.0),
                   dict(theta=45, fill_mode="reflect"), dict(tx=3, fill_mode="nearest", order=0),
                   dict(theta=10, tx=1, shear=5, zx=0.9, zy=1.1)):
        for axes in ((0, 1, 2), (2, 0, 1)):  # (channel_axis, row_axis, col_axis)
            x = img if axes[0] == 2 else np.moveaxis(img, -1, 0)
            got = legacy_image.apply_affine_transform(x, channel_axis=axes[0], row_axis=axes[1], col_axis=axes[2],
                                                      **kwargs)
            out["affine"].append({"kwargs": kwargs, "axes": list(axes), "result": np.asarray(got).tolist()})
    for intensity, axis in ((30.0, 2), (-50.0, 0)):
        x = img if axis == 2 else np.moveaxis(img, -1, 0)
        out["channel_shift"].append({"intensity": intensity, "channel_axis": axis,
                                     "result": legacy_image.apply_channel_shift(x, intensity, axis).tolist()})
    rgb = np.stack([digit, digit.T, 255 - digit], axis=-1)
    out["rgb"] = rgb.tolist()
    for brightness, scale in ((0.5, True), (1.5, True), (0.7, False)):
        out["brightness"].append({"brightness": brightness, "scale": scale, "result": legacy_image.apply_brightness_shift(
            rgb, brightness, scale).tolist()})
    out["smart_resize"] = [{"size": list(size), "result": np.asarray(keras.preprocessing.image.smart_resize(
        rgb, size)).tolist()} for size in ((10, 6), (7, 7))]
    series = np.arange(50, dtype="float32").reshape(25, 2)
    targets = np.arange(25) * 10
    out["timeseries"] = []
    for kwargs in (dict(length=5, batch_size=4), dict(length=6, sampling_rate=2, stride=3, batch_size=3),
                   dict(length=3, start_index=4, end_index=15, batch_size=5, reverse=True),
                   dict(length=4, batch_size=32)):
        gen = legacy_sequence.TimeseriesGenerator(series, targets, **kwargs)
        out["timeseries"].append({"kwargs": kwargs, "len": len(gen),
                                  "batches": [[gen[i][0].tolist(), gen[i][1].tolist()] for i in range(len(gen))]})
    out["sampling_table"] = legacy_sequence.make_sampling_table(12).tolist()
    out["sampling_table_factor"] = legacy_sequence.make_sampling_table(6, sampling_factor=0.1).tolist()
    couples, labels = legacy_sequence.skipgrams([1, 2, 3, 4], 5, window_size=2, negative_samples=0.0, shuffle=False)
    out["skipgrams"] = {"couples": [list(c) for c in couples], "labels": list(labels)}
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "pipelines.json"), "w") as f:
        json.dump(pipelines(), f, indent=0)
    with open(os.path.join(OUT, "preprocessing.json"), "w") as f:
        json.dump(preprocessing(), f)


if __name__ == "__main__":
    main()
