"""The codelab's convolutional networks (seed 000, steps 5 and 6): Keras's parameter counts, and a
short training run of each through the command line."""
import re

import numpy as np
import pytest

import dendrite
from dendrite import cli, layers


def test_cnn_parameter_counts_equal_keras():
    model = dendrite.Sequential(cli._cnn(layers))
    counts = [layer.count_params() for layer in model.layers]
    # Reshape, Conv2D 12 k3, Conv2D 24 k6 s2, Conv2D 32 k6 s2, Flatten, Dense 200, Dropout, Dense 10
    assert counts == [0, 120, 10_392, 27_680, 0, 313_800, 0, 2_010]
    assert model.count_params() == 354_002
    assert model.layers[3].compute_output_shape((None, 14, 14, 24)) == (None, 7, 7, 32)


def test_cnn_bn_parameter_counts_and_summary_equal_keras(capsys):
    model = dendrite.Sequential(cli._cnn_bn(layers))
    counts = [layer.count_params() for layer in model.layers if layer.weights]
    assert counts == [864, 72, 28_800, 144, 49_152, 192, 627_200, 600, 2_010]
    model.summary()
    text = capsys.readouterr().out
    assert "Total params: 709,034" in text and "Non-trainable params: 672" in text
    assert re.search(r"batch_normalization \(BatchN  \(None, 28, 28, 24\)\s+72 +\normalization\)", text)
    assert re.search(r"conv2d_2 \(Conv2D\)\s+\(None, 7, 7, 64\)\s+49152", text)


@pytest.mark.parametrize("name,batches", [("cnn", 5), ("cnn-bn", 10)])
def test_train_mnist_cnn_models_through_the_cli(tmp_path, capsys, name, batches):
    out = tmp_path / "w.npz"
    assert cli.main(["train", "mnist", "--model", name, "--limit", "640", "--epochs", "2", "--seed", "3",
                     "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "LearningRateScheduler setting learning rate to 0.01" in text
    assert re.search(rf"{batches}/{batches} \[=+\] - .* - loss: [0-9.]+ - accuracy: ", text)
    acc = float(re.search(r"Test accuracy: ([0-9.]+)", text).group(1))
    assert acc > 0.3  # 2 x 640 images: well above chance (0.1)
    with np.load(out, allow_pickle=False) as saved:
        assert len(saved.files) == len(dendrite.Sequential(cli.MODELS[name][0](layers)).weights)


def test_batch_norm_moving_statistics_are_non_trainable_and_used_in_inference(mnist_small):
    xtr, ytr, xte, _ = mnist_small
    model = dendrite.Sequential([layers.Input((784,)), layers.Dense(32, use_bias=False),
                                 layers.BatchNormalization(scale=False), layers.Activation("relu"),
                                 layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(xtr[:512], ytr[:512], epochs=1, verbose=0)
    bn = model.layers[1]
    beta, mean, var = bn.get_weights()
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert not np.allclose(mean, 0) and not np.allclose(var, 1)
    h = xte[:5] @ model.layers[0].get_weights()[0]
    expected = np.maximum((h - mean) / np.sqrt(var + 1e-3) + beta, 0)
    k, b = model.layers[3].get_weights()
    z = expected @ k + b
    probs = np.exp(z - z.max(1, keepdims=True))
    np.testing.assert_allclose(model.predict(xte[:5], verbose=0), probs / probs.sum(1, keepdims=True), rtol=1e-4,
                               atol=1e-6)


def test_conv2d_errors_name_the_layer_and_shapes():
    conv = layers.Conv2D(4, 3, name="conv")
    with pytest.raises(ValueError, match=r"(?s)conv.*\(2, 28, 28\)"):
        conv(np.ones((2, 28, 28)))
    conv(np.ones((1, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"(?s)conv.*3.*5"):
        conv(np.ones((1, 8, 8, 5)))
    with pytest.raises(ValueError, match=r"(?s)'?big'?.*\(1, 4, 4, 1\)"):
        layers.Conv2D(2, 5, name="big")(np.ones((1, 4, 4, 1)))
