"""The shared argument checks: one message form, '<owner>: `<name>` must be <expected>. Received: <name>=<value>.'"""
import numpy as np
import pytest

from dendrite import layers, metrics
from dendrite.utils.validation import int_at_least, non_negative_int, number, numeric_array, positive_int


def test_positive_int_accepts_python_and_numpy_ints_and_refuses_the_rest():
    assert positive_int("Owner", "units", 3) == 3
    assert type(positive_int("Owner", "units", np.int64(4))) is int
    assert positive_int("Owner", "units", None, allow_none=True) is None
    for bad, shown in ((0, "units=0"), (-2, "units=-2"), (2.5, r"units=2\.5 \(type float\)"),
                       (True, r"units=True \(type bool\)"), ("3", r"units='3' \(type str\)"), (None, "units=None")):
        with pytest.raises(ValueError, match=rf"^Owner: `units` must be a positive integer\. Received: {shown}\.$"):
            positive_int("Owner", "units", bad)
    with pytest.raises(ValueError, match=r"^Owner: `k` must be a positive integer or None\. Received: k=0\. Use 5\.$"):
        positive_int("Owner", "k", 0, allow_none=True, hint="Use 5.")
    with pytest.raises(ValueError, match=r"^`--epochs` must be a positive integer\. Received: --epochs=0\.$"):
        positive_int(None, "--epochs", 0)


def test_int_at_least_states_its_minimum():
    assert int_at_least("AUC", "num_thresholds", 2, 2) == 2
    with pytest.raises(ValueError, match=r"^AUC: `num_thresholds` must be an integer >= 2 or None\. Received: "
                                         r"num_thresholds=1\.$"):
        int_at_least("AUC", "num_thresholds", 1, 2, allow_none=True)


def test_non_negative_int_takes_zero():
    assert non_negative_int("fit()", "epochs", 0) == 0
    with pytest.raises(ValueError, match=r"^fit\(\): `epochs` must be an integer >= 0\. Received: epochs=-1\.$"):
        non_negative_int("fit()", "epochs", -1)


@pytest.mark.parametrize("bounds, expected, good, bad", [
    (dict(low=0), "a number >= 0", (0, 1e9), (-1e-9,)),
    (dict(low=0, low_open=True), "a number > 0", (1e-9,), (0,)),
    (dict(low=0, high=1, high_open=True), r"a number in \[0, 1\)", (0, 0.999), (1, -0.1)),
    (dict(low=0, high=1), r"a number in \[0, 1\]", (0, 1), (1.5,)),
])
def test_number_bounds(bounds, expected, good, bad):
    for v in good:
        assert number("Adam", "beta_1", v, **bounds) == v
    for v in bad + (float("nan"), float("inf"), True, "0.5"):
        with pytest.raises(ValueError, match=rf"^Adam: `beta_1` must be {expected}\. Received: beta_1="):
            number("Adam", "beta_1", v, **bounds)


def test_number_reads_0d_arrays_and_can_describe_a_returned_value():
    assert number("o", "lr", np.array(0.5, np.float32), low=0) == 0.5
    with pytest.raises(ValueError, match=r"^SGD: the rate at step 3 must be a number >= 0\. Received: -0\.1\.$"):
        number("SGD", "lr", -0.1, low=0, label="the rate at step 3")


def test_numeric_array_refuses_text_and_ragged_lists_saying_where():
    np.testing.assert_array_equal(numeric_array([[1, 2], [3, 4]], "o", "x"), [[1, 2], [3, 4]])
    rect = r"^Model: `x` must be numbers in a rectangular array \(one row per sample, every row the same shape\)\. "
    with pytest.raises(ValueError, match=rect + r"Received: x='abc' \(a str\)\. Text must be turned into numbers"):
        numeric_array("abc", "Model", "x")
    with pytest.raises(ValueError, match=rect + r"Received: an array of strings \(dtype <U1, shape \(2,\), such as "
                                              r"np\.str_\('a'\)\)\..*np\.asarray\(x, dtype='float32'\)"):
        numeric_array(np.array(["a", "b"]), "Model", "x")
    with pytest.raises(ValueError, match=rect + r"Received: an array of strings \(dtype object, shape \(2,\), such as "
                                              r"'b'\)"):
        numeric_array(np.array([1.0, "b"], dtype=object), "Model", "x")
    with pytest.raises(ValueError, match=rect + r"Received: a ragged nested list \(x\[2\] has 1 entry while x\[0\] has "
                                              r"3 entries\)\. Pad the rows to one length"):
        numeric_array([[1, 2, 3], [4, 5, 6], [7]], "Model", "x")
    with pytest.raises(ValueError, match=r"x\[1\]\[0\] has a single value while x\[0\]\[0\] has 2 entries"):
        numeric_array([[[1, 2]], [3]], "Model", "x")
    with pytest.raises(ValueError, match=r"Received: an array of Python objects \(dtype object, shape \(2,\)\)"):
        numeric_array(np.array([None, 1], dtype=object), "Model", "x")


def test_the_positive_integer_arguments_across_dendrite_give_the_one_message():
    cases = [
        (lambda: layers.Dense(0, name="d"), r"Dense 'd': `units` must be a positive integer\. Received: units=0\."),
        (lambda: layers.UpSampling1D(1.5, name="up"), r"UpSampling1D 'up': `size` must be a positive integer\. "
                                                      r"Received: size=1\.5 \(type float\)\."),
        (lambda: layers.MaxPooling1D(strides=0, name="p"), r"Layer 'p': `strides` must be a positive integer\. "
                                                           r"Received: strides=0\."),
        (lambda: layers.MaxPooling2D((2, 0), name="p"), r"Layer 'p': `pool_size` must be a positive integer or a "
                                                        r"tuple of 2 positive integers\. Received: pool_size=\(2, 0\)\."),
        (lambda: metrics.TopKCategoricalAccuracy(k=0), r"TopKCategoricalAccuracy: `k` must be a positive integer\. "
                                                       r"Received: k=0\."),
        (lambda: metrics.Precision(top_k=-1), r"Precision: `top_k` must be a positive integer or None\. "
                                              r"Received: top_k=-1\."),
    ]
    for make, message in cases:
        with pytest.raises(ValueError, match="^" + message):
            make()
    assert metrics.TopKCategoricalAccuracy(k=np.int64(2)).k == 2


def test_a_layer_called_on_text_or_a_ragged_list_names_itself():
    dense = layers.Dense(2, name="d")
    with pytest.raises(ValueError, match=r"^Dense 'd': `inputs` must be numbers in a rectangular array .*Received: "
                                         r"inputs='hello' \(a str\)\. Text must be turned into numbers"):
        dense("hello")
    with pytest.raises(ValueError, match=r"^Dense 'd': `inputs` must be numbers .*Received: an array of strings "
                                         r"\(dtype <U3, shape \(1, 2\), such as np\.str_\('1\.5'\)\)\..*"
                                         r"np\.asarray\(inputs, dtype='float32'\)"):
        dense(np.array([["1.5", "2.0"]]))
    with pytest.raises(ValueError, match=r"^Dense 'd': .*Received: a ragged nested list \(inputs\[1\] has 1 entry "
                                         r"while inputs\[0\] has 2 entries\)"):
        dense([[1.0, 2.0], [3.0]])
    assert not dense.built  # nothing was built from the refused input
    np.testing.assert_array_equal(dense([[1.0, 2.0]]).shape, (1, 2))


def test_a_0d_integer_tensor_is_an_integer_argument_as_tf_keras_2_read_it():
    """tf.keras 2 took int(units): ``Dense(tf.size(tf.unique(y).y))`` and ``to_categorical(y, n)`` with a scalar
    integer tensor ran; other shapes and dtypes are still refused."""
    import dendrite
    from dendrite.autodiff import Tensor
    n = Tensor(np.array(10, np.int32))
    assert dendrite.layers.Dense(n).units == 10 and isinstance(dendrite.layers.Dense(n).units, int)
    assert dendrite.utils.to_categorical([1, 2], n).shape == (2, 10)
    assert dendrite.layers.Dense(np.array(3, np.uint8)).units == 3
    for bad in (Tensor(np.array([3])), Tensor(np.array(3.0)), np.array(True), Tensor(np.array(0))):
        with pytest.raises(ValueError, match="`units` must be a positive integer"):
            dendrite.layers.Dense(bad)
