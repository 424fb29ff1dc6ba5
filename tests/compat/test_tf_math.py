"""The tf.math / tf.linalg parameters the signature sweep found missing (tools/sweep_tf_signatures.py), against
real TensorFlow's results (tests/fixtures/tf_signatures/meanings.json, tools/make_tf_arguments_fixtures.py):
bincount's axis and binary_output, diag's k / num_rows / num_cols / padding_value, matvec's adjoint_a."""
import json
import pathlib

import numpy as np
import pytest

MEANINGS = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "tf_signatures" / "meanings.json"


@pytest.fixture(scope="module")
def want():
    return json.loads(MEANINGS.read_text())


def test_bincount_counts_per_row_and_as_binary(tf, want):
    counts, weights, expected = np.asarray(want["counts"], np.int32), np.asarray(want["weights"], np.float32), \
        want["bincount"]
    assert tf.math.bincount(counts, axis=-1).numpy().tolist() == expected["axis_last"]
    assert tf.math.bincount(counts, axis=-1, binary_output=True).numpy().tolist() == expected["axis_last_binary"]
    assert tf.math.bincount(counts, binary_output=True).numpy().tolist() == expected["binary"]
    np.testing.assert_allclose(tf.math.bincount(counts, weights=weights, axis=-1).numpy(),
                               expected["axis_last_weights"], rtol=1e-6)
    assert tf.math.bincount(counts, axis=-1, minlength=8).numpy().tolist() == expected["axis_last_min8"]
    assert tf.math.bincount(counts, maxlength=3).numpy().tolist() == expected["max3"]
    assert tf.math.bincount(counts).dtype == tf.int32
    with pytest.raises(ValueError, match="binary_output and weights"):
        tf.math.bincount(counts, weights=weights, binary_output=True)
    with pytest.raises(ValueError, match="axis must be None, 0 or -1"):
        tf.math.bincount(counts, axis=1)


def test_diag_places_the_diagonal_k_in_a_matrix_of_the_given_size(tf, want):
    diagonal = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    cases = {"k1": dict(k=1), "km1_rows4_pad9": dict(k=-1, num_rows=4, padding_value=9),
             "cols3": dict(num_cols=3), "k2": dict(k=2)}
    for name, kwargs in cases.items():
        assert tf.linalg.diag(diagonal, **kwargs).numpy().tolist() == want["diag"][name], name
    np.testing.assert_array_equal(tf.linalg.diag([1.0, 2.0]).numpy(), np.diag([1.0, 2.0]))
    with pytest.raises(ValueError, match="has 3 elements, but diagonal has 2"):
        tf.linalg.diag([1.0, 2.0], num_rows=3, num_cols=3)
    with pytest.raises(NotImplementedError, match="range of diagonals"):
        tf.linalg.diag(diagonal, k=(0, 1))


def test_matvec_with_adjoint_a(tf, want):
    a, v = np.asarray(want["a"], np.float32), np.asarray(want["v"], np.float32)
    np.testing.assert_allclose(tf.linalg.matvec(a, v, adjoint_a=True).numpy(), want["matvec_adjoint"], rtol=1e-5)
    ac = (np.asarray(want["ac_real"]) + 1j * np.asarray(want["ac_imag"])).astype(np.complex64)
    out = tf.linalg.matvec(ac, v.astype(np.complex64), adjoint_a=True).numpy()
    np.testing.assert_allclose(out.real, want["matvec_adjoint_complex"][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.imag, want["matvec_adjoint_complex"][1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tf.linalg.matvec(a, v, a_is_sparse=True).numpy(), np.einsum("bij,bj->bi", a, v),
                               rtol=1e-5)


def test_matmul_transposes_batched_operands(tf, want):
    a = np.asarray(want["a"], np.float32)
    np.testing.assert_allclose(tf.matmul(a, a, transpose_a=True).numpy(), np.swapaxes(a, -1, -2) @ a, rtol=1e-5)
    np.testing.assert_allclose(tf.linalg.matmul(a, a, transpose_b=True).numpy(), a @ np.swapaxes(a, -1, -2),
                               rtol=1e-5)
