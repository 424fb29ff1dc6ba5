# Regression on a pandas DataFrame (the TF "basic regression" style): Normalization adapted on numbers,
# fit on a DataFrame with validation_split, predict on tf.linspace, evaluate returning a scalar.
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(3)
df = pd.DataFrame({"Horsepower": rng.uniform(50, 230, 400), "Weight": rng.uniform(1600, 5000, 400),
                   "Origin": rng.integers(1, 4, 400)})
df["MPG"] = 50 - 0.1 * df["Horsepower"] - 0.004 * df["Weight"] + rng.normal(0, 1, 400)
df = pd.get_dummies(df, columns=["Origin"], prefix="", prefix_sep="", dtype=float)
train_dataset = df.sample(frac=0.8, random_state=0)
test_dataset = df.drop(train_dataset.index)
train_features = train_dataset.copy()
test_features = test_dataset.copy()
train_labels = train_features.pop('MPG')
test_labels = test_features.pop('MPG')
print(train_dataset.describe().transpose()[['mean', 'std']].shape)
horsepower = np.array(train_features['Horsepower'])
horsepower_normalizer = layers.Normalization(input_shape=[1, ], axis=None)
horsepower_normalizer.adapt(horsepower)
horsepower_model = tf.keras.Sequential([horsepower_normalizer, layers.Dense(units=1)])
horsepower_model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss='mean_absolute_error')
history = horsepower_model.fit(train_features['Horsepower'], train_labels, epochs=20, verbose=0,
                               validation_split=0.2)
x = tf.linspace(0.0, 250, 251)
y = horsepower_model.predict(x)
print("line", y.shape)
normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))
print("mean", normalizer.mean.numpy().shape)
dnn = keras.Sequential([normalizer, layers.Dense(64, activation='relu'), layers.Dense(64, activation='relu'),
                        layers.Dense(1)])
dnn.compile(loss='mean_absolute_error', optimizer=tf.keras.optimizers.Adam(0.001))
dnn.fit(train_features, train_labels, validation_split=0.2, verbose=0, epochs=30)
test_results = {'dnn_model': dnn.evaluate(test_features, test_labels, verbose=0)}
print(pd.DataFrame(test_results, index=['Mean absolute error [MPG]']).T)
print("first layer", dnn.layers[1].kernel.shape)
