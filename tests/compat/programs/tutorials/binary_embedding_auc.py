# Binary classification on padded integer sequences (IMDB style, synthetic): pad_sequences, Embedding,
# Conv1D, GlobalMaxPooling1D, metrics 'accuracy' with AUC and Precision, class_weight.
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences

rng = np.random.default_rng(5)
vocab = 200
seqs, labels = [], []
for i in range(600):
    label = i % 3 == 0
    length = rng.integers(5, 30)
    seq = rng.integers(3, vocab, length)
    if label:
        seq[rng.integers(0, length)] = 1
    seqs.append(list(seq))
    labels.append(int(label))
x = pad_sequences(seqs, maxlen=30, padding='post', truncating='post')
y = np.array(labels)
model = tf.keras.Sequential([
    tf.keras.layers.Embedding(vocab, 16, input_length=30),
    tf.keras.layers.Conv1D(16, 3, activation='relu'),
    tf.keras.layers.GlobalMaxPooling1D(),
    tf.keras.layers.Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy',
              metrics=['accuracy', tf.keras.metrics.AUC(name='auc'), tf.keras.metrics.Precision()])
history = model.fit(x, y, epochs=5, batch_size=32, validation_split=0.2, class_weight={0: 1.0, 1: 2.0})
print(sorted(history.history))
results = model.evaluate(x, y, verbose=0, return_dict=True)
print("auc", 0.0 <= results['auc'] <= 1.0)
