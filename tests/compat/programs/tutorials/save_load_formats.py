# Saving and loading: model.save to .h5 and .keras, load_model, save_weights/load_weights, to_json.
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(200, 6).astype("float32")
y = (x.sum(axis=1) > 3).astype("float32")
model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(6,)),
                          keras.layers.BatchNormalization(),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=3, verbose=0)
expected = model.predict(x[:10])
model.save("my_model.h5")
model.save("my_model.keras")
for path in ("my_model.h5", "my_model.keras"):
    restored = keras.models.load_model(path)
    print(path, np.allclose(restored.predict(x[:10]), expected, atol=1e-6))
    restored.evaluate(x, y, verbose=0)
model.save_weights("weights.weights.h5")
clone = keras.models.clone_model(model)
clone.load_weights("weights.weights.h5")
print("weights", np.allclose(clone.predict(x[:10]), expected, atol=1e-6))
json_config = model.to_json()
rebuilt = keras.models.model_from_json(json_config)
print("json layers", len(rebuilt.layers))
