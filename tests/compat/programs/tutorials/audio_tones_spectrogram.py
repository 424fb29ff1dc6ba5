# Simple audio recognition in the style of TensorFlow's tutorial, on generated tones: WAV files in class
# folders, keras.utils.audio_dataset_from_directory, STFT spectrograms with tf.signal, a small CNN; then a
# Keras 3 MelSpectrogram model on the same waveforms.
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SAMPLE_RATE = 8000
DATA_DIR = os.path.join(tempfile.mkdtemp(), "tones")
rng = np.random.default_rng(7)
for label, base in [("low", 440.0), ("high", 1320.0)]:
    os.makedirs(os.path.join(DATA_DIR, label))
    for i in range(60):
        n = int(rng.integers(3000, 4000))
        t = np.arange(n) / SAMPLE_RATE
        wave = 0.4 * np.sin(2 * np.pi * base * rng.uniform(0.9, 1.1) * t) + 0.05 * rng.standard_normal(n)
        encoded = tf.audio.encode_wav(wave.astype(np.float32)[:, None], SAMPLE_RATE)
        tf.io.write_file(os.path.join(DATA_DIR, label, f"{i}.wav"), encoded)

audio, rate = tf.audio.decode_wav(tf.io.read_file(os.path.join(DATA_DIR, "low", "0.wav")), desired_channels=1)
print("decoded", audio.shape[1], int(rate))

train_ds, val_ds = keras.utils.audio_dataset_from_directory(
    directory=DATA_DIR, batch_size=16, validation_split=0.25, seed=0, output_sequence_length=4000,
    subset="both")
label_names = np.array(train_ds.class_names)
print("label names:", label_names)


def squeeze(audio, labels):
    return tf.squeeze(audio, axis=-1), labels


train_ds = train_ds.map(squeeze, tf.data.AUTOTUNE)
val_ds = val_ds.map(squeeze, tf.data.AUTOTUNE)


def get_spectrogram(waveform):
    spectrogram = tf.signal.stft(waveform, frame_length=255, frame_step=128)
    spectrogram = tf.abs(spectrogram)
    return spectrogram[..., tf.newaxis]


def make_spec_ds(ds):
    return ds.map(lambda audio, label: (get_spectrogram(audio), label), num_parallel_calls=tf.data.AUTOTUNE)


train_spectrogram_ds = make_spec_ds(train_ds).cache().prefetch(tf.data.AUTOTUNE)
val_spectrogram_ds = make_spec_ds(val_ds).cache().prefetch(tf.data.AUTOTUNE)
for example_spectrograms, example_labels in train_spectrogram_ds.take(1):
    break
input_shape = example_spectrograms.shape[1:]
print("Input shape:", input_shape)

norm_layer = layers.Normalization()
norm_layer.adapt(data=train_spectrogram_ds.map(map_func=lambda spec, label: spec))
model = keras.models.Sequential([
    layers.Input(shape=input_shape),
    layers.Resizing(32, 32),
    norm_layer,
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(32, activation="relu"),
    layers.Dense(len(label_names)),
])
model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(train_spectrogram_ds, validation_data=val_spectrogram_ds, epochs=5, verbose=2)

mel_model = keras.Sequential([
    layers.Input(shape=(4000,)),
    layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=32, sampling_rate=SAMPLE_RATE),
    layers.Normalization(axis=None, mean=-40.0, variance=400.0),
    layers.GlobalAveragePooling1D(data_format="channels_first"),
    layers.Dense(len(label_names), activation="softmax"),
])
mel_model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
mel_model.fit(train_ds, epochs=5, verbose=0)
print("mel output", mel_model.layers[0].compute_output_shape((None, 4000)))
loss, accuracy = model.evaluate(val_spectrogram_ds, verbose=0)
print(f"spectrogram model accuracy: {accuracy:.3f}")
