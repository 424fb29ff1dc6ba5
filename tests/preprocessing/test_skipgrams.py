"""skipgrams and make_sampling_table against Keras 3.15's legacy ones (tests/fixtures/tf_data3)."""
import json
import os

import numpy as np
import pytest

from dendrite.preprocessing.sequence import make_sampling_table, skipgrams

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_data3", "preprocessing.json")
with open(FIXTURE) as f:
    FIX = json.load(f)


def test_sampling_table_matches_keras():
    np.testing.assert_allclose(make_sampling_table(12), FIX["sampling_table"], rtol=1e-12)
    np.testing.assert_allclose(make_sampling_table(6, sampling_factor=0.1), FIX["sampling_table_factor"], rtol=1e-12)


def test_positive_pairs_without_shuffling_match_keras():
    couples, labels = skipgrams([1, 2, 3, 4], 5, window_size=2, negative_samples=0.0, shuffle=False)
    assert couples == FIX["skipgrams"]["couples"] and labels == FIX["skipgrams"]["labels"]


def test_negative_samples_and_shuffling():
    seq = [3, 0, 5, 7, 2, 9, 4]
    couples, labels = skipgrams(seq, 10, window_size=1, negative_samples=2.0, seed=7)
    positives = {tuple(c) for c, l in zip(couples, labels) if l == 1}  # (0 is padding: never paired)
    assert positives == {(5, 7), (7, 5), (7, 2), (2, 7), (2, 9), (9, 2), (9, 4), (4, 9)}
    assert labels.count(0) == 2 * labels.count(1)
    assert all(1 <= c[1] < 10 for c, l in zip(couples, labels) if l == 0)
    assert skipgrams(seq, 10, window_size=1, seed=7) == skipgrams(seq, 10, window_size=1, seed=7)
    _, cat = skipgrams(seq, 10, window_size=1, categorical=True, seed=1)
    assert {tuple(c) for c in cat} == {(0, 1), (1, 0)}


def test_sampling_table_drops_frequent_words():
    table = np.zeros(10)
    table[5] = 1.0
    couples, _ = skipgrams([5, 3, 5, 3], 10, window_size=1, negative_samples=0, sampling_table=table, seed=0)
    assert couples and all(c[0] == 5 for c in couples)
    with pytest.raises(ValueError, match="vocabulary_size"):
        skipgrams([1, 2], 1)
