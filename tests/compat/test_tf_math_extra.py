"""tf.math's added functions against NumPy and TensorFlow's documented examples, with gradients."""
import math

import numpy as np
import pytest

from dendrite.testing import check_grads


def test_trig_and_special_functions(tf):
    x = np.array([0.1, 0.4, 0.8], np.float32)
    for name, ref in [("acos", np.arccos), ("asin", np.arcsin), ("atan", np.arctan), ("atanh", np.arctanh),
                      ("asinh", np.arcsinh), ("sinh", np.sinh), ("cosh", np.cosh), ("tan", np.tan),
                      ("expm1", np.expm1), ("rsqrt", lambda v: 1 / np.sqrt(v)), ("erf", np.vectorize(math.erf)),
                      ("erfc", np.vectorize(math.erfc)), ("lgamma", np.vectorize(math.lgamma)),
                      ("softsign", lambda v: v / (1 + np.abs(v)))]:
        np.testing.assert_allclose(getattr(tf.math, name)(x).numpy(), ref(x), rtol=1e-5, err_msg=name)
    np.testing.assert_allclose(tf.sin(x).numpy(), np.sin(x), rtol=1e-6)
    np.testing.assert_allclose(tf.math.erf(tf.math.erfinv(x)).numpy(), x, rtol=1e-5)
    np.testing.assert_allclose(tf.math.digamma([1.0]).numpy(), [-0.5772157], rtol=1e-6)
    np.testing.assert_allclose(tf.math.ndtri([0.5, 0.975]).numpy(), [0.0, 1.959964], atol=1e-5)
    np.testing.assert_allclose(tf.math.lbeta([1.0, 2.0]).numpy(), np.log(0.5), rtol=1e-6)
    check_grads(lambda v: tf.sin(v) * tf.math.atan(v) + tf.math.lgamma(v + 1.0) + tf.math.erf(v), [x])


def test_safe_divisions_and_xlogy(tf):
    assert tf.math.divide_no_nan([3.0, 1.0], [0.0, 2.0]).numpy().tolist() == [0.0, 0.5]
    assert tf.math.reciprocal_no_nan([0.0, 4.0]).numpy().tolist() == [0.0, 0.25]
    assert tf.math.multiply_no_nan([np.inf, 2.0], [0.0, 3.0]).numpy().tolist() == [0.0, 6.0]
    np.testing.assert_allclose(tf.math.xlogy([0.0, 2.0], [0.0, 3.0]).numpy(), [0.0, 2 * np.log(3.0)], rtol=1e-6)
    assert tf.math.xdivy([0.0, 4.0], [0.0, 2.0]).numpy().tolist() == [0.0, 2.0]
    assert tf.math.floormod([-7, 7], [3, -3]).numpy().tolist() == [2, -2]
    assert tf.truncatemod([-7, 7], [3, -3]).numpy().tolist() == [-1, 1]
    assert tf.truncatediv([-7, 7], [2, 2]).numpy().tolist() == [-3, 3]
    check_grads(lambda a, b: tf.math.xlogy(a, b) + tf.math.divide_no_nan(a, b),
                [np.array([0.5, -1.0, 2.0]), np.array([1.5, 2.0, 0.7])])


def test_cumulative_and_reductions(tf):
    # TensorFlow's documented cumprod examples
    assert tf.math.cumprod([2.0, 3.0, 4.0]).numpy().tolist() == [2, 6, 24]
    assert tf.math.cumprod([2.0, 3.0, 4.0], exclusive=True).numpy().tolist() == [1, 2, 6]
    assert tf.math.cumprod([2.0, 3.0, 4.0], reverse=True).numpy().tolist() == [24, 12, 4]
    assert tf.cumsum([1, 2, 3], exclusive=True).numpy().tolist() == [0, 1, 3]
    np.testing.assert_allclose(tf.math.cumulative_logsumexp([0.0, 1.0, 2.0]).numpy(),
                               np.log(np.cumsum(np.exp([0.0, 1.0, 2.0]))), rtol=1e-6)
    assert float(tf.math.reduce_euclidean_norm([[1.0, 2.0], [2.0, 4.0]])) == pytest.approx(5.0)
    assert float(tf.math.polyval([2.0, 0.0, 1.0], 3.0)) == 19.0
    assert float(tf.math.zero_fraction([0, 1, 0, 2])) == 0.5
    assert bool(tf.math.is_non_decreasing([1, 1, 2])) and not bool(tf.math.is_strictly_increasing([1, 1, 2]))
    assert tf.math.invert_permutation([3, 4, 0, 2, 1]).numpy().tolist() == [2, 4, 3, 0, 1]  # TF's doc example
    check_grads(lambda v: tf.math.cumprod(v, exclusive=True) + tf.math.cumsum(v, reverse=True), [np.array([0.5, 2., 3.])])


def test_segments_and_search(tf):
    c = tf.constant([[1, 2, 3, 4], [4, 3, 2, 1], [5, 6, 7, 8]])
    assert tf.math.segment_sum(c, [0, 0, 1]).numpy().tolist() == [[5, 5, 5, 5], [5, 6, 7, 8]]  # TF's doc
    assert tf.math.unsorted_segment_sum(c, [0, 1, 0], 2).numpy().tolist() == [[6, 8, 10, 12], [4, 3, 2, 1]]
    assert tf.math.unsorted_segment_max(c, [0, 1, 0], 2).numpy().tolist() == [[5, 6, 7, 8], [4, 3, 2, 1]]
    np.testing.assert_allclose(tf.math.unsorted_segment_mean(c, [0, 1, 0], 2).numpy(), [[3, 4, 5, 6], [4, 3, 2, 1]])
    np.testing.assert_allclose(tf.math.segment_mean([1.0, 3.0, 5.0], [0, 0, 1]).numpy(), [2.0, 5.0])
    np.testing.assert_allclose(tf.math.unsorted_segment_sqrt_n([2.0, 2.0], [0, 0], 1).numpy(), [4 / np.sqrt(2)])
    assert tf.searchsorted([[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]], [[2, 4, 9], [0, 2, 6]]).numpy().tolist() == [
        [1, 2, 2], [0, 1, 5]]  # TF's doc example
    assert tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5).numpy().tolist() == [
        2, 1, 1, 0, 2]  # TF's doc example
    y, idx, count = tf.unique_with_counts([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert y.numpy().tolist() == [1, 2, 4, 7, 8] and count.numpy().tolist() == [2, 1, 3, 1, 2]
    assert idx.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]
    assert tf.sequence_mask([1, 3], 4).numpy().tolist() == [[True, False, False, False], [True, True, True, False]]
    check_grads(lambda d: tf.math.unsorted_segment_mean(d, [1, 0, 1], 2), [np.random.default_rng(0).normal(size=(3, 2))])
