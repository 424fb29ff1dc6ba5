# Text classification (tf.keras 2.x tutorial style): TextVectorization adapted on a dataset, Embedding,
# GlobalAveragePooling1D, a Dataset of (text, label) mapped through the vectorizer.
import re
import string
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses

rng = np.random.default_rng(1)
good = ["great", "wonderful", "loved", "excellent", "fun", "brilliant"]
bad = ["boring", "awful", "hated", "terrible", "dull", "bad"]
filler = ["the", "movie", "was", "plot", "actors", "and", "a", "<br />", "really", "film"]
texts, labels = [], []
for i in range(800):
    positive = i % 2
    words = list(rng.choice(filler, 6)) + list(rng.choice(good if positive else bad, 2))
    rng.shuffle(words)
    texts.append(" ".join(words).capitalize() + "!")
    labels.append(positive)
raw_train_ds = tf.data.Dataset.from_tensor_slices((texts[:600], labels[:600])).batch(32)
raw_test_ds = tf.data.Dataset.from_tensor_slices((texts[600:], labels[600:])).batch(32)
for text_batch, label_batch in raw_train_ds.take(1):
    for i in range(2):
        print("Review", text_batch.numpy()[i])
        print("Label", label_batch.numpy()[i])


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, '<br />', ' ')
    return tf.strings.regex_replace(stripped_html, '[%s]' % re.escape(string.punctuation), '')


max_features = 1000
sequence_length = 20
vectorize_layer = layers.TextVectorization(standardize=custom_standardization, max_tokens=max_features,
                                           output_mode='int', output_sequence_length=sequence_length)
train_text = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(train_text)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


first_review, first_label = next(iter(raw_train_ds))
print("Vectorized review", vectorize_text(first_review[0], first_label[0])[0].shape)
print("vocabulary size", len(vectorize_layer.get_vocabulary()))
train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)
test_ds = raw_test_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)
model = tf.keras.Sequential([
    layers.Embedding(max_features + 1, 16),
    layers.Dropout(0.2),
    layers.GlobalAveragePooling1D(),
    layers.Dropout(0.2),
    layers.Dense(1)])
model.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer='adam',
              metrics=tf.metrics.BinaryAccuracy(threshold=0.0))
history = model.fit(train_ds, validation_data=test_ds, epochs=10)
loss, accuracy = model.evaluate(test_ds)
print("Accuracy:", accuracy)
export_model = tf.keras.Sequential([vectorize_layer, model, layers.Activation('sigmoid')])
print("export predictions", export_model.predict(np.array(["a great and wonderful film", "awful, boring"])).shape)
