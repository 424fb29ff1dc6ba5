# The usual plotting of a History: matplotlib curves, pd.DataFrame(history.history).plot(), plt.show().
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, y_train = x_train[:1500] / 255.0, y_train[:1500]
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag',
               'Ankle boot']
plt.figure(figsize=(10, 10))
for i in range(9):
    plt.subplot(3, 3, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(x_train[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[y_train[i]])
plt.show()
model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(64, activation='relu'),
                          keras.layers.Dense(10)])
model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
history = model.fit(x_train, y_train, epochs=4, validation_split=0.2, verbose=0)
acc = history.history['accuracy']
val_acc = history.history['val_accuracy']
epochs_range = range(len(acc))
plt.figure(figsize=(8, 4))
plt.subplot(1, 2, 1)
plt.plot(epochs_range, acc, label='Training Accuracy')
plt.plot(epochs_range, val_acc, label='Validation Accuracy')
plt.legend(loc='lower right')
plt.subplot(1, 2, 2)
plt.plot(history.epoch, history.history['loss'], 'bo', label='loss')
plt.show()
history_df = pd.DataFrame(history.history)
history_df.loc[:, ['loss', 'val_loss']].plot()
plt.show()
probability_model = keras.Sequential([model, keras.layers.Softmax()])
predictions = probability_model.predict(x_train[:5])
print("predicted", np.argmax(predictions[0]), "rows", len(history_df))
