"""Discretization: outputs and adapted boundaries against Keras's (tests/fixtures/keras/layers3) and its
documented examples, output modes and dtypes, adapt on arrays, batches and datasets, configs, .keras files,
errors."""
import numpy as np
import pytest

import dendrite
from dendrite.autodiff import GradientTape, Tensor
from dendrite.layers import Discretization
from keras_layers3 import arrays, case_id, cases, keras_file_round_trip, make


@pytest.mark.parametrize("i, case", cases("Discretization"), ids=case_id)
def test_outputs_and_adapted_boundaries_match_keras(i, case):
    x, _, expected, _ = arrays(i)
    layer = make(case)
    batches = case["call"].get("batches")
    if batches:  # a list of arrays is a sequence of batches, as Keras's adapt reads it
        layer.adapt(x if batches == 1 else np.array_split(x, batches))
        np.testing.assert_allclose(layer.bin_boundaries, case["bin_boundaries"], rtol=1e-6)
    y = layer(x).numpy()
    assert y.dtype == expected.dtype and y.shape == expected.shape
    np.testing.assert_array_equal(y, expected)


def test_keras_documented_examples():
    x = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
    np.testing.assert_array_equal(Discretization(bin_boundaries=[0., 1., 2.])(x).numpy(), [[0, 2, 3, 1], [1, 3, 2, 1]])
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(x)
    np.testing.assert_array_equal(layer(x).numpy(), [[0, 2, 3, 2], [1, 3, 3, 1]])


def test_output_modes_shapes_and_dtypes():
    x = np.array([[0.1, 0.7, 2.0], [-1.0, 0.7, 0.7]], np.float32)
    bounds = [0.0, 0.5, 1.0]
    out = Discretization(bin_boundaries=bounds)(x)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out.numpy(), [[1, 2, 3], [0, 2, 2]])
    one_hot = Discretization(bin_boundaries=bounds, output_mode="one_hot")
    assert one_hot(x).shape == (2, 3, 4) == one_hot.compute_output_shape((2, 3)) and one_hot(x).dtype == np.float32
    assert one_hot(x[:, :1]).shape == (2, 4)  # a last axis of 1 is replaced
    np.testing.assert_array_equal(Discretization(bin_boundaries=bounds, output_mode="multi_hot")(x).numpy(),
                                  [[0, 1, 1, 1], [1, 0, 1, 0]])
    count = Discretization(bin_boundaries=bounds, output_mode="count")
    np.testing.assert_array_equal(count(x).numpy(), [[0, 1, 1, 1], [1, 0, 2, 0]])
    # as Keras 3 computes it, a rank-3 input counts along axis 1: (batch, n, k) -> (batch, k, bins)
    assert count(np.zeros((2, 5, 3), np.float32)).shape == (2, 3, 4) == count.compute_output_shape((2, 5, 3))
    np.testing.assert_array_equal(count(np.zeros((2, 5, 3), np.float32)).numpy()[..., 1], 5)


def test_adapt_reads_datasets_and_generators_and_has_no_gradient():
    data = np.random.default_rng(0).standard_normal((200, 1)).astype(np.float32)
    by_list = Discretization(num_bins=3)
    by_list.adapt([data[:100], data[100:]])
    by_dataset = Discretization(num_bins=3)
    by_dataset.adapt(dendrite.data.Dataset.from_tensor_slices(data).batch(100))
    assert by_dataset.bin_boundaries == by_list.bin_boundaries and len(by_list.bin_boundaries) == 2
    by_generator = Discretization(num_bins=3)
    by_generator.adapt((data[k:k + 100] for k in (0, 100, 0)), steps=2)
    assert by_generator.bin_boundaries == by_list.bin_boundaries
    # the boundaries sit near the tertiles
    np.testing.assert_allclose(by_list.bin_boundaries, np.quantile(data, [1 / 3, 2 / 3]), atol=0.1)
    x = Tensor(data[:4])
    with GradientTape() as tape:
        tape.watch(x)
        y = by_list(x)
    assert tape.gradient(y, x) is None  # bucketing is piecewise constant: no gradient, as in Keras


def test_config_keys_and_round_trips(tmp_path):
    layer = Discretization(num_bins=4, epsilon=0.05, output_mode="one_hot", name="disc")
    layer.adapt(np.arange(100, dtype=np.float32))
    config = layer.get_config()
    assert set(config) == {"bin_boundaries", "num_bins", "epsilon", "output_mode", "sparse", "name", "dtype"}
    assert config["num_bins"] == 4 and len(config["bin_boundaries"]) == 3
    again = Discretization.from_config(config)  # an adapted layer's config holds both, as Keras writes it
    assert again.get_config() == config
    x = np.array([[3.0], [50.0], [99.0]], np.float32)
    keras_file_round_trip(layer, x, tmp_path)
    fixed = Discretization(bin_boundaries=[0.5, 1.5])
    assert Discretization.from_config(fixed.get_config()).bin_boundaries == [0.5, 1.5]


def test_errors_name_the_layer_and_what_is_wrong():
    with pytest.raises(ValueError, match=r"Discretization 'd': give `num_bins` \(and call adapt\(\)\) or "
                                         r"`bin_boundaries`, not both"):
        Discretization(bin_boundaries=[0.0], num_bins=2, name="d")
    with pytest.raises(ValueError, match="give either `bin_boundaries`"):
        Discretization()
    with pytest.raises(ValueError, match=r"`output_mode` must be one of .* received output_mode='tf_idf'"):
        Discretization(bin_boundaries=[0.0], output_mode="tf_idf")
    with pytest.raises(ValueError, match="sparse=True is not supported"):
        Discretization(bin_boundaries=[0.0], output_mode="one_hot", sparse=True)
    with pytest.raises(ValueError, match=r"`bin_boundaries` must be a list of numbers in increasing order.* "
                                         r"Received: bin_boundaries=\[1.0, 0.0\]"):
        Discretization(bin_boundaries=[1.0, 0.0])
    with pytest.raises(ValueError, match=r"`num_bins` must be an int >= 0"):
        Discretization(num_bins=-1)
    with pytest.raises(ValueError, match=r"no bin boundaries yet.*call adapt\(data\)"):
        Discretization(num_bins=3)(np.zeros((2, 1), np.float32))
    with pytest.raises(ValueError, match="was given `bin_boundaries`; adapt"):
        Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))
    with pytest.raises(ValueError, match="expected numbers; received an array of dtype <U1"):
        Discretization(num_bins=2).adapt(np.array(["a", "b"]))
