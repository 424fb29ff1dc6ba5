"""Writes the hash values TensorFlow gives, for the Hashing / lookup tests (not run in CI; needs TensorFlow).

    /work/bvenv/bin/python tools/make_keras_text_fixtures.py   # writes tests/fixtures/keras_text/hashes.json

For each string: ``tf.strings.to_hash_bucket_fast`` (FarmHash Fingerprint64) and ``to_hash_bucket_strong``
(SipHash-2-4, key [133, 137]) modulo 2**63 - 1 (the most buckets TensorFlow takes), and the bins of
``keras.layers.Hashing(num_bins=7)`` on the same strings and on some integers.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_text")
STRINGS = ["", "a", "ab", "abc", "abcd", "hello wo", "0123456789abcdef", "0123456789abcdefg", "x" * 32, "y" * 33,
           "z" * 64, "q" * 65, "The quick brown fox jumps over the lazy dog, again and again and again, 1234567890!!",
           "é漢字", "w" * 200 + "end", "[UNK]", "-1", "1000"]
INTEGERS = [0, 1, -3, 42, 1000, 2 ** 40]
BUCKETS = 2 ** 63 - 1


def main():
    os.makedirs(OUT, exist_ok=True)
    fast = tf.strings.to_hash_bucket_fast(STRINGS, BUCKETS).numpy().tolist()
    strong = tf.strings.to_hash_bucket_strong(STRINGS, BUCKETS, key=[133, 137]).numpy().tolist()
    layer = keras.layers.Hashing(num_bins=7)
    data = {"strings": STRINGS, "buckets": BUCKETS, "fast": fast, "strong_key": [133, 137], "strong": strong,
            "hashing7_strings": np.asarray(layer(np.array(STRINGS)[:, None])).ravel().tolist(),
            "integers": INTEGERS,
            "hashing7_integers": np.asarray(layer(np.array(INTEGERS, np.int64)[:, None])).ravel().tolist(),
            "versions": {"tensorflow": tf.__version__, "keras": keras.__version__}}
    with open(os.path.join(OUT, "hashes.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
