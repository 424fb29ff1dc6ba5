"""load_img, img_to_array, array_to_img and save_img (dendrite.utils, and dendrite.preprocessing.image) on MNIST
digits and small arrays written through Pillow: modes, sizes, Keras's interpolation names, aspect-ratio crops,
layouts, scaling, file formats and errors."""
import io
import os
import sys

import numpy as np
import pytest

from dendrite import utils
from dendrite.preprocessing import image as preprocessing_image

if not os.environ.get("CI"):  # the images extra: always there in CI (the dev extra installs it)
    pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

rs = np.random.default_rng(0)


@pytest.fixture
def digit(mnist):
    return mnist[0][0][0]  # a (28, 28) uint8 MNIST digit


def test_save_and_load_round_trip_a_digit(tmp_path, digit):
    path = tmp_path / "digit.png"
    utils.save_img(str(path), digit[..., None], scale=False)
    img = utils.load_img(path, color_mode="grayscale")
    assert img.mode == "L" and img.size == (28, 28)
    x = utils.img_to_array(img)
    assert x.shape == (28, 28, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(x[..., 0], digit)
    rgb = utils.img_to_array(utils.load_img(str(path)))  # color_mode='rgb' by default: grey replicated
    assert rgb.shape == (28, 28, 3)
    np.testing.assert_array_equal(rgb, np.repeat(digit[..., None], 3, axis=2))
    rgba = utils.img_to_array(utils.load_img(str(path), color_mode="rgba"), dtype="uint8")
    assert rgba.dtype == np.uint8 and np.all(rgba[..., 3] == 255)
    assert preprocessing_image.load_img is utils.load_img and preprocessing_image.save_img is utils.save_img


def test_target_size_interpolations_and_aspect_ratio(tmp_path):
    x = rs.integers(0, 256, (6, 10, 3)).astype(np.uint8)
    path = tmp_path / "wide.png"
    Image.fromarray(x, "RGB").save(path)
    img = utils.load_img(path, target_size=(3, 5))  # (height, width), nearest by default
    assert img.size == (5, 3)
    np.testing.assert_array_equal(utils.img_to_array(img, dtype="uint8"), np.asarray(
        Image.fromarray(x).resize((5, 3), Image.Resampling.NEAREST)))
    for name in ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos"):
        assert utils.load_img(path, target_size=(4, 4), interpolation=name).size == (4, 4)
    # keep_aspect_ratio: the centred 6 x 6 box of the 6 x 10 image, then resized to 3 x 3
    kept = utils.img_to_array(utils.load_img(path, target_size=(3, 3), keep_aspect_ratio=True), dtype="uint8")
    expected = np.asarray(Image.fromarray(x[:, 2:8]).resize((3, 3), Image.Resampling.NEAREST))
    np.testing.assert_array_equal(kept, expected)
    with open(path, "rb") as f:  # an io.BytesIO reads as well
        assert utils.load_img(io.BytesIO(f.read())).size == (10, 6)


def test_img_to_array_and_array_to_img_layouts_and_scaling():
    x = rs.uniform(-1, 1, (3, 4, 5))  # channels first
    img = utils.array_to_img(x, data_format="channels_first")
    assert img.mode == "RGB" and img.size == (5, 4)
    back = utils.img_to_array(img, data_format="channels_first")
    assert back.shape == (3, 4, 5)
    scaled = (x - x.min()) / (x.max() - x.min()) * 255
    np.testing.assert_array_equal(back, scaled.astype(np.float32).astype(np.uint8))  # min to 0, max to 255
    assert utils.array_to_img(rs.uniform(0, 1, (4, 5, 4))).mode == "RGBA"
    assert utils.array_to_img(np.full((2, 2, 1), 300.0), scale=False).mode == "I"  # beyond 8 bits
    unscaled = utils.array_to_img(np.arange(12.0).reshape(2, 2, 3), scale=False)
    np.testing.assert_array_equal(utils.img_to_array(unscaled), np.arange(12.0).reshape(2, 2, 3))
    assert utils.img_to_array(Image.new("L", (3, 2)), data_format="channels_first").shape == (1, 2, 3)


def test_save_img_formats(tmp_path):
    x = rs.uniform(0, 255, (8, 8, 4))
    with pytest.warns(UserWarning, match="JPEG does not support RGBA images; converting to RGB"):
        utils.save_img(str(tmp_path / "a.jpg"), x)
    with Image.open(tmp_path / "a.jpg") as img:
        assert img.format == "JPEG" and img.mode == "RGB"
    utils.save_img(tmp_path / "b.bin", x[..., :3], file_format="png")
    with Image.open(tmp_path / "b.bin") as img:
        assert img.format == "PNG"


def test_errors(tmp_path, monkeypatch):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(ValueError, match=r"load_img: cannot read the image file '.*broken\.png'"):
        utils.load_img(str(bad))
    good = tmp_path / "ok.png"
    Image.new("RGB", (4, 4)).save(good)
    with pytest.raises(ValueError, match=r"`color_mode` must be one of \('grayscale', 'rgb', 'rgba'\); received "
                                         r"color_mode='cmyk'"):
        utils.load_img(good, color_mode="cmyk")
    with pytest.raises(ValueError, match=r"`interpolation` must be one of \('nearest', 'bilinear', 'bicubic', "
                                         r"'hamming', 'box', 'lanczos'\); received interpolation='area'"):
        utils.load_img(good, target_size=(2, 2), interpolation="area")
    with pytest.raises(ValueError, match=r"`target_size` must be None or \(height, width\)"):
        utils.load_img(good, target_size=5)
    with pytest.raises(TypeError, match=r"`path` must be a file path .* received an object of type int"):
        utils.load_img(3)
    with pytest.raises(ValueError, match=r"array_to_img: expected one image, an array of rank 3"):
        utils.array_to_img(np.zeros((2, 4, 4, 3)))
    with pytest.raises(ValueError, match=r"an image must have 1, 3 or 4 channels; received 2"):
        utils.array_to_img(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match=r"img_to_array: `data_format` must be 'channels_last' or"):
        utils.img_to_array(Image.new("L", (2, 2)), data_format="nhwc")
    monkeypatch.setitem(sys.modules, "PIL", None)  # Pillow missing
    with pytest.raises(ImportError, match=r'load_img needs Pillow .* `pip install "dendrite\[images\]"`'):
        utils.load_img(good)
