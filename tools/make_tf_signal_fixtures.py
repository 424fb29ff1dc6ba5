"""Writes what TensorFlow gives for tf.signal expressions (and Keras 3's spectral keras.ops) for
tests/compat/test_tf_signal.py (not run in CI; needs TensorFlow, e.g.
/work/bvenv/bin/python tools/make_tf_signal_fixtures.py).

Each case is a Python expression over ``tf``, ``keras``, ``np`` and the inputs below (made from a fixed seed
here and stored with the results, so the test replays the same text on the same numbers in dendrite).
``tests/fixtures/tf_signal/signal.npz`` holds ``in:<name>`` for each input and ``case:<i>`` for the value of
expression i (a tuple's parts as ``case:<i>:<j>``); ``cases.json`` lists the expressions in order.
"""
import json
import os

import numpy as np
import tensorflow as tf
import keras

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_signal")


def inputs():
    rng = np.random.default_rng(20)
    t = np.arange(400) / 1000.0
    return {
        "sig": (np.sin(2 * np.pi * 50 * t) + 0.5 * np.sin(2 * np.pi * 120 * t) + 0.1 * rng.standard_normal(400))
        .astype(np.float32)[None].repeat(2, 0) * np.array([[1.0], [0.5]], np.float32),
        "x": rng.standard_normal((3, 10)).astype(np.float32),
        "y": rng.standard_normal((3, 10)).astype(np.float32),
        "img": rng.standard_normal((2, 6, 8)).astype(np.float32),
        "vol": rng.standard_normal((2, 3, 4, 5)).astype(np.float32),
        "logmel": rng.standard_normal((4, 16)).astype(np.float32),
        "x64": rng.standard_normal((2, 9)),
        "aud": rng.standard_normal((2, 300, 2)).astype(np.float32),
        "win": np.hanning(64).astype(np.float32),
    }


CASES = [
    # complex numbers
    "tf.complex(x, y)", "tf.math.real(tf.complex(x, y))", "tf.math.imag(tf.complex(x, y))",
    "tf.math.conj(tf.complex(x, y))", "tf.math.angle(tf.complex(x, y))", "tf.abs(tf.complex(x, y))",
    "tf.cast(x, tf.complex64)", "tf.cast(tf.complex(x, y), tf.float32)",
    # Fourier transforms
    "tf.signal.fft(tf.complex(x, y))", "tf.signal.ifft(tf.complex(x, y))",
    "tf.signal.fft2d(tf.complex(img, img * 0.5))", "tf.signal.ifft2d(tf.complex(img, -img))",
    "tf.signal.fft3d(tf.complex(vol, vol))", "tf.signal.ifft3d(tf.complex(vol, vol * 2))",
    "tf.signal.rfft(x)", "tf.signal.rfft(x, fft_length=[16])", "tf.signal.rfft(x, fft_length=[6])",
    "tf.signal.irfft(tf.signal.rfft(x))", "tf.signal.irfft(tf.complex(x, y))", "tf.signal.irfft(tf.complex(x, y), [9])",
    "tf.signal.irfft(tf.complex(x, y), [24])", "tf.signal.rfft2d(img)", "tf.signal.rfft2d(img, fft_length=[4, 10])",
    "tf.signal.irfft2d(tf.signal.rfft2d(img))", "tf.signal.irfft2d(tf.complex(img, img), [6, 7])",
    "tf.signal.rfft(x64)", "tf.signal.fftshift(x)", "tf.signal.ifftshift(x)", "tf.signal.fftshift(img, axes=[1, 2])",
    "tf.signal.ifftshift(tf.range(7))", "tf.signal.fftshift(tf.range(7))",
    # framing
    "tf.signal.frame(x, 4, 3)", "tf.signal.frame(x, 4, 3, pad_end=True)", "tf.signal.frame(x, 3, 2, pad_end=True, pad_value=7.0)",
    "tf.signal.frame(x, 4, 2, axis=0)", "tf.signal.frame(img, 3, 2, axis=1)", "tf.signal.frame(x, 20, 5)",
    "tf.signal.overlap_and_add(img, 3)", "tf.signal.overlap_and_add(tf.reshape(x, [3, 5, 2]), 1)",
    # STFT
    "tf.signal.stft(sig, 64, 32)", "tf.signal.stft(sig, 50, 20, fft_length=64)", "tf.signal.stft(sig, 64, 16, pad_end=True)",
    "tf.signal.stft(sig, 64, 32, window_fn=None)", "tf.signal.stft(sig, 64, 32, window_fn=tf.signal.hamming_window)",
    "tf.abs(tf.signal.stft(sig, 128, 64))",
    "tf.signal.inverse_stft(tf.signal.stft(sig, 64, 16), 64, 16)",
    "tf.signal.inverse_stft(tf.signal.stft(sig, 64, 16), 64, 16, window_fn=tf.signal.inverse_stft_window_fn(16))",
    "tf.signal.inverse_stft(tf.signal.stft(sig, 50, 25, fft_length=64), 50, 25, fft_length=64)",
    "tf.signal.inverse_stft(tf.signal.stft(sig, 64, 32, fft_length=32), 64, 32, fft_length=32)",
    "tf.signal.inverse_stft_window_fn(16)(64, tf.float32)",
    "tf.signal.inverse_stft_window_fn(3, tf.signal.hamming_window)(10, tf.float64)",
    # windows
    "tf.signal.hann_window(8)", "tf.signal.hann_window(8, periodic=False)", "tf.signal.hann_window(1)",
    "tf.signal.hamming_window(9)", "tf.signal.hamming_window(9, periodic=False, dtype=tf.float64)",
    "tf.signal.kaiser_window(10)", "tf.signal.kaiser_window(7, beta=4.0)", "tf.signal.vorbis_window(12)",
    "tf.signal.kaiser_bessel_derived_window(10)", "tf.signal.kaiser_bessel_derived_window(8, beta=3.0)",
    # mel, mfcc, dct
    "tf.signal.linear_to_mel_weight_matrix()", "tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 20.0, 4000.0)",
    "tf.signal.linear_to_mel_weight_matrix(8, 33, 22050, 0.0, 11025.0, dtype=tf.float64)",
    "tf.signal.mfccs_from_log_mel_spectrograms(logmel)",
    "tf.signal.dct(x)", "tf.signal.dct(x, norm='ortho')", "tf.signal.dct(x, type=1)", "tf.signal.dct(x, type=3)",
    "tf.signal.dct(x, type=3, norm='ortho')", "tf.signal.dct(x, type=4)", "tf.signal.dct(x, type=4, norm='ortho')",
    "tf.signal.dct(x, n=6)", "tf.signal.dct(x, n=13, norm='ortho')", "tf.signal.idct(x)", "tf.signal.idct(x, norm='ortho')",
    "tf.signal.idct(x, type=3)", "tf.signal.idct(x, type=1)", "tf.signal.idct(x, type=4, norm='ortho')",
    # Keras 3's spectral ops, (real, imag) pairs
    "keras.ops.fft((x, y))", "keras.ops.fft2((img, img * 2))", "keras.ops.ifft2((img, -img))",
    "keras.ops.rfft(x)", "keras.ops.rfft(x, fft_length=16)", "keras.ops.irfft((x, y))", "keras.ops.irfft((x, y), 12)",
    "keras.ops.stft(sig, 64, 32, 64)", "keras.ops.stft(sig, 50, 20, 64, window='hamming', center=False)",
    "keras.ops.stft(sig, 64, 16, 128, window=None)",
    "keras.ops.istft(keras.ops.stft(sig, 64, 16, 64), 64, 16, 64)",
    "keras.ops.istft(keras.ops.stft(sig, 64, 16, 64, center=False), 64, 16, 64, center=False)",
    "keras.ops.istft(keras.ops.stft(sig, 64, 16, 64), 64, 16, 64, length=380)",
    "keras.ops.view_as_real(keras.ops.view_as_complex(np.stack([x, y], -1)))",
    "keras.ops.view_as_complex(np.stack([x, y], -1))", "keras.ops.polar(abs(x), y)",
    # Keras 3's spectrogram layers and STFT initializer (window names need SciPy, which this TF lacks: values)
    "keras.initializers.STFT('real', None)((16, 1, 9))", "keras.initializers.STFT('imag', win)((64, 1, 33))",
    "keras.initializers.STFT('real', win, 'spectrum')((64, 1, 33))",
    "keras.layers.STFTSpectrogram(frame_length=64, frame_step=32, window=None)(aud)",
    "keras.layers.STFTSpectrogram('magnitude', 64, 16, 128, win)(aud)",
    "keras.layers.STFTSpectrogram('psd', 64, padding='same', window=win, expand_dims=True)(aud)",
    "keras.layers.STFTSpectrogram('real', 64, 20, window=None, scaling=None)(aud)",
    "keras.layers.STFTSpectrogram('imag', 64, 20, window=win, scaling='spectrum', expand_dims=True)(aud)",
    "keras.layers.STFTSpectrogram('angle', 64, 32, window=win)(aud)",
    "keras.layers.STFTSpectrogram('stft', 64, 32, window=win, data_format='channels_first')(tf.transpose(aud, [0, 2, 1]))",
    "keras.layers.MelSpectrogram(fft_length=256, sequence_stride=64, num_mel_bins=32, sampling_rate=8000)(sig)",
    "keras.layers.MelSpectrogram(128, 32, 100, 'hamming', 8000, 16, 50.0, 3000.0, False, mag_exp=1.0)(sig)",
    "keras.layers.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=8, top_db=20.0, ref_power=2.0)(sig[0])",
]

LAYER_CONFIGS = [
    "keras.layers.STFTSpectrogram(window=None)", "keras.layers.STFTSpectrogram('psd', 100, 25, 128, None, True, None, 'same', True)",
    "keras.layers.MelSpectrogram()", "keras.layers.MelSpectrogram(512, 128, 400, 'hamming', 22050, 64, 0.0, 8000.0)",
    "keras.initializers.STFT('real', None)", "keras.initializers.STFT('imag', None, 'spectrum', True)",
]
SHAPES = [  # compute_output_shape of layers on symbolic inputs
    "keras.layers.STFTSpectrogram(frame_length=64, frame_step=32, window=None)(keras.Input((1000, 3))).shape",
    "keras.layers.STFTSpectrogram('stft', 100, 25, window=None, padding='same', expand_dims=True)(keras.Input((None, 1))).shape",
    "keras.layers.MelSpectrogram(num_mel_bins=40)(keras.Input((16000,))).shape",
]


def to_arrays(value):
    if isinstance(value, (tuple, list)):
        return [np.asarray(v) for v in value]
    return np.asarray(value)


def main():
    os.makedirs(OUT, exist_ok=True)
    data = inputs()
    env = dict(tf=tf, keras=keras, np=np, **{k: tf.constant(v) for k, v in data.items()})
    arrays = {f"in:{k}": v for k, v in data.items()}
    for i, case in enumerate(CASES):
        value = to_arrays(eval(case, env))  # noqa: S307 - the fixed expressions above
        if isinstance(value, list):
            for j, part in enumerate(value):
                arrays[f"case:{i}:{j}"] = part
        else:
            arrays[f"case:{i}"] = value
    np.savez_compressed(os.path.join(OUT, "signal.npz"), **arrays)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(CASES, f, indent=0)
    configs = {}
    for case in LAYER_CONFIGS:
        config = eval(case, env).get_config()  # noqa: S307
        configs[case] = {k: v for k, v in config.items() if k not in ("name", "dtype", "trainable")}
    shapes = {case: list(eval(case, env)) for case in SHAPES}  # noqa: S307
    with open(os.path.join(OUT, "layers.json"), "w") as f:
        json.dump({"configs": configs, "shapes": shapes}, f, indent=1)
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
