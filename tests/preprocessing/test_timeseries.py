"""TimeseriesGenerator against Keras 3.15's legacy one (tests/fixtures/tf_data3/preprocessing.json) and
fitted on by a model."""
import json
import os

import numpy as np
import pytest

from dendrite import layers, models, utils
from dendrite.preprocessing.sequence import TimeseriesGenerator

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_data3", "preprocessing.json")
with open(FIXTURE) as f:
    FIX = json.load(f)
SERIES = np.arange(50, dtype="float32").reshape(25, 2)
TARGETS = np.arange(25) * 10


@pytest.mark.parametrize("case", FIX["timeseries"], ids=lambda c: str(c["kwargs"]))
def test_batches_match_keras(case):
    gen = TimeseriesGenerator(SERIES, TARGETS, **case["kwargs"])
    assert len(gen) == case["len"]
    for i, (samples, targets) in enumerate(case["batches"]):
        x, y = gen[i]
        np.testing.assert_array_equal(x, samples)
        np.testing.assert_array_equal(y, targets)


def test_shuffled_batches_draw_rows_in_range_and_keep_windows_whole():
    utils.set_random_seed(0)
    gen = TimeseriesGenerator(SERIES, TARGETS, length=4, batch_size=6, shuffle=True, start_index=2)
    x, y = gen[0]
    assert x.shape == (6, 4, 2)
    rows = y // 10
    assert np.all((rows >= 6) & (rows <= 24))
    np.testing.assert_array_equal(x[:, -1, 0], (rows - 1) * 2)  # each window ends just before its target


def test_a_model_fits_on_the_generator():
    utils.set_random_seed(1)
    t = np.arange(300, dtype="float32") * 0.1
    series = np.sin(t)[:, None]
    gen = TimeseriesGenerator(series, series, length=8, batch_size=16)
    model = models.Sequential([layers.Input((8, 1)), layers.Flatten(), layers.Dense(16, activation="tanh"),
                               layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(gen, epochs=6, verbose=0)
    assert len(history.history["loss"]) == 6
    assert history.history["loss"][-1] < history.history["loss"][0] / 3


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(ValueError, match="same length"):
        TimeseriesGenerator(SERIES, TARGETS[:-1], length=3)
    with pytest.raises(ValueError, match="past end_index"):
        TimeseriesGenerator(SERIES, TARGETS, length=30)
    with pytest.raises(ValueError, match="length"):
        TimeseriesGenerator(SERIES, TARGETS, length=0)
    with pytest.raises(IndexError, match="out of range"):
        TimeseriesGenerator(SERIES, TARGETS, length=3, batch_size=32)[1]
    config = TimeseriesGenerator(SERIES, TARGETS, length=3).get_config()
    assert config["start_index"] == 3 and json.loads(config["targets"])[2] == 20
