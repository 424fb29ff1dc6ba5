import sys
import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation
from keras.optimizers import SGD
from keras.utils import np_utils
import keras.backend as K
np.random.seed(1671)
(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train[:2000].reshape(2000, 784).astype('float32') / 255
X_test = X_test[:500].reshape(500, 784).astype('float32') / 255
Y_train = np_utils.to_categorical(y_train[:2000], 10)
Y_test = np_utils.to_categorical(y_test[:500], 10)
model = Sequential()
model.add(Dense(128, input_shape=(784,)))
model.add(Activation('relu'))
model.add(Dropout(0.3))
model.add(Dense(output_dim=10, init='glorot_uniform'))
model.add(Activation('softmax'))
model.summary()
model.compile(loss='categorical_crossentropy', optimizer=SGD(lr=0.1, decay=1e-6), metrics=['acc'])
history = model.fit(X_train, Y_train, batch_size=128, nb_epoch=20, verbose=1, validation_split=0.2)
print("epochs run:", len(history.history['acc']), sorted(history.history.keys()))
K.set_value(model.optimizer.lr, 0.05)
print("lr now", float(model.optimizer.lr), K.get_value(model.optimizer.lr))
score = model.evaluate(X_test, Y_test, verbose=0)
print("Test score:", score[0]); print('Test accuracy:', score[1])
print("classes", model.predict_classes(X_test[:5]), "argv", sys.argv[1:], __name__)
print("proba", model.predict_proba(X_test[:2]).shape)
