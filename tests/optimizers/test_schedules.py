"""Learning-rate schedules: Keras formulas on hand-computed values, arrays of steps, config."""
import math

import numpy as np
import pytest

from dendrite.optimizers import schedules
from dendrite.optimizers.schedules import (CosineDecay, ExponentialDecay, InverseTimeDecay,
                                           LearningRateSchedule, PiecewiseConstantDecay,
                                           PolynomialDecay)


def test_exponential_decay():
    s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert s(0) == pytest.approx(0.1)
    assert s(5) == pytest.approx(0.1 * math.sqrt(0.5))
    assert s(20) == pytest.approx(0.025)
    stairs = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert [stairs(k) for k in (0, 9, 10, 19, 20)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


def test_piecewise_constant_decay_boundaries_are_inclusive_on_the_left_interval():
    s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [s(k) for k in (0, 10, 11, 20, 21, 1000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]


def test_inverse_time_decay():
    s = InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
    assert s(2) == pytest.approx(0.05)
    stairs = InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)
    assert stairs(3) == pytest.approx(0.1)
    assert stairs(5) == pytest.approx(0.1 / 1.5)


def test_polynomial_decay():
    s = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01)
    assert s(5) == pytest.approx(0.055)
    assert s(10) == pytest.approx(0.01) and s(20) == pytest.approx(0.01)
    squared = PolynomialDecay(0.1, 10, 0.01, power=2.0)
    assert squared(5) == pytest.approx(0.09 * 0.25 + 0.01)
    cyclic = PolynomialDecay(0.1, 10, 0.01, power=2.0, cycle=True)
    assert cyclic(0) == pytest.approx(0.1)
    assert cyclic(15) == pytest.approx(0.09 * 0.25 ** 2 + 0.01)  # horizon 20, 3/4 of the way
    assert PolynomialDecay(1.0, 10).end_learning_rate == 0.0001  # Keras default


def test_cosine_decay():
    s = CosineDecay(1.0, decay_steps=10)
    assert s(0) == pytest.approx(1.0) and s(5) == pytest.approx(0.5) and s(10) == pytest.approx(0.0)
    floor = CosineDecay(1.0, decay_steps=10, alpha=0.1)
    assert floor(5) == pytest.approx(0.55) and floor(30) == pytest.approx(0.1)


def test_cosine_decay_with_warmup():
    s = CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=5)
    assert [s(k) for k in (0, 2, 5, 10, 15, 100)] == pytest.approx([0.0, 0.4, 1.0, 0.5, 0.0, 0.0],
                                                                    abs=1e-12)
    no_ramp = CosineDecay(0.2, decay_steps=10, warmup_target=1.0, warmup_steps=0)
    assert no_ramp(0) == pytest.approx(1.0)


@pytest.mark.parametrize("schedule", [
    ExponentialDecay(0.1, 10, 0.5, staircase=True),
    PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
    InverseTimeDecay(0.1, 4, 0.5),
    PolynomialDecay(0.1, 10, 0.01, power=0.5, cycle=True),
    CosineDecay(0.0, 10, alpha=0.1, warmup_target=1.0, warmup_steps=5),
], ids=lambda s: type(s).__name__)
def test_array_of_steps_matches_scalar_calls(schedule):
    steps = np.arange(40)
    values = schedule(steps)
    assert isinstance(values, np.ndarray) and values.dtype == np.float32 and values.shape == (40,)
    np.testing.assert_allclose(values, [schedule(int(k)) for k in steps], rtol=1e-6)
    assert type(schedule(3)) is float and type(schedule(np.int64(3))) is float
    clone = type(schedule).from_config(schedule.get_config())
    assert clone.get_config() == schedule.get_config()
    again = schedules.deserialize(schedules.serialize(schedule))
    np.testing.assert_allclose(again(steps), values)


@pytest.mark.parametrize("make", [
    lambda: ExponentialDecay(0.1, 0, 0.5),
    lambda: InverseTimeDecay(0.1, -1, 0.5),
    lambda: PolynomialDecay(0.1, 0),
    lambda: CosineDecay(0.1, 0),
])
def test_decay_steps_must_be_positive(make):
    with pytest.raises(ValueError, match="decay_steps"):
        make()


def test_piecewise_constant_decay_validation():
    with pytest.raises(ValueError, match="one element fewer"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="strictly increasing"):
        PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1])


def test_deserialize_refuses_unknown_classes():
    with pytest.raises(ValueError, match="ExponentialDecay"):
        schedules.deserialize({"class_name": "os.system", "config": {}})


def test_custom_schedule_subclass():
    class Halving(LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def __call__(self, step):
            return self.start / 2 ** step

        def get_config(self):
            return {"start": self.start}

    config = schedules.serialize(Halving(1.0))
    assert schedules.deserialize(config, custom_objects={"Halving": Halving})(3) == 0.125
    with pytest.raises(NotImplementedError, match="__call__"):
        LearningRateSchedule()(0)


# --------------------------------------------------------------------------- Keras 3's values (issue 20)
from keras_metrics2_cases import cases as _keras_cases  # noqa: E402

_SCHEDULES = ("CosineDecayRestarts", "CosineDecay", "PolynomialDecay", "PiecewiseConstantDecay", "InverseTimeDecay",
              "ExponentialDecay")


@pytest.mark.parametrize("label, case", _keras_cases("schedules", *_SCHEDULES))
def test_values_and_config_match_keras(label, case):
    cls = getattr(schedules, case["class_name"])
    schedule = cls(**case["kwargs"])
    assert schedule.get_config() == case["config"]
    values = [schedule(step) for step in case["steps"]]
    np.testing.assert_allclose(values, case["values"], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(cls.from_config(schedule.get_config())(np.array(case["steps"])), case["values"],
                               rtol=1e-5, atol=1e-7)


def test_cosine_decay_restarts_by_hand_and_in_an_optimizer():
    s = schedules.CosineDecayRestarts(1.0, first_decay_steps=4, t_mul=2.0, m_mul=0.5)
    assert s(0) == 1.0 and s(2) == pytest.approx(0.5) and s(4) == pytest.approx(0.5)  # restart at half the rate
    assert s(8) == pytest.approx(0.25) and s(12) == pytest.approx(0.25)  # the second period lasts 8 steps
    assert schedules.CosineDecayRestarts(1.0, 10).get_config()["name"] == "SGDRDecay"
    from dendrite import optimizers
    opt = optimizers.SGD(learning_rate=s)
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(again._learning_rate, schedules.CosineDecayRestarts) and again._learning_rate._m_mul == 0.5
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, 0)
