"""Elementwise ops' non-numeric cases: ``+`` of string tensors concatenates (TensorFlow's tf.add on
tf.string), a Python str taken as UTF-8; a number added to a string is refused with a clear message."""
import numpy as np
import pytest

from dendrite.autodiff import Tensor


def strings(*items):
    return Tensor(np.array([s.encode() for s in items], dtype=object))


def test_string_tensor_plus_python_str_concatenates_each_element():
    out = strings("x", "y") + "z"
    assert out.value.tolist() == [b"xz", b"yz"] and out.value.dtype == object
    assert ("z" + strings("x", "y")).value.tolist() == [b"zx", b"zy"]
    assert (strings("a", "b") + strings("c", "d")).value.tolist() == [b"ac", b"bd"]


def test_scalar_string_tensor_accumulates_as_in_the_autograph_fizzbuzz():
    msg = Tensor(np.array(b"", dtype=object))
    for part in ("Fizz", "\n", "1", "\n"):
        msg = msg + part
    assert np.asarray(msg.value).item() == b"Fizz\n1\n"


def test_number_added_to_a_string_tensor_names_the_fix():
    with pytest.raises(TypeError, match="both sides must be strings.*as_string"):
        strings("x") + np.array([1])
    with pytest.raises(TypeError):  # non-string errors stay as NumPy raises them
        Tensor(np.ones(2)) + "a"
