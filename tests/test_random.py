"""dendrite.random: SeedGenerator streams and what a `seed` argument means to a random op."""
import numpy as np
import pytest

import dendrite
from dendrite import ops
from dendrite.random import SeedGenerator


def test_seed_generators_with_one_seed_give_one_sequence_that_moves_on():
    a, b = SeedGenerator(11), SeedGenerator(11)
    draws = [a.next() for _ in range(3)]
    assert draws == [b.next() for _ in range(3)] and len(set(draws)) == 3
    assert SeedGenerator(12).next() != draws[0]


def test_an_unseeded_seed_generator_follows_set_random_seed():
    dendrite.utils.set_random_seed(5)
    first = SeedGenerator().next()
    dendrite.utils.set_random_seed(5)
    assert SeedGenerator().next() == first


def test_dropout_op_with_an_int_seed_repeats_and_with_a_generator_moves_on():
    x = dendrite.constant(np.ones((4, 64), np.float32))
    same = [ops.dropout(x, 0.5, seed=3).numpy() for _ in range(2)]
    np.testing.assert_array_equal(same[0], same[1])
    gen = SeedGenerator(3)
    moving = [ops.dropout(x, 0.5, seed=gen).numpy() for _ in range(2)]
    assert not np.array_equal(moving[0], moving[1])
    assert set(np.unique(moving[0])) <= {0.0, 2.0}


def test_seed_generator_refuses_a_bad_seed():
    with pytest.raises(ValueError, match=r"SeedGenerator: `seed` must be an integer >= 0 or None\. Received: seed=1\.5"):
        SeedGenerator(1.5)
