"""models/fusion.py: a BatchNormalization followed by a plain relu layer runs as one fused op, with the
same outputs, gradients and training as the two layers run one after the other; in inference without a
tape, a Conv2D -> BatchNormalization (-> relu) runs as one convolution with the normalisation folded in."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.autodiff.ops import conv as conv_ops
from dendrite.layers import normalization


@pytest.fixture
def crops(mnist):
    """MNIST's central 12 x 12 pixels, scaled to [0, 1], and the labels."""
    (x, y), _ = mnist
    return x[:256, 8:20, 8:20, None].astype(np.float32) / 255.0, y[:256]


def _activation(args, kwargs, position):
    """The activation argument of an op call, given by keyword or at ``position``."""
    return kwargs["activation"] if "activation" in kwargs else args[position] if len(args) > position else None


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


def _train(model, crops):
    x, y = crops
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    return history.history["loss"], model.get_weights(), model.predict(x[:64], verbose=0)


@pytest.mark.parametrize("relu_layer", [lambda: layers.Activation("relu"), lambda: layers.ReLU()])
@pytest.mark.parametrize("functional", [False, True])
def test_fused_batch_norm_relu_trains_exactly_as_the_two_layers(relu_layer, functional, crops, monkeypatch):
    calls = []
    real = normalization.batch_norm

    def spy(*args, **kwargs):
        calls.append(_activation(args, kwargs, 5))  # batch_norm(x, gamma, beta, axis, epsilon, activation)
        return real(*args, **kwargs)
    monkeypatch.setattr(normalization, "batch_norm", spy)
    fused = _train(_net(relu_layer(), functional), crops)
    assert "relu" in calls  # the pair ran fused
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_next_relu", False)
    calls.clear()
    apart = _train(_net(relu_layer(), functional), crops)
    assert calls and "relu" not in calls
    np.testing.assert_allclose(fused[0], apart[0], rtol=1e-6)
    for a, b in zip(fused[1], apart[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fused[2], apart[2], rtol=1e-5, atol=1e-6)
    assert fused[0][1] < fused[0][0]  # and it trains


def test_relu_with_options_and_other_activations_are_not_fused():
    # ReLU with options, a relu with an activity regularizer and Activation('tanh') keep their own meaning
    # after a BatchNormalization
    for relu_layer, check in [(layers.ReLU(max_value=0.5), lambda a: a.max() <= 0.5 and a.min() >= 0),
                              (layers.ReLU(negative_slope=0.1), lambda a: a.min() < 0),
                              (layers.ReLU(threshold=0.5), lambda a: not ((a > 0) & (a < 0.5)).any()
                               and (a == 0).mean() > 0.55),
                              (layers.Activation("relu", activity_regularizer="l2"), lambda a: a.min() >= 0),
                              (layers.Activation("tanh"), lambda a: a.min() < 0)]:
        dendrite.utils.set_random_seed(4)
        model = dendrite.Sequential([dendrite.Input((5,)), layers.Dense(8), layers.BatchNormalization(), relu_layer])
        model.compile(optimizer="sgd", loss="mse")
        x = np.random.default_rng(0).standard_normal((64, 5)).astype(np.float32) * 3
        model.fit(x, np.zeros((64, 8), np.float32), batch_size=16, epochs=1, verbose=0)
        assert check(model.predict(x, verbose=0))
        assert check(model(x, training=True).numpy())
        if relu_layer.activity_regularizer is not None:  # its penalty is still taken, so it ran as a layer
            assert relu_layer.losses


def _conv_bn_net(use_bias, scale, relu):
    dendrite.utils.set_random_seed(6)
    stack = [dendrite.Input((12, 12, 1)), layers.Conv2D(5, 3, strides=2, padding="same", use_bias=use_bias),
             layers.BatchNormalization(scale=scale, momentum=0.5)]
    stack += [layers.Activation("relu")] if relu else []
    model = dendrite.Sequential(stack + [layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("use_bias, scale, relu", [(False, False, True), (True, True, True), (False, True, False)])
def test_inference_folds_batch_norm_into_the_convolution(use_bias, scale, relu, crops, monkeypatch):
    x, y = crops
    model = _conv_bn_net(use_bias, scale, relu)
    model.fit(x, y, batch_size=32, epochs=2, verbose=0)  # moving statistics away from their start
    convs, norms = [], []
    conv2d, bn_inference = conv_ops.conv2d, normalization.batch_norm_inference
    # the convolution op's bias and activation arguments, and the batch-norm ops that run
    monkeypatch.setattr(conv_ops, "conv2d", lambda *a, **k: convs.append(
        ((k["bias"] if "bias" in k else a[2]) is not None, _activation(a, k, 7))) or conv2d(*a, **k))
    monkeypatch.setattr(normalization, "batch_norm_inference", lambda *a, **k: norms.append(1) or bn_inference(*a, **k))
    folded = model.predict(x, verbose=0)
    # the normalisation ran inside the convolution: as its bias, with the relu if there is one
    assert convs and set(convs) == {(True, "relu" if relu else None)} and not norms
    folded_eval = model.evaluate(x, y, verbose=0)
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_conv", lambda self, conv, training: False)
    convs.clear()
    apart = model.predict(x, verbose=0)
    assert norms and set(convs) == {(use_bias, None)}
    np.testing.assert_allclose(folded, apart, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(folded_eval, model.evaluate(x, y, verbose=0), rtol=1e-5)


def test_no_folding_while_a_gradient_is_recorded(crops):
    # inference mode inside a GradientTape: the layers run one by one, so the gradients reach the batch
    # normalization's weights and the convolution's kernel exactly as without fusion
    x = crops[0][:16]
    model = _conv_bn_net(False, True, True)
    conv, bn = model.layers[0], model.layers[1]
    with dendrite.GradientTape() as tape:
        out = model(x, training=False)
        loss = dendrite.ops.sum(dendrite.ops.multiply(out, out))
    grads = tape.gradient(loss, [conv.kernel, bn.gamma, bn.beta])
    assert all(g is not None and np.abs(g).sum() > 0 for g in grads)
    with dendrite.GradientTape() as tape:
        z = conv(x)
        h = layers.Flatten()(dendrite.ops.relu(bn(z, training=False)))
        loss2 = dendrite.ops.sum(dendrite.ops.multiply(model.layers[-1](h), model.layers[-1](h)))
    for a, b in zip(grads, tape.gradient(loss2, [conv.kernel, bn.gamma, bn.beta])):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_folded_convolution_still_checks_its_input():
    # a Sequential without an Input checks no shapes itself: the refusal comes from the Conv2D, as unfused
    model = dendrite.Sequential([layers.Conv2D(4, 3, use_bias=False), layers.BatchNormalization(),
                                 layers.Activation("relu")])
    model.predict(np.zeros((2, 12, 12, 1), np.float32), verbose=0)
    assert model.layers[1].fuses_conv(model.layers[0], False)  # predict takes the folded path
    with pytest.raises(ValueError, match=r"Conv2D 'conv2d.*' was built for inputs with 1 channels.*with 3 channels"):
        model.predict(np.zeros((2, 12, 12, 3), np.float32), verbose=0)


@pytest.mark.parametrize("first, second", [
    (lambda: layers.Conv2D(5, 3, activation="relu"), lambda: layers.BatchNormalization()),  # relu before the norm
    (lambda: layers.Conv2D(5, 3), lambda: layers.BatchNormalization(axis=2)),  # normalizes a spatial axis
    (lambda: layers.Conv2D(5, 3, activity_regularizer="l2"), lambda: layers.BatchNormalization()),
    (lambda: layers.Conv2D(5, 3), lambda: layers.BatchNormalization(activity_regularizer="l2")),
    (lambda: layers.Conv2D(5, 3), lambda: layers.BatchNormalization(trainable=False)),  # fine-tuning: moving stats
])
def test_folding_only_where_it_is_the_same_function(first, second, crops, monkeypatch):
    """Predictions, evaluate's loss and a training-mode call through Conv2D -> BatchNormalization pairs that
    must not be folded, or fold only in inference, equal those of the layers run one by one."""
    x, y = crops
    dendrite.utils.set_random_seed(8)
    model = dendrite.Sequential([dendrite.Input((12, 12, 1)), first(), second(), layers.Flatten(),
                                 layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # moving statistics away from their start
    weights = model.get_weights()

    def outputs():  # a training-mode call moves the moving statistics: each run starts from the same weights
        model.set_weights(weights)
        # evaluate's loss includes the activity penalties, taken on each layer's own output
        return [model.predict(x[:64], verbose=0), np.float64(model.evaluate(x[:64], y[:64], verbose=0)),
                model(x[:64], training=True).numpy()]
    got = outputs()
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_conv", lambda self, conv, training: None)
    for a, b in zip(got, outputs()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def _residual(second_reader):
    """conv -> BN -> relu, added to the input (a ResNet block); with ``second_reader`` the BN's output is
    also read by another layer, so it must not be fused with the relu."""
    dendrite.utils.set_random_seed(5)
    inputs = dendrite.Input((12, 12, 1))
    h = layers.BatchNormalization(name="bn")(layers.Conv2D(1, 3, padding="same", use_bias=False, name="conv")(inputs))
    out = layers.Add()([inputs, layers.Activation("relu", name="relu")(h)])
    if second_reader:
        out = layers.Add()([out, layers.Dense(1, name="side")(h)])
    model = dendrite.Model(inputs, layers.Dense(10, activation="softmax")(layers.Flatten()(out)))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("second_reader", [False, True])
def test_a_graph_fuses_a_pair_only_where_the_first_output_has_one_reader(second_reader, crops, monkeypatch):
    model = _residual(second_reader)
    steps = [step for _, run, _ in model._runs if run for step in run]
    named = [(step[0],) + tuple(getattr(layer, "name", None) for layer in step[1:]) for step in steps]
    # conv's output has one reader, the BN, so they pair either way; the relu joins only if nothing else
    # reads the BN's output
    assert named[0] == ("conv_bn", "conv", "bn", None if second_reader else "relu")
    assert (("one", "relu") in named) == second_reader
    calls = []
    real = normalization.batch_norm

    def spy(*args, **kwargs):
        calls.append(_activation(args, kwargs, 5))
        return real(*args, **kwargs)
    monkeypatch.setattr(normalization, "batch_norm", spy)
    fused = _train(_residual(second_reader), crops)
    assert ("relu" in calls) != second_reader
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_next_relu", False)
    monkeypatch.setattr(normalization.BatchNormalization, "fuses_conv", lambda self, conv, training: False)
    apart = _train(_residual(second_reader), crops)
    np.testing.assert_allclose(fused[0], apart[0], rtol=1e-6)
    for a, b in zip(fused[1] + [fused[2]], apart[1] + [apart[2]]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_the_plan_is_made_once_when_the_model_is_defined(monkeypatch):
    model = _residual(False)
    made = []
    monkeypatch.setattr(dendrite.models.fusion, "plan", lambda *a, **k: made.append(1))
    model.predict(np.zeros((4, 12, 12, 1), np.float32), verbose=0)
    assert not made
