"""R2Score against Keras 3's values (tests/fixtures/keras_metrics2) and by hand."""
import numpy as np
import pytest

from dendrite import metrics
from keras_metrics2_cases import cases, replay_metric


@pytest.mark.parametrize("label, case", cases("metrics", "R2Score"))
def test_matches_keras(label, case):
    if case["kwargs"].get("num_regressors", 0) >= 20:  # more regressors than samples: Keras warns and falls back
        with pytest.warns(UserWarning, match="more independent predictors"):
            replay_metric(case)
    else:
        replay_metric(case)


def test_formula_by_hand_and_config():
    y = np.array([[1.0], [2.0], [4.0], [5.0]])
    p = np.array([[1.5], [2.0], [3.0], [5.5]])
    m = metrics.R2Score()
    m.update_state(y, p)
    expected = 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
    assert m.result() == pytest.approx(expected, rel=1e-6)
    adjusted = metrics.R2Score(num_regressors=1)
    adjusted.update_state(y, p)
    assert adjusted.result() == pytest.approx(1 - (1 - expected) * 3 / 2, rel=1e-6)
    assert metrics.R2Score().get_config() == {"name": "r2_score", "dtype": "float32",
                                              "class_aggregation": "uniform_average", "num_regressors": 0}
    assert isinstance(metrics.get("r2_score"), metrics.R2Score) and metrics.R2Score._direction == "up"


def test_in_fit(tmp_path):
    import dendrite
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ np.array([[1.0, 0.5], [-2.0, 0.0], [0.5, 1.0]], np.float32)
    model = dendrite.Sequential([dendrite.layers.Input((3,)), dendrite.layers.Dense(2)])
    model.compile(dendrite.optimizers.SGD(0.1), "mse", metrics=["r2_score"])
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0).history
    assert history["r2_score"][-1] > history["r2_score"][0]
    m = metrics.R2Score()
    m.update_state(y, model.predict(x, verbose=0))
    assert model.evaluate(x, y, verbose=0, return_dict=True)["r2_score"] == pytest.approx(float(m.result()), rel=1e-5)


def test_bad_input():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match=r"2-D inputs.*reshape\(-1, 1\)"):
        metrics.R2Score().update_state(np.zeros(5), np.zeros(5))
    m = metrics.R2Score()
    m.update_state(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="expected 2 outputs"):
        m.update_state(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="sample_weight"):
        m.update_state(np.zeros((3, 2)), np.zeros((3, 2)), sample_weight=np.ones(4))
