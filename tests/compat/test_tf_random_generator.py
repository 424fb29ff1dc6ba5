"""tf.random.Generator and the stateless random functions (dendrite.compat.tf_random_generator): determinism,
shapes and dtypes, independence of split generators, the state as a checkpointable Variable."""
import numpy as np
import pytest


def test_from_seed_repeats_and_advances(tf):
    g = tf.random.Generator.from_seed(7)
    first = g.normal(shape=[2, 3])
    assert isinstance(first, tf.Tensor) and first.shape == (2, 3) and first.dtype == tf.float32
    second = g.normal(shape=[2, 3])
    assert not np.allclose(first.numpy(), second.numpy())  # the state advanced
    again = tf.random.Generator.from_seed(7)
    np.testing.assert_array_equal(again.normal([2, 3]).numpy(), first.numpy())
    g.reset_from_seed(7)
    np.testing.assert_array_equal(g.normal([2, 3]).numpy(), first.numpy())
    other = tf.random.Generator.from_seed(8, alg="philox").normal([2, 3])
    assert not np.allclose(other.numpy(), first.numpy())
    assert g.algorithm == tf.random.Algorithm.PHILOX.value == 1
    assert g.state.shape == (3,) and g.state.dtype == np.int64


def test_state_round_trips_through_from_state_and_checkpoint(tf, tmp_path):
    g = tf.random.Generator.from_seed(3)
    g.normal([5])
    twin = tf.random.Generator.from_state(g.state.numpy(), alg=g.algorithm)
    copy = tf.random.Generator(copy_from=g)
    expected = g.uniform([4]).numpy()
    np.testing.assert_array_equal(twin.uniform([4]).numpy(), expected)
    np.testing.assert_array_equal(copy.uniform([4]).numpy(), expected)
    cp = tf.train.Checkpoint(generator=g)
    cp.write(str(tmp_path / "rng"))
    after_save = [g.normal([]).numpy() for _ in range(3)]
    cp.restore(str(tmp_path / "rng"))
    np.testing.assert_array_equal([g.normal([]).numpy() for _ in range(3)], after_save)


def test_distributions_shapes_dtypes_and_ranges(tf):
    g = tf.random.Generator.from_seed(11)
    u = g.uniform([1000], minval=2.0, maxval=3.0, dtype=tf.float64)
    assert u.dtype == tf.float64 and 2.0 <= u.numpy().min() and u.numpy().max() < 3.0
    ints = g.uniform([1000], minval=-3, maxval=4, dtype=tf.int32).numpy()
    assert ints.dtype == np.int32 and set(ints.tolist()) == set(range(-3, 4))
    full = g.uniform([8], dtype=tf.int64).numpy()  # no bounds: the dtype's full range
    assert full.dtype == np.int64 and np.abs(full).max() > 2 ** 40
    assert g.uniform_full_int([3], dtype=tf.uint32).numpy().dtype == np.uint32
    t = g.truncated_normal([2000], mean=1.0, stddev=0.5).numpy()
    assert t.min() >= 0.0 and t.max() <= 2.0 and abs(t.mean() - 1.0) < 0.05
    n = g.normal([4000], mean=-2.0, stddev=3.0).numpy()
    assert abs(n.mean() + 2.0) < 0.2 and abs(n.std() - 3.0) < 0.2
    b = g.binomial([500], counts=10, probs=0.5).numpy()
    assert b.dtype == np.int32 and 0 <= b.min() and b.max() <= 10
    with pytest.raises(ValueError, match="integer dtype .*needs `maxval`"):
        g.uniform([2], minval=1, dtype=tf.int32)
    with pytest.raises(ValueError, match="floating dtype"):
        g.normal([2], dtype=tf.int32)
    with pytest.raises(NotImplementedError, match="threefry"):
        tf.random.Generator.from_seed(1, alg="threefry")


def test_split_make_seeds_and_the_global_generator(tf):
    g = tf.random.Generator.from_seed(1)
    children = g.split(3)
    draws = [c.normal([6]).numpy() for c in children]
    assert len(children) == 3 and not np.allclose(draws[0], draws[1]) and not np.allclose(draws[1], draws[2])
    h = tf.random.Generator.from_seed(1)
    np.testing.assert_array_equal([c.normal([6]).numpy() for c in h.split(3)], draws)  # split is deterministic
    seeds = g.make_seeds(4)
    assert seeds.shape == (2, 4) and seeds.dtype == tf.int64
    s = tf.random.stateless_normal([2], seed=seeds[:, 0])
    assert s.shape == (2,)
    mine = tf.random.Generator.from_seed(5)
    tf.random.set_global_generator(mine)
    assert tf.random.get_global_generator() is mine
    with pytest.raises(TypeError, match="expected a tf.random.Generator"):
        tf.random.set_global_generator(5)
    a = tf.random.Generator.from_non_deterministic_state().normal([4]).numpy()
    b = tf.random.Generator.from_non_deterministic_state().normal([4]).numpy()
    assert not np.allclose(a, b)


def test_stateless_functions_depend_on_the_seed_alone(tf):
    for fn, kwargs in ((tf.random.stateless_normal, {}), (tf.random.stateless_uniform, {}),
                       (tf.random.stateless_truncated_normal, {"stddev": 2.0})):
        a = fn([3, 4], seed=[1, 2], **kwargs)
        assert a.shape == (3, 4) and a.dtype == tf.float32
        np.testing.assert_array_equal(fn([3, 4], seed=[1, 2], **kwargs).numpy(), a.numpy())
        np.testing.assert_array_equal(fn([3, 4], seed=tf.constant([1, 2]), **kwargs).numpy(), a.numpy())
        assert not np.allclose(fn([3, 4], seed=[1, 3], **kwargs).numpy(), a.numpy())
    ints = tf.random.stateless_uniform([50], seed=[4, 4], minval=0, maxval=5, dtype=tf.int64).numpy()
    assert ints.dtype == np.int64 and ints.min() >= 0 and ints.max() < 5
    with pytest.raises(ValueError, match="both `minval` and `maxval`"):
        tf.random.stateless_uniform([2], seed=[1, 1], minval=3, dtype=tf.int32)
    cats = tf.random.stateless_categorical(tf.math.log([[0.5, 0.5], [0.0001, 0.9999]]), 200, seed=[7, 1])
    assert cats.shape == (2, 200) and cats.dtype == tf.int64 and cats.numpy()[1].mean() > 0.95
    np.testing.assert_array_equal(cats.numpy(), tf.random.stateless_categorical(
        tf.math.log([[0.5, 0.5], [0.0001, 0.9999]]), 200, seed=[7, 1]).numpy())
    bino = tf.random.stateless_binomial([100], seed=[2, 3], counts=4, probs=0.25)
    assert bino.dtype == tf.int32 and bino.numpy().max() <= 4
    with pytest.raises(ValueError, match=r"pair of integers \(shape \[2\]\)"):
        tf.random.stateless_normal([2], seed=[1, 2, 3])


def test_stateless_split_and_fold_in(tf):
    seeds = tf.random.experimental.stateless_split([1, 2], num=3)
    assert seeds.shape == (3, 2) and seeds.dtype == tf.int64
    assert len({tuple(row) for row in seeds.numpy().tolist()}) == 3
    np.testing.assert_array_equal(tf.random.experimental.stateless_split([1, 2], num=3).numpy(), seeds.numpy())
    folded = [tf.random.experimental.stateless_fold_in([1, 2], step).numpy() for step in range(3)]
    assert all(f.shape == (2,) for f in folded) and len({tuple(f) for f in folded}) == 3
    np.testing.assert_array_equal(tf.random.experimental.stateless_fold_in([1, 2], 1).numpy(), folded[1])
    draws = [tf.random.stateless_normal([3], seed=f).numpy() for f in folded]
    assert not np.allclose(draws[0], draws[1])
    assert tf.random.experimental.Generator is tf.random.Generator
