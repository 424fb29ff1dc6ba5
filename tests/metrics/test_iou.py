"""IoU, MeanIoU, BinaryIoU, OneHotIoU and OneHotMeanIoU against Keras 3's values, by hand, and their API."""
import numpy as np
import pytest

from dendrite import metrics
from keras_metrics2_cases import cases, replay_metric


@pytest.mark.parametrize("label, case", cases("metrics", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU"))
def test_matches_keras(label, case):
    replay_metric(case)


def test_by_hand():
    y_true = np.array([0, 0, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 0])
    m = metrics.MeanIoU(num_classes=3)
    m.update_state(y_true, y_pred)
    # class 0: tp 1, fp 1, fn 1 -> 1/3; class 1: tp 2, fp 1 -> 2/3; class 2: tp 0, fn 1 -> 0
    assert m.result() == pytest.approx((1 / 3 + 2 / 3 + 0) / 3, rel=1e-5)
    np.testing.assert_array_equal(m.total_cm, [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
    assert m.total_cm.dtype == np.int32 and m.name == "mean_io_u" and m._direction == "up"
    m.reset_state()
    assert m.result() == 0.0
    # labels out of range and the ignored class count for nothing
    m = metrics.IoU(num_classes=2, target_class_ids=[0], ignore_class=1)
    m.update_state([0, 1, 5, 0], [0, 0, 0, 7])
    assert m.result() == pytest.approx(1.0, rel=1e-5)


def test_float_weights_need_a_float_dtype():
    m = metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="truncated"):
        m.update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5]))
    np.testing.assert_array_equal(m.total_cm, [[0, 0], [0, 1]])
    f = metrics.MeanIoU(num_classes=2, dtype="float32")
    f.update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5]))
    np.testing.assert_allclose(f.total_cm, [[0.5, 0], [0, 1.5]])


def test_segmentation_model_and_keras_file(tmp_path):
    import dendrite
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4, 4, 2)).astype("float32")
    y = (x[..., :1] > 0).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((4, 4, 2)),
                                 dendrite.layers.Conv2D(1, 1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy",
                  metrics=[metrics.BinaryIoU(name="iou"), metrics.OneHotMeanIoU(2, name="unused_mean")][:1])
    history = model.fit(x, y, epochs=1, verbose=0).history
    assert set(history) == {"loss", "iou"}
    model.save(tmp_path / "m.keras")
    again = dendrite.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again.evaluate(x, y, verbose=0, return_dict=True)["iou"],
                               model.evaluate(x, y, verbose=0, return_dict=True)["iou"], rtol=1e-6)
    assert isinstance(metrics.get("binary_io_u"), metrics.BinaryIoU)
    config = metrics.serialize(metrics.OneHotIoU(3, [0, 2]))
    assert config["class_name"] == "OneHotIoU" and metrics.deserialize(config).target_class_ids == [0, 2]


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"target_class_ids.*\[0, 3\)"):
        metrics.IoU(num_classes=3, target_class_ids=[3])
    with pytest.raises(ValueError, match="num_classes"):
        metrics.MeanIoU(num_classes=0)
    with pytest.raises(ValueError, match="one label per"):
        metrics.MeanIoU(2).update_state([0, 1, 1], [0, 1])
