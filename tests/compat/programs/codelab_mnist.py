# The MNIST codelab (seed 000, "TensorFlow, Keras and deep learning, without a PhD") as its notebooks write it:
# the four IDX files read from the public bucket with tf.data, then one of the codelab's models, chosen by argv.
import math
import sys

import numpy as np
import tensorflow as tf
from matplotlib import pyplot as plt

print("Tensorflow version " + tf.__version__)
BATCH_SIZE = 128
EPOCHS = 10
MODEL = sys.argv[1] if len(sys.argv) > 1 else "dense"
tf.random.set_seed(1)  # (not in the codelab: the tests run 20 steps, where an unseeded Adam at 0.01 can stall a CNN)

training_images_file = 'gs://mnist-public/train-images-idx3-ubyte'
training_labels_file = 'gs://mnist-public/train-labels-idx1-ubyte'
validation_images_file = 'gs://mnist-public/t10k-images-idx3-ubyte'
validation_labels_file = 'gs://mnist-public/t10k-labels-idx1-ubyte'


def read_label(tf_bytestring):
    label = tf.io.decode_raw(tf_bytestring, tf.uint8)
    label = tf.reshape(label, [])
    label = tf.one_hot(label, 10)
    return label


def read_image(tf_bytestring):
    image = tf.decode_raw(tf_bytestring, tf.uint8)
    image = tf.cast(image, tf.float32) / 256.0
    image = tf.reshape(image, [28 * 28])
    return image


def load_dataset(image_file, label_file):
    imagedataset = tf.data.FixedLengthRecordDataset(image_file, 28 * 28, header_bytes=16)
    imagedataset = imagedataset.map(read_image, num_parallel_calls=16)
    labelsdataset = tf.data.FixedLengthRecordDataset(label_file, 1, header_bytes=8)
    labelsdataset = labelsdataset.map(read_label, num_parallel_calls=16)
    dataset = tf.data.Dataset.zip((imagedataset, labelsdataset))
    return dataset


def get_training_dataset(image_file, label_file, batch_size):
    dataset = load_dataset(image_file, label_file)
    dataset = dataset.cache()  # this small dataset can be entirely cached in RAM
    dataset = dataset.shuffle(5000, reshuffle_each_iteration=True)
    dataset = dataset.repeat()  # Mandatory for Keras for now
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.prefetch(tf.data.experimental.AUTOTUNE)
    return dataset


def get_validation_dataset(image_file, label_file):
    dataset = load_dataset(image_file, label_file)
    dataset = dataset.cache()
    dataset = dataset.batch(10000, drop_remainder=True)  # 10000 items in eval dataset, all in one batch
    dataset = dataset.repeat()
    return dataset


training_dataset = get_training_dataset(training_images_file, training_labels_file, BATCH_SIZE)
validation_dataset = get_validation_dataset(validation_images_file, validation_labels_file)


def dataset_to_numpy_util(training_dataset, validation_dataset, N):
    batch_train_ds = training_dataset.unbatch().batch(N)
    if tf.executing_eagerly():
        for validation_digits, validation_labels in validation_dataset:
            validation_digits = validation_digits.numpy()
            validation_labels = validation_labels.numpy()
            break
        for training_digits, training_labels in batch_train_ds:
            training_digits = training_digits.numpy()
            training_labels = training_labels.numpy()
            break
    else:
        v_images, v_labels = validation_dataset.make_one_shot_iterator().get_next()
        t_images, t_labels = batch_train_ds.make_one_shot_iterator().get_next()
        with tf.Session() as ses:
            (validation_digits, validation_labels, training_digits, training_labels) = ses.run(
                [v_images, v_labels, t_images, t_labels])
    validation_labels = np.argmax(validation_labels, axis=1)
    training_labels = np.argmax(training_labels, axis=1)
    return (training_digits, training_labels, validation_digits, validation_labels)


class PlotTraining(tf.keras.callbacks.Callback):
    def __init__(self, sample_rate=1, zoom=1):
        super().__init__()
        self.sample_rate = sample_rate
        self.zoom = zoom

    def on_train_begin(self, logs={}):
        self.batch_history = {}
        self.batch_step = 0
        self.epoch_history = {}
        self.epoch_step = 0
        self.fig, self.axes = plt.subplots(1, 2, figsize=(16, 7))

    def on_batch_end(self, batch, logs={}):
        if (batch % self.sample_rate) == 0:
            for k, v in logs.items():
                if k == 'batch' or k == 'size':
                    continue
                self.batch_history.setdefault(k, []).append(v)
            self.batch_step += 1

    def on_epoch_end(self, epoch, logs={}):
        for k, v in logs.items():
            if k == 'batch' or k == 'size':
                continue
            self.epoch_history.setdefault(k, []).append(v)
        self.epoch_step += 1
        self.axes[0].plot(self.batch_history['loss'])
        self.axes[1].plot(self.batch_history['accuracy'])
        plt.show()


def lr_decay(epoch):
    return 0.01 * math.pow(0.6, epoch)


lr_decay_callback = tf.keras.callbacks.LearningRateScheduler(lr_decay, verbose=True)
callbacks = [PlotTraining(sample_rate=10, zoom=1)]

if MODEL == "dense":  # step 1: one softmax layer
    model = tf.keras.Sequential([tf.keras.layers.Input(shape=(28 * 28,)),
                                 tf.keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
elif MODEL == "deep":  # steps 2-4: 200/100/60 relu with dropout and the lr decay
    model = tf.keras.Sequential([
        tf.keras.layers.Input(shape=(28 * 28,)),
        tf.keras.layers.Dense(200, activation='relu'), tf.keras.layers.Dropout(0.25),
        tf.keras.layers.Dense(100, activation='relu'), tf.keras.layers.Dropout(0.25),
        tf.keras.layers.Dense(60, activation='relu'), tf.keras.layers.Dropout(0.25),
        tf.keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.01), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    callbacks.append(lr_decay_callback)
elif MODEL == "cnn":  # step 5: convolutions
    model = tf.keras.Sequential([
        tf.keras.layers.Reshape(input_shape=(28 * 28,), target_shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(kernel_size=3, filters=12, activation='relu', padding='same'),
        tf.keras.layers.Conv2D(kernel_size=6, filters=24, activation='relu', padding='same', strides=2),
        tf.keras.layers.Conv2D(kernel_size=6, filters=32, activation='relu', padding='same', strides=2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(200, activation='relu'), tf.keras.layers.Dropout(0.4),
        tf.keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.01), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    callbacks.append(lr_decay_callback)
elif MODEL == "batchnorm":  # step 6: batch normalization
    model = tf.keras.Sequential([
        tf.keras.layers.Reshape(input_shape=(28 * 28,), target_shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(kernel_size=3, filters=12, use_bias=False, padding='same'),
        tf.keras.layers.BatchNormalization(center=True, scale=False),
        tf.keras.layers.Activation('relu'),
        tf.keras.layers.Conv2D(kernel_size=6, filters=24, use_bias=False, padding='same', strides=2),
        tf.keras.layers.BatchNormalization(center=True, scale=False),
        tf.keras.layers.Activation('relu'),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(200, use_bias=False),
        tf.keras.layers.BatchNormalization(center=True, scale=False),
        tf.keras.layers.Activation('relu'),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.01), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    callbacks.append(tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.01 * math.pow(0.666, epoch),
                                                              verbose=True))
model.summary()

steps_per_epoch = 60000 // BATCH_SIZE  # 60,000 items in this dataset
print("Steps per epoch: ", steps_per_epoch)
history = model.fit(training_dataset, steps_per_epoch=steps_per_epoch, epochs=EPOCHS,
                    validation_data=validation_dataset, validation_steps=1, callbacks=callbacks)

N = 24
(training_digits, training_labels, validation_digits, validation_labels) = dataset_to_numpy_util(
    training_dataset, validation_dataset, N)
probabilities = model.predict(validation_digits[:N], steps=1)
predicted_labels = np.argmax(probabilities, axis=1)
print("history keys", sorted(history.history.keys()))
print("epochs", len(history.history['loss']), "val_accuracy %.3f" % history.history['val_accuracy'][-1])
print("predicted", predicted_labels.shape, "correct", int(np.sum(predicted_labels == validation_labels[:N])))
