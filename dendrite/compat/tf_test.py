"""``tf.test``: what tutorials and small test files call. There is no GPU (``is_gpu_available()`` is False,
``gpu_device_name()`` is ''); ``TestCase`` is a unittest.TestCase with TensorFlow's array assertions, each
reading Tensors, Variables, arrays and nested lists/tuples/dicts of them; ``main`` runs the program's tests
(``if __name__ == '__main__': tf.test.main()``); ``compute_gradient`` gives the theoretical and numeric
Jacobians as TensorFlow's gradient checker does."""
import random
import tempfile
import unittest

import numpy as np

from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from . import tf_random
from .tf_tape import GradientTape

DEFAULT_GRAPH_SEED = 87654321  # the seed TensorFlow's TestCase.setUp sets


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    return False


def gpu_device_name():
    return ""


def is_built_with_cuda():
    return False


is_built_with_gpu_support = is_built_with_rocm = is_built_with_xla = is_built_with_cuda


def _value(x):
    """A Tensor, Variable or nested structure of them as NumPy values (what evaluate gives)."""
    if isinstance(x, dict):
        return {k: _value(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and any(isinstance(v, (Tensor, list, tuple, dict)) for v in x):
        return type(x)(_value(v) for v in x)
    return np.asarray(array_of(x)) if isinstance(x, Tensor) else x


def _array(x):
    return np.asarray(_value(x))


class TestCase(unittest.TestCase):
    """``tf.test.TestCase``: unittest's TestCase with TensorFlow's assertions on array values."""

    def setUp(self):
        super().setUp()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        tf_random.set_seed(DEFAULT_GRAPH_SEED)

    def get_temp_dir(self):
        if not hasattr(self, "_temp_dir"):
            self._temp_dir = tempfile.mkdtemp(prefix=f"{type(self).__name__}_")
        return self._temp_dir

    def evaluate(self, tensors):
        return _value(tensors)

    def cached_session(self, *args, **kwargs):
        return _EagerSession(self)

    session = cached_session

    def _nested(self, a, b, check, path=""):
        if isinstance(a, dict) and isinstance(b, dict):
            self.assertEqual(sorted(a), sorted(b), f"{path or 'the structure'}: the keys differ")
            for key in a:
                self._nested(a[key], b[key], check, f"{path}[{key!r}]")
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and any(
                isinstance(v, (Tensor, np.ndarray, list, tuple, dict)) for v in list(a) + list(b)):
            self.assertEqual(len(a), len(b), f"{path or 'the structure'}: lengths {len(a)} and {len(b)} differ")
            for i, (x, y) in enumerate(zip(a, b)):
                self._nested(x, y, check, f"{path}[{i}]")
        else:
            check(_array(a), _array(b), path)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        def check(x, y, path):
            self.assertEqual(x.shape, y.shape, msg or f"{path}: shapes {x.shape} and {y.shape} differ")
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=msg or path)
        self._nested(_value(a), _value(b), check)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6, float_atol=1e-6,
                                      half_rtol=1e-3, half_atol=1e-3, bfloat16_rtol=1e-2, bfloat16_atol=1e-2,
                                      msg=None):
        kind = _array(a).dtype
        if kind == np.float32:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        elif kind == np.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are close at all elements.")

    def assertAllEqual(self, a, b, msg=None):
        def check(x, y, path):
            self.assertEqual(x.shape, y.shape, msg or f"{path}: shapes {x.shape} and {y.shape} differ")
            np.testing.assert_array_equal(x, y, err_msg=msg or path)
        self._nested(_value(a), _value(b), check)

    def assertNotAllEqual(self, a, b, msg=None):
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are equal at all elements.")

    def assertNear(self, f1, f2, err, msg=None):
        self.assertTrue(abs(float(_array(f1)) - float(_array(f2))) <= err,
                        msg or f"{float(_array(f1))} != {float(_array(f2))} +/- {err}")

    def assertArrayNear(self, farray1, farray2, err, msg=None):
        self.assertEqual(len(farray1), len(farray2), msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(f1, f2, err, msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):
        self.assertTrue(np.linalg.norm(_array(ndarray1) - _array(ndarray2)) <= err, msg)

    def _all(self, a, test, words):
        values = _array(a)
        self.assertTrue(np.all(test(values)), f"not every element of {values} is {words}")

    def assertAllGreater(self, a, comparison_target):
        self._all(a, lambda v: v > comparison_target, f"> {comparison_target}")

    def assertAllLess(self, a, comparison_target):
        self._all(a, lambda v: v < comparison_target, f"< {comparison_target}")

    def assertAllGreaterEqual(self, a, comparison_target):
        self._all(a, lambda v: v >= comparison_target, f">= {comparison_target}")

    def assertAllLessEqual(self, a, comparison_target):
        self._all(a, lambda v: v <= comparison_target, f"<= {comparison_target}")

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False):
        low = (lambda v: v > lower_bound) if open_lower_bound else (lambda v: v >= lower_bound)
        high = (lambda v: v < upper_bound) if open_upper_bound else (lambda v: v <= upper_bound)
        self._all(target, lambda v: low(v) & high(v), f"in the range {lower_bound}..{upper_bound}")

    def assertAllInSet(self, target, expected_set):
        values = set(_array(target).ravel().tolist())
        self.assertTrue(values <= set(expected_set), f"{sorted(values - set(expected_set))} are not in the set")

    def assertDTypeEqual(self, target, expected_dtype):
        self.assertEqual(_array(target).dtype, np.dtype(expected_dtype))

    def assertShapeEqual(self, input_a, input_b, msg=None):
        self.assertEqual(tuple(np.shape(_array(input_a))), tuple(np.shape(_array(input_b))), msg)

    def assertRaisesOpError(self, expected_err_re_or_predicate):
        return self.assertRaisesRegex(Exception, expected_err_re_or_predicate)

    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):
        return self.assertRaisesRegex(exception_type, expected_err_re_or_predicate)


class _EagerSession:
    """What ``cached_session()`` yields: everything runs eagerly, so ``run`` evaluates."""

    def __init__(self, case):
        self._case = case

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, fetches, feed_dict=None):
        if feed_dict:
            raise NotImplementedError("tf.test.TestCase session: feed_dict belongs to TensorFlow 1's graphs, which "
                                      "dendrite does not have (see docs/compat.md); compute eagerly.")
        return self._case.evaluate(fetches)


def main(argv=None):
    """Run the tests of the program (its ``__main__`` module), as ``tf.test.main()`` does."""
    unittest.main(module="__main__", argv=argv)


def compute_gradient(f, x, delta=None):
    """(theoretical, numeric): for each argument of ``f``, the Jacobian of f(*x) with respect to it, y_size rows by
    x_size columns: from the GradientTape, and by central differences of step ``delta`` (1/1024 by default)."""
    if not isinstance(x, (list, tuple)):
        raise ValueError(f"tf.test.compute_gradient: `x` must be a list or tuple of values convertible to a Tensor "
                         f"(the arguments of `f`), not a {type(x).__name__}.")
    delta = 1.0 / 1024 if delta is None else float(delta)
    xs = [np.array(_array(v), dtype=np.result_type(_array(v).dtype, np.float32)) for v in x]

    def value(arrays):
        return np.asarray(_array(f(*[Tensor(a) for a in arrays])), dtype=np.float64)

    y_size = value(xs).size
    theoretical, numeric = [], []
    for i, xi in enumerate(xs):
        exact = np.zeros((y_size, xi.size), dtype=xi.dtype)
        for row in range(y_size):
            sources = [Tensor(a) for a in xs]
            with GradientTape() as tape:
                tape.watch(sources[i])
                y = f(*sources)
            picked = np.zeros(y_size, dtype=np.float64)
            picked[row] = 1.0
            grad = tape.gradient(y, sources[i], output_gradients=Tensor(
                picked.reshape(np.shape(_array(y))).astype(_array(y).dtype)))
            if grad is not None:
                exact[row] = _array(grad).ravel()
        approx = np.zeros((y_size, xi.size), dtype=xi.dtype)
        for col in range(xi.size):
            up, down = [a.copy() for a in xs], [a.copy() for a in xs]
            up[i].flat[col] += delta
            down[i].flat[col] -= delta
            approx[:, col] = ((value(up) - value(down)) / (2 * delta)).ravel()
        theoretical.append(exact)
        numeric.append(approx)
    return tuple(theoretical), tuple(numeric)


def members():
    return dict(is_gpu_available=is_gpu_available, gpu_device_name=gpu_device_name,
                is_built_with_cuda=is_built_with_cuda, is_built_with_gpu_support=is_built_with_gpu_support,
                is_built_with_rocm=is_built_with_rocm, is_built_with_xla=is_built_with_xla, TestCase=TestCase,
                main=main, compute_gradient=compute_gradient, get_temp_dir=lambda: tempfile.gettempdir())
