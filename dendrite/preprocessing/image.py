"""keras.preprocessing.image's spelling of the image utilities (they live in dendrite.utils.image_utils) and
Keras 2's transform functions (affine.py)."""
from ..utils.image_utils import array_to_img, img_to_array, load_img, save_img
from .affine import (apply_affine_transform, apply_brightness_shift, apply_channel_shift, random_brightness,
                     random_channel_shift, random_rotation, random_shear, random_shift, random_zoom, smart_resize)

__all__ = ["load_img", "img_to_array", "array_to_img", "save_img", "apply_affine_transform",
           "apply_brightness_shift", "apply_channel_shift", "random_brightness", "random_channel_shift",
           "random_rotation", "random_shear", "random_shift", "random_zoom", "smart_resize"]
