"""keras.preprocessing.image's Iterator, NumpyArrayIterator and DirectoryIterator, and the transform functions
in the keras / tf.keras namespaces, on MNIST digits."""
import numpy as np
import pytest

MNIST = "/work/shared/data/mnist.npz"


@pytest.fixture(scope="module")
def digits():
    with np.load(MNIST) as f:
        return f["x_train"][:40, :, :, None].astype("float32") / 255.0, f["y_train"][:40]


def test_a_subclass_of_iterator_gets_the_batching(keras, digits):
    x, y = digits

    class Halves(keras.preprocessing.image.Iterator):
        def __init__(self, x, y):
            self.x, self.y = x, y
            super().__init__(len(x), batch_size=16, shuffle=True, seed=3)

        def _get_batches_of_transformed_samples(self, index_array):
            return self.x[index_array] * 0.5, self.y[index_array]

    it = Halves(x, y)
    assert len(it) == 3
    seen = [it[i][1] for i in range(len(it))]
    assert sorted(np.concatenate(seen).tolist()) == sorted(y.tolist())  # one epoch covers every sample once
    xb, yb = next(it)
    assert xb.shape == (16, 28, 28, 1) and xb.max() <= 0.5
    model = keras.Sequential([keras.layers.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    assert len(model.fit(it, epochs=2, verbose=0).history["loss"]) == 2


def test_numpy_array_iterator_is_what_flow_gives(keras, digits):
    x, y = digits
    gen = keras.preprocessing.image.ImageDataGenerator(rescale=2.0)
    it = keras.preprocessing.image.NumpyArrayIterator(x, y, gen, batch_size=10, shuffle=False)
    assert isinstance(it, keras.preprocessing.image.Iterator) and len(it) == 4
    xb, yb = it[1]
    np.testing.assert_allclose(xb, x[10:20] * 2.0)
    np.testing.assert_array_equal(yb, y[10:20])
    assert isinstance(gen.flow(x, y), keras.preprocessing.image.Iterator)


def test_directory_iterator_reads_class_folders(keras, digits, tmp_path):
    x, y = digits
    for k in range(6):
        folder = tmp_path / f"class_{y[k] % 2}"
        folder.mkdir(exist_ok=True)
        keras.preprocessing.image.save_img(str(folder / f"{k}.png"), x[k] * 255.0, scale=False)
    gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255.0)
    it = keras.preprocessing.image.DirectoryIterator(str(tmp_path), gen, target_size=(28, 28),
                                                     color_mode="grayscale", batch_size=4, class_mode="sparse")
    assert it.samples == 6 and it.class_indices == {"class_0": 0, "class_1": 1} and len(it) == 2
    xb, yb = it[0]
    assert xb.shape == (4, 28, 28, 1) and 0.0 <= xb.min() and xb.max() <= 1.0


def test_transform_functions_are_served_in_the_namespaces(tf, keras, digits):
    x = digits[0][0]
    for ns in (keras.preprocessing.image, tf.keras.preprocessing.image):
        rotated = ns.apply_affine_transform(x, theta=90, row_axis=0, col_axis=1, channel_axis=2)
        np.testing.assert_allclose(rotated[..., 0], np.rot90(x[..., 0], 1), atol=1e-4)
        assert ns.smart_resize(x, (14, 7)).shape == (14, 7, 1)
    seq = keras.preprocessing.sequence
    assert len(seq.make_sampling_table(5)) == 5 and callable(seq.skipgrams)
    assert len(seq.TimeseriesGenerator(np.arange(20), np.arange(20), length=4, batch_size=4)) == 4


def test_image_data_generator_brightness_and_channel_shift(keras, digits):
    x = digits[0][:8] * 255.0
    dark = keras.preprocessing.image.ImageDataGenerator(brightness_range=(0.2, 0.3)).flow(x, batch_size=8,
                                                                                          shuffle=False)[0]
    assert dark.shape == x.shape and 0.15 * x.mean() < dark.mean() < 0.35 * x.mean()
    shifted = keras.preprocessing.image.ImageDataGenerator(channel_shift_range=40.0).flow(x, batch_size=8,
                                                                                         shuffle=False)[0]
    assert shifted.min() >= 0.0 and shifted.max() <= 255.0 and not np.allclose(shifted, x)
    with pytest.raises(ValueError, match="brightness_range"):
        keras.preprocessing.image.ImageDataGenerator(brightness_range=0.5)
