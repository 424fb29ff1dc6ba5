# Keras 2 standalone with the backend as K: a custom loss and metric written with K functions, a Lambda
# layer, a custom Layer with add_weight, K.function to read an intermediate output, Model.metrics_names.
import numpy as np
import keras
from keras import backend as K
from keras.layers import Input, Dense, Lambda, Layer
from keras.models import Model


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


def r_square(y_true, y_pred):
    ss_res = K.sum(K.square(y_true - y_pred))
    ss_tot = K.sum(K.square(y_true - K.mean(y_true)))
    return 1 - ss_res / (ss_tot + K.epsilon())


class Scale(Layer):
    def __init__(self, **kwargs):
        super(Scale, self).__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(name='kernel', shape=(input_shape[1],), initializer='ones', trainable=True)
        super(Scale, self).build(input_shape)

    def call(self, x):
        return x * self.kernel

    def compute_output_shape(self, input_shape):
        return input_shape


x = np.random.rand(400, 4)
y = x.dot(np.array([1.0, 2.0, -1.0, 0.5]))[:, None]
inp = Input(shape=(4,))
h = Scale()(inp)
h = Dense(16, activation='relu', name='hidden')(h)
h = Lambda(lambda t: t * 2.0)(h)
out = Dense(1)(h)
model = Model(inputs=inp, outputs=out)
model.compile(optimizer=keras.optimizers.Adam(lr=0.01), loss=rmse, metrics=[r_square, 'mae'])
model.fit(x, y, epochs=5, batch_size=32, verbose=2)
print("metrics_names", model.metrics_names)
get_hidden = K.function([model.input], [model.get_layer('hidden').output])
print("hidden", get_hidden([x[:3]])[0].shape)
print("K", K.backend(), K.floatx(), K.image_data_format(), K.int_shape(model.output))
K.clear_session()
