"""Writes the Keras-made outputs of the 3-D convolution / pooling / reshaping layers, GroupNormalization,
Discretization and SpectralNormalization that the tests under tests/layers compare dendrite with (not run in
CI; needs real Keras 3).

    KERAS_BACKEND=numpy python tools/make_keras_layers3_fixtures.py   # writes tests/fixtures/keras/layers3.*

``layers3.npz`` holds plain arrays only (np.savez; the tests load it with allow_pickle=False): for case i its
input ``x{i}``, its weights ``w{i}_{j}`` (random values set into the Keras layer, in Keras's weight order) and
Keras's output ``y{i}``; for SpectralNormalization also the kernel and vector_u after the training call
(``k{i}``, ``u{i}``). ``layers3.json`` lists the cases (layer, keyword arguments, call arguments, input shape,
number of weights) and the versions that made the file. ``layers3_model.keras`` is a functional model of
all these layers saved by Keras; ``model_x`` / ``model_y`` in the npz are an input and Keras's prediction. Discretization cases with ``batches`` are adapted
batch by batch (update_state on each, then finalize_state: what adapt does with a list of batches; Keras's
adapt itself needs TensorFlow installed) on the input split into that many parts.
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "numpy")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras")

# (layer, keyword arguments, input shape, call keyword arguments)
CASES = [
    ("Conv3D", {"filters": 4, "kernel_size": 3}, (2, 5, 6, 7, 3), {}),
    ("Conv3D", {"filters": 4, "kernel_size": (3, 2, 3), "strides": 2, "padding": "same", "groups": 2},
     (2, 5, 6, 7, 4), {}),
    ("Conv3D", {"filters": 3, "kernel_size": 3, "padding": "same", "dilation_rate": (2, 1, 2), "activation": "relu"},
     (2, 6, 5, 7, 2), {}),
    ("Conv3D", {"filters": 4, "kernel_size": 2, "strides": (1, 2, 3), "data_format": "channels_first"},
     (2, 3, 5, 6, 7), {}),
    ("Conv3DTranspose", {"filters": 4, "kernel_size": 3}, (2, 3, 4, 5, 3), {}),
    ("Conv3DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 4, 5, 3), {}),
    ("Conv3DTranspose", {"filters": 3, "kernel_size": (2, 3, 2), "strides": (2, 3, 1), "output_padding": (1, 2, 0)},
     (2, 3, 3, 4, 2), {}),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1,
                         "data_format": "channels_first"}, (2, 3, 3, 4, 3), {}),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "padding": "same", "dilation_rate": 2}, (2, 4, 4, 4, 2), {}),
    ("MaxPooling3D", {}, (2, 5, 6, 7, 3), {}),
    ("MaxPooling3D", {"pool_size": (3, 2, 3), "strides": (2, 1, 2), "padding": "same"}, (2, 5, 6, 7, 3), {}),
    ("MaxPooling3D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 5, 6, 7), {}),
    ("AveragePooling3D", {"pool_size": 2}, (2, 5, 6, 7, 3), {}),
    ("AveragePooling3D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 6, 7, 3), {}),
    ("AveragePooling3D", {"pool_size": (2, 1, 2), "data_format": "channels_first"}, (2, 3, 5, 6, 7), {}),
    ("GlobalMaxPooling3D", {}, (2, 5, 6, 7, 3), {}),
    ("GlobalAveragePooling3D", {"data_format": "channels_first", "keepdims": True}, (2, 3, 5, 6, 7), {}),
    ("UpSampling3D", {"size": (2, 1, 3)}, (2, 3, 4, 5, 3), {}),
    ("UpSampling3D", {"data_format": "channels_first"}, (2, 3, 2, 3, 4), {}),
    ("ZeroPadding3D", {"padding": ((1, 2), (0, 1), (3, 0))}, (2, 3, 4, 5, 3), {}),
    ("ZeroPadding3D", {"padding": (1, 0, 2), "data_format": "channels_first"}, (2, 3, 3, 4, 5), {}),
    ("Cropping3D", {"cropping": ((1, 0), (0, 2), (1, 1))}, (2, 3, 4, 5, 3), {}),
    ("Cropping3D", {"cropping": 1, "data_format": "channels_first"}, (2, 3, 4, 5, 6), {}),
    ("GroupNormalization", {"groups": 2}, (2, 5, 4), {}),
    ("GroupNormalization", {"groups": -1, "axis": 1}, (2, 4, 3, 3), {}),
    ("GroupNormalization", {"groups": 1, "epsilon": 0.1}, (2, 3, 6), {}),
    ("GroupNormalization", {"groups": 3, "center": False}, (2, 4, 4, 6), {}),
    ("GroupNormalization", {"groups": 2, "axis": 2, "scale": False}, (3, 2, 4, 5), {}),
    ("Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5]}, (3, 5), {}),
    ("Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5], "output_mode": "one_hot"}, (3, 5), {}),
    ("Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5], "output_mode": "multi_hot"}, (3, 5), {}),
    ("Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5], "output_mode": "count"}, (2, 4, 3), {}),
    ("Discretization", {"num_bins": 4}, (100, 3), {"batches": 1}),
    ("Discretization", {"num_bins": 5, "epsilon": 0.1}, (300, 2), {"batches": 3}),
    ("Discretization", {"num_bins": 7, "epsilon": 0.02, "output_mode": "count"}, (1000, 4), {"batches": 4}),
    ("SpectralNormalization", {"layer": ("Dense", {"units": 3})}, (4, 5), {"training": True}),
    ("SpectralNormalization", {"layer": ("Conv2D", {"filters": 3, "kernel_size": 2}), "power_iterations": 2},
     (2, 5, 5, 2), {"training": True}),
    ("SpectralNormalization", {"layer": ("Dense", {"units": 4})}, (3, 6), {"training": False}),
]


def _make(name, kwargs):
    kwargs = dict(kwargs)
    if "layer" in kwargs:
        inner, inner_kwargs = kwargs.pop("layer")
        return getattr(layers, name)(getattr(layers, inner)(**inner_kwargs), **kwargs)
    return getattr(layers, name)(**kwargs)


def _model():
    """Every layer of this family in one model, as a Keras user would save it."""
    inputs = keras.Input((6, 6, 6, 2))
    h = layers.Conv3D(4, 3, padding="same", activation="relu")(inputs)
    h = layers.GroupNormalization(groups=2)(h)
    h = layers.MaxPooling3D()(h)
    h = layers.Conv3DTranspose(3, 2, strides=2)(h)
    h = layers.AveragePooling3D(2)(h)
    h = layers.ZeroPadding3D(1)(h)
    h = layers.Cropping3D(((1, 0), (0, 1), (1, 1)))(h)
    h = layers.UpSampling3D((1, 2, 1))(h)
    h = layers.GlobalAveragePooling3D()(h)
    h = layers.SpectralNormalization(layers.Dense(3))(h)
    outputs = layers.Discretization(bin_boundaries=[-0.1, 0.0, 0.1], output_mode="one_hot")(h)
    return keras.Model(inputs, [h, outputs])


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays, listed = {}, []
    for i, (name, kwargs, shape, call) in enumerate(CASES):
        x = rng.standard_normal(shape).astype("float32")
        layer = _make(name, kwargs)
        batches = call.get("batches")
        if batches:
            for part in np.array_split(x, batches):
                layer.update_state(part)
            layer.finalize_state()
        else:
            layer.build(shape)
        weights = [rng.standard_normal(w.shape).astype("float32") for w in layer.weights]
        if weights:
            layer.set_weights(weights)
        y = layer(x, training=call["training"]) if "training" in call else layer(x)
        arrays[f"x{i}"] = x
        arrays[f"y{i}"] = np.asarray(y)
        for j, w in enumerate(weights):
            arrays[f"w{i}_{j}"] = w
        if name == "SpectralNormalization":
            arrays[f"k{i}"] = np.asarray(layer.kernel.value)
            arrays[f"u{i}"] = np.asarray(layer.vector_u.value)
        case = {"layer": name, "kwargs": kwargs, "call": call, "shape": list(shape), "weights": len(weights),
                "weight_names": [w.name for w in layer.weights]}
        if name == "Discretization":
            case["bin_boundaries"] = layer.bin_boundaries
        listed.append(case)
    model = _model()
    x = rng.standard_normal((2, 6, 6, 6, 2)).astype("float32")
    model.layers[-2](x[:, 0, 0, 0, :1].repeat(3, axis=-1), training=True)  # vector_u off its initial value
    arrays["model_x"] = x
    arrays["model_y0"], arrays["model_y1"] = (np.asarray(y) for y in model(x))
    model.save(os.path.join(OUT, "layers3_model.keras"))
    np.savez(os.path.join(OUT, "layers3.npz"), **arrays)
    with open(os.path.join(OUT, "layers3.json"), "w") as f:
        json.dump({"cases": listed, "versions": _versions()}, f, indent=1)


def _versions():
    """What made the files."""
    return {"keras": keras.__version__, "backend": keras.backend.backend(), "numpy": np.__version__,
            "python": sys.version.split()[0]}


if __name__ == "__main__":
    main()
