"""Writes what Keras 3 builds for keras.applications, for tests/applications/ (not run in CI; needs Keras,
e.g. /work/bvenv/bin/python tools/make_keras_applications_fixtures.py).

tests/fixtures/keras_applications/
- architectures.json: per case (a builder and its keyword arguments, all with weights=None), the trainable
  and non-trainable parameter counts, the layers as [class name, name] in model order (names as a fresh
  session gives them: keras.backend.clear_session() before each), the output shape and the model's name.
- mobilenet_v2_035.weights.h5 (Keras 3's layout): the random initial weights of
  MobileNetV2(alpha=0.35, input_shape=(32, 32, 3), classes=10), with every variable (the BatchNormalization
  moving statistics too) moved away from its initial value so that a load that did nothing would show;
  mobilenet_v2_035.npz beside it: images ``x`` in [0, 255] and Keras's predictions ``y`` of the preprocessed
  images. (One file only, to keep the fixtures under 3 MB.)
- preprocess.npz: ``x`` (a 2x3x4x3 batch in [0, 255]) and Keras's preprocess_input of it per mode and data
  format (``{mode}_{channels_last|channels_first}``).
"""
import json
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_applications")

S32 = {"input_shape": [32, 32, 3], "classes": 10}
CASES = [
    ("VGG16", S32), ("VGG16", {"include_top": False, "pooling": "avg"}), ("VGG19", S32),
    ("ResNet50", S32), ("ResNet50", {"include_top": False, "pooling": "max", "input_shape": [40, 48, 3]}),
    ("ResNet101", S32), ("ResNet152", S32), ("ResNet50V2", S32), ("ResNet101V2", S32), ("ResNet152V2", S32),
    ("MobileNet", S32), ("MobileNet", {"include_top": False, "pooling": "avg", "alpha": 0.5, "depth_multiplier": 2}),
    ("MobileNet", {"input_shape": [128, 128, 3], "alpha": 0.25, "classes": 7, "dropout": 0.2}),
    ("MobileNetV2", dict(S32, alpha=0.35)), ("MobileNetV2", {"include_top": False, "alpha": 1.3,
                                                             "input_shape": [96, 96, 3]}),
    ("MobileNetV2", {"input_shape": [33, 35, 1], "classes": 4}),
    ("DenseNet121", S32), ("DenseNet169", S32), ("DenseNet201", {"include_top": False, "pooling": "avg"}),
    ("InceptionV3", {"input_shape": [75, 75, 3], "classes": 10}),
    ("InceptionV3", {"include_top": False, "pooling": "max"}),
    ("Xception", {"input_shape": [71, 71, 3], "classes": 10}),
    ("EfficientNetB0", S32), ("EfficientNetB0", {"include_top": False, "pooling": "avg"}),
]


def architectures(keras):
    out = []
    for fn, kwargs in CASES:
        keras.backend.clear_session()
        kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
        model = getattr(keras.applications, fn)(weights=None, **kw)
        trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
        non_trainable = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
        out.append({"fn": fn, "kwargs": kwargs, "name": model.name, "trainable": trainable,
                    "non_trainable": non_trainable, "output_shape": list(model.output.shape),
                    "layers": [[type(layer).__name__, layer.name] for layer in model.layers]})
        print(fn, kwargs, trainable, non_trainable, len(model.layers))
    return out


def perturbed(model, rng):
    for w in model.weights:
        scale = 0.5 if len(w.shape) == 1 else 1.0
        value = w.numpy() + rng.standard_normal(w.shape).astype("float32") * scale * (
            float(np.std(w.numpy())) if len(w.shape) > 1 else 1.0)
        if "variance" in w.path:
            value = np.abs(value) + 0.5
        w.assign(value)
    return model


def weights_files(keras, rng):
    keras.backend.clear_session()
    images = rng.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    v2 = perturbed(keras.applications.MobileNetV2(weights=None, alpha=0.35, input_shape=(32, 32, 3), classes=10), rng)
    y = v2.predict(keras.applications.mobilenet_v2.preprocess_input(images.copy()), verbose=0)
    v2.save_weights(os.path.join(OUT, "mobilenet_v2_035.weights.h5"))
    np.savez(os.path.join(OUT, "mobilenet_v2_035.npz"), x=images, y=y)


def preprocess(keras, rng):
    x = np.round(rng.uniform(0, 255, (2, 3, 4, 3))).astype("float32")
    arrays = {"x": x}
    for mode in ("caffe", "tf", "torch"):
        arrays[f"{mode}_channels_last"] = keras.applications.imagenet_utils.preprocess_input(x.copy(), mode=mode)
        first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
        arrays[f"{mode}_channels_first"] = keras.applications.imagenet_utils.preprocess_input(
            first, data_format="channels_first", mode=mode)
    np.savez(os.path.join(OUT, "preprocess.npz"), **arrays)


def main():
    import keras
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    with open(os.path.join(OUT, "architectures.json"), "w") as f:
        json.dump({"keras": keras.__version__, "python": sys.version.split()[0], "cases": architectures(keras)},
                  f, indent=0)
    weights_files(keras, rng)
    preprocess(keras, rng)


if __name__ == "__main__":
    main()
