# Keras 3 style: `import keras`, keras.ops in a subclassed model and a custom layer, get_config, compile/fit.
import numpy as np
import keras
from keras import layers, ops


@keras.saving.register_keras_serializable()
class ScaledDense(layers.Layer):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                 trainable=True, name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="b")

    def call(self, inputs):
        return ops.relu(ops.matmul(inputs, self.w) + self.b) * self.scale

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


class Classifier(keras.Model):
    def __init__(self, num_classes=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = ScaledDense(32, scale=0.5)
        self.dropout = layers.Dropout(0.1)
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        x = self.hidden(inputs)
        x = self.dropout(x, training=training)
        return self.out(x)


keras.utils.set_random_seed(42)
x = np.random.rand(600, 4).astype("float32")
y = np.argmax(x[:, :3], axis=1)
model = Classifier()
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(x, y, epochs=8, batch_size=32, validation_split=0.2, verbose=0)
print("trained for", len(history.history["loss"]), "epochs")
print("accuracy key", "val_accuracy" in history.history)
print("config", ScaledDense(4, scale=2.0).get_config()["scale"])
print("prediction", model.predict(x[:5], verbose=0).shape, keras.__version__.split(".")[0])
