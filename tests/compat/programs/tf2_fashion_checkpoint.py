# tf.keras 2.x style (seed 004): Flatten(input_shape), tf.nn activations, SGD(lr=), ModelCheckpoint period/val_acc
import os
import sys
import tensorflow as tf
from tensorflow import keras
from tensorflow.python.keras.losses import sparse_categorical_crossentropy

out = sys.argv[1]
(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, y_train = x_train[:1000] / 255.0, y_train[:1000]
x_test, y_test = x_test[:300] / 255.0, y_test[:300]
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(64, activation=tf.nn.relu),
    keras.layers.Dense(10, activation=tf.nn.softmax),
])
model.compile(optimizer=keras.optimizers.SGD(lr=0.1), loss=sparse_categorical_crossentropy, metrics=['accuracy'])
ckpt = keras.callbacks.ModelCheckpoint(os.path.join(out, 'singlenn_{epoch:02d}-{val_acc:.2f}.weights.h5'),
                                       monitor='val_acc', save_best_only=True, save_weights_only=True,
                                       mode='auto', period=1)
history = model.fit(x_train, y_train, epochs=5, batch_size=32, validation_data=(x_test, y_test),
                    callbacks=[ckpt, keras.callbacks.TensorBoard(log_dir=os.path.join(out, 'graph'))], verbose=0)
loss, acc = model.evaluate(x_test, y_test, verbose=0)
print("epochs", len(history.history['val_acc']), "val_accuracy" in history.history)
print("checkpoints", sorted(f for f in os.listdir(out) if f.startswith('singlenn_')))
print("test accuracy {:.4f}".format(acc))
print("eager", tf.executing_eagerly(), tf.__version__.startswith("2."))
