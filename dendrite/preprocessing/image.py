"""keras.preprocessing.image's spelling of the image utilities (they live in dendrite.utils.image_utils)."""
from ..utils.image_utils import array_to_img, img_to_array, load_img, save_img

__all__ = ["load_img", "img_to_array", "array_to_img", "save_img"]
