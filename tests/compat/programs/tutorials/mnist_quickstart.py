# The TensorFlow 2 beginner quickstart, verbatim in spirit: logits, loss_fn called directly, probability model.
import tensorflow as tf
print("TensorFlow version:", tf.__version__)
mnist = tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(10)
])
predictions = model(x_train[:1]).numpy()
print(predictions.shape)
print(tf.nn.softmax(predictions).numpy().sum().round(3))
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
print("initial loss", round(float(loss_fn(y_train[:1], predictions).numpy()), 0))
model.compile(optimizer='adam', loss=loss_fn, metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5)
loss, acc = model.evaluate(x_test[:2000], y_test[:2000], verbose=2)
print("quickstart accuracy", round(acc, 2))
probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
print(probability_model(x_test[:5]).shape)
