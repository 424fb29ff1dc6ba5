# scikit-learn preprocessing feeding Keras (Kaggle course style): train_test_split, StandardScaler,
# OneHotEncoder in a make_column_transformer, then a Dense network with BatchNormalization and EarlyStopping.
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tensorflow import keras
from tensorflow.keras import layers, callbacks

rng = np.random.default_rng(2)
X = pd.DataFrame({"age": rng.integers(18, 80, 500), "income": rng.normal(50, 10, 500),
                  "city": rng.choice(["a", "b", "c"], 500)})
y = ((X["age"] > 40) & (X["city"] != "c")).astype(int)
preprocessor = make_column_transformer((StandardScaler(), ["age", "income"]),
                                       (OneHotEncoder(handle_unknown="ignore"), ["city"]))
X_train, X_valid, y_train, y_valid = train_test_split(X, y, stratify=y, train_size=0.75)
X_train = preprocessor.fit_transform(X_train)
X_valid = preprocessor.transform(X_valid)
input_shape = [X_train.shape[1]]
model = keras.Sequential([
    layers.BatchNormalization(input_shape=input_shape),
    layers.Dense(256, activation='relu'), layers.BatchNormalization(), layers.Dropout(0.3),
    layers.Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['binary_accuracy'])
early_stopping = callbacks.EarlyStopping(patience=5, min_delta=0.001, restore_best_weights=True)
history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), batch_size=64, epochs=20,
                    callbacks=[early_stopping], verbose=0)
history_df = pd.DataFrame(history.history)
print(("Best Validation Loss: {:0.4f}" + "\nBest Validation Accuracy: {:0.4f}")
      .format(history_df['val_loss'].min(), history_df['val_binary_accuracy'].max()))
print("patience", early_stopping.patience, "min_delta", early_stopping.min_delta)
