"""dendrite.viz.PlotTraining: one PNG per epoch outside Jupyter, holding the sampled batch curve and the
validation points."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, viz

from .conftest import assert_drawn


def test_plot_training_writes_a_png_per_epoch_with_sampled_batches(mnist_small, tmp_path):
    x, y = mnist_small
    dendrite.utils.set_random_seed(1)
    model = dendrite.Sequential([dendrite.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    plot = viz.PlotTraining(sample_rate=2, zoom=2, to_dir=tmp_path / "plots")
    model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25, verbose=0, callbacks=[plot])
    assert [p.rsplit("/", 1)[-1] for p in plot.files] == ["epoch-001.png", "epoch-002.png"]
    for path in plot.files:
        assert_drawn(path, (500, 200))
    assert plot.batches == [0, 2, 4, 6, 8, 10]  # 6 batches an epoch, every 2nd of each epoch
    assert plot.epoch_ends == [6, 12]
    fig = plot.draw()
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_ylim() == (0, 0.6) and acc_ax.get_ylim() == pytest.approx((0.75, 1.025))
    np.testing.assert_allclose(loss_ax.get_lines()[1].get_ydata(), plot.epoch_logs["val_loss"])
    assert acc_ax.get_title() == "accuracy"


def test_plot_training_refuses_bad_arguments():
    with pytest.raises(ValueError, match="sample_rate"):
        viz.PlotTraining(sample_rate=0)
    with pytest.raises(ValueError, match="zoom"):
        viz.PlotTraining(zoom=-1)
