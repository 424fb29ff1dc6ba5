"""BaseWrapper: a dendrite model as a scikit-learn estimator, with scikeras 0.13's parameters and behaviour.

Every constructor argument, and every extra keyword (routed ``model__units``, ``optimizer__learning_rate``,
``fit__validation_split``, ``predict__batch_size``, ``callbacks__0__patience``, or a Keras 2 style
``units=``), is a parameter: ``get_params`` lists them all, ``set_params`` changes them and ``clone`` copies
them, so a wrapper works in GridSearchCV, RandomizedSearchCV, cross_val_score and Pipeline. Nothing is
built in ``__init__``: ``fit`` (or ``initialize``) calls the model-building function, compiles the model
when it came back uncompiled, and trains it; the fitted attributes end in ``_`` (``model_``, ``history_``,
``n_features_in_``, ``feature_names_in_``)."""
import contextlib
import copy
import inspect
import os
import random

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import _check_sample_weight, validate_data

from .. import backend, losses, optimizers
from ..callbacks import Callback
from ..models import Model
from ..utils import set_random_seed
from . import persistence
from .routing import call_with, instantiate, parameters, route

_FIT = ("batch_size", "epochs", "verbose", "validation_split", "shuffle", "initial_epoch", "validation_steps",
        "validation_batch_size", "validation_freq", "steps_per_epoch", "validation_data", "class_weight")
_PREDICT = ("batch_size", "verbose", "steps")
_COMPILE = ("optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly")
_PREFIXES = ("model", "fit", "compile", "predict", "optimizer", "loss", "metrics", "callbacks", "score")
_SAME = ("dendrite.same_as_model_",)  # a pickled wrapper whose model= is the model it trained
_LOSS_CLASSES = {"BinaryCrossentropy": "binary_crossentropy", "CategoricalCrossentropy": "categorical_crossentropy",
                 "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy", "MeanSquaredError": "mse"}


def loss_name(loss):
    """The canonical function name of a built-in loss given by name, function, class or instance (None for
    anything else): 'bce' and BinaryCrossentropy() both give 'binary_crossentropy'."""
    if loss is None:
        return None
    if isinstance(loss, type):
        return _LOSS_CLASSES.get(loss.__name__)
    if isinstance(loss, str):
        try:
            loss = losses.get(loss)
        except ValueError:
            return None
    if isinstance(loss, losses.Loss):
        return _LOSS_CLASSES.get(type(loss).__name__, getattr(getattr(loss, "fn", None), "__name__", None))
    return getattr(loss, "__name__", None)


def _loss_class(name):
    """The Loss class a loss given by name stands for (so that ``loss__from_logits=True`` can make one)."""
    found = losses.get(name)
    if isinstance(found, losses.Loss):
        return type(found)
    for cls_name, function in _LOSS_CLASSES.items():
        if function == getattr(found, "__name__", None):
            return getattr(losses, cls_name)
    raise ValueError(f"loss={name!r} takes no routed parameters: no Loss class stands for it here. Pass a Loss "
                     "class (e.g. loss=dendrite.losses.MeanSquaredError) to route parameters to it.")


@contextlib.contextmanager
def seeded(seed):
    """Python's, NumPy's and dendrite's generators seeded with ``seed`` inside, restored afterwards (scikeras's
    random_state: reproducible fits that leave the caller's random streams alone); nothing with None."""
    if seed is None:
        yield
        return
    saved = (random.getstate(), np.random.get_state(), backend.rng().bit_generator.state,
             os.environ.get("PYTHONHASHSEED"))
    set_random_seed(int(seed))
    try:
        yield
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
        backend.rng().bit_generator.state = saved[2]
        if saved[3] is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = saved[3]


class BaseWrapper(BaseEstimator):
    """What KerasClassifier and KerasRegressor share (see the module's docstring)."""

    def __init__(self, model=None, *, build_fn=None, warm_start=False, random_state=None, optimizer="rmsprop",
                 loss=None, metrics=None, batch_size=None, validation_batch_size=None, verbose=1, callbacks=None,
                 validation_split=0.0, shuffle=True, run_eagerly=False, epochs=1, **kwargs):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        vars(self).update(kwargs)

    # ------------------------------------------------------------ parameters
    def _get_param_names(self):
        """Every parameter this wrapper holds: the constructor's and the extra keywords it was given."""
        return sorted(k for k in vars(self) if not k.endswith("_") and not k.startswith("_"))

    def _declared(self):
        """The constructor's own parameter names."""
        sig = inspect.signature(type(self).__init__)
        return {p.name for p in sig.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}

    def set_params(self, **params):
        """Set parameters, routed ones (``model__units``, ``optimizer__learning_rate``) and new extra keywords
        included; ``step__param`` of a Pipeline reaches here as ``param``."""
        for name, value in params.items():
            if "__" in name and name.split("__", 1)[0] in _PREFIXES or name in vars(self) or name in self._declared():
                setattr(self, name, value)
            elif "__" in name:
                raise ValueError(f"{type(self).__name__}.set_params: `{name}` routes to "
                                 f"`{name.split('__', 1)[0]}`, which is none of {list(_PREFIXES)}. Use e.g. "
                                 f"model__{name.split('__', 1)[1]} for the model-building function.")
            else:
                raise ValueError(f"{type(self).__name__}.set_params: invalid parameter `{name}`; this estimator "
                                 f"has {sorted(self.get_params(deep=False))}. Set a new one in the constructor: "
                                 f"{type(self).__name__}({name}={value!r}), or route it (model__{name}=...).")
        return self

    def _extras(self):
        """Extra keyword parameters that no prefix routes (Keras 2's sk_params such as ``units=``)."""
        declared = self._declared()
        return {k: v for k, v in self.get_params(deep=False).items() if k not in declared and "__" not in k}

    @property
    def current_epoch(self):
        """Epochs trained so far (partial_fit continues from here)."""
        return len(self.history_.get("loss", [])) if hasattr(self, "history_") else 0

    @property
    def initialized_(self):
        return hasattr(self, "model_")

    # ---------------------------------------------------------- the model
    def _build_function(self):
        model = getattr(self, "model", None)
        model = model if model is not None else getattr(self, "build_fn", None)
        if model is None:
            if hasattr(self, "_keras_build_fn"):
                return self._keras_build_fn
            raise ValueError(f"{type(self).__name__}: no model. Pass model= a dendrite Model or a function that "
                             "returns one (Keras 2's build_fn= is accepted too).")
        if isinstance(model, Model):
            return lambda: model
        if callable(model) and not isinstance(model, type):
            return model
        raise TypeError(f"{type(self).__name__}: model= must be a dendrite Model or a function returning one; "
                        f"received {model!r} (type {type(model).__name__}).")

    def _build_arguments(self, fn):
        """The routed arguments of the model-building function: ``model__x`` and the extra keywords it takes
        (``{name: (parameter, value)}``)."""
        params = self.get_params(deep=False)
        routed = {name: (f"model__{name}", value) for name, value in route(params, "model", strict=True).items()}
        names, var_kw = parameters(fn)
        for name, value in self._extras().items():
            if name in names or var_kw:
                routed.setdefault(name, (name, value))
            elif name not in _FIT + _PREDICT + _COMPILE:
                raise ValueError(f"{type(self).__name__}: `{name}={value!r}` is not a legal parameter: the "
                                 f"model-building function takes no `{name}`, and neither Model.fit, Model.predict "
                                 f"nor compile does. Route it explicitly (model__{name}=... with `{name}` added "
                                 "to the function's arguments) or drop it.")
        return routed

    def _build_model(self):
        fn = self._build_function()
        optional = {"meta": self._metadata, "compile_kwargs": self._compile_kwargs, "params": self.get_params}
        model = call_with(fn, self._build_arguments(fn), optional, type(self).__name__)
        if not isinstance(model, Model):
            raise TypeError(f"{type(self).__name__}: the model-building function returned {type(model).__name__} "
                            f"({model!r:.80}), not a dendrite Model. It must build, and may compile, a Model "
                            "(Sequential or functional) and return it.")
        return model

    def _metadata(self):
        """Attributes fit has set so far (n_features_in_, classes_, n_classes_, target_type_, ...), for
        ``meta``."""
        return {k: v for k, v in vars(self).items() if len(k) > 1 and k.endswith("_") and not k.endswith("__")
                and not k.startswith("_") and k not in ("model_", "history_")}

    def _compile_kwargs(self):
        """compile()'s arguments from the parameters, classes made with their routed parameters."""
        params = self.get_params(deep=False)
        kwargs = route(params, "compile", plain=_COMPILE, strict=True)
        optimizer, opt_params = kwargs.get("optimizer", "rmsprop"), route(params, "optimizer")
        if isinstance(optimizer, str) and opt_params:
            optimizer = type(optimizers.get(optimizer))
        if isinstance(optimizer, optimizers.Optimizer):  # a fresh copy: each model gets its own optimizer state
            optimizer = optimizers.deserialize(optimizers.serialize(optimizer))
        kwargs["optimizer"] = instantiate(optimizer, opt_params, "optimizer")
        loss, loss_params = kwargs.get("loss"), route(params, "loss")
        if isinstance(loss, str) and loss_params:
            loss = _loss_class(loss)
        kwargs["loss"] = instantiate(loss, loss_params, "loss")
        metrics = instantiate(kwargs.get("metrics"), route(params, "metrics"), "metrics")
        if metrics is not None and not isinstance(metrics, (list, tuple, dict)):
            metrics = [metrics]
        kwargs["metrics"] = metrics
        return kwargs

    def _ensure_compiled(self, X):
        """Compile a model that came back uncompiled (its loss chosen from the target when none is given);
        refuse a loss= that contradicts the one a compiled model has."""
        given = getattr(self, "loss", None)
        if self.model_.optimizer is None:
            kwargs = self._compile_kwargs()
            if kwargs.get("loss") is None:
                kwargs["loss"] = self._default_loss(X)
            self.model_.compile(**kwargs)
        elif given is not None and loss_name(given) is not None and loss_name(self.model_.loss) is not None \
                and loss_name(given) != loss_name(self.model_.loss):
            raise ValueError(f"{type(self).__name__}: loss={given!r}, but the model-building function compiled "
                             f"the model with loss={self.model_.loss!r}. Drop one: either pass the loss here and "
                             "return an uncompiled model, or compile it in the function.")
        if self.model_.loss is None:
            raise ValueError(f"{type(self).__name__}: the model has no loss. Pass loss=..., or compile the model "
                             "with one in the model-building function.")

    def _default_loss(self, X):  # pragma: no cover - the subclasses choose
        raise NotImplementedError

    def _output_width(self, X):
        """The width of the model's output, from one forward pass (built models and subclassed ones alike)."""
        out = self.model_.predict_on_batch(X[:1])
        if isinstance(out, (list, tuple, dict)):
            raise ValueError(f"{type(self).__name__}: the model has {len(out)} outputs; these wrappers train a "
                             "model with one output. Subclass and override the target encoding for several.")
        return int(np.prod(np.shape(out)[1:]))

    def _callbacks(self, destination):
        params = self.get_params(deep=False)
        out = []
        for source in ("callbacks", f"{destination}__callbacks"):
            given = params.get(source)
            if given is None:
                continue
            made = instantiate(given, route(params, source), source)
            made = list(made.values()) if isinstance(made, dict) else made
            made = [made] if isinstance(made, Callback) else list(made)
            flat = [c for item in made for c in (item if isinstance(item, (list, tuple)) else [item])]
            wrong = [c for c in flat if not isinstance(c, Callback)]
            if wrong:
                raise TypeError(f"{type(self).__name__}: `{source}` must hold dendrite callbacks (instances or "
                                f"classes), in a list, a dict or alone; received {wrong[0]!r}.")
            out += flat
        return out

    # ------------------------------------------------------------- data
    def _validate(self, X, y=None, reset=False):
        """X (and y) checked as scikit-learn does (n_features_in_, feature_names_in_ on reset); X as float32."""
        if y is None:
            X = validate_data(self, X, reset=reset, allow_nd=True, dtype="numeric")
        else:
            X, y = validate_data(self, X, y, reset=reset, allow_nd=True, dtype="numeric", multi_output=True,
                                 y_numeric=self._y_numeric)
        if reset:
            self.X_shape_, self.X_dtype_ = X.shape, X.dtype
        elif X.shape[1:] != self.X_shape_[1:]:
            raise ValueError(f"{type(self).__name__}: X has shape {X.shape[1:]} per sample, but the estimator was "
                             f"fitted on {self.X_shape_[1:]}.")
        return np.asarray(X, dtype=backend.floatx()), y

    _y_numeric = False

    # ------------------------------------------------------------- fit
    def _initialize(self, X, y):
        X, y = self._validate(X, y, reset=True)
        y = self._fit_target(y)
        with seeded(self._seed()):
            self.model_ = self._build_model()
        self._ensure_compiled(X)
        self._check_model(X)
        return X, y

    def _seed(self):
        state = getattr(self, "random_state", None)
        if isinstance(state, np.random.RandomState):
            return int(copy.deepcopy(state).randint(2 ** 31))
        return state

    def initialize(self, X, y=None):
        """Build (and compile) the model for X and y without training it."""
        self._initialize(X, y)
        return self

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build a new model (kept with warm_start=True once built) and train it on X, y for ``epochs``."""
        epochs = kwargs.pop("epochs", self.get_params(deep=False).get("fit__epochs", getattr(self, "epochs", 1)))
        self._fit(X, y, sample_weight, warm=bool(getattr(self, "warm_start", False)), epochs=epochs,
                  initial_epoch=kwargs.pop("initial_epoch", 0), **kwargs)
        return self

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """One more epoch on X, y, keeping the model and its history."""
        for name in ("epochs", "initial_epoch"):
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}.partial_fit: `{name}` is not an argument; partial_fit "
                                "always trains one epoch from the current one.")
        self._fit(X, y, sample_weight, warm=True, epochs=1, initial_epoch=self.current_epoch, **kwargs)
        return self

    def _fit(self, X, y, sample_weight, warm, epochs, initial_epoch, **kwargs):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None: fit(X, y) "
                             "trains the model to map X to y.")
        if warm and self.initialized_:
            X, y = self._validate(X, y)
            y = self._check_target(y)
        else:
            X, y = self._initialize(X, y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
            keep = sample_weight != 0  # (all zero is refused by scikit-learn's check)
            X, y, sample_weight = X[keep], y[keep], sample_weight[keep]
        args = self._fit_arguments()
        args.update(kwargs)
        for name in ("batch_size", "validation_batch_size"):
            if args.get(name) == -1:
                args[name] = X.shape[0]
        args.update(epochs=initial_epoch + epochs, initial_epoch=initial_epoch, sample_weight=sample_weight,
                    callbacks=self._callbacks("fit"))
        with seeded(self._seed()):
            history = self.model_.fit(X, self._encode(y), **args)
        if not (warm and hasattr(self, "history_")) or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    _not_fit = ()  # plain parameters that fit() does not pass on (KerasClassifier: class_weight)

    def _fit_arguments(self):
        params = self.get_params(deep=False)
        args = {k: v for k, v in params.items() if k in _FIT and k not in self._not_fit}
        args.update({k: v for k, v in route(params, "fit", strict=True).items() if k != "callbacks"})
        return args

    # --------------------------------------------------------- predict
    def _predict_raw(self, X, **kwargs):
        if not self.initialized_:
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                                 "appropriate arguments before using this estimator.")
        X, _ = self._validate(X)
        params = self.get_params(deep=False)
        args = {k: v for k, v in params.items() if k in _PREDICT}
        args.update({k: v for k, v in route(params, "predict", strict=True).items() if k != "callbacks"})
        args.update(kwargs)
        if args.get("batch_size") == -1:
            args["batch_size"] = X.shape[0]
        return np.asarray(self.model_.predict(X, callbacks=self._callbacks("predict"), **args))

    def score(self, X, y, sample_weight=None):
        """The scorer's value on X, y (accuracy for a classifier, R^2 for a regressor)."""
        y_pred = self.predict(X)
        extra = route(self.get_params(deep=False), "score")
        return self.scorer(y, y_pred, sample_weight=sample_weight, **extra)

    # -------------------------------------------------------- pickling
    def __getstate__(self):
        """The wrapper's state with each model as its in-memory ``.keras`` bytes (see persistence)."""
        state = dict(vars(self))
        fitted, given = state.get("model_"), state.get("model")
        if isinstance(fitted, Model):
            state["model_"] = persistence.pack(fitted)
        if isinstance(given, Model):
            state["model"] = _SAME if given is fitted else persistence.pack(given)
        return state

    def __setstate__(self, state):
        for key in ("model_", "model"):
            if persistence.is_packed(state.get(key)):
                state[key] = persistence.unpack(state[key])
        if state.get("model") == _SAME:
            state["model"] = state["model_"]
        vars(self).update(state)

    @staticmethod
    def expected_failed_checks(estimator=None):
        """scikit-learn's estimator checks these wrappers are known to fail, with why (for
        parametrize_with_checks / check_estimator's ``expected_failed_checks``)."""
        return {"check_sample_weight_equivalence_on_dense_data": "stochastic mini-batch training: a weight of 2 "
                "and a repeated sample fall in different batches and steps, so the two fits differ"}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        tags.input_tags.allow_nan = False
        tags.input_tags.three_d_array = True
        return tags
