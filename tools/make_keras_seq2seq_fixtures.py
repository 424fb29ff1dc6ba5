"""Writes the Keras-made fixtures of recurrent layers called with tensors as keyword arguments (not run in CI;
needs real Keras 3):

    KERAS_BACKEND=numpy python tools/make_keras_seq2seq_fixtures.py   # writes tests/fixtures/keras/

An encoder-decoder whose decoder LSTM starts from the encoder's states (``initial_state=[h, c]``), a GRU given
its mask as a model input (``mask=``), a Bidirectional layer started from states computed by Dense layers, and
masks Keras computes itself (Embedding(mask_zero=True), Masking), which its config records as op calls.
Files as tools/make_keras_fixtures.py writes them (``<name>.json``: model.get_config(); ``<name>.npz``: weights
w0, w1, ..., inputs x0, ..., Keras's predictions y0, ...).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_keras_fixtures import OUT, keras, layers, made, save_arrays, save_versions  # noqa: E402


def seq2seq():
    enc_in = keras.Input((5, 3), name="enc_in")
    dec_in = keras.Input((4, 2), name="dec_in")
    _, h, c = layers.LSTM(6, return_state=True, name="encoder")(enc_in)
    dec = layers.LSTM(6, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    return keras.Model([enc_in, dec_in], layers.Dense(2, name="head")(dec), name="seq2seq")


def masked_gru():
    x = keras.Input((6, 3), name="steps")
    valid = keras.Input((6,), dtype="bool", name="valid")
    seq = layers.GRU(4, return_sequences=True, name="gru")(x, mask=valid)
    return keras.Model([x, valid], [seq, layers.SimpleRNN(2, name="last")(x, mask=valid)], name="masked_gru")


def bidirectional_states():
    x = keras.Input((5, 3), name="seq")
    ctx = keras.Input((4,), name="ctx")
    states = [layers.Dense(3, activation="tanh", name=f"s{i}")(ctx) for i in range(4)]
    out = layers.Bidirectional(layers.LSTM(3), name="bi")(x, initial_state=states)
    return keras.Model([x, ctx], out, name="bidirectional_states")


def masked_text():
    """Masks Keras computes itself and records as op calls (not_equal; not_equal and any), which dendrite
    leaves out when it loads the config: it carries the masks on the data."""
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    frames = keras.Input((6, 2), name="frames_padded")
    x = layers.Embedding(20, 4, mask_zero=True, name="embed")(tokens)
    x = layers.LSTM(3, return_sequences=True, name="lstm")(layers.BatchNormalization(name="bn")(x))
    words = layers.Dense(1, name="words")(layers.GlobalAveragePooling1D(name="pool")(x))
    steps = layers.GRU(2, name="gru")(layers.Masking(name="masking")(frames))
    return keras.Model([tokens, frames], [words, steps], name="masked_text")


MODELS = [seq2seq, masked_gru, bidirectional_states, masked_text]


def inputs_for(model, rng):
    xs = []
    for t in model.inputs:
        shape = (4,) + tuple(t.shape[1:])
        if t.dtype == "bool":  # each sample keeps its first steps (1 to all), as padded sequences
            lengths = rng.integers(1, shape[1] + 1, shape[0])
            xs.append(np.arange(shape[1])[None, :] < lengths[:, None])
        elif t.dtype == "int32":  # tokens 1..19, then 0s (padding) after 1 to all of them
            lengths = rng.integers(1, shape[1] + 1, shape[0])
            xs.append(np.where(np.arange(shape[1])[None, :] < lengths[:, None], rng.integers(1, 20, shape), 0)
                      .astype("int32"))
        else:
            x = rng.standard_normal(shape).astype("float32")
            if t.name.endswith("_padded"):  # zero steps at the end, for Masking
                x[np.arange(shape[1])[None, :] >= rng.integers(1, shape[1] + 1, shape[0])[:, None]] = 0.0
            xs.append(x)
    return xs


def main():
    for name, model, rng in made(MODELS, OUT):
        xs = inputs_for(model, rng)
        save_arrays(os.path.join(OUT, f"{name}.npz"), model, xs, model.predict(xs, verbose=0))
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(model.get_config(), f, indent=1, sort_keys=True)
    save_versions(OUT)


if __name__ == "__main__":
    main()
