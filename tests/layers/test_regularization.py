"""Seeded dropout layers: a new mask on every call, the same sequence for the same seed (Keras 3)."""
import numpy as np
import pytest

import dendrite
from dendrite import layers


def _masks(layer, x, calls):
    return [layer(x, training=True).numpy() != 0 for _ in range(calls)]


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Dropout(0.5, seed=7), (8, 50)),
    (lambda: layers.SpatialDropout1D(0.5, seed=7), (8, 6, 20)),
    (lambda: layers.SpatialDropout2D(0.5, seed=7), (8, 3, 3, 20)),
])
def test_a_seeded_dropout_layer_draws_a_new_mask_each_call_and_the_same_sequence_for_the_same_seed(make, shape):
    x = np.ones(shape, np.float32)
    first, again = _masks(make(), x, 3), _masks(make(), x, 3)
    assert not np.array_equal(first[0], first[1]) and not np.array_equal(first[1], first[2])
    for a, b in zip(first, again):  # two fresh layers with one seed: the same masks, call for call
        np.testing.assert_array_equal(a, b)
    dendrite.utils.set_random_seed(99)  # the global seed does not move a layer's own stream
    np.testing.assert_array_equal(_masks(make(), x, 1)[0], first[0])


def test_seeded_dropout_in_fit_drops_different_units_on_each_batch():
    drop = layers.Dropout(0.5, seed=3)
    seen = []

    class Spy(dendrite.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(inputs.numpy() == 0)
            return inputs

    model = dendrite.Sequential([dendrite.Input((40,)), drop, Spy(), layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((16, 40), np.float32)
    model.fit(x, np.zeros((16, 1)), batch_size=16, epochs=3, verbose=0, shuffle=False)
    assert len(seen) == 3 and not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])


def test_dropout_seed_is_checked_and_kept_in_the_config():
    assert layers.Dropout(0.2, seed=5).get_config()["seed"] == 5
    with pytest.raises(ValueError, match=r"Dropout 'd': `seed` must be an integer >= 0 or None\. Received: seed=-1"):
        layers.Dropout(0.2, seed=-1, name="d")
    with pytest.raises(ValueError, match=r"seed='a'"):
        layers.SpatialDropout1D(0.2, seed="a")
