"""A Keras 2-era program: a sine series windowed by keras.preprocessing.sequence.TimeseriesGenerator and a
small model fitted on the generator, then asked for the next value."""
import numpy as np
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import TimeseriesGenerator

t = np.arange(0, 400, dtype="float32") * 0.1
series = np.sin(t).reshape(-1, 1)
length = 10
gen = TimeseriesGenerator(series, series, length=length, batch_size=16)
print("batches", len(gen), "first batch", gen[0][0].shape, gen[0][1].shape)
model = keras.models.Sequential([keras.layers.Flatten(input_shape=(length, 1)),
                                 keras.layers.Dense(32, activation="tanh"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(gen, epochs=8, verbose=0)
print("losses fall", history.history["loss"][-1] < history.history["loss"][0])
pred = model.predict(series[-length:].reshape(1, length, 1), verbose=0)
print(f"next value error {abs(float(pred[0, 0]) - float(np.sin(40.0))):.3f}")
