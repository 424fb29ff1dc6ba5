# tf.keras functional API: two inputs (numbers and a category), concatenated, two outputs, named losses.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(0)
n = 1200
numeric = rng.normal(size=(n, 8)).astype("float32")
category = rng.integers(0, 5, size=(n, 1))
price = numeric[:, :2].sum(axis=1, keepdims=True) + category * 0.5
label = (numeric[:, 0] > 0).astype("float32")

num_in = keras.Input(shape=(8,), name="numeric")
cat_in = keras.Input(shape=(1,), name="category", dtype="int32")
emb = layers.Embedding(input_dim=5, output_dim=3)(cat_in)
emb = layers.Flatten()(emb)
x = layers.concatenate([num_in, emb])
x = layers.Dense(32, activation="relu")(x)
x = layers.Dense(16, activation="relu")(x)
price_out = layers.Dense(1, name="price")(x)
label_out = layers.Dense(1, activation="sigmoid", name="label")(x)
model = keras.Model(inputs=[num_in, cat_in], outputs=[price_out, label_out])
model.summary()
keras.utils.plot_model(model, "two_inputs.png", show_shapes=True)
model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
              loss={"price": keras.losses.MeanSquaredError(), "label": keras.losses.BinaryCrossentropy()},
              loss_weights={"price": 1.0, "label": 0.5}, metrics={"label": ["accuracy"]})
history = model.fit({"numeric": numeric, "category": category}, {"price": price, "label": label},
                    epochs=5, batch_size=32, validation_split=0.2, verbose=2)
p, l = model.predict({"numeric": numeric[:4], "category": category[:4]})
print("outputs", p.shape, l.shape)
print("keys", sorted(history.history))
