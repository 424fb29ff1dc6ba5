"""Writes the Keras-made fixtures of recurrent layers called with tensors as keyword arguments (not run in CI;
needs real Keras 3):

    KERAS_BACKEND=numpy python tools/make_keras_seq2seq_fixtures.py   # writes tests/fixtures/keras/

An encoder-decoder whose decoder LSTM starts from the encoder's states (``initial_state=[h, c]``), a GRU given
its mask as a model input (``mask=``), and a Bidirectional layer started from states computed by Dense layers.
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


MODELS = [seq2seq, masked_gru, bidirectional_states]


def inputs_for(model, rng):
    xs = []
    for t in model.inputs:
        shape = (4,) + tuple(t.shape[1:])
        if t.dtype == "bool":  # each sample keeps its first steps (1 to all), as padded sequences
            lengths = rng.integers(1, shape[1] + 1, shape[0])
            xs.append(np.arange(shape[1])[None, :] < lengths[:, None])
        else:
            xs.append(rng.standard_normal(shape).astype("float32"))
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
