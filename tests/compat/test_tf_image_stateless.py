"""tf.image.stateless_random_*: the same seed pair gives the same image, other pairs other draws (the TF
data-augmentation tutorial's pattern, with seeds split by tf.random.experimental.stateless_split)."""
import numpy as np
import pytest


def test_same_seed_same_image_other_seeds_other_draws(tf):
    (x, _), _ = __import__("dendrite").datasets.mnist.load_data()
    gray = x[0].astype(np.float32) / 255
    img = tf.constant(np.stack([gray, 0.5 * gray + 0.2, 1.0 - gray], axis=-1))  # a coloured digit
    for name, args in [("brightness", (0.3,)), ("contrast", (0.5, 1.5)), ("hue", (0.2,)),
                       ("saturation", (0.5, 1.5))]:
        fn = getattr(tf.image, f"stateless_random_{name}")
        a, b = fn(img, *args, seed=(1, 2)), fn(img, *args, seed=(1, 2))
        assert np.array_equal(a.numpy(), b.numpy()) and a.shape == img.shape, name
        assert any(not np.array_equal(a.numpy(), fn(img, *args, seed=(s, 0)).numpy()) for s in range(3, 8)), name
    crops = {tf.image.stateless_random_crop(img, (20, 20, 3), seed=(s, 7)).numpy().tobytes() for s in range(6)}
    assert len(crops) > 1 and tf.image.stateless_random_crop(img, (20, 20, 3), seed=(0, 7)).shape == (20, 20, 3)
    flips = [np.array_equal(tf.image.stateless_random_flip_left_right(img, seed=(s, 0)).numpy(), img.numpy())
             for s in range(12)]
    assert 0 < sum(flips) < 12  # each seed decides once whether to flip
    seed = tf.random.experimental.stateless_split((1, 2), num=1)[0, :]
    assert tf.image.stateless_random_flip_up_down(img, seed=seed).shape == img.shape
    with pytest.raises(ValueError, match="`seed` must be a pair of integers"):
        tf.image.stateless_random_brightness(img, 0.1, seed=(1, 2, 3))
