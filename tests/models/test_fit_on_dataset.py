"""fit / evaluate / predict on a dendrite.data.Dataset: the same weights and figures as on the arrays it was
built from (for a fixed seed and the same batch order), repeat() with steps_per_epoch, validation from a
Dataset, and a dataset of unknown length."""
import numpy as np
import pytest

import dendrite
from dendrite import data, layers


@pytest.fixture
def mnist_slice():
    (x, y), _ = dendrite.datasets.mnist.load_data()
    return x[:512].reshape(-1, 784).astype(np.float32) / 255, y[:512]


def _model():
    dendrite.utils.set_random_seed(7)
    model = dendrite.Sequential([dendrite.Input((784,)), layers.Dense(32, activation="relu"), layers.Dropout(0.2),
                                 layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_a_batched_dataset_trains_exactly_as_the_arrays(mnist_slice):
    x, y = mnist_slice
    on_arrays = _model()
    h1 = on_arrays.fit(x, y, batch_size=64, epochs=2, shuffle=False, validation_data=(x[:128], y[:128]), verbose=0)
    on_data = _model()
    ds = data.Dataset.from_tensor_slices((x, y)).batch(64).prefetch(data.AUTOTUNE)
    val = data.Dataset.from_tensor_slices((x[:128], y[:128])).batch(64)  # as validation_batch_size
    h2 = on_data.fit(ds, epochs=2, validation_data=val, verbose=0)
    assert h1.history == h2.history
    for a, b in zip(on_arrays.get_weights(), on_data.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert on_data.evaluate(ds, verbose=0) == on_arrays.evaluate(x, y, batch_size=64, verbose=0)
    np.testing.assert_array_equal(on_data.predict(ds.map(lambda xb, yb: xb), verbose=0),
                                  on_arrays.predict(x, batch_size=64, verbose=0))


def test_repeat_with_steps_per_epoch_and_one_validation_batch_as_the_codelab(mnist_slice, capsys):
    x, y = mnist_slice
    model = _model()
    train = data.Dataset.from_tensor_slices((x, y)).shuffle(256).repeat().batch(32, drop_remainder=True)
    val = data.Dataset.from_tensor_slices((x[:100], y[:100])).batch(100).repeat()
    history = model.fit(train, steps_per_epoch=5, epochs=3, validation_data=val, validation_steps=1, verbose=2)
    assert len(history.history["val_accuracy"]) == 3
    assert model.optimizer.iterations.numpy() == 15
    assert capsys.readouterr().out.count("5/5") == 3
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(train, epochs=1, verbose=0)  # an infinite dataset needs steps_per_epoch


def test_unknown_length_dataset_learns_its_count(mnist_slice, capsys):
    x, y = mnist_slice
    model = _model()
    ds = data.Dataset.from_tensor_slices((x, y)).filter(lambda xi, yi: yi != 3).batch(64)
    assert ds.cardinality() == data.UNKNOWN_CARDINALITY
    history = model.fit(ds, epochs=2, verbose=1)
    out = capsys.readouterr().out
    steps = len(list(ds))
    assert out.count(f"{steps}/{steps} [") == 2  # each epoch's last line shows the count learned in the first
    assert model.optimizer.iterations.numpy() == 2 * steps and len(history.history["loss"]) == 2
