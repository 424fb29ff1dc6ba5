# Seed 002 (Deep Learning with Keras, chapter 1): the MNIST scripts of its results table, Keras 2 standalone.
# argv[1]: simple | hidden | dropout | rmsprop | adam | l2
from __future__ import print_function
import sys
import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation
from keras.optimizers import SGD, RMSprop, Adam
from keras.utils import np_utils
from keras import regularizers

np.random.seed(1671)  # for reproducibility
VARIANT = sys.argv[1]
NB_EPOCH = 250 if VARIANT == "dropout" else 20
BATCH_SIZE = 128
VERBOSE = 1
NB_CLASSES = 10
OPTIMIZER = {"rmsprop": RMSprop(), "adam": Adam()}.get(VARIANT, SGD())
N_HIDDEN = 128
VALIDATION_SPLIT = 0.2
DROPOUT = 0.3

(X_train, y_train), (X_test, y_test) = mnist.load_data()
RESHAPED = 784
X_train = X_train[:3000].reshape(3000, RESHAPED)
X_test = X_test[:1000].reshape(1000, RESHAPED)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')
X_train /= 255
X_test /= 255
print(X_train.shape[0], 'train samples')
print(X_test.shape[0], 'test samples')
Y_train = np_utils.to_categorical(y_train[:3000], NB_CLASSES)
Y_test = np_utils.to_categorical(y_test[:1000], NB_CLASSES)

model = Sequential()
if VARIANT == "simple":
    model.add(Dense(NB_CLASSES, input_shape=(RESHAPED,)))
    model.add(Activation('softmax'))
else:
    reg = regularizers.l2(0.01) if VARIANT == "l2" else None
    model.add(Dense(N_HIDDEN, input_shape=(RESHAPED,), kernel_regularizer=reg, kernel_initializer='random_uniform'))
    model.add(Activation('relu'))
    if VARIANT != "hidden":
        model.add(Dropout(DROPOUT))
    model.add(Dense(N_HIDDEN, kernel_initializer='random_normal', bias_initializer='zero'))
    model.add(Activation('relu'))
    if VARIANT != "hidden":
        model.add(Dropout(DROPOUT))
    model.add(Dense(NB_CLASSES))
    model.add(Activation('softmax'))
model.summary()
model.compile(loss='categorical_crossentropy', optimizer=OPTIMIZER, metrics=['accuracy'])
history = model.fit(X_train, Y_train, batch_size=BATCH_SIZE, epochs=NB_EPOCH, verbose=VERBOSE,
                    validation_split=VALIDATION_SPLIT)
score = model.evaluate(X_test, Y_test, verbose=VERBOSE)
print("Test score:", score[0])
print('Test accuracy:', score[1])
print("classes", model.predict_classes(X_test[:3]), "proba", model.predict_proba(X_test[:3]).shape)
print("history", sorted(history.history.keys()))
