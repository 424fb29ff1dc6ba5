"""dendrite.random: SeedGenerator streams and what a `seed` argument means to a random op."""
import numpy as np
import pytest

import dendrite
from dendrite import ops
from dendrite import random
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


def test_keras_random_draws_have_keras_shapes_dtypes_and_ranges():
    n = random.normal((400, 50), mean=2.0, stddev=0.5, seed=1).numpy()
    assert n.shape == (400, 50) and n.dtype == np.float32 and abs(n.mean() - 2.0) < 0.01 and abs(n.std() - 0.5) < 0.01
    np.testing.assert_array_equal(n, random.normal((400, 50), mean=2.0, stddev=0.5, seed=1).numpy())  # int seed
    u = random.uniform((1000,), minval=-1.0, maxval=3.0, seed=2).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0
    t = random.truncated_normal((5000,), stddev=2.0, seed=3).numpy()
    assert np.abs(t).max() <= 4.0 and t.std() > 1.5
    r = random.randint((300,), 2, 5, seed=4).numpy()
    assert r.dtype == np.int32 and set(r.tolist()) == {2, 3, 4}
    c = random.categorical(np.log([[0.0001, 0.9999], [0.9999, 0.0001]]), 20, seed=5).numpy()
    assert c.shape == (2, 20) and c.dtype == np.int32 and c[0].mean() > 0.9 and c[1].mean() < 0.1
    s = random.shuffle(np.arange(12).reshape(6, 2), seed=6).numpy()
    assert sorted(s[:, 0].tolist()) == [0, 2, 4, 6, 8, 10] and (s[:, 1] == s[:, 0] + 1).all()
    with pytest.raises(ValueError, match=r"keras.random.categorical.*\(batch_size, num_classes\).*\(3,\)"):
        random.categorical([0.1, 0.2, 0.3], 2)


def test_keras_random_dropout_on_arrays_with_a_seed_generator():
    gen = random.SeedGenerator(7)
    first = random.dropout(np.ones((4, 500), "float32"), 0.25, seed=gen).numpy()
    second = random.dropout(np.ones((4, 500)), 0.25, seed=gen).numpy()
    np.testing.assert_allclose(np.unique(first), [0.0, 1.0 / 0.75], rtol=1e-6)
    assert abs((first == 0).mean() - 0.25) < 0.03 and not np.array_equal(first, second)


def test_gamma_beta_binomial_draw_from_their_distributions():
    """keras.random.gamma / beta / binomial (Keras 3.8+): shapes, dtypes, moments and seeded repeatability."""
    import dendrite as dd
    g = dd.random.gamma((20000,), alpha=2.0, seed=1).numpy()
    assert g.dtype == np.float32 and g.shape == (20000,)
    assert abs(g.mean() - 2.0) < 0.05 and abs(g.var() - 2.0) < 0.1  # Gamma(k, 1): mean k, variance k
    b = dd.random.beta((20000,), alpha=0.2, beta=0.2, seed=2).numpy()
    assert b.min() >= 0 and b.max() <= 1 and abs(b.mean() - 0.5) < 0.02  # mixup's sampler
    assert abs(b.var() - 0.04 / (0.16 * 1.4)) < 0.01  # ab / ((a+b)^2 (a+b+1))
    n = dd.random.binomial((4, 5000), counts=10, probabilities=[[0.1], [0.5], [0.9], [1.0]], seed=3).numpy()
    np.testing.assert_allclose(n.mean(axis=1), [1.0, 5.0, 9.0, 10.0], atol=0.1)
    assert n.dtype == np.float32
    np.testing.assert_array_equal(dd.random.gamma((3,), 1.5, seed=7).numpy(), dd.random.gamma((3,), 1.5, seed=7).numpy())
    with pytest.raises(ValueError, match="alpha.*positive"):
        dd.random.gamma((2,), alpha=0.0)
    with pytest.raises(ValueError, match=r"probabilities.*\[0, 1\]"):
        dd.random.binomial((2,), 3, 1.5)
