"""The one snake-case rule (Keras's to_snake_case) and the names it gives through the public API."""
import pytest

import dendrite
from dendrite import initializers, layers, losses, metrics
from dendrite.utils.naming import to_snake_case


@pytest.mark.parametrize("name, snake", [
    ("Dense", "dense"), ("Conv2D", "conv2d"), ("MaxPooling2D", "max_pooling2d"),
    ("Conv2DTranspose", "conv2d_transpose"), ("GlobalAveragePooling1D", "global_average_pooling1d"),
    ("ReLU", "re_lu"), ("PReLU", "p_re_lu"), ("BatchNormalization", "batch_normalization"),
    ("GlorotUniform", "glorot_uniform"), ("TopKCategoricalAccuracy", "top_k_categorical_accuracy"),
    ("KLDivergence", "kl_divergence"), ("F1Score", "f1_score"), ("AUC", "auc"), ("MeanIoU", "mean_io_u"),
    ("My Loss!", "my_loss"),
])
def test_to_snake_case_follows_keras(name, snake):
    # the names Keras 3's keras.src.utils.naming.to_snake_case gives these class names
    assert to_snake_case(name) == snake


def test_default_names_of_layers_losses_metrics_and_initializer_registry():
    assert [layers.MaxPooling2D().name, layers.MaxPooling2D().name, layers.Conv2DTranspose(2, 3).name,
            layers.ReLU().name] == ["max_pooling2d", "max_pooling2d_1", "conv2d_transpose", "re_lu"]

    class HuberLikeLoss2D(losses.Loss):
        def call(self, y_true, y_pred):
            return dendrite.ops.mean(dendrite.ops.abs(y_pred), axis=-1)

    class MyTopKScore(metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            pass
    assert HuberLikeLoss2D().name == "huber_like_loss2d"
    assert MyTopKScore().name == "my_top_k_score"
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("lecun_normal"), initializers.LecunNormal)
