"""Losses as in Keras: per-sample functions and classes that reduce them over the batch.

A loss function ``f(y_true, y_pred)`` is built from dendrite's differentiable
ops, so it is followed by any active GradientTape; it reduces the last axis
only (``mean_squared_error`` is ``mean(square(y_true - y_pred), axis=-1)``).
A :class:`Loss` class wraps a function with a ``reduction`` and
``sample_weight`` handling, following Keras 3's ``reduce_weighted_values``.

Cross-entropies from probabilities take the exact logits path when ``y_pred``
came out of ``ops.softmax`` / ``ops.sigmoid`` (``Tensor.logits``), as tf.keras
does; otherwise they renormalise and clip to [1e-7, 1 - 1e-7] as Keras does.

The package: ``inputs`` (how y_true and y_pred are taken in and checked), ``functions`` (the formulas),
``reduction`` (over the batch), ``classes`` (Loss and one class per loss) and ``registry`` (get, serialize,
deserialize). Every name is reached as ``dendrite.losses.<name>``.
"""
from .classes import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge,
                      Huber, KLDivergence, LogCosh, Loss, LossFunctionWrapper, MeanAbsoluteError,
                      MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, Poisson,
                      SparseCategoricalCrossentropy, SquaredHinge)
from .functions import (BCE, KLD, MAE, MAPE, MSE, MSLE, bce, binary_crossentropy, categorical_crossentropy,
                        categorical_hinge, cosine_similarity, hinge, huber, kl_divergence, kld,
                        kullback_leibler_divergence, log_cosh, logcosh, mae, mape, mean_absolute_error,
                        mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error, mse,
                        msle, poisson, sparse_categorical_crossentropy, squared_hinge)
from .focal import (BinaryFocalCrossentropy, CategoricalFocalCrossentropy, binary_focal_crossentropy,
                    categorical_focal_crossentropy)
from .overlap import Dice, Tversky, dice, tversky
from .circle import Circle, circle
from .ctc import CTC, ctc
from .generalized_ce import CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy
from .reduction import Reduction
from .registry import deserialize, get, serialize

__all__ = [
    "Loss", "LossFunctionWrapper", "Reduction", "MeanSquaredError", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "Huber", "LogCosh", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "Hinge", "SquaredHinge", "CategoricalHinge",
    "KLDivergence", "Poisson", "CosineSimilarity",
    "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE", "mean_absolute_percentage_error",
    "mape", "MAPE", "mean_squared_logarithmic_error", "msle", "MSLE", "huber", "log_cosh", "logcosh",
    "binary_crossentropy", "bce", "BCE", "categorical_crossentropy", "sparse_categorical_crossentropy", "hinge",
    "squared_hinge", "categorical_hinge", "kl_divergence", "kld", "KLD", "kullback_leibler_divergence",
    "poisson", "cosine_similarity", "get", "serialize", "deserialize",
    "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "Dice", "Tversky", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "dice", "tversky", "Circle", "circle", "CTC", "ctc",
    "CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy",
]
