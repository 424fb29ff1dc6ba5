"""``Estimator``: train / evaluate / predict a ``model_fn`` with checkpoints in ``model_dir`` (tf.estimator's API).

How it runs eagerly (see dendrite.estimator.variables for how the weights persist):

- ``train``: each step draws a batch from the input_fn, calls ``model_fn(features, labels, mode='train')``
  inside a GradientTape, then runs the spec's ``train_op`` (made by ``optimizer.minimize(loss, global_step)``),
  which takes the loss's gradients from that tape, applies them and increments the global step. Training
  starts from the newest checkpoint in ``model_dir`` (so a second ``train(steps=100)`` continues the global
  step), or else from ``warm_start_from``'s variables; logs ``loss = ..., step = ...`` and ``global_step/sec``
  every ``log_step_count_steps``, writes a checkpoint every ``save_checkpoints_steps`` (or
  ``save_checkpoints_secs``) and at the end;
- summaries: TensorBoard event files in ``model_dir`` (through tensorboardX, as the TensorBoard callback
  writes them; none when it is not installed), with TensorFlow's tags and steps: ``loss`` on the first step
  of each ``train`` and then every ``save_summary_steps`` (SummarySaverHook), ``global_step/sec`` every
  ``log_step_count_steps`` (StepCounterHook), each at the global step after the step; ``evaluate`` writes its
  results in ``model_dir/eval`` (``eval_<name>``);
- ``evaluate``: the metrics of ``eval_metric_ops`` accumulated over the batches (or ``steps`` batches), with
  ``loss`` (the mean of the batches' losses) and ``global_step``;
- ``predict``: a generator of the predictions, one example at a time (or one batch);
- hooks: each method runs TensorFlow's session hooks (``hooks=[...]``, dendrite.estimator.session_run_hook for
  the order, dendrite.estimator.hooks for the concrete ones) together with the EstimatorSpec's
  ``training_hooks`` / ``evaluation_hooks`` / ``prediction_hooks``. The model_fn runs on every step, each call
  making its hooks anew: the hooks of the spec of the FIRST model_fn call of a ``train`` / ``evaluate`` /
  ``predict`` serve that whole call (begun once, the same objects on every step); later calls' hooks are not
  used. A hook's request_stop() ends the call after the step; ``saving_listeners`` are called around each
  checkpoint ``train`` writes. Ops given ``name=`` in the model_fn record their output for the hooks' fetches
  by name (dendrite.estimator.names).
"""
import inspect
import logging
import os
import re
import tempfile
import time

import numpy as np

from ..autodiff import GradientTape, Tensor, array_of
from ..metrics.base import Metric
from . import checkpoints, names, summaries
from .hooks import NanLossDuringTrainingError, checked_listeners, save_with_listeners
from .run_config import RunConfig
from .session_run_hook import HookRunner
from .spec import EstimatorSpec, ModeKeys
from .variables import VariableStore

logger = logging.getLogger("dendrite.estimator")
_NAMES = {ModeKeys.TRAIN: "TRAIN", ModeKeys.EVAL: "EVAL", ModeKeys.PREDICT: "PREDICT"}


def _as_input(value):
    """A feature or label as a model_fn sees it: numbers as a dendrite Tensor, strings as a NumPy array."""
    if isinstance(value, dict):
        return {k: _as_input(v) for k, v in value.items()}
    if value is None or isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    return Tensor(array) if array.dtype.kind in "biuf" else array


class Estimator:
    """A model given by ``model_fn(features, labels, mode, params, config)`` (any subset of these arguments),
    returning an ``EstimatorSpec``."""

    def __init__(self, model_fn, model_dir=None, config=None, params=None, warm_start_from=None):
        if not callable(model_fn):
            raise TypeError(f"Estimator: model_fn must be a function (features, labels, mode, params, config) -> "
                            f"EstimatorSpec; received {type(model_fn).__name__}.")
        if config is not None and not isinstance(config, RunConfig):
            raise TypeError(f"Estimator: config must be a RunConfig; received {type(config).__name__}.")
        config = config or RunConfig()
        if model_dir is not None and config.model_dir is not None and \
                os.path.abspath(model_dir) != os.path.abspath(config.model_dir):
            raise ValueError(f"Estimator: model_dir={model_dir!r} and config.model_dir={config.model_dir!r} differ; "
                             "give one of them.")
        model_dir = model_dir or config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            logger.warning("Using temporary folder as model directory: %s", model_dir)
        self._model_dir = str(model_dir)
        self._config = config.replace(model_dir=self._model_dir)
        self._params = dict(params or {})
        self._model_fn = model_fn
        self._model_fn_args = set(inspect.signature(model_fn).parameters)
        self._store = VariableStore(type(self).__name__)
        self._warm_start_from = warm_start_from
        self._summary = None
        if config.tf_random_seed is not None:
            from ..utils import set_random_seed
            set_random_seed(config.tf_random_seed)

    model_dir = property(lambda self: self._model_dir)
    config = property(lambda self: self._config)
    params = property(lambda self: dict(self._params))
    model_fn = property(lambda self: self._model_fn)

    # ------------------------------------------------------------- checkpoints
    def latest_checkpoint(self):
        """The newest checkpoint prefix in model_dir, or None."""
        return checkpoints.latest_checkpoint(self._model_dir)

    def _checkpoint_values(self, checkpoint_path=None):
        path = checkpoint_path or self.latest_checkpoint()
        if path is None:
            raise ValueError(f"{type(self).__name__}: no checkpoint in model_dir {self._model_dir!r}; call train() "
                             "first.")
        return checkpoints.read(path)

    def get_variable_names(self):
        """The names of the variables in the newest checkpoint (as 'dnn/hiddenlayer_0/kernel', 'global_step')."""
        return sorted(self._checkpoint_values())

    def get_variable_value(self, name):
        """The value of the variable ``name`` in the newest checkpoint, as a NumPy array."""
        values = self._checkpoint_values()
        if name not in values:
            raise ValueError(f"{type(self).__name__}.get_variable_value: no variable {name!r} in the checkpoint; "
                             f"its variables are {sorted(values)}.")
        return values[name]

    def _restore(self, checkpoint_path=None, warm=False):
        """The newest checkpoint's values (or ``checkpoint_path``'s) into the variables; without one, when
        ``warm`` (training), ``warm_start_from``'s. Returns the checkpoint read, or None."""
        path = checkpoint_path or self.latest_checkpoint()
        if path is not None:
            self._store.restore(checkpoints.read(path))
            return path
        if warm and self._warm_start_from is not None:
            self._warm_start()
        return None

    def _warm_start(self):
        """Training without a checkpoint of its own starts from ``warm_start_from``'s variables, as TensorFlow
        warm-starts: a regex (``vars_to_warm_start``, '.*' by default) picks among the trainable variables; a
        list of regexes among all the model's variables; the global step and optimizer state are not taken."""
        settings = self._warm_start_from
        source = str(getattr(settings, "ckpt_to_initialize_from", settings))
        source = checkpoints.latest_checkpoint(source) if os.path.isdir(source) else source
        if source is None or not os.path.exists(source + ".index"):
            raise ValueError(f"{type(self).__name__}: warm_start_from={settings!r} holds no checkpoint (give a "
                             "model_dir that has one, or a checkpoint prefix such as 'model_dir/model.ckpt-100').")
        wanted = getattr(settings, "vars_to_warm_start", ".*")
        if wanted is None:
            return
        patterns = [re.compile(wanted)] if isinstance(wanted, str) else [re.compile(w) for w in wanted]
        values = {k: v for k, v in checkpoints.read(source).items()
                  if k != "global_step" and any(p.match(k) for p in patterns)}
        self._store.restore(values, optimizer_state=False, trainable_only=isinstance(wanted, str))
        logger.info("Warm-starting from: %s", source)

    def _save(self, listeners=(), session=None):
        """A checkpoint at the global step, with the saving listeners called around it; returns whether one
        of them asked to stop training."""
        step = int(self._store.global_step.value)

        def save():
            prefix = checkpoints.save(self._model_dir, self._store.all_variables(), step,
                                      self._config.keep_checkpoint_max)
            logger.info("Saving checkpoints for %d into %s.", step, prefix)
        if not listeners:
            save()
            return False
        return save_with_listeners(listeners, session, step, save)

    def eval_dir(self, name=None):
        """The folder evaluate(name=...) writes its results in: model_dir/eval, or model_dir/eval_<name>."""
        return os.path.join(self._model_dir, "eval" if not name else f"eval_{name}")

    # ------------------------------------------------------------------ inputs
    def _batches(self, input_fn, mode):
        """The (features, labels) pairs of ``input_fn``'s result, one per step."""
        if not callable(input_fn):
            raise TypeError(f"{type(self).__name__}: input_fn must be a function returning the data (a Dataset of "
                            f"(features, labels), or such a pair); received {type(input_fn).__name__}.")
        wanted = set(inspect.signature(input_fn).parameters)
        given = dict(params=self._params, mode=mode, config=self._config, input_context=None)
        result = input_fn(**{k: v for k, v in given.items() if k in wanted})
        if isinstance(result, tuple) and len(result) == 2 and not hasattr(result, "__next__"):
            while True:  # constant tensors: the same batch on every step, as TensorFlow's graph gives
                yield result
        if isinstance(result, (dict, np.ndarray, Tensor)):
            while True:
                yield result, None
        if not hasattr(result, "__iter__"):
            raise TypeError(f"{type(self).__name__}: input_fn returned {type(result).__name__}; expected a Dataset "
                            "or iterator of (features, labels), or a (features, labels) pair.")
        for element in result:
            if isinstance(element, tuple) and len(element) == 2:
                yield element
            elif isinstance(element, tuple) and len(element) == 1:
                yield element[0], None
            else:
                yield element, None

    def _call_model_fn(self, features, labels, mode):
        given = dict(features=_as_input(features), labels=_as_input(labels), mode=mode, params=self._params,
                     config=self._config)
        if "labels" not in self._model_fn_args and labels is not None:
            raise ValueError(f"{type(self).__name__}: the input_fn gives labels, but model_fn takes no `labels` "
                             "argument.")
        with self._store.capturing():
            spec = self._model_fn(**{k: v for k, v in given.items() if k in self._model_fn_args})
        if not isinstance(spec, EstimatorSpec):
            raise TypeError(f"{type(self).__name__}: model_fn must return an EstimatorSpec in mode "
                            f"{_NAMES[mode]}; it returned {type(spec).__name__}.")
        if spec.mode != mode:
            raise ValueError(f"{type(self).__name__}: model_fn was called in mode {_NAMES[mode]} and returned an "
                             f"EstimatorSpec for mode {spec.mode!r}; pass mode=mode to EstimatorSpec.")
        return spec

    # ------------------------------------------------------------------ train
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train for ``steps`` more steps, up to global step ``max_steps``, until the input ends or a hook
        requests a stop; ``hooks`` and ``saving_listeners`` as the module's docstring says."""
        who = f"{type(self).__name__}.train"
        runner = HookRunner(who, hooks, self._store)
        listeners = checked_listeners(who, saving_listeners)
        if steps is not None and max_steps is not None:
            raise ValueError(f"{type(self).__name__}.train: give steps or max_steps, not both.")
        for name, value in (("steps", steps), ("max_steps", max_steps)):
            if value is not None and (isinstance(value, bool) or int(value) != value or value <= 0):
                raise ValueError(f"{type(self).__name__}.train: {name} must be a positive integer; received "
                                 f"{name}={value!r}.")
        self._restore(warm=True)
        store = self._store
        start = int(store.global_step.value)
        if max_steps is not None and start >= max_steps:
            logger.info("Skipping training since max_steps has already saved.")
            return self
        last = start + steps if steps is not None else max_steps
        self._rate_from, self._summarized, saved_time, loss = None, None, time.time(), None
        for listener in listeners:
            listener.begin()
        for features, labels in self._batches(input_fn, ModeKeys.TRAIN):
            step = int(store.global_step.value)
            if last is not None and step >= last:
                break
            with names.step() as named, GradientTape(persistent=True) as tape:
                spec = self._call_model_fn(features, labels, ModeKeys.TRAIN)
            run = getattr(spec.train_op, "_estimator_run", None)
            if run is None:
                raise TypeError(f"{type(self).__name__}: in mode TRAIN the train_op must come from "
                                "optimizer.minimize(loss, global_step=...) (dendrite.estimator.v1 or "
                                f"tf.compat.v1.train); received {type(spec.train_op).__name__}.")
            if not runner.started:
                runner.start(spec.training_hooks, spec, named, "training_hooks")
            runner.before_run(spec, named, spec.train_op)
            run(tape, store)
            loss = float(np.asarray(array_of(spec.loss)).reshape(()))
            if int(store.global_step.value) == step:
                raise ValueError(f"{type(self).__name__}: the train_op did not increment the global step. Pass "
                                 "global_step=get_global_step() to optimizer.minimize(...).")
            runner.after_run()
            if not np.isfinite(loss):
                raise NanLossDuringTrainingError(f"{type(self).__name__}: the loss is {loss} at step {step} (NaN "
                                                 "loss during training); lower the learning rate or check the "
                                                 "inputs.")
            now = int(store.global_step.value)
            self._log_step(step, loss)
            if self._due(now, saved_time):
                runner.stop_requested |= self._save(listeners, runner.session)
                saved_time = time.time()
            if runner.stop_requested:
                break
        if loss is None and int(store.global_step.value) == start and self.latest_checkpoint() is None:
            raise ValueError(f"{type(self).__name__}.train: the input_fn gave no batch.")
        if runner.started:
            runner.end()
        self._save(listeners, runner.session)
        for listener in listeners:
            listener.end(runner.session, int(store.global_step.value))
        self._close_summary()
        logger.info("Loss for final step: %s.", loss)
        return self

    def _due(self, step, saved_time):
        config = self._config
        if config.save_checkpoints_steps:
            return step % config.save_checkpoints_steps == 0
        return config.save_checkpoints_secs and time.time() - saved_time >= config.save_checkpoints_secs

    def _log_step(self, step, loss):
        """After the step from global step ``step``, what TensorFlow's training hooks do: the loss logged every
        log_step_count_steps global steps (``loss = ..., step = <step>``); the steps per second since the last
        count, logged and summarized every log_step_count_steps steps after the first; the loss summarized on
        the first step and every save_summary_steps steps after: these at the global step after the step."""
        config, now = self._config, step + 1
        if config.log_step_count_steps and step % config.log_step_count_steps == 0:
            logger.info("loss = %s, step = %d", loss, step)
        if config.log_step_count_steps:
            if self._rate_from is None:
                self._rate_from = (time.time(), now)
            elif now >= self._rate_from[1] + config.log_step_count_steps:
                rate = (now - self._rate_from[1]) / max(time.time() - self._rate_from[0], 1e-9)
                logger.info("global_step/sec: %g", rate)
                self._scalar("global_step/sec", rate, now)
                self._rate_from = (time.time(), now)
        if config.save_summary_steps and (self._summarized is None or
                                          now >= self._summarized + config.save_summary_steps):
            self._scalar("loss", loss, now)
            self._summarized = now

    def _scalar(self, tag, value, step, folder=None):
        """A TensorBoard scalar in model_dir (or a sub-folder), through the TensorBoard callback's tensorboardX
        writer; without tensorboardX installed, none (said once)."""
        if self._summary is None or self._summary[0] != folder:
            self._close_summary()
            writer = summaries.open_writer(self._model_dir if folder is None else os.path.join(self._model_dir,
                                                                                                folder))
            if writer is None:
                return
            self._summary = (folder, writer)
        self._summary[1].add_scalar(tag, value, step)

    def _close_summary(self):
        if self._summary is not None:
            self._summary[1].close()
            self._summary = None

    # --------------------------------------------------------------- evaluate
    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """The metrics over the input (or its first ``steps`` batches, or until a hook requests a stop):
        eval_metric_ops, ``loss``, ``global_step``; written as summaries in ``eval_dir(name)``."""
        runner = HookRunner(f"{type(self).__name__}.evaluate", hooks, self._store)
        if steps is not None and (isinstance(steps, bool) or int(steps) != steps or steps <= 0):
            raise ValueError(f"{type(self).__name__}.evaluate: steps must be a positive integer or None; received "
                             f"steps={steps!r}.")
        if self._restore(checkpoint_path) is None:
            logger.info("Could not find trained model in model_dir: %s, running initialization to evaluate.",
                        self._model_dir)
        self._store.reset_metrics()
        losses, kept = [], {}
        for i, (features, labels) in enumerate(self._batches(input_fn, ModeKeys.EVAL)):
            if steps is not None and i >= steps:
                break
            with names.step() as named:
                spec = self._call_model_fn(features, labels, ModeKeys.EVAL)
            if not runner.started:
                runner.start(spec.evaluation_hooks, spec, named, "evaluation_hooks")
            runner.before_run(spec, named, spec.loss)
            losses.append(float(np.asarray(array_of(spec.loss)).reshape(())))
            for key, op in spec.eval_metric_ops.items():
                metric = _metric_of(self, key, op)
                if key in kept and kept[key] is not metric:
                    raise ValueError(f"{type(self).__name__}: eval_metric_ops[{key!r}] is a new Metric object on "
                                     "each model_fn call, so it cannot accumulate over the batches. Use "
                                     "dendrite.estimator.v1.metrics (tf.compat.v1.metrics) or a Metric made once, "
                                     "outside the model_fn.")
                kept[key] = metric
            runner.after_run()
            if runner.stop_requested:
                break
        if not losses:
            raise ValueError(f"{type(self).__name__}.evaluate: the input_fn gave no batch.")
        runner.end()
        results = {key: _result(m) for key, m in kept.items()}
        results.setdefault("loss", np.float32(np.mean(losses)))
        results["global_step"] = np.int64(self._store.global_step.value)
        folder = os.path.basename(self.eval_dir(name))
        for key, value in results.items():
            if key != "global_step" and np.ndim(value) == 0:
                self._scalar(key, float(value), int(results["global_step"]), folder)
        self._close_summary()
        logger.info("Saving dict for global step %d: %s", results["global_step"],
                    ", ".join(f"{k} = {v}" for k, v in sorted(results.items())))
        return results

    # ---------------------------------------------------------------- predict
    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None, yield_single_examples=True):
        """A generator of predictions: one per example (a dict when the model_fn predicts a dict), until the
        input ends or a hook requests a stop."""
        runner = HookRunner(f"{type(self).__name__}.predict", hooks, self._store)
        if self._restore(checkpoint_path) is None:
            logger.warning("Could not find trained model in model_dir: %s, running initialization to predict.",
                           self._model_dir)
        if isinstance(predict_keys, str):
            predict_keys = [predict_keys]
        for features, _ in self._batches(input_fn, ModeKeys.PREDICT):
            with names.step() as named:
                spec = self._call_model_fn(features, None, ModeKeys.PREDICT)
            if not runner.started:
                runner.start(spec.prediction_hooks, spec, named, "prediction_hooks")
            runner.before_run(spec, named, spec.predictions)
            runner.after_run()
            predictions = spec.predictions
            if isinstance(predictions, dict):
                predictions = {k: np.asarray(array_of(v)) for k, v in predictions.items()}
                if predict_keys is not None:
                    missing = [k for k in predict_keys if k not in predictions]
                    if missing:
                        raise ValueError(f"{type(self).__name__}.predict: predict_keys {missing} are not among the "
                                         f"predictions {sorted(predictions)}.")
                    predictions = {k: predictions[k] for k in predict_keys}
            else:
                predictions = np.asarray(array_of(predictions))
            if not yield_single_examples:
                yield predictions
            else:
                sizes = {len(v) for v in (predictions.values() if isinstance(predictions, dict) else [predictions])}
                if len(sizes) != 1:
                    raise ValueError(f"{type(self).__name__}.predict: yield_single_examples needs every prediction "
                                     f"to have the batch size first; their first dimensions are {sorted(sizes)}.")
                for i in range(sizes.pop()):
                    yield ({k: v[i] for k, v in predictions.items()} if isinstance(predictions, dict)
                           else predictions[i])
            if runner.stop_requested:
                break
        if runner.started:
            runner.end()

    # ----------------------------------------------------------------- export
    def export_saved_model(self, export_dir_base, serving_input_receiver_fn=None, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__}.export_saved_model: dendrite writes no TensorFlow SavedModel (it has no graphs "
            "to serve). The trained variables are in the checkpoints of model_dir (get_variable_value reads them); "
            "to serve, build the same network as a dendrite Keras model and save it with model.save('m.keras').")

    export_savedmodel = export_saved_model
    experimental_export_all_saved_models = export_saved_model


def _metric_of(estimator, key, op):
    if isinstance(op, tuple) and len(op) == 2:
        for part in op:
            if isinstance(getattr(part, "metric", None), Metric):
                return part.metric
    if isinstance(op, Metric):
        return op
    raise TypeError(f"{type(estimator).__name__}: eval_metric_ops[{key!r}] must be a (value, update_op) pair from "
                    f"dendrite.estimator.v1.metrics (tf.compat.v1.metrics) or a dendrite Metric; received "
                    f"{type(op).__name__}.")


def _result(metric):
    value = np.asarray(metric.result())
    return value[()] if value.ndim == 0 else value
