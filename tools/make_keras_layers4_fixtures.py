"""Writes the Keras-made outputs of ConvLSTM1D/2D/3D, the adaptive pooling layers, ReversibleEmbedding and HashedCrossing that the tests under
tests/layers compare dendrite with (not run in CI; needs real Keras 3, TensorFlow backend).

    /work/bvenv/bin/python tools/make_keras_layers4_fixtures.py   # writes tests/fixtures/keras/layers4.*

``layers4.npz`` holds plain arrays only (np.savez; the tests load it with allow_pickle=False): for case i its
input ``x{i}``, its weights ``w{i}_{j}`` (random values set into the Keras layer, in Keras's weight order) and
Keras's outputs ``y{i}_{k}`` (one, or [output, h, c] with return_state). ReversibleEmbedding cases with a
float input are called with ``reverse=True``. ``crossings`` in the json: HashedCrossing's features and Keras's
outputs. ``layers4.json`` lists the cases
(layer, keyword arguments, input shape, weight names, output count) and the versions that made the file.
``layers4_model.keras`` is a small ConvLSTM2D model saved by Keras; ``model_x`` / ``model_y`` in the npz are
an input and Keras's prediction. ``layers4_objects.json`` holds inputs and Keras's values of Circle /
CategoricalGeneralizedCrossEntropy, the correlation metrics, huber and the focal metric functions,
OrthogonalRegularizer and three Lamb steps.
"""
import json
import os
import sys

import numpy as np

import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras")

# (layer, keyword arguments, input shape)
CASES = [
    ("ConvLSTM2D", {"filters": 3, "kernel_size": 3}, (2, 4, 6, 5, 2)),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": (3, 2), "padding": "same", "return_sequences": True},
     (2, 3, 5, 6, 3)),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "return_state": True,
                    "go_backwards": True}, (2, 3, 7, 6, 2)),
    ("ConvLSTM2D", {"filters": 3, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first",
                    "return_sequences": True, "activation": "relu", "recurrent_activation": "hard_sigmoid"},
     (2, 3, 2, 6, 5)),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "use_bias": False, "unit_forget_bias": False},
     (1, 2, 5, 5, 1)),
    ("ConvLSTM1D", {"filters": 4, "kernel_size": 3, "return_sequences": True}, (2, 5, 8, 3)),
    ("ConvLSTM1D", {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first",
                    "return_state": True}, (2, 4, 3, 9)),
    ("ConvLSTM3D", {"filters": 2, "kernel_size": 2, "padding": "same"}, (2, 3, 4, 3, 5, 2)),
    ("ConvLSTM3D", {"filters": 2, "kernel_size": (2, 3, 2), "return_sequences": True}, (1, 2, 3, 4, 3, 1)),
    ("AdaptiveAveragePooling1D", {"output_size": 4}, (2, 10, 3)),
    ("AdaptiveAveragePooling1D", {"output_size": 3, "data_format": "channels_first"}, (2, 3, 8)),
    ("AdaptiveAveragePooling2D", {"output_size": (3, 4)}, (2, 7, 9, 2)),
    ("AdaptiveAveragePooling2D", {"output_size": 5, "data_format": "channels_first"}, (2, 2, 6, 12)),
    ("AdaptiveAveragePooling3D", {"output_size": (2, 3, 2)}, (2, 5, 7, 4, 2)),
    ("AdaptiveMaxPooling1D", {"output_size": 3}, (2, 8, 3)),
    ("AdaptiveMaxPooling2D", {"output_size": (2, 3)}, (2, 5, 7, 3)),
    ("AdaptiveMaxPooling2D", {"output_size": 4, "data_format": "channels_first"}, (2, 3, 9, 6)),
    ("AdaptiveMaxPooling3D", {"output_size": 2, "data_format": "channels_first"}, (2, 2, 5, 4, 6)),
    # ReversibleEmbedding: a float input goes through call(x, reverse=True); an integer one (dtype int) forwards
    ("ReversibleEmbedding", {"input_dim": 7, "output_dim": 4}, (2, 3, 4)),
    ("ReversibleEmbedding", {"input_dim": 7, "output_dim": 4, "tie_weights": False, "logit_soft_cap": 2.0},
     (2, 3, 4)),
    ("ReversibleEmbedding", {"input_dim": 7, "output_dim": 3, "mask_zero": True}, (2, 5, "int")),
]


# HashedCrossing: (keyword arguments, the features: lists of strings or integers)
CROSSINGS = [
    ({"num_bins": 1000}, [[["a"], ["b"], ["hello"], [""]], [[1], [2], [-3], [2 ** 40]]]),
    ({"num_bins": 7, "output_mode": "one_hot"}, [[3, 1, 4, 1], [5, 9, 2, 6]]),
    ({"num_bins": 50}, [["x", "y"], [0, 0], ["é", "z"]]),
]


def _crossings():
    """Keras's HashedCrossing (tf.sparse.cross_hashed) on the CROSSINGS."""
    out = []
    for kwargs, features in CROSSINGS:
        y = layers.HashedCrossing(**kwargs)([np.array(f) for f in features])
        out.append({"kwargs": kwargs, "features": features, "output": np.asarray(y).tolist()})
    return out


def _objects(rng):
    """Keras's values of the losses, metrics, optimizer and regularizer this family adds (layers4_objects.json)."""
    emb = rng.standard_normal((6, 4)).astype("float32")
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    ref = rng.standard_normal((5, 4)).astype("float32")
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    labels = np.array([0, 1, 0, 2, 1, 3])
    probs = rng.dirichlet(np.ones(4), 6).astype("float32")
    a, b = rng.standard_normal((4, 6)).astype("float32"), rng.standard_normal((4, 6)).astype("float32")
    binary = (rng.random((4, 6)) > 0.5).astype("float32")
    onehot = np.eye(4, dtype="float32")[labels]
    kernel = rng.standard_normal((5, 3)).astype("float32")
    out = {"emb": emb, "ref": ref, "labels": labels, "probs": probs, "a": a, "b": b, "binary": binary,
           "kernel": kernel}
    L, M = keras.losses, keras.metrics
    out["circle"] = L.circle(labels, emb)
    out["circle_ref"] = L.circle(labels, emb, ref_labels=np.array([0, 1, 2, 4, 1]), ref_embeddings=ref, gamma=30,
                                 margin=0.25)
    out["circle_nodiag"] = L.circle(labels, emb, remove_diagonal=False)
    out["Circle"] = L.Circle()(labels, emb)
    out["Circle_sum"] = L.Circle(gamma=20.0, reduction="sum")(labels, emb)
    out["gce"] = L.categorical_generalized_cross_entropy(labels, probs, q=0.7)
    out["GCE"] = L.CategoricalGeneralizedCrossEntropy()(labels, probs)
    out["pearson"] = M.pearson_correlation(a, b)
    out["pearson_axis0"] = M.pearson_correlation(a, b, axis=0)
    out["concordance"] = M.concordance_correlation(a, b)
    for name, cls in (("Pearson", M.PearsonCorrelation), ("Concordance", M.ConcordanceCorrelation)):
        metric = cls()
        metric.update_state(a, b)
        metric.update_state(b, a + 0.5 * b)
        out[name] = metric.result()
    out["huber"] = M.huber(a, b)
    out["bfce"] = M.binary_focal_crossentropy(binary, 1 / (1 + np.exp(-a)))
    out["cfce"] = M.categorical_focal_crossentropy(onehot, probs)
    tensor = keras.ops.convert_to_tensor(kernel)  # (as on a weight: its NumPy path normalises columns wrongly)
    out["orth_rows"] = keras.regularizers.OrthogonalRegularizer(0.3)(tensor)
    out["orth_cols"] = keras.regularizers.OrthogonalRegularizer(0.3, mode="columns")(tensor)
    w = keras.Variable(kernel)
    for kwargs, key in (({"learning_rate": 0.05}, "lamb"), ({"learning_rate": 0.05, "weight_decay": 0.1},
                                                             "lamb_wd")):
        w.assign(kernel)
        opt = keras.optimizers.Lamb(**kwargs)
        for step in range(3):
            opt.apply([np.sin(kernel * (step + 1)).astype("float32")], [w])
        out[key] = w.numpy()
    return {k: np.asarray(v).tolist() for k, v in out.items()}


def _model():
    """A next-frame model with ConvLSTM2D, as a Keras user would save it."""
    inputs = keras.Input((3, 8, 8, 1))
    h = layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True)(inputs)
    h = layers.ConvLSTM2D(2, 3, padding="same")(h)
    h = layers.AdaptiveAveragePooling2D(4)(h)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(h)
    return keras.Model(inputs, outputs)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays, listed = {}, []
    for i, (name, kwargs, shape) in enumerate(CASES):
        integer = shape[-1] == "int"
        shape = shape[:-1] if integer else shape
        x = rng.integers(0, 7, shape).astype("int32") if integer else rng.standard_normal(shape).astype("float32")
        layer = getattr(layers, name)(**kwargs)
        layer.build(shape)
        weights = [(0.5 * rng.standard_normal(w.shape)).astype("float32") for w in layer.weights]
        if weights:
            layer.set_weights(weights)
        y = layer(x, reverse=True) if name == "ReversibleEmbedding" and not integer else layer(x)
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        arrays[f"x{i}"] = x
        for k, out in enumerate(ys):
            arrays[f"y{i}_{k}"] = np.asarray(out)
        for j, w in enumerate(weights):
            arrays[f"w{i}_{j}"] = w
        listed.append({"layer": name, "kwargs": kwargs, "shape": list(shape), "weights": len(weights),
                       "weight_names": [w.name for w in layer.weights], "outputs": len(ys),
                       "config": {k: v for k, v in layer.get_config().items() if not isinstance(v, dict)}})
    model = _model()
    x = rng.random((2, 3, 8, 8, 1)).astype("float32")
    arrays["model_x"], arrays["model_y"] = x, np.asarray(model(x))
    model.save(os.path.join(OUT, "layers4_model.keras"))
    with open(os.path.join(OUT, "layers4_objects.json"), "w") as f:
        json.dump({"values": _objects(rng), "versions": _versions()}, f)
    np.savez(os.path.join(OUT, "layers4.npz"), **arrays)
    with open(os.path.join(OUT, "layers4.json"), "w") as f:
        json.dump({"cases": listed, "crossings": _crossings(), "versions": _versions()}, f, indent=1)


def _versions():
    """What made the files."""
    return {"keras": keras.__version__, "backend": keras.backend.backend(), "numpy": np.__version__,
            "python": sys.version.split()[0]}


if __name__ == "__main__":
    main()
