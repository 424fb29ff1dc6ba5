"""KerasClassifier: labels of any type (ints, strings, one-hot rows, multilabel indicator rows) in, the same
type out; ``predict_proba`` gives one column per class; ``score`` is accuracy.

The encoding of y follows the loss and the model's output, as scikeras does: 'sparse_categorical_crossentropy'
takes class indices (one output unit per class), 'categorical_crossentropy' one-hot rows, and
'binary_crossentropy' a 0/1 column for two classes on one sigmoid unit. With no loss given and a model that
comes back uncompiled, the loss is chosen from y and the output (binary_crossentropy for two classes on one
unit, sparse_categorical_crossentropy for one unit per class, categorical_crossentropy for one-hot y); a loss
that cannot fit the output is refused with the fix."""
import warnings

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target

from .base import BaseWrapper, loss_name



class KerasClassifier(ClassifierMixin, BaseWrapper):
    """scikeras's KerasClassifier on dendrite (parameters in BaseWrapper), plus ``class_weight``."""

    def __init__(self, model=None, *, build_fn=None, warm_start=False, random_state=None, optimizer="rmsprop",
                 loss=None, metrics=None, batch_size=None, validation_batch_size=None, verbose=1, callbacks=None,
                 validation_split=0.0, shuffle=True, run_eagerly=False, epochs=1, class_weight=None, **kwargs):
        super().__init__(model=model, build_fn=build_fn, warm_start=warm_start, random_state=random_state,
                         optimizer=optimizer, loss=loss, metrics=metrics, batch_size=batch_size,
                         validation_batch_size=validation_batch_size, verbose=verbose, callbacks=callbacks,
                         validation_split=validation_split, shuffle=shuffle, run_eagerly=run_eagerly,
                         epochs=epochs, **kwargs)
        self.class_weight = class_weight

    _not_fit = ("class_weight",)  # made into sample weights here, as scikeras does
    score = BaseWrapper.score

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        return accuracy_score(y_true, y_pred, **kwargs)

    # ------------------------------------------------------------ targets
    @staticmethod
    def _as_1d(y):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please change the shape of "
                          "y to (n_samples,), for example using ravel().", DataConversionWarning, stacklevel=4)
            return y.ravel()
        return y

    def _fit_target(self, y):
        y = self._as_1d(y)
        known = getattr(self, "_partial_classes", None)
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            onehot = np.all(np.isin(y, (0, 1))) and np.all(np.sum(y, axis=1) == 1)
            self.target_type_ = "multiclass-onehot" if onehot else "multilabel-indicator"
            self.classes_ = np.arange(y.shape[1])
        elif kind in ("binary", "multiclass"):
            self.classes_ = np.unique(y if known is None else known)
            self.target_type_ = "binary" if self.classes_.size <= 2 else "multiclass"
        else:
            raise ValueError(f"Unknown label type: {kind!r}. KerasClassifier takes class labels (ints or "
                             "strings, one per sample), one-hot rows or multilabel indicator rows; for real-valued "
                             "targets use KerasRegressor.")
        self.n_classes_ = int(self.classes_.size)
        self.n_outputs_ = self.n_outputs_expected_ = 1
        self.y_ndim_ = y.ndim
        return y

    def _check_target(self, y):
        y = self._as_1d(y)
        if y.ndim != self.y_ndim_:
            raise ValueError(f"KerasClassifier: y has {y.ndim} dimensions, but the estimator was fitted on y with "
                             f"{self.y_ndim_}.")
        return y

    def _positions(self, y):
        found = np.searchsorted(self.classes_, y)
        found = np.clip(found, 0, self.classes_.size - 1)
        unseen = self.classes_[found] != y
        if np.any(unseen):
            raise ValueError(f"KerasClassifier: y holds labels {sorted(set(np.asarray(y)[unseen].tolist()))[:5]} "
                             f"that are not among the classes seen in fit {self.classes_.tolist()[:10]}. Pass all "
                             "classes to the first partial_fit (classes=...), or refit.")
        return found

    def _encode(self, y):
        if self.target_type_ in ("multiclass-onehot", "multilabel-indicator"):
            return np.asarray(y, dtype=np.float32)
        positions = self._positions(y)
        if self._encoding == "onehot":
            return np.eye(self.n_classes_, dtype=np.float32)[positions]
        if self._encoding == "column":
            return positions.astype(np.float32).reshape(-1, 1)
        return positions.astype(np.int64)

    def _default_loss(self, X):
        width = self._output_width(X)
        if self.target_type_ == "multiclass-onehot":
            return "categorical_crossentropy"
        if self.target_type_ == "multilabel-indicator" or (width == 1 and self.n_classes_ == 2):
            return "binary_crossentropy"
        return "sparse_categorical_crossentropy"

    def _check_model(self, X):
        """Choose y's encoding from the loss and the output's width; refuse a pair that cannot train."""
        width, name, n = self._output_width(X), loss_name(self.model_.loss), self.n_classes_
        self.n_output_units_ = width
        if self.target_type_ in ("multiclass-onehot", "multilabel-indicator"):
            if width != n:
                raise ValueError(f"KerasClassifier: y has {n} columns ({self.target_type_}), but the model's output "
                                 f"has {width} units; end the model with Dense({n}, ...).")
            self._encoding = "raw"
            return
        if width == 1 and n == 2:
            if name in ("sparse_categorical_crossentropy", "categorical_crossentropy"):
                raise ValueError(f"KerasClassifier: loss '{name}' needs one output unit per class ({n}), but the "
                                 "model's output has 1 unit. For two classes on one sigmoid unit use "
                                 "loss='binary_crossentropy', or end the model with Dense(2, activation='softmax').")
            self._encoding = "column"
            return
        if width != n:
            raise ValueError(f"KerasClassifier: y has {n} classes {self.classes_.tolist()[:10]}, but the model's "
                             f"output has {width} units; end the model with Dense({n}, activation='softmax') (or "
                             "Dense(1, activation='sigmoid') for two classes), e.g. from meta['n_classes_'].")
        self._encoding = "onehot" if name in ("categorical_crossentropy", "binary_crossentropy") else "index"

    # ---------------------------------------------------------- training
    def _weighted(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(class_weight=self.class_weight, y=self._as_1d(y))
        return weights if sample_weight is None else np.asarray(sample_weight, dtype=float) * weights

    def fit(self, X, y, sample_weight=None, **kwargs):
        """A new model trained on X, y (labels, one-hot rows or indicator rows)."""
        self._partial_classes = None
        return super().fit(X, y, sample_weight=self._weighted(y, sample_weight), **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """One epoch on X, y; ``classes`` (all labels, needed when this batch lacks some) on the first call."""
        if classes is not None:
            self._partial_classes = np.asarray(classes)
        return super().partial_fit(X, y, sample_weight=self._weighted(y, sample_weight), **kwargs)

    # ---------------------------------------------------------- inference
    def predict_proba(self, X, **kwargs):
        """Class probabilities, one column per class (two for a binary model with one sigmoid unit)."""
        out = self._predict_raw(X, **kwargs)
        out = out.reshape(out.shape[0], -1)
        if self._encoding == "column":
            out = np.column_stack([1 - out[:, 0], out[:, 0]])
        return out

    def predict(self, X, **kwargs):
        """Labels of the kind fit was given: classes_, one-hot rows, or 0/1 indicator rows."""
        proba = self.predict_proba(X, **kwargs)
        if self.target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        best = np.argmax(proba, axis=1)
        if self.target_type_ == "multiclass-onehot":
            return np.eye(self.n_classes_, dtype=int)[best]
        return self.classes_[best]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.poor_score = True
        return tags
