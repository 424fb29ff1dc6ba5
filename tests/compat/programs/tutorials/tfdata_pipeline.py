# tf.data from_tensor_slices pipeline: map with a tuple function, shuffle, batch, prefetch, take/skip,
# iteration with .numpy(), element_spec, fit on the dataset with a validation dataset.
import numpy as np
import tensorflow as tf

features = np.random.RandomState(0).rand(500, 3).astype(np.float32)
target = features @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
dataset = tf.data.Dataset.from_tensor_slices((features, target))
print(dataset.element_spec)
for x, y in dataset.take(2):
    print("x", x.numpy().round(3), "y", y.numpy().round(3))


def scale(x, y):
    return x * 2.0 - 1.0, y


dataset = dataset.map(scale, num_parallel_calls=tf.data.AUTOTUNE)
val_ds = dataset.take(100).batch(50)
train_ds = dataset.skip(100).shuffle(400, seed=1).batch(32).prefetch(tf.data.experimental.AUTOTUNE)
print("batches", len(list(train_ds)), tf.data.experimental.cardinality(val_ds).numpy())
model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(3,)),
                             tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(train_ds, validation_data=val_ds, epochs=5)
print("val_mae" in history.history, history.params["epochs"])
batch = next(iter(val_ds))
print("batch shapes", batch[0].shape, batch[1].shape)
numbers = tf.data.Dataset.range(10).filter(lambda v: v % 2 == 0).map(lambda v: v * 10)
print("numbers", list(numbers.as_numpy_iterator()))
