"""Writes what tf.data gives for small pipelines, for tests/data/test_tf_fixtures.py (not run in CI; needs
TensorFlow, e.g. /work/bvenv/bin/python tools/make_tf_data_fixtures.py).

Each case is a Python expression over ``D`` (the Dataset class) and ``np``; the same text runs against
dendrite.data.Dataset in the tests. For each one, ``tests/fixtures/tf_data/pipelines.json`` holds the
elements (nested lists; tuples become lists, bytes become {"bytes": text}; an element that is a dataset, or a
tuple or dict of them, becomes the list of its elements) and the cardinality.
"""
import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_data")

CASES = [
    "D.range(10)",
    "D.range(2, 11, 3)",
    "D.range(5, 0, -2)",
    "D.range(10).batch(3)",
    "D.range(10).batch(3, drop_remainder=True)",
    "D.range(10).take(4)",
    "D.range(10).take(-1)",
    "D.range(10).skip(7)",
    "D.range(10).skip(-1)",
    "D.range(10).shard(3, 1)",
    "D.range(10).shard(4, 3)",
    "D.range(3).repeat(2)",
    "D.range(3).repeat(0)",
    "D.range(3).repeat().take(8)",
    "D.range(0).repeat()",
    "D.range(5).enumerate(start=3)",
    "D.range(4).concatenate(D.range(10, 12))",
    "D.range(1, 6).interleave(lambda x: D.from_tensors(x).repeat(6), cycle_length=2, block_length=4)",
    "D.range(1, 4).interleave(lambda x: D.range(x), cycle_length=2)",
    "D.range(1, 4).flat_map(lambda x: D.range(x))",
    "D.range(10).filter(lambda x: x % 3 == 0)",
    "D.range(7).window(3, 2, 1)",
    "D.range(7).window(3, 2, 1, drop_remainder=True)",
    "D.range(10).window(3, 1, 2, drop_remainder=True)",
    "D.range(10).window(3, 4, 2)",
    "D.range(7).window(2)",
    "D.zip(D.range(3), D.range(10, 14)).window(2)",
    "D.range(6).batch(4).unbatch()",
    "D.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2)",
    "D.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[5], padding_values=np.int64(-1))",
    "D.range(1, 6).map(lambda x: (tf.fill([x], x), x)).padded_batch(2, drop_remainder=True)",
    "D.range(1, 4).map(lambda x: tf.fill([x, 2], x)).padded_batch(3)",
    "D.range(10).batch(4).rebatch(3)",
    "D.range(10).batch(4).rebatch(3, drop_remainder=True)",
    "D.range(8).batch(4).rebatch([1, 3])",
    "D.range(10).scan(np.int64(0), lambda s, x: (s + x, s * 10))",
    "D.from_tensor_slices([1, 2, 1, 3, 2]).unique()",
    "D.from_tensor_slices(([1, 2, 3], [4.5, 5.5, 6.5]))",
    "D.from_tensor_slices({'a': [1, 2], 'b': [[1.0, 2.0], [3.0, 4.0]]}).batch(2)",
    "D.from_tensor_slices(['ab', 'c'])",
    "D.from_tensors(([1, 2], 3))",
    "D.zip((D.range(3), D.range(5).map(lambda x: x * 2)))",
    "D.zip({'a': D.range(2), 'b': D.range(5, 9)})",
    "D.range(9).map(lambda x: tf.fill([x % 4], x)).bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2, 3], [2, 2, 2])",
    "D.range(9).map(lambda x: tf.fill([x % 4], x)).bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2, 5], [2, 3, 1], pad_to_bucket_boundary=True)",
    "D.range(9).map(lambda x: tf.fill([x % 4], x)).bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2, 3], [2, 2, 2], drop_remainder=True)",
    "D.range(10).map(lambda x: x * 2).filter(lambda x: x > 5).repeat()",
    "D.from_generator(lambda: iter([1, 2]), output_signature=tf.TensorSpec((), tf.int32)).repeat(2)",
    "D.from_generator(lambda: iter([1, 2]), output_signature=tf.TensorSpec((), tf.int32)).take(1)",
    "D.range(5).take(3).repeat()",
]

CARDINALITY_ONLY = [
    "D.range(10).repeat().take(3).batch(2)",
    "D.range(10).filter(lambda x: True).repeat()",
    "D.range(10).repeat().skip(3)",
    "D.range(10).repeat().shard(3, 0)",
    "D.range(10).repeat().batch(3)",
    "D.zip(D.range(10).repeat(), D.range(3))",
    "D.zip(D.range(10).repeat(), D.range(3).repeat())",
    "D.range(3).concatenate(D.range(4).repeat())",
    "D.range(3).concatenate(D.range(4).filter(lambda x: True))",
    "D.range(10).filter(lambda x: True).take(3)",
    "D.range(10).filter(lambda x: True).skip(3)",
    "D.range(10).window(4, 3)",
    "D.range(10).window(4, 3, 2, drop_remainder=True)",
    "D.range(10).batch(4).rebatch(3)",
    "D.range(10).batch(4).unbatch()",
    "D.range(10).cache().shuffle(4).prefetch(2)",
]


def to_json(x):
    if isinstance(x, tf.data.Dataset):
        return [to_json(e) for e in x]
    if isinstance(x, dict):
        return {k: to_json(v) for k, v in x.items()}
    if isinstance(x, (tuple, list)):
        return [to_json(v) for v in x]
    if isinstance(x, tf.Tensor):
        x = x.numpy()
    if isinstance(x, bytes):
        return {"bytes": x.decode()}
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return [to_json(v) for v in x]
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def run(text):
    ds = eval(text, {"D": tf.data.Dataset, "np": np, "tf": tf})
    card = int(ds.cardinality().numpy())
    return ds, card


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for text in CASES:
        ds, card = run(text)
        elements = [to_json(e) for e in ds.take(40)] if card == -1 else [to_json(e) for e in ds]
        cases.append({"pipeline": text, "elements": elements, "cardinality": card})
    for text in CARDINALITY_ONLY:
        cases.append({"pipeline": text, "cardinality": run(text)[1]})
    with open(os.path.join(OUT, "pipelines.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
