# Keras 1 style: Convolution2D(nb_filter, nb_row, nb_col), border_mode, subsample, merge, nb_epoch, fit_generator
import numpy as np
from keras.models import Sequential, Model
from keras.layers import Input, Flatten, merge
from keras.layers.convolutional import Convolution2D
from keras.layers.pooling import MaxPooling2D
from keras.layers.core import Dense
from keras.utils import np_utils

rng = np.random.RandomState(0)
x = rng.rand(64, 8, 8, 1).astype("float32")
y = np_utils.to_categorical((x.mean(axis=(1, 2, 3)) > 0.5).astype(int), 2)
model = Sequential()
model.add(Convolution2D(4, 3, 3, border_mode='same', subsample=(1, 1), input_shape=(8, 8, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(output_dim=2, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
print("kernel", model.layers[0].kernel_size, "padding", model.layers[0].padding)
h = model.fit(x, y, nb_epoch=3, batch_size=16, verbose=0)
print("epochs", len(h.history['acc']))


def batches():
    while True:
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]


h = model.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)
print("generator epochs", len(h.history['loss']))
print("evaluate_generator", len(model.evaluate_generator(batches(), steps=2)))
a, b = Input(shape=(3,)), Input(shape=(3,))
m = Model(inputs=[a, b], outputs=merge([a, b], mode='concat'))
print("merged", m.predict([np.ones((2, 3)), np.zeros((2, 3))], verbose=0).shape)
