# What TensorFlow 1 era scripts (seed 001 style) touch first: tf.compat.v1 logging and seeds, the
# executing_eagerly check, then a tf.keras toy network worked by hand with get_weights.
import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.compat.v1 import logging

tf1.logging.set_verbosity(tf1.logging.ERROR)
logging.set_verbosity(logging.INFO)
tf1.set_random_seed(1)
tf.random.set_seed(1)
np.random.seed(1)
print("eager", tf.executing_eagerly(), tf1.executing_eagerly())
x = np.array([[1.0, 2.0], [3.0, 4.0]])
y = np.array([0.0, 1.0])
model = tf.keras.models.Sequential()
model.add(tf.keras.layers.Dense(3, input_shape=(2,), activation='sigmoid'))
model.add(tf.keras.layers.Dense(1))
model.compile(loss='mean_squared_error', optimizer='sgd')
model.summary()
model.fit(x, y, epochs=10, verbose=0)
w1, b1, w2, b2 = model.get_weights()
hidden = 1 / (1 + np.exp(-(x @ w1 + b1)))
by_hand = hidden @ w2 + b2
print("by hand", np.allclose(by_hand, model.predict(x), atol=1e-5))
print("params", [layer.count_params() for layer in model.layers])
