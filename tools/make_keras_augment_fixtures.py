"""Writes the Keras-made outputs of the deterministic settings of Keras 3's image augmentation layers, and their
configs, that tests/layers/test_image_color.py, test_image_tone.py, test_image_filters.py and
test_image_pipeline.py compare dendrite with (not run in CI; needs real Keras 3 with TensorFlow).

    KERAS_BACKEND=tensorflow python tools/make_keras_augment_fixtures.py   # writes tests/fixtures/keras/augment.*

Only settings whose result does not depend on the random draws are recorded (e.g. RandomInvert(factor=(1, 1)),
RandomPosterization(factor=(4, 4)), RandomGaussianBlur(factor=(1, 1), sigma=(0.5, 0.5)); Solarization's
defaults, which invert every pixel). ``augment.npz`` holds plain arrays only (np.savez; the tests load it with
allow_pickle=False): the inputs ``x255`` (3, 6, 7, 3) float32 integers in [0, 255], ``x01`` (the same / 255),
``flat`` (x255 with image 0's channel 1 constant), ``big`` (2, 21, 26, 3) values around 120 (for CLAHE's
tiles) and Keras's output for each case. ``augment.json`` lists
the cases (layer, keyword arguments, input, ``training``, ``unbatched``, ``channels_first``, output name),
each layer's ``get_config()`` for the listed arguments (JSON: tuples as lists), the keras.ops.image cases
(``perspective_transform``, ``affine_transform``, ``gaussian_blur`` with fixed arguments: function, keyword
arguments, input, output name) and the versions. ``augment_pipeline_model.keras``: a Sequential model whose
Pipeline holds a Dense layer, with its predictions for ``pipeline_model_x`` in ``pipeline_model_y``.
"""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras")

# (layer, keyword arguments, input name, training, unbatched, channels_first)
CASES = [
    ("Solarization", {}, "x255", True, False, False),
    ("Solarization", {"value_range": (0, 1)}, "x01", True, False, False),
    ("Solarization", {}, "x255", False, False, False),
    ("AutoContrast", {}, "flat", True, False, False),
    ("AutoContrast", {"value_range": (0, 1)}, "x01", True, False, False),
    ("AutoContrast", {}, "x255", False, False, False),
    ("AutoContrast", {}, "x255", True, True, False),
    ("Equalization", {}, "x255", True, False, False),
    ("Equalization", {"bins": 64}, "x255", True, False, False),
    ("Equalization", {"value_range": (0, 1)}, "x01", True, False, False),
    ("Equalization", {}, "x255", True, False, True),
    ("Equalization", {}, "x255", True, True, False),
    ("Equalization", {}, "x255", False, False, False),
    ("RandomGrayscale", {"factor": 1.0}, "x255", True, False, False),
    ("RandomGrayscale", {"factor": 1.0}, "x255", True, False, True),
    ("RandomGrayscale", {"factor": 1.0}, "x255", True, True, False),
    ("RandomInvert", {"factor": (1.0, 1.0)}, "x255", True, False, False),
    ("RandomInvert", {"factor": (1.0, 1.0), "value_range": (0, 1)}, "x01", True, False, False),
    ("RandomPosterization", {"factor": (4, 4)}, "x255", True, False, False),
    ("RandomPosterization", {"factor": (1, 1)}, "x255", True, False, False),
    ("RandomPosterization", {"factor": (3, 3), "value_range": (0, 1)}, "x01", True, False, False),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.5, 0.5)}, "x255", True, False, False),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.8, 0.8), "kernel_size": 5}, "x255", True, False,
     False),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.5, 0.5), "value_range": (0, 1)}, "x01", True,
     False, True),
    ("RandomSharpness", {"factor": (0.25, 0.25)}, "x255", True, False, False),
    ("RandomSharpness", {"factor": (1.0, 1.0)}, "x255", True, False, True),
    ("RandomColorDegeneration", {"factor": (0.5, 0.5)}, "x255", True, False, False),
    ("RandomSaturation", {"factor": (0.75, 0.75)}, "x255", True, False, False),
    ("RandomSaturation", {"factor": (0.25, 0.25)}, "x255", True, False, False),
    ("RandomSaturation", {"factor": (0.5, 0.5), "value_range": (0, 1)}, "x01", True, False, False),
    ("RandomHue", {"factor": (0.0, 0.0)}, "x255", True, False, False),
    ("ContrastLimitedAdaptiveHistogramEqualization", {}, "big", True, False, False),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"clip_limit": 2.0, "tile_grid_size": (3, 4)}, "big", False,
     False, False),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"clip_limit": 0.0, "tile_grid_size": (2, 2),
                                                      "value_range": (0, 1)}, "x01", True, False, False),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (4, 3)}, "big", True, True, True),
]
PIPELINE = [("AutoContrast", {}), ("RandomInvert", {"factor": (1.0, 1.0)}), ("Equalization", {"bins": 128})]

# the configs compared key by key (name and dtype apart)
CONFIGS = [
    ("RandomGrayscale", {"factor": 0.3, "seed": 2}), ("RandomHue", {"factor": 0.4, "value_range": (0, 1)}),
    ("RandomSaturation", {"factor": 0.5}), ("RandomColorDegeneration", {"factor": 0.5}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": (0.4, 0.6),
                           "hue_factor": 0.1, "seed": 3}),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": (0.3, 0.6), "value_range": (0, 1)}),
    ("AutoContrast", {"value_range": (255, 0)}), ("RandomInvert", {"factor": 0.7}),
    ("RandomErasing", {"factor": 0.6, "scale": 0.3, "fill_value": 7}), ("RandomGaussianBlur", {"kernel_size": 5}),
    ("RandomSharpness", {"factor": 0.4}), ("RandomPosterization", {"factor": 5}), ("Equalization", {"bins": 32}),
    ("MixUp", {"alpha": 0.4, "seed": 1}), ("CutMix", {"factor": 0.5}),
    ("RandAugment", {"num_ops": 3, "factor": 0.3, "seed": 4}),
    ("RandomShear", {"x_factor": 0.2, "y_factor": (0.1, 0.3)}),
    ("RandomPerspective", {"factor": 0.6, "scale": 0.4, "fill_value": 3.0}),
    ("AugMix", {"num_chains": 2, "chain_depth": 4, "factor": 0.4, "alpha": 0.5, "all_ops": False, "seed": 3}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"clip_limit": 3.0, "tile_grid_size": (4, 4)}),
    ("RandomContrast", {"factor": 0.2}), ("RandomBrightness", {"factor": 0.3, "value_range": (0, 1)}),
    ("RandomElasticTransform", {"factor": (0.2, 0.9), "scale": 0.5, "fill_mode": "wrap", "value_range": (0, 1)}),
]

# keras.ops.image functions with fixed arguments: (function, keyword arguments, input name)
_CORNERS = [[0, 0], [6, 0], [0, 5], [6, 5]]
_MOVED = [[[1, 0.5], [5.5, 1], [0.5, 4], [6.5, 5.5]], [[0, 1], [6, 0], [1, 5], [5, 4.5]],
          [[-1, -0.5], [7, 0], [0, 6], [6, 5]]]
OPS = [
    ("perspective_transform", {"start_points": [_CORNERS] * 3, "end_points": _MOVED}, "x255"),
    ("perspective_transform", {"start_points": _CORNERS, "end_points": _MOVED[0], "interpolation": "nearest",
                               "fill_value": 9.0}, "x255"),
    ("affine_transform", {"transform": [[1.1, 0.2, -0.5, -0.1, 0.9, 0.7, 0.01, -0.02]] * 3}, "x255"),
    ("affine_transform", {"transform": [0.9, -0.3, 1.5, 0.3, 0.9, -1.0, 0, 0], "fill_mode": "reflect"}, "x255"),
    ("affine_transform", {"transform": [0.9, -0.3, 1.5, 0.3, 0.9, -1.0, 0, 0], "fill_mode": "wrap",
                          "interpolation": "nearest"}, "x255"),
    ("affine_transform", {"transform": [1.2, 0, -2.5, 0, 1.2, -2.0, 0, 0], "fill_mode": "nearest"}, "x255"),
    ("gaussian_blur", {"kernel_size": (3, 3), "sigma": (0.7, 1.3)}, "x255"),
    ("gaussian_blur", {"kernel_size": (5, 5), "sigma": (1.0, 1.0), "data_format": "channels_first"}, "x255"),
]


def _json(value):
    return json.loads(json.dumps(value, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v)))


def _layout(x, first):
    return np.transpose(x, (0, 3, 1, 2)) if first else x


def main():
    os.makedirs(OUT, exist_ok=True)
    x255 = np.random.default_rng(0).integers(0, 256, (3, 6, 7, 3)).astype("float32")
    flat = x255.copy()
    flat[0, :, :, 1] = 90.0
    big = np.random.default_rng(1).normal(120, 40, (2, 21, 26, 3)).clip(0, 255).round().astype("float32")
    arrays = {"x255": x255, "x01": x255 / 255, "flat": flat, "big": big}
    listed = []
    for i, (name, kwargs, source, training, unbatched, first) in enumerate(CASES):
        kw = dict(kwargs, data_format="channels_first") if first else kwargs
        layer = getattr(layers, name)(**kw)
        x = _layout(arrays[source], first)
        x = x[1] if unbatched else x
        arrays[f"y{i}"] = np.asarray(layer(x, training=training))
        listed.append({"layer": name, "kwargs": kwargs, "input": source, "training": training,
                       "unbatched": unbatched, "channels_first": first, "output": f"y{i}"})
    ops_cases = []
    for i, (name, kwargs, source) in enumerate(OPS):
        x = _layout(arrays[source], kwargs.get("data_format") == "channels_first")
        given = {k: np.asarray(v, "float32") if k in ("transform", "start_points", "end_points") else v
                 for k, v in kwargs.items()}
        arrays[f"op{i}"] = np.asarray(getattr(keras.ops.image, name)(x, **given))
        ops_cases.append({"function": name, "kwargs": kwargs, "input": source, "output": f"op{i}"})
    pipeline = layers.Pipeline([getattr(layers, n)(**kw) for n, kw in PIPELINE])
    arrays["pipeline"] = np.asarray(pipeline(arrays["x255"], training=True))
    configs = []
    for name, kwargs in CONFIGS:
        config = getattr(layers, name)(**kwargs).get_config()
        configs.append({"layer": name, "kwargs": kwargs, "config": _json(config)})
    pipeline_config = _json(keras.saving.serialize_keras_object(pipeline))
    # a model whose Pipeline holds a weighted layer (its weights go to pipeline/layers/dense in the file)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), layers.Pipeline([layers.Dense(4)]), layers.Dense(2)])
    model.save(os.path.join(OUT, "augment_pipeline_model.keras"))
    arrays["pipeline_model_x"] = np.linspace(-1, 1, 10, dtype="float32").reshape(2, 5)
    arrays["pipeline_model_y"] = np.asarray(model.predict(arrays["pipeline_model_x"], verbose=0))
    np.savez(os.path.join(OUT, "augment.npz"), **arrays)
    with open(os.path.join(OUT, "augment.json"), "w") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "cases": _json(listed),
                   "pipeline": _json(PIPELINE), "pipeline_config": pipeline_config, "configs": configs,
                   "ops": _json(ops_cases)}, f, indent=1)
    print(f"wrote {len(listed)} cases, {len(ops_cases)} keras.ops.image cases, {len(configs)} configs to {OUT}")


if __name__ == "__main__":
    main()
