"""The Loss classes: ``Loss`` (a ``call`` giving per-sample losses, reduced with ``sample_weight``),
``LossFunctionWrapper`` around a loss function, and one class per built-in loss with Keras's default names."""
import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..saving.serialization import serialize_keras_object
from ..utils.naming import to_snake_case
from .functions import (_sparse_ce, binary_crossentropy, categorical_crossentropy, categorical_hinge,
                        cosine_similarity, hinge, huber, kl_divergence, log_cosh, mean_absolute_error,
                        mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error,
                        poisson, sparse_categorical_crossentropy, squared_hinge)
from .inputs import _pred, _reshape_pred, _squeeze_or_expand
from .reduction import _reduce, _standardize_reduction
from .symbolic import _is_symbolic


class Loss:
    """Base class: subclasses implement ``call(y_true, y_pred)`` returning per-sample losses.

    ``__call__(y_true, y_pred, sample_weight=None)`` applies ``reduction``:
    'sum_over_batch_size' (default; 'mean' is the same), 'sum', 'none'/None, or
    'mean_with_sample_weight' (weighted sum divided by the sum of the weights).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = _standardize_reduction(reduction, self.name)
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        # a mask riding on the predictions (Embedding(mask_zero=True), Masking): masked steps count for nothing,
        # and the mean is over the valid ones, as in Keras 3
        if isinstance(y_pred, Tensor):
            keras_mask = y_pred._keras_mask
        elif _is_symbolic(y_pred) or _is_symbolic(y_true):
            from ..layers.symbolic_ops import symbolic_call  # on keras.Input / layer outputs: a graph op
            return symbolic_call(self.__call__, (y_true, y_pred), {"sample_weight": sample_weight})
        else:
            keras_mask = None
            y_pred = _pred(y_pred, self.dtype or backend.floatx())
        values, mask = self._values(y_true, y_pred)
        if keras_mask is not None:
            keras_mask = keras_mask.reshape(keras_mask.shape + (1,) * (values.ndim - keras_mask.ndim))
            mask = keras_mask if mask is None else mask & keras_mask
        return _reduce(self.name, values, sample_weight, mask, self.reduction)

    def _values(self, y_true, y_pred):
        out = self.call(y_true, y_pred)
        return (out if isinstance(out, Tensor) else Tensor(np.asarray(out))), None

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"Loss '{self.name}': a Loss subclass must implement "
                                  f"call(y_true, y_pred) returning the per-sample losses.")

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        if self.dtype is not None:
            config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name='{self.name}' reduction={self.reduction!r}>"


def _same_rank(y_true, y_pred):
    """y_true and y_pred with Keras's rank fix-up applied (arrays and tensors; other structures as given)."""
    if not (hasattr(y_true, "shape") and hasattr(y_pred, "shape")):
        return y_true, y_pred
    ts, ps = _squeeze_or_expand(tuple(y_true.shape), tuple(y_pred.shape))
    if ts != tuple(y_true.shape):
        y_true = y_true.reshape(ts)
    if ps != tuple(y_pred.shape):
        y_pred = _reshape_pred(y_pred, ps) if isinstance(y_pred, Tensor) else y_pred.reshape(ps)
    return y_true, y_pred


class LossFunctionWrapper(Loss):
    """A Loss around a loss function; keyword arguments are passed to it and kept as attributes."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if isinstance(fn, (str, dict)):  # a name, or the function config that get_config writes
            from .registry import get  # the registry imports these classes
            fn = get(fn)
        if not callable(fn):
            raise ValueError(f"LossFunctionWrapper: fn must be a loss function or name. Received: fn={fn!r}.")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._values_fn = getattr(fn, "_values_fn", fn)  # (Loss.__call__ has already taken symbolic tensors)
        self._fn_kwargs = tuple(kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def call(self, y_true, y_pred):
        # the ranks matched first (a trailing axis of 1 squeezed or added), as Keras's wrapper does before calling
        # the function: a user's loss given labels (n,) for predictions (n, 1) must not broadcast them to (n, n)
        y_true, y_pred = _same_rank(y_true, y_pred)
        return self._values_fn(y_true, y_pred, **{k: getattr(self, k) for k in self._fn_kwargs})

    def get_config(self):
        config = super().get_config()
        config.update({k: getattr(self, k) for k in self._fn_kwargs})
        if type(self) is LossFunctionWrapper:  # as Keras 3 writes it: the function's config
            config["fn"] = serialize_keras_object(self.fn)
        return config


_SOBS = "sum_over_batch_size"


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction=_SOBS, name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SOBS,
                 name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SOBS,
                 name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """With ``ignore_class``, those labels get zero loss and, under 'sum_over_batch_size',
    the average is over the other samples only (Keras's mask)."""

    def __init__(self, from_logits=False, ignore_class=None, reduction=_SOBS,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class)

    def _values(self, y_true, y_pred):
        return _sparse_ce(y_true, y_pred, self.from_logits, self.ignore_class, -1)


class Hinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    def __init__(self, reduction=_SOBS, name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    def __init__(self, axis=-1, reduction=_SOBS, name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)
