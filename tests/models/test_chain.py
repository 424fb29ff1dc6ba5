"""models/chain.py: a BatchNormalization followed by a plain relu layer runs as one fused op, with the
same outputs, gradients and training as the two layers run one after the other."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers import normalization


def _net(relu_layer, functional=False):
    dendrite.utils.set_random_seed(3)
    stack = [layers.Conv2D(6, 3, use_bias=False), layers.BatchNormalization(scale=False), relu_layer,
             layers.Flatten(), layers.Dense(10, activation="softmax")]
    if functional:
        inputs = dendrite.Input((12, 12, 1))
        x = inputs
        for layer in stack:
            x = layer(x)
        model = dendrite.Model(inputs, x)
    else:
        model = dendrite.Sequential([dendrite.Input((12, 12, 1))] + stack)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def _train(model, mnist):
    (x, y), _ = mnist
    x = x[:256, 8:20, 8:20, None].astype(np.float32) / 255.0
    history = model.fit(x, y[:256], batch_size=32, epochs=2, verbose=0)
    return history.history["loss"], model.get_weights(), model.predict(x[:64], verbose=0)


@pytest.mark.parametrize("relu_layer", [lambda: layers.Activation("relu"), lambda: layers.ReLU()])
@pytest.mark.parametrize("functional", [False, True])
def test_fused_batch_norm_relu_trains_exactly_as_the_two_layers(relu_layer, functional, mnist, monkeypatch):
    calls = []
    real = normalization.batch_norm

    def spy(*args, **kwargs):
        calls.append(args[-1])  # the activation argument
        return real(*args, **kwargs)
    monkeypatch.setattr(normalization, "batch_norm", spy)
    fused = _train(_net(relu_layer(), functional), mnist)
    assert "relu" in calls  # the pair ran fused
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_next_relu", False)
    calls.clear()
    apart = _train(_net(relu_layer(), functional), mnist)
    assert "relu" not in calls
    np.testing.assert_allclose(fused[0], apart[0], rtol=1e-6)
    for a, b in zip(fused[1], apart[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fused[2], apart[2], rtol=1e-5, atol=1e-6)
    assert (fused[2].sum(axis=1) > 0.999).all()


def test_relu_with_options_and_other_activations_are_not_fused():
    # ReLU(max_value=...) and Activation('tanh') keep their own meaning after a BatchNormalization
    for relu_layer, check in [(layers.ReLU(max_value=0.5), lambda a: a.max() <= 0.5 and a.min() >= 0),
                              (layers.Activation("tanh"), lambda a: a.min() < 0)]:
        dendrite.utils.set_random_seed(4)
        model = dendrite.Sequential([dendrite.Input((5,)), layers.Dense(8), layers.BatchNormalization(), relu_layer])
        model.compile(optimizer="sgd", loss="mse")
        x = np.random.default_rng(0).standard_normal((64, 5)).astype(np.float32) * 3
        model.fit(x, np.zeros((64, 8), np.float32), batch_size=16, epochs=1, verbose=0)
        assert check(model.predict(x, verbose=0))
        assert check(model(x, training=True).numpy())
