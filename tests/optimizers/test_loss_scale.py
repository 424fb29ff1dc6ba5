"""LossScaleOptimizer: Keras 3's updates and scale on fixed gradients with inf / NaN steps, config and saving, and
the scaled loss in fit."""
import numpy as np
import pytest

from dendrite import optimizers
from dendrite.autodiff.tensor import Variable
from keras_metrics2_cases import keras_config, load, optimizer_case, replay_optimizer, saved_and_resumed


@pytest.mark.parametrize("label", ["loss_scale_sgd", "loss_scale_adam"])
def test_matches_keras(label):
    case = optimizer_case(label)
    opt = replay_optimizer(case)
    assert float(opt.dynamic_scale.value) == case["extra"][-1]["scale"]
    assert int(opt.step_counter.value) == case["extra"][-1]["step_counter"]


def test_scale_halves_on_non_finite_and_doubles_after_growth_steps():
    w = Variable(np.zeros(2, np.float32), name="w")
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=4.0, dynamic_growth_steps=2)
    assert float(opt.scale_loss(np.float32(3.0)).value) == 12.0  # before the first step: the initial scale
    opt.apply([np.array([np.inf, 0.0], np.float32)], [w])
    assert float(opt.dynamic_scale.value) == 2.0 and int(opt.iterations.value) == 0
    np.testing.assert_array_equal(w.value, 0.0)  # the step was skipped
    opt.apply([np.array([2.0, 4.0], np.float32)], [w])  # unscaled by 2
    np.testing.assert_allclose(w.value, [-1.0, -2.0])
    opt.apply([np.array([2.0, 4.0], np.float32)], [w])
    assert float(opt.dynamic_scale.value) == 4.0 and int(opt.step_counter.value) == 0
    assert opt.iterations == 2 and opt.learning_rate == 1.0


def test_config_as_keras():
    keras = load("optimizers")["defaults"]["LossScaleOptimizer"]["config"]
    ours = optimizers.serialize(optimizers.LossScaleOptimizer(optimizers.SGD()))["config"]
    assert (ours["initial_scale"], ours["dynamic_growth_steps"]) == (32768.0, 2000)
    assert set(ours) == set(keras) and ours["inner_optimizer"]["class_name"] == "SGD"
    again = optimizers.deserialize({**load("optimizers")["defaults"]["LossScaleOptimizer"],
                                    "config": keras_config(keras)})
    assert isinstance(again.inner_optimizer, optimizers.SGD) and again.initial_scale == 32768.0


def test_fit_scales_the_loss_and_saves(tmp_path):
    make = lambda: optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=1024.0,  # noqa: E731
                                                 dynamic_growth_steps=2)
    model, loaded = saved_and_resumed(make, tmp_path)
    # the same training as the inner optimizer alone: the scale cancels out
    plain, _ = saved_and_resumed(lambda: optimizers.Adam(0.01), tmp_path)
    for a, b in zip(model.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert float(loaded.optimizer.dynamic_scale.value) == float(model.optimizer.dynamic_scale.value) == 4096.0


def test_bad_arguments():
    with pytest.raises(ValueError, match="inner_optimizer"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(TypeError, match="Optimizer instance"):
        optimizers.LossScaleOptimizer(3)
    with pytest.raises(ValueError, match="dynamic=False"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False)
