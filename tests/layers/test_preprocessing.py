"""Normalization: statistics learned by adapt, Keras's formula, parameter counts and errors; Rescaling and
CategoryEncoding: values against NumPy and Keras, shapes, configs and errors."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.testing import check_grads, run_layer_test

rng = np.random.default_rng(0)
X = (rng.normal(3.0, 2.0, (300, 9)) * rng.uniform(0.5, 20, 9)).astype(np.float32)


def standardised(x, mean, var):
    return (x - mean) / np.maximum(np.sqrt(var), 1e-7)


def test_adapt_learns_each_feature_s_mean_and_population_variance():
    norm = layers.Normalization()
    norm.adapt(X)
    x64 = X.astype(np.float64)
    np.testing.assert_allclose(norm.adapt_mean.numpy(), x64.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(norm.adapt_variance.numpy(), x64.var(axis=0), rtol=1e-6)
    # mean / variance as Keras shows them: shaped to broadcast against the inputs
    assert norm.mean.shape == (1, 9) and norm.variance.shape == (1, 9)
    np.testing.assert_allclose(norm.mean.numpy()[0], x64.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(norm.variance.numpy()[0], x64.var(axis=0), rtol=1e-6)
    assert layers.Normalization().mean is None  # before adapt or build
    out = norm(X[:20]).numpy()
    np.testing.assert_allclose(out, standardised(X[:20], x64.mean(0), x64.var(0)), rtol=1e-5, atol=1e-5)
    full = norm(X).numpy()
    np.testing.assert_allclose(full.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(full.std(axis=0), 1, rtol=1e-4)


def test_batches_combine_to_the_statistics_of_the_whole():
    whole, batched = layers.Normalization(), layers.Normalization()
    whole.adapt(X)
    batched.adapt(X[i:i + 64] for i in range(0, len(X), 64))  # uneven last batch
    np.testing.assert_allclose(batched.adapt_mean.numpy(), whole.adapt_mean.numpy(), rtol=1e-6)
    np.testing.assert_allclose(batched.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-5)
    listed = layers.Normalization()
    listed.adapt([X[i:i + 100] for i in range(0, len(X), 100)])  # a list of arrays is a list of batches
    np.testing.assert_allclose(listed.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-5)
    # as Keras 3: a list of 1-D arrays is a list of single samples
    pairs = layers.Normalization()
    pairs.adapt([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    np.testing.assert_allclose(pairs.adapt_mean.numpy(), [2, 3])
    np.testing.assert_allclose(pairs.adapt_variance.numpy(), [1, 1])
    from_tensor = layers.Normalization()
    from_tensor.adapt(keras.constant(X))  # a Tensor, converted as fit converts its data
    np.testing.assert_allclose(from_tensor.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-6)
    nested = layers.Normalization()
    nested.adapt(X[:50].tolist())  # a nested list of numbers is the samples themselves
    np.testing.assert_allclose(nested.adapt_mean.numpy(), X[:50].astype(np.float64).mean(0), rtol=1e-6)


def test_axis_none_several_axes_and_invert():
    scalar = layers.Normalization(axis=None)
    scalar.adapt(X[:, 0])  # a single feature given as a 1-D array, as the TF regression tutorial does
    assert scalar.adapt_mean.shape == ()
    np.testing.assert_allclose(scalar(X[:5, :1]).numpy(),
                               standardised(X[:5, :1], X[:, 0].astype(np.float64).mean(),
                                            X[:, 0].astype(np.float64).var()), rtol=1e-5)
    images = rng.uniform(0, 255, (40, 4, 5, 3)).astype(np.float32)
    per_pixel = layers.Normalization(axis=(1, 2))
    per_pixel.adapt(images)
    assert per_pixel.adapt_mean.shape == (4, 5)
    np.testing.assert_allclose(per_pixel.adapt_mean.numpy(), images.astype(np.float64).mean(axis=(0, 3)),
                               rtol=1e-6)
    mean, var = np.array([1.0, -2.0, 0.5]), np.array([4.0, 0.25, 9.0])
    forward = layers.Normalization(mean=mean, variance=var)
    assert forward.mean is None  # built on first use
    forward.build((None, 3))
    np.testing.assert_allclose(forward.variance.numpy(), var.reshape(1, 3))
    back = layers.Normalization(mean=mean, variance=var, invert=True)
    x = rng.standard_normal((6, 3)).astype(np.float32)
    np.testing.assert_allclose(forward(x).numpy(), (x - mean) / np.sqrt(var), rtol=1e-6)
    np.testing.assert_allclose(back(forward(x)).numpy(), x, rtol=1e-5, atol=1e-6)
    # a scalar mean and variance apply to every feature
    np.testing.assert_allclose(layers.Normalization(mean=2.0, variance=4.0)(x).numpy(), (x - 2) / 2, rtol=1e-6)


def test_parameter_counts_and_model_use_as_keras():
    norm = layers.Normalization()
    norm.adapt(X)
    model = keras.Sequential([keras.Input((9,)), norm, layers.Dense(1)])
    # Keras: mean and variance per feature plus a count, all non-trainable: 2 * 9 + 1 = 19
    assert norm.count_params() == 19 and len(norm.non_trainable_weights) == 3 and not norm.trainable_weights
    lines = []
    model.summary(print_fn=lines.append)
    assert "Non-trainable params: 19" in lines
    model.compile("adam", "mse")
    before = norm.adapt_mean.numpy().copy()
    model.fit(X, X[:, :1] * 0.1, epochs=1, batch_size=50, verbose=0)
    np.testing.assert_array_equal(norm.adapt_mean.numpy(), before)  # training leaves the statistics alone
    single = layers.Normalization(input_shape=[1], axis=None)
    single.adapt(X[:, 0])
    assert single.count_params() == 3


def test_normalization_passes_the_mask_on_as_keras_3():
    steps = np.random.default_rng(4).standard_normal((3, 5, 2)).astype(np.float32)
    steps[0, 3:] = steps[1, 1:] = 0.0
    norm = layers.Normalization(mean=[0.5, -1.0], variance=[2.0, 0.5])
    lstm = layers.LSTM(2)
    masked = layers.Masking()(steps)
    out = norm(masked)
    np.testing.assert_array_equal(out._keras_mask, masked._keras_mask)
    np.testing.assert_allclose(lstm(out).numpy(), lstm(out.numpy(), mask=masked._keras_mask).numpy(), rtol=1e-6)


def test_layer_contract_and_gradient():
    run_layer_test(layers.Normalization, {"mean": [0.5, -1.0, 2.0], "variance": [2.0, 0.5, 1.0]}, (4, 3), (4, 3))
    norm = layers.Normalization()
    norm.adapt(X.astype(np.float64))
    check_grads(lambda t: norm(t), [X[:4].astype(np.float64)])
    config = norm.get_config()
    assert config["axis"] == (-1,) and config["invert"] is False and config["mean"] is None


def test_bad_arguments_and_data_are_refused_clearly():
    with pytest.raises(ValueError, match="give both `mean` and `variance`"):
        layers.Normalization(mean=[1.0])
    with pytest.raises(ValueError, match="same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    norm = layers.Normalization()
    norm.adapt(X)
    with pytest.raises(ValueError, match=r"data of shape \(10, 4\) does not match the layer's statistics of shape "
                                         r"\(9,\)"):
        norm.adapt(X[:10, :4])
    with pytest.raises(ValueError, match="cannot replace them"):
        layers.Normalization(mean=0.0, variance=1.0).adapt(X)
    with pytest.raises(ValueError, match=r"a batch of shape \(0, 3\) \(no values\)"):
        layers.Normalization().adapt(np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"a batch of shape \(\) \(a single number\)"):
        layers.Normalization().adapt([np.float32(1.0), np.float32(2.0)])
    with pytest.raises(ValueError, match=r"axis=\(5,\) is not a valid feature axis for inputs of shape \(300, 9\)"):
        layers.Normalization(axis=5).adapt(X)


def test_constant_features_and_dataset_style_batches():
    """A feature that never changes has variance 0: it maps to 0 (the 1e-7 floor on the scale), not inf or
    NaN. adapt takes an iterable of (x, y) batches, as a tf.data pipeline gives them, using x."""
    data = X.copy()
    data[:, 2] = 5.0
    norm = layers.Normalization()
    norm.adapt(((data[i:i + 50], np.zeros(50)) for i in range(0, len(data), 50)))
    out = norm(data[:10]).numpy()
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out[:, 2], 0)
    np.testing.assert_allclose(norm.adapt_mean.numpy(), data.astype(np.float64).mean(0), rtol=1e-6)
    assert int(norm.count.numpy()) == 0  # as Keras 3: kept for old saved models, never updated


def test_more_refusals_name_the_layer():
    with pytest.raises(ValueError, match=r"Normalization 'n'\.adapt: received no batches"):
        layers.Normalization(name="n").adapt(iter([]))
    with pytest.raises(TypeError, match=r"Normalization\.adapt: expected numeric data; received an array of dtype"):
        layers.Normalization().adapt(np.array(["a", "b"]))
    with pytest.raises(TypeError, match=r"Normalization 'n'\.adapt: expected an array of samples or an iterable of "
                                        r"batches; received int"):
        layers.Normalization(name="n").adapt(3)
    with pytest.raises(ValueError, match=r"Normalization 'n': `mean` may have at most one dimension per kept axis"):
        layers.Normalization(mean=np.zeros((2, 3)), variance=np.ones((2, 3)), name="n")
    norm = layers.Normalization(name="n")
    norm.adapt(X)
    with pytest.raises(ValueError, match=r"Normalization 'n': expected inputs of rank 2 \(as when it was built or "
                                         r"adapted\); received shape \(2, 3, 9\)"):
        norm(np.zeros((2, 3, 9), np.float32))
    with pytest.raises(ValueError, match=r"`mean` of shape \(4,\) does not fit the kept axes \(1,\) of inputs shaped "
                                         r"\(300, 9\)"):
        layers.Normalization(mean=np.zeros(4), variance=np.ones(4), name="m")(X)


def test_rescaling_maps_pixels_and_keeps_gradients():
    pixels = np.array([[0, 127, 255]], np.uint8)
    out = layers.Rescaling(1 / 127.5, offset=-1)(pixels)
    assert out.dtype == np.float32  # integer inputs come out as floats (Keras 3.15.1: float32)
    np.testing.assert_allclose(out.numpy(), [[-1.0, 127 / 127.5 - 1, 1.0]], atol=1e-7)
    layer = run_layer_test(layers.Rescaling, {"scale": 0.5, "offset": 2.0}, (2, 3, 4), (2, 3, 4))
    np.testing.assert_allclose(layer(np.ones((1, 2))).numpy(), [[2.5, 2.5]])
    assert layers.Rescaling.supports_masking and layer(keras.Input((None, 4))).shape == (None, None, 4)
    config = layer.get_config()
    assert config["scale"] == 0.5 and config["offset"] == 2.0
    assert set(config) == {"name", "trainable", "dtype", "scale", "offset"}  # Keras's keys
    assert layers.Rescaling.from_config(config).get_config() == config


def test_rescaling_per_channel_in_both_layouts(channels_first):
    x = rng.uniform(0, 1, (2, 3, 4, 4))  # channels first: (batch, channels, height, width)
    out = layers.Rescaling([1.0, 2.0, 3.0], offset=0.5)(x).numpy()
    np.testing.assert_allclose(out, x * np.array([1, 2, 3]).reshape(3, 1, 1) + 0.5, rtol=1e-6)
    check_grads(lambda t: layers.Rescaling([1.0, 2.0, 3.0])(t), [x[:1, :, :2, :2]])
    assert layers.Rescaling([1.0, 2.0, 3.0]).get_config()["scale"] == [1.0, 2.0, 3.0]


def test_rescaling_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Rescaling 'r': `scale` must be a finite number\. Received: scale='x'"):
        layers.Rescaling("x", name="r")
    with pytest.raises(ValueError, match=r"Rescaling 's': `offset` must be a number or an array of finite numbers"):
        layers.Rescaling(1.0, offset=[1.0, np.nan], name="s")


def test_category_encoding_values_from_keras_docs():
    # the examples of Keras 3.15.1's docstring, which it gives as written
    one_hot = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(4)[[3, 2, 0, 1]])
    multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0], [1, 2], [3, 1]])
    np.testing.assert_array_equal(multi.numpy(), [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    count = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    weighted = count([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=np.array([[.1, .2], [.1, .1], [.2, .3],
                                                                               [.4, .2]]))
    np.testing.assert_allclose(weighted.numpy(), [[.1, .2, 0, 0], [.2, 0, 0, 0], [0, .2, .3, 0], [0, .2, 0, .4]],
                               rtol=1e-6)
    np.testing.assert_array_equal(count(np.array([[0, 1, 1], [3, 3, 3]])).numpy(), [[1, 2, 0, 0], [0, 0, 0, 3]])
    assert multi.dtype == np.float32


@pytest.mark.parametrize("mode, shape, expected", [
    # Keras 3.15.1's output shapes (eager and compute_output_shape agree)
    ("one_hot", (4,), (4, 4)), ("one_hot", (2, 1), (2, 4)), ("one_hot", (4, 2), (4, 2, 4)),
    ("multi_hot", (4,), (4,)), ("multi_hot", (2, 1), (2, 4)), ("multi_hot", (4, 2), (4, 4)),
    ("count", (4,), (4,)), ("count", (4, 2), (4, 4)),
])
def test_category_encoding_shapes(mode, shape, expected):
    layer = layers.CategoryEncoding(4, output_mode=mode)
    tokens = rng.integers(0, 4, shape)
    out = layer(tokens).numpy()
    assert out.shape == expected
    assert layer.compute_output_shape((None,) + shape[1:])[1:] == expected[1:]
    if mode == "one_hot":
        np.testing.assert_array_equal(out, np.eye(4)[tokens.reshape(expected[:-1])])
    else:
        rows = tokens.reshape(-1, shape[-1])
        counts = np.stack([np.bincount(r, minlength=4) for r in rows]).reshape(expected)
        np.testing.assert_array_equal(out, counts if mode == "count" else counts > 0)
    assert layers.CategoryEncoding(4, output_mode=mode)(keras.Input(shape[1:] or (3,))).shape[-1] == 4


def test_category_encoding_in_a_model_and_config():
    model = keras.Sequential([keras.Input((3,)), layers.CategoryEncoding(5), layers.Dense(2)])
    assert model.output_shape == (None, 2) and model.layers[0].count_params() == 0
    model.compile("sgd", "mse")
    model.fit(np.array([[0, 1, 4], [2, 2, 3]]), np.zeros((2, 2)), verbose=0)  # fit hands it float32 tokens
    config = layers.CategoryEncoding(5, output_mode="count", name="c").get_config()
    assert config == {"name": "c", "trainable": True, "dtype": "float32", "num_tokens": 5, "output_mode": "count"}
    assert layers.CategoryEncoding.from_config(config).get_config() == config
    assert layers.CategoryEncoding(3, output_mode="binary").output_mode == "multi_hot"  # Keras 2's name


def test_category_encoding_errors_name_the_layer():
    layer = layers.CategoryEncoding(4, name="cat")
    with pytest.raises(ValueError, match=r"CategoryEncoding 'cat': every index must be in \[0, 4\) "
                                         r"\(num_tokens=4\); received 5 at position \(0, 1\)"):
        layer(np.array([[0, 5]]))
    with pytest.raises(ValueError, match=r"received -1 at position \(0, 1\)"):
        layer(np.array([[0, -1]]))
    with pytest.raises(ValueError, match=r"inputs must be integer indices.*0\.5"):
        layer(np.array([[0.5]]))
    with pytest.raises(ValueError, match=r"`count_weights` is used only with output_mode='count'"):
        layer(np.array([[1]]), count_weights=np.array([[1.0]]))
    with pytest.raises(ValueError, match=r"`count_weights` must have the shape of the inputs, \(1, 2\)"):
        layers.CategoryEncoding(4, output_mode="count")(np.array([[1, 2]]), count_weights=np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"CategoryEncoding 'n': `num_tokens` must be a positive integer\. "
                                         r"Received: num_tokens=None"):
        layers.CategoryEncoding(name="n")
    with pytest.raises(ValueError, match=r"`output_mode` must be one of \('multi_hot', 'one_hot', 'count'\); "
                                         r"received output_mode='tf_idf'"):
        layers.CategoryEncoding(3, output_mode="tf_idf")
    with pytest.raises(ValueError, match=r"sparse=True is not supported"):
        layers.CategoryEncoding(3, sparse=True)


def test_normalization_adapts_on_a_dataset_as_in_the_keras_tutorials():
    from dendrite.data import Dataset
    rs = np.random.default_rng(0)
    x = rs.standard_normal((100, 3)) * [1, 2, 3] + [0, 5, -5]
    y = rs.integers(0, 2, 100)
    on_arrays = layers.Normalization()
    on_arrays.adapt(x)
    on_data = layers.Normalization()
    on_data.adapt(Dataset.from_tensor_slices((x, y)).batch(32).map(lambda xb, yb: xb))
    np.testing.assert_allclose(on_data.mean, on_arrays.mean, rtol=1e-6)
    np.testing.assert_allclose(on_data.variance, on_arrays.variance, rtol=1e-6)
    pairs = layers.Normalization()
    pairs.adapt(Dataset.from_tensor_slices((x, y)).batch(32))  # (x, y) batches: x is taken
    np.testing.assert_allclose(pairs.mean, on_arrays.mean, rtol=1e-6)
    with pytest.raises(ValueError, match="infinite"):
        layers.Normalization().adapt(Dataset.from_tensor_slices(x).batch(8).repeat())
