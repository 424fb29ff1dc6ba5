"""Writes the Keras-made outputs of Resizing and CenterCrop that tests/layers/test_image_preprocessing.py compares
dendrite with (not run in CI; needs real Keras 3).

    KERAS_BACKEND=numpy python tools/make_keras_image_fixtures.py   # writes tests/fixtures/keras/images.*

``images.npz`` holds plain arrays only (np.savez; the tests load it with allow_pickle=False): the input
images ``x`` (2, 5, 7, 3) float32 and ``x_uint8`` (the same, times 255, as uint8), then Keras's output for
each case below. ``images.json`` lists the cases (layer, height, width, keyword arguments, input array and
output array names), which the tests replay, and the versions that made the file.
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "numpy")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras")

# (height, width, keyword arguments)
RESIZING = [(3, 4, {}), (8, 11, {}), (10, 3, {}), (1, 1, {}),
            (3, 4, {"interpolation": "nearest"}), (8, 11, {"interpolation": "nearest"}),
            (10, 3, {"interpolation": "nearest"}), (9, 7, {"interpolation": "nearest"}),
            (4, 4, {"crop_to_aspect_ratio": True}), (4, 4, {"interpolation": "nearest", "crop_to_aspect_ratio": True}),
            (4, 4, {"pad_to_aspect_ratio": True, "fill_value": 0.5}), (2, 9, {"pad_to_aspect_ratio": True}),
            (3, 9, {"data_format": "channels_first"})]
CENTER_CROP = [(3, 4, {}), (4, 7, {}), (6, 9, {}), (8, 4, {}), (3, 2, {"data_format": "channels_first"})]


def _images(x, kwargs):
    return np.transpose(x, (0, 3, 1, 2)) if kwargs.get("data_format") == "channels_first" else x


def main():
    os.makedirs(OUT, exist_ok=True)
    x = np.random.default_rng(0).random((2, 5, 7, 3)).astype("float32")
    arrays = {"x": x, "x_uint8": (x * 255).astype("uint8")}
    cases = [("Resizing", h, w, kw, "x") for h, w, kw in RESIZING] + \
        [("CenterCrop", h, w, kw, "x") for h, w, kw in CENTER_CROP] + [("Resizing", 3, 4, {}, "x_uint8")]
    listed = []
    for i, (name, height, width, kwargs, source) in enumerate(cases):
        layer = getattr(layers, name)(height, width, **kwargs)
        arrays[f"y{i}"] = np.asarray(layer(_images(arrays[source], kwargs)))
        listed.append({"layer": name, "height": height, "width": width, "kwargs": kwargs, "input": source,
                       "output": f"y{i}"})
    np.savez(os.path.join(OUT, "images.npz"), **arrays)
    with open(os.path.join(OUT, "images.json"), "w") as f:
        json.dump({"cases": listed, "versions": {"keras": keras.__version__, "backend": keras.backend.backend(),
                                                 "numpy": np.__version__, "python": sys.version.split()[0]}},
                  f, indent=1)


if __name__ == "__main__":
    main()
