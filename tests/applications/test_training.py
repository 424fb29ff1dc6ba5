"""A tiny application trains: MobileNetV2(alpha=0.35, weights=None) on MNIST digits padded to 32x32 RGB fits
without error and its training loss falls (Keras 3, seeded alike, goes 2.73 -> 2.54 -> 2.28 over three
epochs of this data; dendrite 2.72 -> 2.43 -> 2.28)."""
import numpy as np

from dendrite import applications, optimizers


def test_mobilenet_v2_fits_padded_digits(mnist):
    (x, y), _ = mnist
    x = np.pad(x[:512], ((0, 0), (2, 2), (2, 2))).astype("float32")
    x = np.repeat(x[..., None], 3, axis=-1)
    x = applications.mobilenet_v2.preprocess_input(x)
    y = y[:512]
    model = applications.MobileNetV2(alpha=0.35, input_shape=(32, 32, 3), classes=10, weights=None)
    model.compile(optimizer=optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    loss = history.history["loss"]
    assert np.all(np.isfinite(loss)) and loss[-1] < loss[0] * 0.9
    assert model.predict(x[:4], verbose=0).shape == (4, 10)
