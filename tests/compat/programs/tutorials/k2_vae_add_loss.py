# Keras 2 standalone's MLP variational autoencoder: the loss is built from the model's input and output with
# backend functions and a loss function on symbolic tensors, then given to the model with add_loss; compile
# takes no loss, fit no targets, and validation_data is (x, None). The encoder predicts the latent means.
import numpy as np
from keras import backend as K
from keras.datasets import mnist
from keras.layers import Dense, Input, Lambda
from keras.losses import mse
from keras.models import Model

(x_train, _), (x_test, y_test) = mnist.load_data()
x_train = x_train[:2000].reshape(-1, 784).astype('float32') / 255
x_test = x_test[:500].reshape(-1, 784).astype('float32') / 255
latent_dim = 2


def sampling(args):
    mean, log_var = args
    epsilon = K.random_normal(shape=(K.shape(mean)[0], K.int_shape(mean)[1]))
    return mean + K.exp(0.5 * log_var) * epsilon


inputs = Input(shape=(784,), name='encoder_input')
x = Dense(64, activation='relu')(inputs)
z_mean = Dense(latent_dim, name='z_mean')(x)
z_log_var = Dense(latent_dim, name='z_log_var')(x)
z = Lambda(sampling, output_shape=(latent_dim,), name='z')([z_mean, z_log_var])
encoder = Model(inputs, [z_mean, z_log_var, z], name='encoder')

latent_inputs = Input(shape=(latent_dim,), name='z_sampling')
x = Dense(64, activation='relu')(latent_inputs)
outputs = Dense(784, activation='sigmoid')(x)
decoder = Model(latent_inputs, outputs, name='decoder')

outputs = decoder(encoder(inputs)[2])
vae = Model(inputs, outputs, name='vae_mlp')
reconstruction_loss = mse(inputs, outputs) * 784
kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
vae.add_loss(K.mean(reconstruction_loss + kl_loss))
vae.compile(optimizer='adam')
history = vae.fit(x_train, epochs=3, batch_size=64, validation_data=(x_test, None))
z_mean_pred = encoder.predict(x_test, batch_size=64)[0]
print('keys', sorted(history.history), 'finite', bool(np.isfinite(history.history['loss']).all()),
      'latent means', z_mean_pred.shape)
