"""The differentiable primitives behind keras.ops: each gradient-checked in float64 against finite differences."""
import numpy as np
import pytest

from dendrite.compat.keras_ops import primitives
from dendrite.testing import check_grads

RNG = np.random.default_rng(0)
DOMAIN = {"arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctanh": (-0.9, 0.9), "erfinv": (-0.9, 0.9),
          "arccosh": (1.2, 3.0), "log2": (0.2, 3.0), "log10": (0.2, 3.0), "log1p": (-0.5, 3.0), "rsqrt": (0.2, 3.0),
          "reciprocal": (0.2, 3.0), "cbrt": (0.2, 3.0), "lgamma": (0.3, 6.0), "tan": (-1.2, 1.2)}


@pytest.mark.parametrize("name", sorted(primitives.UNARY))
def test_elementwise_gradients(name):
    lo, hi = DOMAIN.get(name, (-2.0, 2.0))
    x = RNG.uniform(lo, hi, (3, 4))
    check_grads(lambda a: primitives.unary(name, a), [x])


def test_elementwise_values_match_numpy_and_math():
    import math
    x = np.linspace(0.3, 0.9, 7)
    for name, ref in [("sin", np.sin), ("arctan", np.arctan), ("expm1", np.expm1), ("cbrt", np.cbrt),
                      ("erf", np.vectorize(math.erf)), ("lgamma", np.vectorize(math.lgamma))]:
        np.testing.assert_allclose(primitives.unary(name, x).value, ref(x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(primitives.unary("erf", primitives.unary("erfinv", x)).value, x, rtol=1e-6)
    # digamma: psi(1) = -Euler's gamma, psi(x + 1) = psi(x) + 1 / x, also for negative non-integers
    assert abs(primitives.digamma(np, np.array(1.0)) + 0.5772156649015329) < 1e-9
    np.testing.assert_allclose(primitives.digamma(np, np.array([-1.5, 0.7])) + 1 / np.array([-1.5, 0.7]),
                               primitives.digamma(np, np.array([-0.5, 1.7])), rtol=1e-9)


def test_arctan2_cumulative_prod_einsum_scatter_gradients():
    a, b = RNG.uniform(-2, 2, (3, 4)), RNG.uniform(0.5, 2, (3, 4))
    check_grads(lambda x, y: primitives.Arctan2()(x, y), [a, b])
    for product in (False, True):
        for exclusive in (False, True):
            for reverse in (False, True):
                check_grads(lambda x: primitives.Cumulative(1, product, exclusive, reverse)(x), [b])
    with_zero = b.copy()
    with_zero[1, 2] = 0.0
    check_grads(lambda x: primitives.Prod((1,), False)(x), [with_zero])
    check_grads(lambda x: primitives.Prod((0, 1), True)(x), [b])
    check_grads(lambda x, y: primitives.Einsum(["ij", "kj"], "ik")(x, y), [a, b])
    check_grads(lambda x: primitives.Einsum(["ii"], "")(x), [a[:, :3]])  # a trace: a repeated subscript
    check_grads(lambda x, y: primitives.Einsum(["ij", "j"], "")(x, y), [a, b[0]])
    idx = (np.array([0, 2, 0]), np.array([1, 1, 1]))
    check_grads(lambda v: primitives.ScatterAdd(idx, (3, 2))(v), [RNG.normal(size=3)])


def test_cumulative_values_match_tensorflow_semantics():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    out = lambda **kw: primitives.Cumulative(0, **kw)(x).value  # noqa: E731
    np.testing.assert_array_equal(out(), [1, 3, 6, 10])
    np.testing.assert_array_equal(out(exclusive=True), [0, 1, 3, 6])  # tf.math.cumsum's documented examples
    np.testing.assert_array_equal(out(reverse=True), [10, 9, 7, 4])
    np.testing.assert_array_equal(out(exclusive=True, reverse=True), [9, 7, 4, 0])
    np.testing.assert_array_equal(out(product=True, exclusive=True), [1, 1, 2, 6])
