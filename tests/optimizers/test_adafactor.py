"""Adafactor: Keras 3's updates on fixed gradients (tests/fixtures/keras_metrics2), its factored state, config and
saving."""
import pytest

from dendrite import optimizers
from keras_metrics2_cases import keras_config, load, optimizer_case, replay_optimizer, saved_and_resumed


@pytest.mark.parametrize("label", ["adafactor", "adafactor_tuned", "adafactor_relative"])
def test_matches_keras(label):
    opt = replay_optimizer(optimizer_case(label))
    # a (3, 4) matrix keeps 3 + 4 second-moment values (r, c), a vector its own velocity
    shapes = [tuple(v.value.shape) for v in opt.variables[2:5]]
    assert shapes == [(3,), (4,), (3, 4)]


def test_defaults_and_config():
    config = optimizers.serialize(optimizers.Adafactor())["config"]
    keras = keras_config(load("optimizers")["defaults"]["Adafactor"]["config"])
    assert config["learning_rate"] == pytest.approx(keras["learning_rate"])
    assert {k: v for k, v in config.items() if k != "learning_rate"} == \
        {k: v for k, v in keras.items() if k != "learning_rate"}
    again = optimizers.deserialize(optimizers.serialize(optimizers.Adafactor(epsilon_2=0.01, clip_threshold=2.0)))
    assert (again.epsilon_2, again.clip_threshold, again.beta_2_decay) == (0.01, 2.0, -0.8)
    assert isinstance(optimizers.get("adafactor"), optimizers.Adafactor)


def test_saved_and_resumed(tmp_path):
    saved_and_resumed(lambda: optimizers.Adafactor(learning_rate=0.1), tmp_path)


def test_bad_arguments():
    with pytest.raises(ValueError, match="beta_2_decay"):
        optimizers.Adafactor(beta_2_decay=0.5)
    with pytest.raises(ValueError, match="clip_threshold"):
        optimizers.Adafactor(clip_threshold=0.0)
