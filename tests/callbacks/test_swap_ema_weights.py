"""SwapEMAWeights: evaluation on the optimizer's moving averages, weights back afterwards, swap_on_epoch's end
state, Keras 3.15's predict quirk, and the error without use_ema."""
import numpy as np
import pytest

import dendrite
from dendrite import callbacks, layers, optimizers


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype(np.float32)
    return x, (x @ np.array([[1.0], [-1.0], [0.5], [2.0]])).astype(np.float32)


def _model(use_ema=True):
    dendrite.utils.set_random_seed(0)
    model = dendrite.Sequential([layers.Input((4,)), layers.Dense(1)])
    model.compile(optimizers.SGD(0.05, use_ema=use_ema, ema_momentum=0.8), "mse")
    return model


def test_evaluate_uses_the_averages_and_restores_the_weights():
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)  # (fit ends with the weights set to their averages)
    model.train_on_batch(x[:16], y[:16])  # the weights move off their averages
    weights = [w.copy() for w in model.get_weights()]
    averages = [np.array(a, copy=True) for a in model.optimizer._averages]
    swap = callbacks.SwapEMAWeights()
    with_ema = model.evaluate(x, y, verbose=0, callbacks=[swap])
    for w, kept in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(w, kept)  # swapped back at the end
    reference = _model(use_ema=False)
    reference.set_weights(averages)
    np.testing.assert_allclose(with_ema, reference.evaluate(x, y, verbose=0), rtol=1e-6)
    assert with_ema != pytest.approx(model.evaluate(x, y, verbose=0))


def test_swap_on_epoch_leaves_the_averages_in_the_model():
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[callbacks.SwapEMAWeights(swap_on_epoch=True)])
    for w, a in zip(model.trainable_weights, model.optimizer._averages):
        np.testing.assert_array_equal(w.numpy(), a)  # finalized: the averages equal the weights


def test_predict_keeps_the_averaged_weights_as_keras_does():
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.train_on_batch(x[:16], y[:16])
    averages = [np.array(a, copy=True) for a in model.optimizer._averages]
    model.predict(x, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
    for w, a in zip(model.trainable_weights, averages):
        np.testing.assert_array_equal(w.numpy(), a)


def test_requires_use_ema():
    x, y = _data()
    model = _model(use_ema=False)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.evaluate(x, y, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
