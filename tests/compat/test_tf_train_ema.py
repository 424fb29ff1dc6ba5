"""tf.train.ExponentialMovingAverage against TF 2.21's values."""
import numpy as np
import pytest


def test_shadows_follow_the_variables(tf):
    ema = tf.train.ExponentialMovingAverage(0.9)
    v = tf.Variable(1.0, name="w")
    ema.apply([v])
    v.assign(2.0)
    ema.apply([v])
    assert float(ema.average(v).numpy()) == pytest.approx(1.1)  # TF 2.21: 1.1
    assert ema.average_name(v) == "w/ExponentialMovingAverage" and ema.average(tf.Variable(0.0)) is None


def test_num_updates_caps_the_decay(tf):
    ema = tf.train.ExponentialMovingAverage(0.999, num_updates=0)  # min(0.999, 1/10) = 0.1
    v = tf.Variable([0.0, 10.0])
    ema.apply([v])
    v.assign([10.0, 0.0])
    ema.apply([v])
    np.testing.assert_allclose(ema.average(v).numpy(), [9.0, 1.0])
    with pytest.raises(ValueError, match="give the variables to average"):
        ema.apply()
