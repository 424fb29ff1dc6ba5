"""Writes what Keras's ImageDataGenerator computes from ``fit`` (featurewise centering, std normalization, ZCA
whitening) for tests/compat/test_image_featurewise.py (not run in CI; needs real Keras 3):

    python tools/make_keras_featurewise_fixtures.py   # writes tests/fixtures/keras_zca/fit.npz

The images ``x`` (6, 4, 3, 3) in [0, 255]; per case, the generator's ``mean``, ``std`` and
``zca_whitening_matrix`` (when set) and ``standardize`` of the first two images. Plain arrays only."""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # (the numpy backend needs scipy)
import keras  # noqa: E402
from keras.src.legacy.preprocessing.image import ImageDataGenerator  # noqa: E402 (what tf.keras serves)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_zca")
CASES = {"zca": dict(zca_whitening=True, rescale=1 / 255.0),
         "zca_eps": dict(zca_whitening=True, zca_epsilon=0.1, featurewise_std_normalization=True),
         "center_std": dict(featurewise_center=True, featurewise_std_normalization=True, rescale=1 / 255.0),
         "std_only": dict(featurewise_std_normalization=True)}


def main():
    x = np.random.default_rng(5).uniform(0, 255, (6, 4, 3, 3)).astype("float32")
    out = {"x": x}
    for name, kwargs in CASES.items():
        gen = ImageDataGenerator(**kwargs)
        gen.fit(x)
        for stat in ("mean", "std", "zca_whitening_matrix"):
            if getattr(gen, stat, None) is not None:
                out[f"{name}_{stat}"] = np.asarray(getattr(gen, stat))
        out[f"{name}_standardized"] = gen.standardize(np.copy(x[:2]))
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, "fit.npz"), **out)
    with open(os.path.join(OUT, "versions.json"), "w") as f:
        json.dump({"keras": keras.__version__, "cases": CASES}, f, indent=1)


if __name__ == "__main__":
    main()
