"""Print the TensorFlow values tests/estimator/test_feature_column.py asserts for hashed and crossed columns.

Run with the TensorFlow venv: /work/bvenv/bin/python tools/make_estimator_hash_fixtures.py
(tf.sparse.cross_hashed is what crossed_column computes; tf.strings.to_hash_bucket_fast what
categorical_column_with_hash_bucket computes.)"""
import json

import tensorflow as tf


def dense(sparse):
    return tf.sparse.to_dense(sparse).numpy().tolist()


strings = [tf.constant([["a"], ["b"]]), tf.constant([["x"], ["y"]])]
mixed = [tf.constant([[3], [7]], tf.int64), tf.constant([["x"], ["y"]])]
print(json.dumps({
    "cross_strings_unbucketed": dense(tf.sparse.cross_hashed(strings, num_buckets=0)),
    "cross_strings_100": dense(tf.sparse.cross_hashed(strings, num_buckets=100)),
    "cross_int_string_unbucketed": dense(tf.sparse.cross_hashed(mixed, num_buckets=0)),
    "hash_bucket_2_62": tf.strings.to_hash_bucket_fast(["a", "x", "3"], 2 ** 62).numpy().tolist(),
}, indent=1))
