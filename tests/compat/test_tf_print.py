"""tf.print and tf.strings.format write values as TensorFlow 2.21 does (outputs recorded from TF 2.21)."""
import io

import numpy as np


def _printed(tf, *values, **kwargs):
    out = io.StringIO()
    tf.print(*values, output_stream=out, **kwargs)
    return out.getvalue()


def test_numbers_in_the_fewest_digits_that_read_back(tf):
    assert _printed(tf, tf.constant([1.0, 2.5, 1e-8])) == "[1 2.5 1e-08]\n"
    assert _printed(tf, "loss", tf.constant(0.123456789), 3) == "loss 0.123456791 3\n"
    assert _printed(tf, tf.constant([[0.1, 0.25], [1 / 3, 2.0]])) == "[[0.1 0.25]\n [0.333333343 2]]\n"
    assert _printed(tf, tf.constant([0.1, 1 / 3], tf.float64)) == "[0.1 0.33333333333333331]\n"
    assert _printed(tf, tf.constant(np.float16(1 / 3)), tf.constant([True, False]), tf.constant(-2.5e10),
                    tf.constant(float("nan")), tf.constant([np.inf])) == "0.333251953 [1 0] -2.5e+10 nan [inf]\n"
    assert _printed(tf, tf.zeros((0, 3)), tf.constant(7, tf.int64), tf.constant(b"x"), tf.constant(100000.0),
                    tf.constant(1234567.0), tf.constant(0.0001)) == '[] 7 "x" 100000 1234567 0.0001\n'
    assert _printed(tf, tf.constant(["a", "b"]), tf.constant(True)) == '["a" "b"] 1\n'


def test_long_axes_are_summarized(tf):
    assert _printed(tf, tf.range(10)) == "[0 1 2 ... 7 8 9]\n"
    assert _printed(tf, tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    assert _printed(tf, tf.reshape(tf.range(64), (8, 8))).splitlines() == [
        "[[0 1 2 ... 5 6 7]", " [8 9 10 ... 13 14 15]", " [16 17 18 ... 21 22 23]", " ...",
        " [40 41 42 ... 45 46 47]", " [48 49 50 ... 53 54 55]", " [56 57 58 ... 61 62 63]]"]
    assert _printed(tf, tf.reshape(tf.range(24), (2, 3, 4)), summarize=1) == (
        "[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]\n")
    assert _printed(tf, tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])) == (
        "[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]]\n")


def test_python_structures_hold_their_tensors_written_alike(tf):
    assert _printed(tf, tf.Variable([1.5, 2.0]), "s", [1, tf.constant(2)], (3,), None, 2.5) == \
        "[1.5 2] s [1, 2] (3,) None 2.5\n"
    assert _printed(tf, {"a": tf.constant(1), "b": [tf.constant(2.0)]}) == "{'a': 1, 'b': [2]}\n"


def test_a_lone_string_scalar_is_written_as_it_is(tf):
    # as TensorFlow 2.21 writes them: raw when it is tf.print's only input, quoted among others
    assert _printed(tf, tf.constant("hi")) == "hi\n"
    assert _printed(tf, "a", tf.constant("hi"), tf.constant(["x", "y"])) == 'a "hi" ["x" "y"]\n'
    assert _printed(tf, tf.constant("hi"), tf.constant(1)) == '"hi" 1\n'


def test_strings_format(tf):
    assert tf.strings.format("x = {}, y = {}", (tf.range(10), tf.constant(1.5))).numpy() == \
        b"x = [0 1 2 ... 7 8 9], y = 1.5"
    assert tf.strings.format("{}", tf.constant([[1.5, 2.0]])).numpy() == b"[[1.5 2]]"
    assert tf.strings.format("v: {}", tf.range(10), summarize=2).numpy() == b"v: [0 1 ... 8 9]"
    assert tf.strings.format("v: <>", tf.range(3), placeholder="<>").numpy() == b"v: [0 1 2]"
    import pytest
    with pytest.raises(ValueError, match="has 2 placeholder.s. '{}' but 1 input"):
        tf.strings.format("{} {}", [tf.constant(1)])


def test_constant_of_python_floats_in_float64_is_exact(tf):
    assert tf.constant([0.1], tf.float64).numpy()[0] == 0.1 and tf.constant(0.1).dtype == tf.float32
