"""tf.math's elementwise functions (keras.ops's differentiable primitives under TensorFlow's names): values against
NumPy / math, gradients checked."""
import math

import numpy as np
import pytest

from dendrite.autodiff import Tensor
from dendrite.compat import tf_math
from dendrite.testing import check_grads

# name: (NumPy reference, inputs inside the function's domain)
CASES = {
    "sin": (np.sin, (-3, 3)), "cos": (np.cos, (-3, 3)), "tan": (np.tan, (-1.2, 1.2)),
    "asin": (np.arcsin, (-0.9, 0.9)), "acos": (np.arccos, (-0.9, 0.9)), "atan": (np.arctan, (-4, 4)),
    "sinh": (np.sinh, (-2, 2)), "cosh": (np.cosh, (-2, 2)), "asinh": (np.arcsinh, (-3, 3)),
    "acosh": (np.arccosh, (1.2, 4)), "atanh": (np.arctanh, (-0.9, 0.9)), "expm1": (np.expm1, (-2, 2)),
    "log1p": (np.log1p, (-0.5, 3)), "rsqrt": (lambda a: 1 / np.sqrt(a), (0.3, 4)),
    "erf": (np.vectorize(math.erf), (-2, 2)), "erfc": (np.vectorize(math.erfc), (-2, 2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients(name):
    reference, (lo, hi) = CASES[name]
    x = np.random.RandomState(3).uniform(lo, hi, size=(3, 4))
    out = getattr(tf_math, name)(Tensor(x.astype(np.float32)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.value, reference(x), rtol=2e-5, atol=1e-6)
    check_grads(lambda a: getattr(tf_math, name)(a), [x])


def test_atan2_values_and_gradients():
    rng = np.random.RandomState(4)
    y, x = rng.uniform(-2, 2, (3, 4)), rng.uniform(0.5, 2, (3, 4)) * rng.choice([-1, 1], (3, 4))
    np.testing.assert_allclose(tf_math.atan2(Tensor(y), Tensor(x)).value, np.arctan2(y, x))
    check_grads(tf_math.atan2, [y, x])
    check_grads(tf_math.atan2, [y, rng.uniform(0.5, 2, (4,))])  # broadcast operand
