# Images from a folder (the "image classification" tutorial): image_dataset_from_directory, class_names,
# augmentation layers, Rescaling, cache/prefetch with AUTOTUNE, a small CNN.
import os
import pathlib
import numpy as np
import PIL.Image
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

data_dir = pathlib.Path("flowers")
rng = np.random.default_rng(0)
for name, channel in (("roses", 0), ("tulips", 2)):
    (data_dir / name).mkdir(parents=True, exist_ok=True)
    for i in range(24):
        img = rng.integers(0, 80, (40, 40, 3)).astype("uint8")
        img[..., channel] += 150
        PIL.Image.fromarray(img).save(data_dir / name / f"{i}.png")
image_count = len(list(data_dir.glob('*/*.png')))
print("images", image_count)
batch_size, img_height, img_width = 8, 32, 32
train_ds = tf.keras.utils.image_dataset_from_directory(data_dir, validation_split=0.25, subset="training",
                                                       seed=123, image_size=(img_height, img_width),
                                                       batch_size=batch_size)
val_ds = tf.keras.utils.image_dataset_from_directory(data_dir, validation_split=0.25, subset="validation",
                                                     seed=123, image_size=(img_height, img_width),
                                                     batch_size=batch_size)
class_names = train_ds.class_names
print(class_names)
for image_batch, labels_batch in train_ds:
    print(image_batch.shape, labels_batch.shape)
    break
AUTOTUNE = tf.data.AUTOTUNE
train_ds = train_ds.cache().shuffle(100).prefetch(buffer_size=AUTOTUNE)
val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)
normalization_layer = layers.Rescaling(1. / 255)
normalized_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))
image_batch, labels_batch = next(iter(normalized_ds))
print("range", float(np.min(image_batch[0])) >= 0, float(np.max(image_batch[0])) <= 1)
data_augmentation = keras.Sequential([
    layers.RandomFlip("horizontal", input_shape=(img_height, img_width, 3)),
    layers.RandomRotation(0.1), layers.RandomZoom(0.1)])
model = keras.Sequential([
    data_augmentation, layers.Rescaling(1. / 255),
    layers.Conv2D(8, 3, padding='same', activation='relu'), layers.MaxPooling2D(),
    layers.Dropout(0.2), layers.Flatten(), layers.Dense(16, activation='relu'), layers.Dense(len(class_names))])
model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
history = model.fit(train_ds, validation_data=val_ds, epochs=3)
img = tf.keras.utils.load_img(str(data_dir / "roses" / "0.png"), target_size=(img_height, img_width))
img_array = tf.keras.utils.img_to_array(img)
img_array = tf.expand_dims(img_array, 0)
score = tf.nn.softmax(model.predict(img_array)[0])
print("This image most likely belongs to {} with a {:.2f} percent confidence."
      .format(class_names[np.argmax(score)], 100 * np.max(score)))
