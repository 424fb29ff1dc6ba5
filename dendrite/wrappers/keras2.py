"""Keras 2's ``keras.wrappers.scikit_learn.KerasClassifier(build_fn=None, **sk_params)`` and
``KerasRegressor``, as compatibility mode serves them: the same estimators with Keras 2's signature, so that
every sk_param is a parameter exactly as given (``get_params``, ``clone`` and grid searches see only those),
each going where Keras 2 sent it: to ``build_fn`` when it takes that argument, and to ``Model.fit`` /
``Model.predict`` when they do; any other is 'not a legal parameter'. As in Keras 2, build_fn compiles its
model; ``KerasRegressor.score`` is the negated loss ``evaluate`` gives (Keras 2's), the classifier's accuracy."""
from . import classifier, regressor


def _keras2_init(self, build_fn=None, **sk_params):
    self.build_fn = build_fn
    vars(self).update(sk_params)


def _keras2_set_params(self, **params):
    vars(self).update(params)
    return self


class KerasClassifier(classifier.KerasClassifier):
    """Keras 2's scikit-learn classifier wrapper (build_fn and sk_params)."""

    __init__ = _keras2_init
    set_params = _keras2_set_params

    _not_fit = ()  # Keras 2 passed class_weight to fit as it was

    def _weighted(self, y, sample_weight):
        return sample_weight


class KerasRegressor(regressor.KerasRegressor):
    """Keras 2's scikit-learn regressor wrapper (build_fn and sk_params)."""

    __init__ = _keras2_init
    set_params = _keras2_set_params

    def score(self, X, y, sample_weight=None):
        """The negated loss on X, y, as Keras 2's KerasRegressor.score returned it."""
        X, y = self._validate(X, y)
        result = self.model_.evaluate(X, self._encode(self._check_target(y)), sample_weight=sample_weight,
                                      verbose=0)
        return -float(result[0] if isinstance(result, (list, tuple)) else result)
