"""``tf.image.stateless_random_*``: the random image adjustments drawn from a seed pair, so the same ``seed``
(shape [2]) gives the same result every time, as TensorFlow's data-augmentation tutorial relies on. Each runs
the corresponding ``random_*`` function with a Philox generator keyed by the pair (the draws are dendrite's,
not TensorFlow's bit for bit)."""
from .tf_random_generator import _stateless


def _keyed(random_fn, who):
    def run(image, *args, seed, **kwargs):
        kwargs.pop("name", None)
        return random_fn(image, *args, seed=_stateless(seed, f"tf.image.{who}"), **kwargs)
    run.__name__ = who
    run.__doc__ = f"``tf.image.{who}``: ``{random_fn.__name__}`` with its draw keyed by ``seed`` (a pair)."
    return run


def members(image_members):
    """The stateless functions, made from the namespace's random ones (``image_members``: name -> function)."""
    pairs = {"stateless_random_brightness": "random_brightness", "stateless_random_contrast": "random_contrast",
             "stateless_random_crop": "random_crop", "stateless_random_flip_left_right": "random_flip_left_right",
             "stateless_random_flip_up_down": "random_flip_up_down", "stateless_random_hue": "random_hue",
             "stateless_random_saturation": "random_saturation"}
    return {name: _keyed(image_members[random_name], name) for name, random_name in pairs.items()
            if random_name in image_members}
