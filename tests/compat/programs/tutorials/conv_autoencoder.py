# A convolutional autoencoder on Fashion-MNIST (Keras functional style): Conv2D, MaxPooling2D, UpSampling2D,
# Conv2DTranspose, a subclassed Model holding encoder and decoder, reconstruction error.
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.datasets import fashion_mnist
from tensorflow.keras.models import Model

(x_train, _), (x_test, _) = fashion_mnist.load_data()
x_train = x_train[:1000].astype('float32') / 255.
x_test = x_test[:200].astype('float32') / 255.
x_train = x_train[..., tf.newaxis]
x_test = x_test[..., tf.newaxis]


class Denoise(Model):
    def __init__(self):
        super(Denoise, self).__init__()
        self.encoder = tf.keras.Sequential([
            layers.Input(shape=(28, 28, 1)),
            layers.Conv2D(8, (3, 3), activation='relu', padding='same', strides=2),
            layers.Conv2D(4, (3, 3), activation='relu', padding='same', strides=2)])
        self.decoder = tf.keras.Sequential([
            layers.Conv2DTranspose(4, kernel_size=3, strides=2, activation='relu', padding='same'),
            layers.Conv2DTranspose(8, kernel_size=3, strides=2, activation='relu', padding='same'),
            layers.Conv2D(1, kernel_size=(3, 3), activation='sigmoid', padding='same')])

    def call(self, x):
        return self.decoder(self.encoder(x))


noise_factor = 0.2
x_train_noisy = tf.clip_by_value(x_train + noise_factor * tf.random.normal(shape=x_train.shape), 0., 1.)
x_test_noisy = tf.clip_by_value(x_test + noise_factor * tf.random.normal(shape=x_test.shape), 0., 1.)
autoencoder = Denoise()
autoencoder.compile(optimizer='adam', loss=losses.MeanSquaredError())
autoencoder.fit(x_train_noisy, x_train, epochs=3, shuffle=True, validation_data=(x_test_noisy, x_test))
encoded_imgs = autoencoder.encoder(x_test_noisy).numpy()
decoded_imgs = autoencoder.decoder(encoded_imgs).numpy()
print("encoded", encoded_imgs.shape, "decoded", decoded_imgs.shape)
inputs = layers.Input(shape=(28, 28, 1))
h = layers.MaxPooling2D((2, 2), padding='same')(layers.Conv2D(8, (3, 3), activation='relu', padding='same')(inputs))
h = layers.UpSampling2D((2, 2))(h)
out = layers.Conv2D(1, (3, 3), activation='sigmoid', padding='same')(h)
plain = Model(inputs, out)
plain.compile(optimizer='adadelta', loss='binary_crossentropy')
plain.fit(x_train, x_train, epochs=1, batch_size=128, verbose=0)
print("mse", float(np.mean((plain.predict(x_test) - x_test) ** 2)) < 1.0)
