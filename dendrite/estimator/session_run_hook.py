"""TensorFlow's session-hook protocol (``SessionRunHook``, ``SessionRunArgs``, ``SessionRunContext``,
``SessionRunValues``), emulated around the eager steps of an Estimator.

There is no graph and no session: each step runs the model_fn, then the train_op. ``HookRunner`` calls the hooks
as TensorFlow's MonitoredSession did:

- ``begin()`` of every hook once per ``train`` / ``evaluate`` / ``predict`` call, after the first model_fn call
  (TensorFlow also built the graph, calling the model_fn, before ``begin``), then
  ``after_create_session(session, coord)`` with ``session`` a stand-in (``StepSession``) and ``coord`` None;
- each step: ``before_run(run_context)`` after the model_fn has run and before the train_op updates the
  variables; it returns None or ``SessionRunArgs(fetches)``. The fetches are resolved after the step, and
  ``after_run(run_context, SessionRunValues(results, options, run_metadata))`` gets their values as NumPy
  values, in the fetches' structure (dict, list, tuple, single);
- a hook's ``run_context.request_stop()`` ends the loop after the step; ``end(session)`` at the end of a call
  that was not ended by an error.

A fetch is one of: a tensor name (``"softmax_tensor"``, ``"softmax_tensor:0"``) recorded by an op given
``name=`` in this step (dendrite.estimator.names); ``"global_step"`` or the global step Variable (its value
before the step, as TensorFlow's global-step read); any other Variable (its value now); a Tensor the step
produced that is the loss, a prediction or a named tensor; a train_op (None); a ``(value, update_op)`` half of a
v1 metric (the metric's result). A model_fn runs anew on every step, so a hook made by the model_fn (in the
EstimatorSpec) holds the Tensors of the first step: those are matched to the same role (loss, prediction,
name) in each later step. ``session.run(fetches)`` resolves fetches the same way, at the time it is called.
"""
from collections import namedtuple

import numpy as np

from ..autodiff import Tensor, Variable
from . import names as _names

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues"]


class SessionRunHook:
    """A hook into an Estimator's steps; subclass it and override the methods you need (all do nothing)."""

    def begin(self):
        """Once per train/evaluate/predict call, before the first step runs its train_op."""

    def after_create_session(self, session, coord):
        """After ``begin``: ``session`` is dendrite's stand-in (``session.run(fetches)``), ``coord`` None."""

    def before_run(self, run_context):
        """Before each step's update: return None, or ``SessionRunArgs(fetches)`` to get them in after_run."""
        return None

    def after_run(self, run_context, run_values):
        """After each step: ``run_values.results`` holds the values of the fetches before_run asked for."""

    def end(self, session):
        """At the end of the call (not after an error)."""


class SessionRunArgs(namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What ``before_run`` asks for: ``fetches`` (see the module's docstring); ``feed_dict`` must be empty
    (dendrite has no placeholders to feed); ``options`` is handed back as ``run_values.options``."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunValues(namedtuple("SessionRunValues", ["results", "options", "run_metadata"])):
    """What ``after_run`` gets: the fetched ``results``, the ``options`` asked for, ``run_metadata`` (None)."""


class SessionRunContext:
    """The step a hook is called around: ``original_args`` (the step's own fetches: the train_op in training,
    the loss in evaluation, the predictions in prediction), ``session`` (the stand-in) and ``request_stop()``."""

    def __init__(self, original_args, session):
        self._original_args, self._session, self._stop_requested = original_args, session, False

    original_args = property(lambda self: self._original_args)
    session = property(lambda self: self._session)
    stop_requested = property(lambda self: self._stop_requested)

    def request_stop(self):
        """End the loop after this step (the hooks' after_run still all run)."""
        self._stop_requested = True


class StepSession:
    """The ``session`` hooks are given: no TensorFlow session exists. ``run(fetches)`` gives the fetches'
    values now: the global step and variables as they are, the tensors of the latest step."""

    graph = None

    def __init__(self, runner):
        self._runner = runner

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if feed_dict:
            raise NotImplementedError("session.run: feed_dict is not supported; dendrite has no placeholders "
                                      "(its model_fn runs eagerly on the input_fn's batches).")
        return self._runner.resolve(fetches, "session.run", None)

    def should_stop(self):
        return self._runner.stop_requested


def _roles(spec, named):
    """role -> Tensor for the tensors of one step a hook can fetch by object: loss, predictions, named ones."""
    roles = {("name", key): value for key, value in named.items()}
    if spec is not None:
        roles[("loss",)] = spec.loss
        predictions = spec.predictions
        if isinstance(predictions, dict):
            roles.update({("prediction", key): value for key, value in predictions.items()})
        else:
            roles[("prediction",)] = predictions
    return {role: t for role, t in roles.items() if isinstance(t, Tensor)}


def _numpy(tensor):
    value = np.asarray(tensor.numpy())
    return value[()] if value.ndim == 0 else value


class HookRunner:
    """Calls ``hooks`` around the steps of one Estimator call (``owner``, as 'Estimator.train'); see the
    module's docstring for the order."""

    def __init__(self, owner, hooks, store):
        self.owner, self.store = owner, store
        self.hooks = checked_hooks(owner, "hooks", hooks)
        self.session = StepSession(self)
        self.stop_requested = False
        self.started = False
        self._named, self._current = {}, {}
        self._first = {}  # id -> role of the tensors of the step the spec's hooks were made in
        self._first_tensors = {}  # (keeps those tensors, and so their ids, alive)
        self._pending, self._step_value = [], None

    def _call(self, hook, method, *args):
        with self.store.active():
            return getattr(hook, method)(*args)

    # ----------------------------------------------------------------- steps
    def start(self, spec_hooks=(), spec=None, named=None, what="hooks"):
        """After the first model_fn call: take its spec's hooks (they serve the whole call), then begin() and
        after_create_session() of every hook."""
        self.hooks += checked_hooks(self.owner, f"EstimatorSpec.{what}", spec_hooks)
        self._named = named or {}
        self._current = self._first_tensors = _roles(spec, self._named)
        self._first = {id(t): role for role, t in self._first_tensors.items()}
        self.started = True
        for hook in self.hooks:
            self._call(hook, "begin")
        for hook in self.hooks:
            self._call(hook, "after_create_session", self.session, None)

    def before_run(self, spec, named, original_fetches):
        """The step's model_fn has run (``spec``, its ``named`` tensors); ask every hook for its fetches."""
        self._named, self._current = named, _roles(spec, named)
        self._step_value = int(self.store.global_step.value)
        context = SessionRunContext(SessionRunArgs(original_fetches), self.session)
        self._pending = []
        for hook in self.hooks:
            args = self._call(hook, "before_run", context)
            if args is not None and not isinstance(args, SessionRunArgs):
                raise TypeError(f"{self.owner}: {type(hook).__name__}.before_run must return None or "
                                f"SessionRunArgs(fetches); it returned {type(args).__name__}.")
            if args is not None and args.feed_dict:
                raise NotImplementedError(f"{self.owner}: {type(hook).__name__}.before_run asks to feed "
                                          f"{sorted(map(str, args.feed_dict))}; dendrite has no placeholders to "
                                          "feed: give the data through the input_fn.")
            self._pending.append((hook, args))
        self._context = context

    def after_run(self):
        """The step's update has run: give every hook its fetches' values."""
        for hook, args in self._pending:
            results = None if args is None else self.resolve(args.fetches, type(hook).__name__, self._step_value)
            values = SessionRunValues(results, None if args is None else args.options, None)
            self._call(hook, "after_run", self._context, values)
        self._pending = []
        self.stop_requested = self.stop_requested or self._context.stop_requested

    def end(self):
        for hook in self.hooks:
            self._call(hook, "end", self.session)

    # --------------------------------------------------------------- fetches
    def resolve(self, fetches, who, step_value):
        """The values of ``fetches`` for ``who`` (a hook's name); ``step_value`` is the global step's value
        before the step (None: its value now)."""
        if fetches is None:
            return None
        if isinstance(fetches, str):
            return self._by_name(fetches, who, step_value)
        if isinstance(fetches, dict):
            return {key: self.resolve(value, who, step_value) for key, value in fetches.items()}
        if isinstance(fetches, (list, tuple)):
            values = [self.resolve(value, who, step_value) for value in fetches]
            return type(fetches)(*values) if hasattr(fetches, "_fields") else type(fetches)(values)
        if isinstance(fetches, Variable):
            if fetches is self.store.global_step and step_value is not None:
                return np.int64(step_value)
            return _numpy(fetches)
        if isinstance(fetches, Tensor):
            return _numpy(self._tensor(fetches, who))
        if hasattr(fetches, "_estimator_run"):  # a train_op: runs, fetches nothing
            return None
        if hasattr(fetches, "metric") and hasattr(fetches, "numpy"):  # a v1 metric's (value, update_op)
            return fetches.numpy()
        raise TypeError(f"{self.owner}: {who} fetches a {type(fetches).__name__}; a fetch is a tensor name, a "
                        "Tensor or Variable, the global step, or a dict/list of them.")

    def _tensor(self, tensor, who):
        if any(t is tensor for t in self._current.values()):
            return tensor
        role = self._first.get(id(tensor))
        if role is not None and self._first_tensors.get(role) is tensor:
            if role in self._current:
                return self._current[role]
            raise ValueError(f"{self.owner}: {who} fetches the tensor {_role_text(role)} of the first step; this "
                             "step's model_fn made none. A model_fn must make the same named tensors on every "
                             "step.")
        raise ValueError(f"{self.owner}: {who} fetches a Tensor that is not the loss, a prediction or a named "
                         "tensor of this step. dendrite runs the model_fn anew on every step, so an unnamed "
                         "intermediate tensor cannot be found again: name it (tf.identity(x, name='my_tensor'), "
                         "or dendrite.estimator.v1.identity) and fetch 'my_tensor'.")

    def _by_name(self, name, who, step_value):
        base, index = _names.split(name)
        if base in self._named:
            value = self._named[base]
            if isinstance(value, (tuple, list)) and index < len(value):
                value = value[index]
            elif index != 0:
                raise ValueError(f"{self.owner}: {who} fetches {name!r}, but the op named {base!r} has one output "
                                 f"(fetch {base!r} or {base + ':0'!r}).")
            return self.resolve(value, who, step_value)
        if base == "global_step" and index == 0:
            return self.resolve(self.store.global_step, who, step_value)
        recorded = sorted(self._named)
        raise ValueError(f"{self.owner}: {who} fetches the tensor {name!r}, but no op of this step was named "
                         f"{base!r}; the names recorded in this step are {recorded}. Pass name={base!r} to the op "
                         "that makes it (tf.identity(x, name=...), tf.nn.softmax(logits, name=...)) inside the "
                         "model_fn, or fetch one of those names.")


def _role_text(role):
    return {"loss": "the loss"}.get(role[0], f"{role[0]} {role[1]!r}" if len(role) > 1 else role[0])


def checked_hooks(owner, what, hooks):
    """``hooks`` as a list, each a SessionRunHook (TensorFlow's check)."""
    if hooks is None:
        return []
    if isinstance(hooks, SessionRunHook):
        hooks = [hooks]
    hooks = list(hooks)
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"{owner}: {what} must be SessionRunHook objects (tf.estimator.SessionRunHook or its "
                            f"subclasses); received {type(hook).__name__} ({hook!r}).")
    return hooks
