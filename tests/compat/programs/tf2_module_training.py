# TensorFlow 2 low-level style: a model built from tf.Module with tf.Variables, trained by a GradientTape loop.
import numpy as np
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([in_features, out_features], stddev=0.1), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class MLP(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.layers = [Dense(4, 16), Dense(16, 1)]
        self.step = tf.Variable(0, trainable=False)

    @tf.Module.with_name_scope
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


tf.random.set_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")).clip(0) + 0.1
model = MLP(name="mlp")
print("name", model.name, "submodules", len(model.submodules))
print("variables", [tuple(v.shape) for v in model.variables])
print("trainable", len(model.trainable_variables))
optimizer = tf.keras.optimizers.Adam(0.05)
losses = []
for epoch in range(60):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    model.step.assign_add(1)
    losses.append(float(loss))
print("first loss %.4f last loss %.4f steps %d" % (losses[0], losses[-1], int(model.step.numpy())))
