"""Keras 2's RandomHeight / RandomWidth: sizes drawn in [1 + lower, 1 + upper] times the input's, the content
is Resizing's at that size, inference passes images through, shapes, config, seeds, gradients and errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads

X = np.random.default_rng(0).uniform(0, 255, (3, 20, 16, 2)).astype(np.float32)


@pytest.mark.parametrize("cls, axis", [(layers.RandomHeight, 1), (layers.RandomWidth, 2)])
def test_sizes_in_range_and_content_is_resizing(cls, axis):
    layer = cls((-0.5, 0.25), seed=3)
    seen = set()
    for _ in range(20):
        y = layer(X).numpy()
        size = y.shape[axis]
        assert int(0.5 * X.shape[axis]) <= size <= int(1.25 * X.shape[axis])
        other = 3 - axis
        assert y.shape[other] == X.shape[other] and y.shape[0] == 3 and y.shape[3] == 2
        h, w = (size, 16) if axis == 1 else (20, size)
        np.testing.assert_allclose(y, layers.Resizing(h, w)(X).numpy(), rtol=1e-5, atol=1e-3)
        seen.add(size)
    assert len(seen) > 3


def test_inference_and_model_shapes():
    inputs = layers.Input((20, 16, 2))
    out = layers.RandomWidth(0.2)(layers.RandomHeight(0.2)(inputs))
    assert tuple(out.shape) == (None, None, None, 2)  # unknown, as Keras 2 says
    model = dendrite.Model(inputs, layers.GlobalAveragePooling2D()(out))
    np.testing.assert_allclose(model.predict(X, verbose=0), X.mean(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_array_equal(layers.RandomHeight(0.3)(X, training=False).numpy(), X)


def test_seeded_layers_draw_alike_and_config_round_trips():
    a, b = layers.RandomHeight(0.4, seed=7), layers.RandomHeight(0.4, seed=7)
    assert a(X).shape == b(X).shape
    config = layers.RandomWidth((-0.2, 0.3), interpolation="nearest", seed=1).get_config()
    assert {k: config[k] for k in ("factor", "interpolation", "seed")} == {"factor": (-0.2, 0.3),
                                                                          "interpolation": "nearest", "seed": 1}
    assert layers.RandomWidth.from_config(config).get_config() == config


def test_gradients_through_the_resize():
    layer = layers.RandomHeight((0.5, 0.5))  # always 1.5x
    check_grads(lambda v: layer(v), [X[:1, :4, :3]])


@pytest.mark.parametrize("kwargs, err, match", [
    ({"factor": (0.3, 0.1)}, ValueError, "upper bound"),
    ({"factor": (-1.5, 0.1)}, ValueError, "larger than -1"),
    ({"factor": "big"}, ValueError, "factor"),
    ({"factor": 0.2, "interpolation": "bicubic"}, NotImplementedError, "docs/compat.md"),
])
def test_errors(kwargs, err, match):
    with pytest.raises(err, match=match):
        layers.RandomHeight(**kwargs)
