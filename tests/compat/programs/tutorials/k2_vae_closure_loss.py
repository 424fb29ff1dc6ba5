# Keras 2's variational autoencoder as its examples and many books wrote it before add_loss: the loss function
# closes over the encoder's symbolic z_mean and z_log_var, and uses keras.metrics.binary_crossentropy.
import numpy as np
from keras import backend as K
from keras import metrics
from keras.datasets import mnist
from keras.layers import Dense, Input, Lambda
from keras.models import Model

batch_size, original_dim, latent_dim, intermediate_dim = 100, 784, 2, 64


def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=(K.shape(z_mean)[0], latent_dim), mean=0., stddev=1.0)
    return z_mean + K.exp(z_log_var / 2) * epsilon


x = Input(shape=(original_dim,))
h = Dense(intermediate_dim, activation='relu')(x)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)
z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
decoder_h = Dense(intermediate_dim, activation='relu')
decoder_mean = Dense(original_dim, activation='sigmoid')
x_decoded_mean = decoder_mean(decoder_h(z))
vae = Model(x, x_decoded_mean)


def vae_loss(x, x_decoded_mean):
    xent_loss = original_dim * metrics.binary_crossentropy(x, x_decoded_mean)
    kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    return K.mean(xent_loss + kl_loss)


vae.compile(optimizer='rmsprop', loss=vae_loss)
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train[:3000].reshape(-1, original_dim).astype('float32') / 255.
x_test = x_test[:500].reshape(-1, original_dim).astype('float32') / 255.
before = vae.evaluate(x_test, x_test, verbose=0)
history = vae.fit(x_train, x_train, shuffle=True, epochs=2, batch_size=batch_size,
                  validation_data=(x_test, x_test))
encoder = Model(x, z_mean)
x_test_encoded = encoder.predict(x_test, batch_size=batch_size)
after = vae.evaluate(x_test, x_test, verbose=0)
print("loss falls", after < before - 20, "encoded", x_test_encoded.shape)
