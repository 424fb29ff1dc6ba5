"""SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision against Keras 3."""
import numpy as np
import pytest

from dendrite import metrics
from keras_metrics2_cases import cases, replay_metric

NAMES = ("SpecificityAtSensitivity", "SensitivityAtSpecificity", "PrecisionAtRecall", "RecallAtPrecision")


@pytest.mark.parametrize("label, case", cases("metrics", *NAMES))
def test_matches_keras(label, case):
    replay_metric(case)


def test_by_hand():
    y_true = np.array([0, 0, 1, 1])
    y_pred = np.array([0.1, 0.6, 0.4, 0.9])
    # threshold just under 0.4: recall 1, precision 2/3; just under 0.6: recall 0.5, precision 1/2
    m = metrics.PrecisionAtRecall(recall=1.0)
    m.update_state(y_true, y_pred)
    assert m.result() == pytest.approx(2 / 3, rel=1e-5)
    m = metrics.RecallAtPrecision(precision=1.0)
    m.update_state(y_true, y_pred)
    assert m.result() == pytest.approx(0.5, rel=1e-5)
    m = metrics.SensitivityAtSpecificity(specificity=0.5)
    m.update_state(y_true, y_pred)
    assert m.result() == pytest.approx(1.0, rel=1e-5)
    assert m.get_config() == {"name": "sensitivity_at_specificity", "dtype": "float32", "class_id": None,
                              "num_thresholds": 200, "specificity": 0.5}


def test_in_compile_by_instance():
    import dendrite
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((3,)), dendrite.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=[metrics.PrecisionAtRecall(0.5),
                                                         metrics.RecallAtPrecision(0.9)])
    history = model.fit(x, y, epochs=1, verbose=0).history
    assert {"precision_at_recall", "recall_at_precision"} <= set(history)


def test_bad_arguments():
    for cls, key in zip(NAMES, ("sensitivity", "specificity", "recall", "precision")):
        with pytest.raises(ValueError, match=key):
            getattr(metrics, cls)(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.PrecisionAtRecall(0.5, num_thresholds=0)
