# Keras 2 style sequence model: LSTM and Bidirectional GRU on synthetic sequences (is the sum positive?).
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Bidirectional, GRU, TimeDistributed
from keras.callbacks import EarlyStopping

np.random.seed(7)
X = np.random.randn(1000, 12, 1)
y = (X.sum(axis=1) > 0).astype(int).ravel()
model = Sequential()
model.add(LSTM(16, input_shape=(12, 1), return_sequences=True))
model.add(Bidirectional(GRU(8)))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
print(model.summary())
model.fit(X[:800], y[:800], epochs=10, batch_size=32, validation_data=(X[800:], y[800:]),
          callbacks=[EarlyStopping(monitor='val_loss', patience=3)], verbose=2)
scores = model.evaluate(X[800:], y[800:], verbose=0)
print("Accuracy: %.2f%%" % (scores[1] * 100))
seq = Sequential([LSTM(4, return_sequences=True, input_shape=(5, 2)), TimeDistributed(Dense(1))])
print("time distributed", seq.predict(np.zeros((3, 5, 2))).shape)
