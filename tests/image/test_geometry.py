"""Flips, rotations and crops, and their random versions."""
import numpy as np
import pytest

import dendrite
from dendrite import image

X = np.arange(2 * 3 * 4 * 1).reshape(2, 3, 4, 1)


def test_flips_and_rotations():
    np.testing.assert_array_equal(image.flip_left_right(X), X[:, :, ::-1])
    np.testing.assert_array_equal(image.flip_up_down(X[0]), X[0, ::-1])
    assert image.rot90(X[0])[..., 0].tolist() == np.rot90(X[0, ..., 0]).tolist()  # counter-clockwise
    assert image.rot90(X, k=2).shape == (2, 3, 4, 1) and image.rot90(X, k=3).shape == (2, 4, 3, 1)
    np.testing.assert_array_equal(image.rot90(image.rot90(X, 1), 3), X)
    assert image.transpose(X).shape == (2, 4, 3, 1)
    with pytest.raises(ValueError, match=r"flip_left_right: image must be 3-D .*received shape \(4,\)"):
        image.flip_left_right(np.zeros(4))


def test_random_flips_per_image_and_seeded():
    batch = np.random.default_rng(0).random((64, 2, 3, 1))
    out = image.random_flip_left_right(batch, seed=5)
    flipped = [not np.array_equal(o, b) for o, b in zip(out, batch)]
    for o, b, f in zip(out, batch, flipped):
        np.testing.assert_array_equal(o, b[:, ::-1] if f else b)
    assert 16 < sum(flipped) < 48
    np.testing.assert_array_equal(image.random_flip_left_right(batch, seed=5), out)
    ups = [np.array_equal(image.random_flip_up_down(batch[0]), batch[0, ::-1]) for _ in range(40)]
    assert 0 < sum(ups) < 40  # dendrite's generator draws anew each call
    dendrite.utils.set_random_seed(3)
    first = image.random_flip_up_down(batch)
    dendrite.utils.set_random_seed(3)
    np.testing.assert_array_equal(image.random_flip_up_down(batch), first)


def test_random_crop():
    x = np.arange(10 * 12 * 3).reshape(10, 12, 3)
    out = image.random_crop(x, (4, 5, 3), seed=1)
    assert out.shape == (4, 5, 3)
    top, left = divmod(int(out[0, 0, 0]) // 3, 12)
    np.testing.assert_array_equal(out, x[top:top + 4, left:left + 5])
    assert np.array_equal(image.random_crop(x, [4, 5, 3], seed=1), out)
    with pytest.raises(ValueError, match=r"random_crop: size must give one length per axis .*\[11, 5, 3\]"):
        image.random_crop(x, [11, 5, 3])


def test_crops_and_pads():
    x = np.arange(5 * 6).reshape(5, 6, 1)
    assert image.crop_to_bounding_box(x, 1, 2, 2, 3)[..., 0].tolist() == [[8, 9, 10], [14, 15, 16]]
    padded = image.pad_to_bounding_box(x, 1, 2, 7, 9)
    assert padded.shape == (7, 9, 1) and padded[1:6, 2:8].tolist() == x.tolist() and padded.sum() == x.sum()
    assert image.central_crop(x, 0.5).shape == (3, 4, 1)
    assert image.central_crop(x, 1.0) is x
    assert image.resize_with_crop_or_pad(x, 3, 8)[..., 0].tolist() == [
        [0, 6, 7, 8, 9, 10, 11, 0], [0, 12, 13, 14, 15, 16, 17, 0], [0, 18, 19, 20, 21, 22, 23, 0]]
    with pytest.raises(ValueError, match=r"crop_to_bounding_box: the box rows 4..6 .*inside the 5x6 image"):
        image.crop_to_bounding_box(x, 4, 0, 2, 2)
    with pytest.raises(ValueError, match=r"pad_to_bounding_box: the 5x6 image at offset \(1, 0\) does not fit in "
                                         r"5x6; make the target at least 6x6"):
        image.pad_to_bounding_box(x, 1, 0, 5, 6)
    with pytest.raises(ValueError, match=r"central_fraction must be in \(0, 1\]"):
        image.central_crop(x, 0)
    with pytest.raises(ValueError, match=r"target_height must be a non-negative int"):
        image.resize_with_crop_or_pad(x, -1, 3)
