# Time series forecasting: windows with timeseries_dataset_from_array, a GRU and a Conv1D model, MAE.
import numpy as np
import tensorflow as tf
from tensorflow import keras

t = np.arange(1200, dtype="float32")
series = np.sin(t / 20) + 0.1 * np.random.RandomState(0).randn(1200).astype("float32")
mean, std = series[:800].mean(), series[:800].std()
series = (series - mean) / std
window = 24
train_ds = keras.utils.timeseries_dataset_from_array(series[:-window], targets=series[window:],
                                                     sequence_length=window, batch_size=32, end_index=800)
val_ds = keras.utils.timeseries_dataset_from_array(series[:-window], targets=series[window:],
                                                   sequence_length=window, batch_size=32, start_index=800)
for inputs, targets in train_ds.take(1):
    print("Input shape:", inputs.numpy().shape, "Target shape:", targets.numpy().shape)
train_ds = train_ds.map(lambda x, y: (tf.expand_dims(x, -1), y))
val_ds = val_ds.map(lambda x, y: (tf.expand_dims(x, -1), y))
inputs = keras.Input(shape=(window, 1))
x = keras.layers.GRU(16, recurrent_dropout=0.0)(inputs)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
history = model.fit(train_ds, epochs=3, validation_data=val_ds)
print(f"Test MAE: {model.evaluate(val_ds, verbose=0)[1]:.2f}")
conv = keras.Sequential([keras.layers.Conv1D(8, 5, activation="relu", input_shape=(window, 1)),
                         keras.layers.MaxPooling1D(2), keras.layers.Flatten(), keras.layers.Dense(1)])
conv.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.Huber())
conv.fit(train_ds, epochs=2, verbose=0)
print("conv prediction", conv.predict(val_ds).shape[1])
