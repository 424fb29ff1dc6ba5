"""Lion: Keras 3's updates on fixed gradients (tests/fixtures/keras_metrics2), config and saving."""
import numpy as np
import pytest

from dendrite import optimizers
from dendrite.autodiff.tensor import Variable
from keras_metrics2_cases import keras_config, load, optimizer_case, replay_optimizer, saved_and_resumed


@pytest.mark.parametrize("label", ["lion", "lion_tuned"])
def test_matches_keras(label):
    replay_optimizer(optimizer_case(label))


def test_defaults_and_config():
    config = optimizers.serialize(optimizers.Lion())
    expected = load("optimizers")["defaults"]["Lion"]
    assert config["class_name"] == "Lion" and config["module"] == expected["module"]
    assert config["config"].keys() == expected["config"].keys()
    ours, keras = config["config"], keras_config(expected["config"])
    assert ours["learning_rate"] == pytest.approx(keras["learning_rate"])
    assert {k: v for k, v in ours.items() if k != "learning_rate"} == \
        {k: v for k, v in keras.items() if k != "learning_rate"}
    assert isinstance(optimizers.get("lion"), optimizers.Lion)


def test_step_is_the_sign_times_the_rate():
    w = Variable(np.array([1.0, -1.0, 0.5], np.float32), name="w")
    opt = optimizers.Lion(learning_rate=0.1)
    opt.apply([np.array([3.0, -0.001, 0.0], np.float32)], [w])
    np.testing.assert_allclose(w.value, [0.9, -0.9, 0.5], rtol=1e-6)


def test_saved_and_resumed(tmp_path):
    saved_and_resumed(lambda: optimizers.Lion(learning_rate=0.01, weight_decay=0.01), tmp_path)


def test_bad_arguments():
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="beta_2"):
        optimizers.Lion(beta_2=1.5)
