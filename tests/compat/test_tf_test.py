"""tf.test: no GPU, TestCase's assertions, main over the program's tests, compute_gradient's Jacobians."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest


def test_no_gpu_here(tf):
    assert tf.test.is_gpu_available() is False and tf.test.gpu_device_name() == ""
    assert tf.test.is_built_with_cuda() is False


def test_testcase_assertions_read_tensors(tf):
    case = tf.test.TestCase()
    case.setUp()
    case.assertAllClose(tf.constant([1.0, 2.0]), [1.0, 2.0 + 1e-7])
    case.assertAllClose({"a": [tf.constant(1.0), 2.0]}, {"a": [1.0, 2.0]})
    case.assertAllEqual(tf.constant([[1, 2]]), np.array([[1, 2]]))
    case.assertAllInRange(tf.constant([0.0, 0.5, 1.0]), 0.0, 1.0)
    case.assertAllGreater(tf.constant([1, 2]), 0)
    case.assertAllLessEqual(tf.constant([1, 2]), 2)
    case.assertAllInSet(tf.constant([1, 2, 1]), {1, 2})
    case.assertShapeEqual(np.zeros((2, 3)), tf.zeros((2, 3)))
    case.assertDTypeEqual(tf.constant([1]), np.int32)
    case.assertNear(tf.constant(1.0), 1.05, 0.1)
    case.assertNotAllClose(tf.constant([1.0]), [1.1])
    assert case.evaluate([tf.constant(1.0), {"b": tf.constant([2])}])[1]["b"].tolist() == [2]
    with case.cached_session() as session:
        assert session.run(tf.constant(3)) == 3
    with pytest.raises(AssertionError):
        case.assertAllClose(tf.constant([1.0, 2.0]), [1.0, 2.1])
    with pytest.raises(AssertionError):
        case.assertAllEqual(tf.constant([1, 2]), [1, 2, 3])
    with pytest.raises(AssertionError):
        case.assertAllInRange(tf.constant([0.0, 1.0]), 0.0, 1.0, open_upper_bound=True)


def test_compute_gradient_gives_theoretical_and_numeric_jacobians(tf):
    theoretical, numeric = tf.test.compute_gradient(lambda x: x * x, [tf.constant([1.0, 3.0])])
    np.testing.assert_allclose(theoretical[0], [[2.0, 0.0], [0.0, 6.0]])
    np.testing.assert_allclose(numeric[0], theoretical[0], rtol=1e-3)
    t, n = tf.test.compute_gradient(lambda a, b: tf.reduce_sum(a * b), [np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    np.testing.assert_allclose(t[0], [[3.0, 4.0]]) and np.testing.assert_allclose(t[1], [[1.0, 2.0]])
    np.testing.assert_allclose(n[1], [[1.0, 2.0]], rtol=1e-3)
    with pytest.raises(ValueError, match="`x` must be a list or tuple"):
        tf.test.compute_gradient(lambda x: x, tf.constant(1.0))


def test_main_runs_the_programs_tests_through_dendrite_run(tmp_path):
    program = tmp_path / "my_test.py"
    program.write_text(textwrap.dedent('''
        import tensorflow as tf

        class SquareTest(tf.test.TestCase):
            def test_square(self):
                self.assertAllEqual(tf.square(tf.constant([2, 3])), [4, 9])

            def test_wrong(self):
                self.assertAllClose(tf.constant(1.0), 2.0)

        if __name__ == "__main__":
            tf.test.main()
    '''))
    done = subprocess.run([sys.executable, "-m", "dendrite.cli", "run", str(program)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Ran 2 tests" in done.stderr and "FAILED (failures=1)" in done.stderr and "test_wrong" in done.stderr
