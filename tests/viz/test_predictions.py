"""dendrite.viz: the prediction grid (mistakes in red), the confusion matrix and a layer's weights."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, viz

from .conftest import assert_drawn


def _red_pixels(img):
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return int(((r > 0.7) & (g < 0.35) & (b < 0.35)).sum())


def test_grid_writes_mistakes_in_red_and_right_answers_in_black(mnist_small, tmp_path):
    x, y = mnist_small
    preds = y[:16].copy()
    fig = viz.plot_predictions(x[:16], y[:16], preds, n=16, to_file=tmp_path / "right.png")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [str(c) for c in y[:16]]
    assert _red_pixels(assert_drawn(tmp_path / "right.png")) == 0
    preds[3] = (y[3] + 1) % 10  # one known mistake
    probabilities = np.eye(10)[preds]  # the model's output works as well as class indices
    fig = viz.plot_predictions(x[:16], np.eye(10)[y[:16]], probabilities, n=16, to_file=tmp_path / "wrong.png")
    wrong = [ax for ax in fig.axes if ax.get_title() == f"{preds[3]} ({y[3]})"]
    assert len(wrong) == 1
    assert wrong[0].title.get_color() == viz.predictions.MISTAKE
    assert _red_pixels(assert_drawn(tmp_path / "wrong.png")) > 10


def test_only_mistakes_and_class_names(mnist_small):
    x, y = mnist_small
    preds = y[:40].copy()
    preds[[5, 30]] = (y[[5, 30]] + 1) % 10
    names = [f"digit{i}" for i in range(10)]
    fig = viz.plot_predictions(x[:40], y[:40], preds, only_mistakes=True, class_names=names)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [f"digit{preds[i]} (digit{y[i]})" for i in (5, 30)]
    with pytest.raises(ValueError, match="no prediction is wrong"):
        viz.plot_predictions(x[:4], y[:4], y[:4], only_mistakes=True)
    with pytest.raises(ValueError, match="4 images, 3 labels and 4 predictions"):
        viz.plot_predictions(x[:4], y[:3], y[:4])
    flat = viz.plot_predictions(x[:2].reshape(2, 784), y[:2], y[:2])  # flat 784-pixel rows drawn as 28x28
    assert flat.axes[0].get_images()[0].get_array().shape == (28, 28)


def test_confusion_matrix_counts_and_plot(tmp_path):
    truth = np.array([0, 0, 1, 1, 2, 2, 2])
    guess = np.array([0, 1, 1, 1, 2, 0, 2])
    counts = viz.confusion_matrix(truth, guess)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    fig = viz.plot_confusion_matrix(truth, np.eye(3)[guess], class_names=["a", "b", "c"], normalize=True,
                                    to_file=tmp_path / "cm.png")
    np.testing.assert_allclose(fig.axes[0].get_images()[0].get_array(), counts / counts.sum(1, keepdims=True))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b", "c"]
    assert_drawn(tmp_path / "cm.png")


def test_plot_weights_of_dense_and_conv_layers(tmp_path):
    dense = layers.Dense(12)
    dense.build((None, 784))
    fig = viz.plot_weights(dense, to_file=tmp_path / "dense.png")
    images = [ax.get_images()[0].get_array() for ax in fig.axes if ax.get_images()]
    assert len(images) == 12 and images[0].shape == (28, 28)
    np.testing.assert_allclose(images[5], dense.kernel.numpy()[:, 5].reshape(28, 28))
    assert_drawn(tmp_path / "dense.png")
    conv = layers.Conv2D(6, 5)
    conv.build((None, 28, 28, 3))
    fig = viz.plot_weights(conv, to_file=tmp_path / "conv.png")
    images = [ax.get_images()[0].get_array() for ax in fig.axes if ax.get_images()]
    assert len(images) == 6 and images[0].shape == (5, 5)
    np.testing.assert_allclose(images[2], conv.kernel.numpy()[..., 2].mean(-1), rtol=1e-6)
    assert_drawn(tmp_path / "conv.png")
    with pytest.raises(ValueError, match="not built"):
        viz.plot_weights(layers.Dense(3))
    pool = layers.MaxPooling2D()
    pool.build((None, 4, 4, 1))
    with pytest.raises(ValueError, match="no kernel"):
        viz.plot_weights(pool)
