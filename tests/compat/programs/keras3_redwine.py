# Keras 3 / Kaggle course style (seed 003): red-wine quality with EarlyStopping, read with pandas
import os
import keras
import pandas as pd
from keras import layers, callbacks

red_wine = pd.read_csv(os.path.join(os.environ["DENDRITE_DATA"], "red-wine.csv"))
df_train = red_wine.sample(frac=0.7, random_state=0)
df_valid = red_wine.drop(df_train.index)
max_, min_ = df_train.max(axis=0), df_train.min(axis=0)
df_train = (df_train - min_) / (max_ - min_)
df_valid = (df_valid - min_) / (max_ - min_)
X_train, X_valid = df_train.drop('quality', axis=1), df_valid.drop('quality', axis=1)
y_train, y_valid = df_train['quality'], df_valid['quality']
early_stopping = callbacks.EarlyStopping(min_delta=0.001, patience=5, restore_best_weights=True)
model = keras.Sequential([
    layers.Dense(64, activation='relu', input_shape=[11]),
    layers.Dense(64, activation='relu'),
    layers.Dense(1),
])
model.compile(optimizer='adam', loss='mae')
history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), batch_size=256, epochs=500,
                    callbacks=[early_stopping], verbose=0)
history_df = pd.DataFrame(history.history)
print("epochs run", len(history_df), "of 500")
print("min val_loss {:.4f}".format(history_df['val_loss'].min()))
print("patience", early_stopping.patience, "min_delta", early_stopping.min_delta)
