# Callbacks of all eras: EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, CSVLogger, ModelCheckpoint,
# TerminateOnNaN, LambdaCallback and a custom Callback reading logs (K2 'on_batch_end').
import os
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras


class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs={}):
        self.losses = []

    def on_batch_end(self, batch, logs={}):
        self.losses.append(logs.get('loss'))

    def on_epoch_end(self, epoch, logs=None):
        keys = list(logs.keys())
        print("End epoch {} of training; got log keys: {}".format(epoch, keys))


x = np.random.rand(300, 5)
y = x[:, 0] * 3 + np.random.rand(300) * 0.1
model = keras.Sequential([keras.layers.Dense(10, activation='relu', input_dim=5), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss='mse')
history_cb = LossHistory()
callbacks = [
    keras.callbacks.EarlyStopping(monitor='val_loss', patience=2, min_delta=1e-4, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=0.2, patience=1, min_lr=0.001),
    keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.9),
    keras.callbacks.CSVLogger('training.log'),
    keras.callbacks.ModelCheckpoint('best.keras', monitor='val_loss', save_best_only=True, verbose=1),
    keras.callbacks.TerminateOnNaN(),
    keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print("lambda epoch", epoch)),
    history_cb,
]
history = model.fit(x, y, epochs=6, validation_split=0.2, callbacks=callbacks, batch_size=16)
print("batches seen", len(history_cb.losses) > 0)
print("csv rows", len(pd.read_csv('training.log')))
print("checkpoint", os.path.exists('best.keras'))
print("lr", float(tf.keras.backend.get_value(model.optimizer.learning_rate)) > 0)
