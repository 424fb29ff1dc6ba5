"""dendrite.viz.plot_history and plot_learning_rate, drawn to files from a real fit."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, viz

from .conftest import assert_drawn


@pytest.fixture
def history(mnist_small):
    x, y = mnist_small
    dendrite.utils.set_random_seed(0)
    model = dendrite.Sequential([dendrite.Input((28, 28)), layers.Flatten(), layers.Dense(16, activation="relu"),
                                 layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(x, y, epochs=3, batch_size=64, validation_split=0.25, verbose=0)


def test_plot_history_draws_accuracy_then_loss_with_validation(history, tmp_path):
    fig = viz.plot_history(history, to_file=tmp_path / "h.png")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["accuracy", "loss"]
    for ax in fig.axes:
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels == ["training", "validation"]
        assert len(ax.get_lines()[0].get_ydata()) == 3
    np.testing.assert_allclose(fig.axes[1].get_lines()[1].get_ydata(), history.history["val_loss"])
    assert_drawn(tmp_path / "h.png", (400, 200))


def test_plot_history_takes_a_dict_and_chosen_metrics_and_names_a_missing_one(history, tmp_path):
    fig = viz.plot_history(history.history, metrics="loss")
    assert [ax.get_title() for ax in fig.axes] == ["loss"]
    with pytest.raises(ValueError, match=r"no metric 'mae'.*accuracy"):
        viz.plot_history(history, metrics=["mae"])
    with pytest.raises(TypeError, match="History"):
        viz.plot_history([0.1, 0.2])
    with pytest.raises(ValueError, match="empty"):
        viz.plot_history({})


def test_plot_learning_rate_of_a_schedule_a_function_and_a_list(tmp_path):
    schedule = dendrite.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    fig = viz.plot_learning_rate(schedule, epochs=5, steps_per_epoch=10, to_file=tmp_path / "lr.png")
    y = fig.axes[0].get_lines()[0].get_ydata()
    assert len(y) == 50
    np.testing.assert_allclose(y[[0, 10, 49]], [0.1, 0.05, 0.1 * 0.5 ** 4.9], rtol=1e-5)
    assert fig.axes[0].get_yscale() == "linear"
    assert_drawn(tmp_path / "lr.png")
    # the codelab's decay: 0.0001 + 0.02 * 0.6 ** epoch, as given to LearningRateScheduler
    fig = viz.plot_learning_rate(lambda epoch: 0.0001 + 0.02 * 0.6 ** epoch, epochs=20)
    y = fig.axes[0].get_lines()[0].get_ydata()
    np.testing.assert_allclose(y[:2], [0.0201, 0.0121])
    assert fig.axes[0].get_yscale() == "log"  # spans more than 50x
    fig = viz.plot_learning_rate(lambda epoch, lr: lr * 0.5, epochs=3, initial_lr=0.1)
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [0.05, 0.025, 0.0125])
    fig = viz.plot_learning_rate([0.1, 0.1, 0.01])
    assert len(fig.axes[0].get_lines()[0].get_ydata()) == 3
    with pytest.raises(ValueError, match="epochs=N"):
        viz.plot_learning_rate(schedule)
    with pytest.raises(ValueError, match="positive integer"):
        viz.plot_learning_rate(schedule, epochs=0)
