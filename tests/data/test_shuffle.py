"""shuffle(): tf.data's buffer shuffle, per epoch, seeded, on arrays (index plans) and on other elements."""
import numpy as np
import pytest

from dendrite import utils
from dendrite.data import Dataset


def both_paths(n):
    """The same elements as an array source (index plan) and as a generator (elements)."""
    return [Dataset.range(n), Dataset.from_generator(lambda: iter(range(n)), output_types="int64")]


@pytest.mark.parametrize("path", [0, 1])
def test_buffer_of_one_is_the_identity(path):
    assert [int(v) for v in both_paths(30)[path].shuffle(1)] == list(range(30))


@pytest.mark.parametrize("path", [0, 1])
def test_small_buffer_moves_elements_a_bounded_distance(path):
    n, buffer_size = 400, 2
    order = [int(v) for v in both_paths(n)[path].shuffle(buffer_size, seed=3)]
    assert sorted(order) == list(range(n)) and order != list(range(n))
    # an element can only leave once the buffer has read past it: output position k holds an element < k + 2
    assert all(v <= k + buffer_size - 1 for k, v in enumerate(order))
    buffer_size = 10
    order = [int(v) for v in both_paths(n)[path].shuffle(buffer_size, seed=3)]
    assert all(v <= k + buffer_size - 1 for k, v in enumerate(order))
    assert np.mean(np.abs(np.array(order) - np.arange(n))) < 3 * buffer_size  # not a full permutation


@pytest.mark.parametrize("path", [0, 1])
def test_reshuffles_each_epoch_unless_told_not_to(path):
    ds = both_paths(50)[path].shuffle(50)
    first, second = [int(v) for v in ds], [int(v) for v in ds]
    assert sorted(first) == sorted(second) == list(range(50)) and first != second
    fixed = both_paths(50)[path].shuffle(50, reshuffle_each_iteration=False)
    assert [int(v) for v in fixed] == [int(v) for v in fixed]
    repeated = [int(v) for v in both_paths(50)[path].shuffle(50).repeat(2)]
    assert repeated[:50] != repeated[50:] and sorted(repeated[50:]) == list(range(50))


def test_seed_repeats_and_global_seed_repeats():
    a = [int(v) for v in Dataset.range(100).shuffle(30, seed=7)]
    b = [int(v) for v in Dataset.range(100).shuffle(30, seed=7)]
    assert a == b and a != [int(v) for v in Dataset.range(100).shuffle(30, seed=8)]
    utils.set_random_seed(5)
    c = [int(v) for v in Dataset.range(100).shuffle(30)]
    utils.set_random_seed(5)
    assert [int(v) for v in Dataset.range(100).shuffle(30)] == c


def test_vectorised_buffer_shuffle_is_the_buffer_shuffle():
    # the same draws as the loop tf.data runs: a random slot emitted, the next element put in its place
    n, buffer_size, seed = 3000, 100, 11
    rng = np.random.default_rng([seed, 0])
    slots = rng.integers(0, buffer_size, n - buffer_size)
    buf, expected = list(range(buffer_size)), []
    for x, j in zip(range(buffer_size, n), slots):
        expected.append(buf[j])
        buf[j] = x
    expected += [buf[i] for i in rng.permutation(buffer_size)]
    assert [int(v) for v in Dataset.range(n).shuffle(buffer_size, seed=seed)] == expected
    elements = Dataset.from_generator(lambda: iter(range(n)), output_types="int64")
    assert sorted(int(v) for v in elements.shuffle(buffer_size, seed=seed)) == list(range(n))


def test_shuffle_of_an_infinite_dataset_and_batches():
    ds = Dataset.range(10).repeat().shuffle(5, seed=1).take(25)
    assert ds.cardinality() == 25 and len([int(v) for v in ds]) == 25
    batches = list(Dataset.range(12).batch(3).shuffle(4, seed=2))
    assert sorted(tuple(b.tolist()) for b in batches) == [(0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11)]


def test_buffer_size_is_checked():
    with pytest.raises(ValueError, match="buffer_size` must be a positive integer"):
        Dataset.range(3).shuffle(0)
    with pytest.raises(ValueError, match="Received: buffer_size=2.5"):
        Dataset.range(3).shuffle(2.5)
