"""Keras 2's word2vec helpers in ``keras.preprocessing.sequence``: ``make_sampling_table`` (the probability
of keeping each word rank, from Zipf's law) and ``skipgrams`` ((word, context) couples with label 1 and, with
``negative_samples``, (word, random word) couples with label 0)."""
import numpy as np


def make_sampling_table(size, sampling_factor=1e-5):
    """For word ranks 0..size-1 (rank 0 counted as 1), ``min(1, f / sqrt(f))`` with ``f`` the word's
    frequency under Zipf's law times ``sampling_factor``, as word2vec's subsampling keeps a word."""
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True, categorical=False,
              sampling_table=None, seed=None):
    """(couples, labels): every pair of non-zero words at most ``window_size`` apart (label 1), a word kept
    with probability ``sampling_table[word]`` when a table is given; then ``negative_samples`` times as many
    pairs of a word with a random one from 1..vocabulary_size-1 (label 0); shuffled together unless
    ``shuffle=False``. ``categorical`` labels are [0, 1] / [1, 0]. Draws come from NumPy generators seeded
    by ``seed`` (or dendrite's generator), not Python's ``random`` as Keras 2's, so the pairs are the same
    kind, not the same draws."""
    from ..random import generator_for
    rng = generator_for(seed)
    if vocabulary_size < 2 and negative_samples > 0:
        raise ValueError(f"skipgrams: `vocabulary_size` must be at least 2 to draw negative samples. Received: "
                         f"{vocabulary_size!r}.")
    couples, labels = [], []
    seq = list(sequence)
    for i, wi in enumerate(seq):
        if not wi:
            continue
        if sampling_table is not None and sampling_table[wi] < rng.random():
            continue
        for j in range(max(0, i - window_size), min(len(seq), i + window_size + 1)):
            if j != i and seq[j]:
                couples.append([wi, seq[j]])
                labels.append([0, 1] if categorical else 1)
    if negative_samples > 0 and couples:
        n = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        rng.shuffle(words)
        couples += [[words[i % len(words)], int(rng.integers(1, vocabulary_size))] for i in range(n)]
        labels += [[1, 0] if categorical else 0] * n
    if shuffle:
        order = rng.permutation(len(couples))
        couples = [couples[k] for k in order]
        labels = [labels[k] for k in order]
    return couples, labels
