"""convert_image_dtype: TensorFlow's scaling rules (more values in test_tensorflow_values.py)."""
import numpy as np
import pytest

from dendrite import image


def test_documented_rules():
    u8 = np.array([0, 1, 128, 255], np.uint8)
    np.testing.assert_array_equal(image.convert_image_dtype(u8, "float32"), u8.astype(np.float32) * np.float32(1 / 255))
    assert image.convert_image_dtype(u8, "float32")[-1] == 1.0
    f = np.array([0.0, 0.5, 0.999, 1.0], np.float32)
    assert image.convert_image_dtype(f, np.uint8).tolist() == [0, 127, 255, 255]  # * 255.5, truncated
    assert image.convert_image_dtype(u8, "uint16").tolist() == [0, 256, 32768, 65280]  # * (65536 // 256)
    assert image.convert_image_dtype(np.array([65535, 256], np.uint16), "uint8").tolist() == [255, 1]
    assert image.convert_image_dtype(f, "float64").dtype == np.float64
    assert image.convert_image_dtype(u8, "uint8") is u8


def test_saturate_clips_before_the_cast():
    f = np.array([-0.5, 0.5, 1.5], np.float32)
    assert image.convert_image_dtype(f, "uint8", saturate=True).tolist() == [0, 127, 255]
    assert image.convert_image_dtype(np.array([2.0], np.float32), "int32", saturate=True).tolist() == [2147483520]


def test_bad_dtype():
    with pytest.raises(ValueError, match=r"convert_image_dtype: dtype must be a float or integer dtype"):
        image.convert_image_dtype(np.zeros(2, np.uint8), "bool")
    with pytest.raises(ValueError, match=r"image's dtype must be a float or integer dtype"):
        image.convert_image_dtype(np.array(["a"]), "float32")
