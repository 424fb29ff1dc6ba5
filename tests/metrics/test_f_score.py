"""F1Score and FBetaScore against Keras 3's values (tests/fixtures/keras_metrics2), and their API."""
import numpy as np
import pytest

from dendrite import metrics
from keras_metrics2_cases import cases, replay_metric


@pytest.mark.parametrize("label, case", cases("metrics", "F1Score", "FBetaScore"))
def test_matches_keras(label, case):
    replay_metric(case)


def test_defaults_and_formula_by_hand():
    m = metrics.F1Score()
    assert (m.average, m.threshold, m.name, m._direction) == (None, None, "f1_score", "up")
    assert metrics.FBetaScore().get_config() == {"name": "fbeta_score", "dtype": "float32", "average": None,
                                                 "beta": 1.0, "threshold": None}
    y_true = np.array([[1, 0, 1], [0, 1, 0]], np.float32)
    y_pred = np.array([[0.9, 0.2, 0.7], [0.6, 0.3, 0.1]], np.float32)
    m = metrics.FBetaScore(beta=2.0, threshold=0.5, average="micro")
    m.update_state(y_true, y_pred)
    tp, fp, fn = 2.0, 1.0, 1.0  # positives: (0,0), (0,2), (1,0)
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert m.result() == pytest.approx(5 * p * r / (4 * p + r), rel=1e-5)
    # argmax rows without a threshold; weights per sample
    m = metrics.F1Score()
    m.update_state(y_true, y_pred, sample_weight=[2.0, 0.0])
    np.testing.assert_allclose(m.result(), [1.0, 0.0, 0.0], atol=1e-6)


def test_by_name_in_compile_and_keras_file(tmp_path):
    import dendrite
    assert isinstance(metrics.get("f1_score"), metrics.F1Score)
    assert isinstance(metrics.get("f_beta_score"), metrics.FBetaScore)
    model = dendrite.Sequential([dendrite.layers.Input((4,)), dendrite.layers.Dense(3, activation="softmax")])
    model.compile("adam", "categorical_crossentropy",
                  metrics=["f1_score", metrics.FBetaScore(beta=2.0, average="macro", name="f2")])
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[np.arange(16) % 3]
    history = model.fit(x, y, epochs=2, verbose=0).history
    # as in Keras: one score per class in the History, the macro average a number
    assert np.shape(history["f1_score"][-1]) == (3,) and isinstance(history["f2"][-1], float)
    model.save(tmp_path / "m.keras")
    again = dendrite.models.load_model(tmp_path / "m.keras")
    logs = again.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "f1_score", "f2"}
    np.testing.assert_allclose(logs["f2"], model.evaluate(x, y, verbose=0, return_dict=True)["f2"], rtol=1e-6)


def test_bad_arguments_and_shapes():
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="samples")
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta=0.0)
    with pytest.raises(ValueError, match="threshold"):
        metrics.F1Score(threshold=1.5)
    m = metrics.F1Score()
    with pytest.raises(ValueError, match=r"2-D shape.*y_true.shape=\(4,\)"):
        m.update_state(np.zeros(4), np.zeros(4))
    m.update_state(np.eye(3), np.eye(3))
    with pytest.raises(ValueError, match="expected 3 classes"):
        m.update_state(np.eye(4), np.eye(4))
    with pytest.raises(ValueError, match="sample_weight"):
        m.update_state(np.eye(3), np.eye(3), sample_weight=np.ones((3, 3)))
