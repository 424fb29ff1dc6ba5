"""pad_sequences: Keras's documented examples and its edge cases."""
import numpy as np
import pytest

import dendrite as keras
from dendrite.preprocessing.sequence import pad_sequences as keras2_pad_sequences
from dendrite.utils import pad_sequences

SEQ = [[1], [2, 3], [4, 5, 6]]


def test_keras_docstring_examples():
    out = pad_sequences(SEQ)
    assert out.dtype == np.int32 and out.tolist() == [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
    assert pad_sequences(SEQ, value=-1).tolist() == [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]
    assert pad_sequences(SEQ, padding="post").tolist() == [[1, 0, 0], [2, 3, 0], [4, 5, 6]]
    assert pad_sequences(SEQ, maxlen=2).tolist() == [[0, 1], [2, 3], [5, 6]]


def test_truncating_post_dtype_empty_and_item_shapes():
    assert pad_sequences(SEQ, maxlen=2, truncating="post", padding="post").tolist() == [[1, 0], [2, 3], [4, 5]]
    floats = pad_sequences([[1.5], [2, 3]], dtype="float32")
    assert floats.dtype == np.float32 and floats.tolist() == [[0.0, 1.5], [2.0, 3.0]]
    assert pad_sequences([[], [2, 3]]).tolist() == [[0, 0], [2, 3]]
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)
    vectors = pad_sequences([np.ones((1, 2)), np.full((3, 2), 2)])
    assert vectors.shape == (2, 3, 2) and vectors[0].tolist() == [[0, 0], [0, 0], [1, 1]]
    words = pad_sequences([["a"], ["b", "c"]], dtype=object, value="x")
    assert words.tolist() == [["x", "a"], ["b", "c"]]


def test_the_same_function_under_every_spelling():
    assert keras2_pad_sequences is pad_sequences
    assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences


def test_errors():
    with pytest.raises(ValueError, match="padding"):
        pad_sequences(SEQ, padding="middle")
    with pytest.raises(ValueError, match="truncating"):
        pad_sequences(SEQ, truncating="both")
    with pytest.raises(ValueError, match="position 1 .* no length"):
        pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="position 1 have shape"):
        pad_sequences([np.ones((1, 2)), np.ones((2, 3))])
