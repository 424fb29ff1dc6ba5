"""The Loss classes: Keras's defaults, a user's subclass, and the inputs they accept."""
import numpy as np
import pytest

from dendrite import losses
from dendrite.autodiff import array_of, ops


def test_keras_defaults():
    bce = losses.BinaryCrossentropy()
    assert (bce.from_logits, bce.label_smoothing, bce.axis, bce.reduction, bce.name) == \
        (False, 0.0, -1, "sum_over_batch_size", "binary_crossentropy")
    scce = losses.SparseCategoricalCrossentropy()
    assert (scce.from_logits, scce.ignore_class, scce.name) == (False, None, "sparse_categorical_crossentropy")
    assert losses.Huber().delta == 1.0 and losses.Huber().name == "huber_loss"
    assert losses.CosineSimilarity().axis == -1


def test_custom_loss_subclass():
    class Doubled(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.multiply(losses.mae(y_true, y_pred), 2.0)

    loss = Doubled()
    assert loss.name == "doubled"
    assert array_of(loss([[1.0]], [[0.0]])) == pytest.approx(2.0)
    with pytest.raises(NotImplementedError, match="call"):
        losses.Loss()([[1.0]], [[0.0]])


def test_inputs_lists_and_float64_arrays_give_float32_tensors():
    out = losses.MeanAbsoluteError()([[1, 2]], np.array([[0.0, 0.0]], np.float64))
    assert out.dtype == np.float32 and array_of(out) == pytest.approx(1.5)
