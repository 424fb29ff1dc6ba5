"""Image files to arrays and back (Pillow)."""
import io as _io
import os

import numpy as np
import pytest

from dendrite import image, io

if not os.environ.get("CI"):  # CI installs Pillow (the dev extra); elsewhere skip without it
    pytest.importorskip("PIL")

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip_is_exact(channels):
    x = RNG.integers(0, 256, (5, 7, channels), dtype=np.uint8)
    data = io.encode_png(x)
    assert data.startswith(b"\x89PNG")
    y = io.decode_png(data)
    assert y.dtype == np.uint8 and y.shape == x.shape
    np.testing.assert_array_equal(y, x)
    np.testing.assert_array_equal(io.decode_image(data), x)


def test_png_channel_conversions():
    gray = RNG.integers(0, 256, (4, 6, 1), dtype=np.uint8)
    rgb = io.decode_png(io.encode_png(gray), channels=3)
    np.testing.assert_array_equal(rgb, np.repeat(gray, 3, axis=-1))
    rgba = io.decode_png(io.encode_png(gray), channels=4)
    assert rgba.shape == (4, 6, 4) and (rgba[..., 3] == 255).all()
    colour = RNG.integers(0, 256, (4, 6, 3), dtype=np.uint8)
    assert io.decode_png(io.encode_png(colour), channels=1).shape == (4, 6, 1)


def test_16_bit_png():
    x = RNG.integers(0, 65536, (3, 5, 1), dtype=np.uint16)
    data = io.encode_png(x)
    np.testing.assert_array_equal(io.decode_png(data, dtype="uint16"), x)
    np.testing.assert_array_equal(io.decode_png(data), (x >> 8).astype(np.uint8))
    eight = RNG.integers(0, 256, (2, 2, 1), dtype=np.uint8)
    assert io.decode_png(io.encode_png(eight), dtype=np.uint16).tolist() == (eight.astype(np.uint16) * 257).tolist()


def test_jpeg_round_trip_is_close_and_ratio_downscales():
    x = np.tile(np.linspace(0, 255, 16, dtype=np.uint8)[None, :, None], (16, 1, 3))
    data = io.encode_jpeg(x, quality=95)
    assert data.startswith(b"\xff\xd8\xff")
    y = image.decode_jpeg(data)
    assert y.shape == (16, 16, 3) and np.abs(y.astype(int) - x).max() <= 8
    assert image.decode_jpeg(data, ratio=2).shape == (8, 8, 3)
    f = image.decode_image(data, dtype="float32")
    assert f.dtype == np.float32 and 0 <= f.min() and f.max() <= 1
    np.testing.assert_allclose(f, y / 255, atol=1e-6)


def test_gif_frames():
    from PIL import Image
    frames = [RNG.integers(0, 256, (4, 6, 3), dtype=np.uint8) for _ in range(3)]
    buf = _io.BytesIO()
    pil = [Image.fromarray(f) for f in frames]
    pil[0].save(buf, format="GIF", save_all=True, append_images=pil[1:])
    data = buf.getvalue()
    out = io.decode_image(data)
    assert out.shape == (3, 4, 6, 3) and out.dtype == np.uint8
    expected = np.stack([np.asarray(Image.open(_io.BytesIO(data)).convert("RGB"))])
    np.testing.assert_array_equal(out[:1], expected)
    assert io.decode_image(data, expand_animations=False).shape == (4, 6, 3)
    assert io.decode_gif(data).shape == (3, 4, 6, 3)


def test_bad_images():
    with pytest.raises(ValueError, match=r"decode_image: cannot decode the image \(5 bytes, not a PNG, JPEG"):
        io.decode_image(b"hello")
    png = io.encode_png(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match=r"decode_png: cannot decode the image .*a damaged png file"):
        io.decode_png(png[:30])
    with pytest.raises(ValueError, match=r"channels must be one of 0, 1, 3, 4"):
        io.decode_png(png, channels=2)
    with pytest.raises(TypeError, match=r"contents must be the bytes of an image file"):
        io.decode_png(np.zeros(3))
    with pytest.raises(ValueError, match=r"encode_png: image dtype must be uint8 or uint16; received float32"):
        io.encode_png(np.zeros((2, 2, 3), np.float32))
    with pytest.raises(ValueError, match=r"encode_jpeg: image must be \(height, width, channels\)"):
        io.encode_jpeg(np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError, match=r"decode_gif: contents is not a GIF file"):
        io.decode_gif(png)


MEANINGS = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_signatures", "meanings.json")


def test_encode_jpeg_options_write_what_tensorflow_writes():
    """JFIF headers, the progressive marker and the XMP packet against real TensorFlow's files (the fixture of
    tools/make_tf_arguments_fixtures.py); the pixels go through Pillow's libjpeg."""
    import json
    with open(MEANINGS) as f:
        want = json.load(f)
    x = RNG.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    assert io.encode_jpeg(x)[:20].hex() == want["jpeg_headers"]["default"]
    assert io.encode_jpeg(x, density_unit="cm", x_density=100, y_density=50)[:20].hex() == \
        want["jpeg_headers"]["cm_100_50"]
    assert io.encode_jpeg(x, x_density=72, y_density=72)[:20].hex() == want["jpeg_headers"]["in_72"]
    assert (b"\xff\xc2" in io.encode_jpeg(x, progressive=True)) == want["jpeg_progressive_sof2"]
    assert (b"\xff\xc2" in io.encode_jpeg(x)) == want["jpeg_baseline_sof2"]
    packet = io.encode_jpeg(x, xmp_metadata="dendrite-xmp")
    assert [m in packet for m in (b"http://ns.adobe.com/xap/1.0/", b"dendrite-xmp")] == want["jpeg_xmp"]
    smooth = np.tile(np.linspace(0, 255, 16, dtype=np.uint8)[None, :, None], (16, 1, 3))
    assert len(io.encode_jpeg(smooth, optimize_size=True)) <= len(io.encode_jpeg(smooth))
    full = io.decode_jpeg(io.encode_jpeg(x, chroma_downsampling=False, quality=100))
    assert np.abs(full.astype(int) - x).mean() < np.abs(io.decode_jpeg(io.encode_jpeg(x, quality=100)).astype(int)
                                                       - x).mean()
    assert io.decode_jpeg(io.encode_jpeg(x[..., :1], "grayscale")).shape == (8, 8, 1)
    with pytest.raises(ValueError, match="format='grayscale' needs an image with 1 channel"):
        io.encode_jpeg(x, format="grayscale")
    with pytest.raises(ValueError, match="density_unit must be 'in' or 'cm'"):
        io.encode_jpeg(x, density_unit="px")
