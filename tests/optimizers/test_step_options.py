"""The options of every optimizer around its update rule (use_ema, ema_momentum, ema_overwrite_frequency,
gradient_accumulation_steps, loss_scale_factor): Keras 3's updates on fixed gradients, fit and saving."""
import numpy as np
import pytest

from dendrite import optimizers
from dendrite.autodiff.tensor import Variable
from keras_metrics2_cases import optimizer_case, replay_optimizer, saved_and_resumed

LABELS = ["adam_ema", "sgd_ema_overwrite", "sgd_accumulate", "adam_accumulate", "adam_accumulate_ema",
          "rmsprop_loss_scale_factor"]


@pytest.mark.parametrize("label", LABELS)
def test_matches_keras(label):
    replay_optimizer(optimizer_case(label))


def test_accumulation_by_hand():
    w = Variable(np.zeros(1, np.float32), name="w")
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=3)
    for g in (1.0, 2.0):
        opt.apply([np.array([g], np.float32)], [w])
        assert w.value[0] == 0.0 and opt.iterations == 0
    opt.apply([np.array([6.0], np.float32)], [w])
    assert w.value[0] == pytest.approx(-3.0) and opt.iterations == 1  # the mean of 1, 2 and 6
    assert int(opt._iterations.value) == 3
    np.testing.assert_array_equal(opt._accumulators[0], 0.0)


def test_moving_average_by_hand_and_finalize():
    w = Variable(np.zeros(1, np.float32), name="w")
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    opt.apply([np.array([-2.0], np.float32)], [w])  # w = 2; the first average copies it
    opt.apply([np.array([-2.0], np.float32)], [w])  # w = 4; average 0.5 * 2 + 0.5 * 4
    assert opt._averages[0][0] == pytest.approx(3.0)
    opt.finalize_variable_values([w])
    assert w.value[0] == pytest.approx(3.0)
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate", "w_average"]


def test_fit_with_ema_ends_on_the_averages_and_saves(tmp_path):
    import dendrite
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((3,)), dendrite.layers.Dense(1)])
    model.compile(optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9), "mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    opt = model.optimizer
    assert int(opt.iterations.value) == 8
    for weight, average in zip(model.trainable_weights, opt._averages):  # fit ended on finalize_variable_values
        np.testing.assert_array_equal(weight.value, average)
    _, loaded = saved_and_resumed(lambda: optimizers.Adam(0.01, use_ema=True, ema_momentum=0.9,
                                                         gradient_accumulation_steps=2), tmp_path)
    assert loaded.optimizer.use_ema and loaded.optimizer.gradient_accumulation_steps == 2


def test_loss_scale_factor_cancels_in_fit(tmp_path):
    scaled, _ = saved_and_resumed(lambda: optimizers.SGD(0.05, loss_scale_factor=64.0), tmp_path)
    plain, _ = saved_and_resumed(lambda: optimizers.SGD(0.05), tmp_path)
    for a, b in zip(scaled.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert float(optimizers.SGD(loss_scale_factor=4.0).scale_loss(np.float32(2.0)).value) == 8.0


def test_config_keys_as_keras():
    config = optimizers.Adam(use_ema=True, ema_overwrite_frequency=5, gradient_accumulation_steps=2).get_config()
    assert {k: config[k] for k in ("use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
                                   "gradient_accumulation_steps")} == \
        {"use_ema": True, "ema_momentum": 0.99, "ema_overwrite_frequency": 5, "loss_scale_factor": None,
         "gradient_accumulation_steps": 2}
    with pytest.raises(ValueError, match="ema_overwrite_frequency"):
        optimizers.SGD(use_ema=True, ema_overwrite_frequency=0)
