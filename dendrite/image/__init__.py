"""``dendrite.image``: tf.image's functions on NumPy arrays, for the ``map`` functions of input pipelines.

Decoding (Pillow, the ``images`` extra): decode_png, decode_jpeg, decode_image, decode_gif, decode_bmp,
encode_png, encode_jpeg (the same functions as dendrite.io's). Resizing: resize. dtypes:
convert_image_dtype. Geometry: flip_left_right, flip_up_down, rot90, transpose, central_crop,
crop_to_bounding_box, pad_to_bounding_box, resize_with_crop_or_pad, random_flip_left_right,
random_flip_up_down, random_crop. Colour: adjust_brightness, adjust_contrast, rgb_to_grayscale,
grayscale_to_rgb, per_image_standardization, random_brightness, random_contrast.
"""
from ..io.image_codecs import decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png
from .color import (adjust_brightness, adjust_contrast, grayscale_to_rgb, per_image_standardization, random_brightness,
                    random_contrast, rgb_to_grayscale)
from .dtypes import convert_image_dtype
from .geometry import (central_crop, crop_to_bounding_box, flip_left_right, flip_up_down, pad_to_bounding_box,
                       random_crop, random_flip_left_right, random_flip_up_down, resize_with_crop_or_pad, rot90,
                       transpose)
from .resize import METHODS as _METHODS, resize


class ResizeMethod:
    """The method names resize takes (tf.image.ResizeMethod)."""
    BILINEAR, NEAREST_NEIGHBOR, BICUBIC, AREA = "bilinear", "nearest", "bicubic", "area"
    LANCZOS3, LANCZOS5, GAUSSIAN, MITCHELLCUBIC = "lanczos3", "lanczos5", "gaussian", "mitchellcubic"


__all__ = ["decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png", "encode_jpeg", "encode_png",
           "adjust_brightness", "adjust_contrast", "grayscale_to_rgb", "per_image_standardization",
           "random_brightness", "random_contrast", "rgb_to_grayscale", "convert_image_dtype", "central_crop",
           "crop_to_bounding_box", "flip_left_right", "flip_up_down", "pad_to_bounding_box", "random_crop",
           "random_flip_left_right", "random_flip_up_down", "resize_with_crop_or_pad", "rot90", "transpose", "resize",
           "ResizeMethod"]
assert set(_METHODS) == {v for k, v in vars(ResizeMethod).items() if k.isupper()}
