"""Early stopping of ``Estimator.train`` from the evaluations written in its eval folder
(``tf.estimator.experimental.stop_if_*_hook``, ``make_early_stopping_hook``).

``Estimator.evaluate`` writes its results as TensorBoard scalars in ``estimator.eval_dir()`` (model_dir/eval),
at the global step evaluated; these hooks read them back every ``run_every_secs`` seconds (60 by default) or
``run_every_steps`` steps (pass ``run_every_secs=None`` with it) and stop training when the metric has crossed
a threshold, or not improved over ``max_steps_without_{decrease,increase}`` global steps. Evaluations before
global step ``min_steps`` are not looked at. Reading needs tensorboardX, as writing does.
"""
import logging
import operator

from . import summaries
from .hooks import SecondOrStepTimer, _GlobalStepTimerHook

logger = logging.getLogger("dendrite.estimator")


class _StopOnPredicateHook(_GlobalStepTimerHook):
    """Asks ``should_stop_fn()`` at the timer's steps; stops training when it says True."""

    _who = "early stopping hook"

    def __init__(self, should_stop_fn, run_every_secs=60, run_every_steps=None):
        if not callable(should_stop_fn):
            raise TypeError(f"make_early_stopping_hook: should_stop_fn must be a function () -> bool; received "
                            f"{type(should_stop_fn).__name__}.")
        if run_every_secs is not None and run_every_steps is not None:
            raise ValueError("early stopping hook: give run_every_secs or run_every_steps, not both (run_every_secs "
                             f"is 60 by default: pass run_every_secs=None with run_every_steps={run_every_steps!r}).")
        self._should_stop = should_stop_fn
        self._timer = SecondOrStepTimer(run_every_secs, run_every_steps)

    def _act(self, run_context, step, elapsed):
        if self._should_stop():
            logger.info("Requesting early stopping at global step %d", step)
            run_context.request_stop()


def _check_estimator(estimator, who, reads=True):
    from .estimator import Estimator
    if not isinstance(estimator, Estimator):
        raise TypeError(f"{who}: estimator must be an Estimator; received {type(estimator).__name__}.")
    if reads:  # the evaluations are event files: written and read through tensorboardX
        from ..callbacks.tensorboard import _tensorboardx
        _tensorboardx()


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60, run_every_steps=None):
    """A hook that stops training when ``should_stop_fn()`` returns True, asked every ``run_every_secs``
    seconds or ``run_every_steps`` steps."""
    _check_estimator(estimator, "make_early_stopping_hook", reads=False)
    return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def _metric_of(metrics, metric_name, step, eval_dir, who):
    if metric_name not in metrics:
        raise ValueError(f"{who}: the evaluation at global step {step} in {eval_dir!r} has no metric "
                         f"{metric_name!r}; it has {sorted(metrics)}.")
    return metrics[metric_name]


def _threshold_hook(who, better, word, estimator, metric_name, threshold, eval_dir, min_steps, run_every_secs,
                    run_every_steps):
    _check_estimator(estimator, who)
    eval_dir = eval_dir or estimator.eval_dir()

    def should_stop():
        for step, metrics in summaries.read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = _metric_of(metrics, metric_name, step, eval_dir, who)
            if better(value, threshold):
                logger.info('At step %s, metric "%s" has value %s which is %s the configured threshold (%s) for '
                            "early stopping.", step, metric_name, value, word, threshold)
                return True
        return False
    return _StopOnPredicateHook(should_stop, run_every_secs, run_every_steps)


def _no_improvement_hook(who, better, word, estimator, metric_name, max_steps, eval_dir, min_steps, run_every_secs,
                         run_every_steps):
    _check_estimator(estimator, who)
    eval_dir = eval_dir or estimator.eval_dir()

    def should_stop():
        best = best_step = None
        for step, metrics in summaries.read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = _metric_of(metrics, metric_name, step, eval_dir, who)
            if best is None or better(value, best):
                best, best_step = value, step
            if step - best_step >= max_steps:
                logger.info('No %s in metric "%s" for %s steps, which is greater than or equal to max steps (%s) '
                            "configured for early stopping.", word, metric_name, step - best_step, max_steps)
                return True
        return False
    return _StopOnPredicateHook(should_stop, run_every_secs, run_every_steps)


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0, run_every_secs=60,
                        run_every_steps=None):
    """Stop training once an evaluation has ``metric_name`` above ``threshold``."""
    return _threshold_hook("stop_if_higher_hook", operator.gt, "higher than", estimator, metric_name, threshold,
                           eval_dir, min_steps, run_every_secs, run_every_steps)


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0, run_every_secs=60,
                       run_every_steps=None):
    """Stop training once an evaluation has ``metric_name`` below ``threshold``."""
    return _threshold_hook("stop_if_lower_hook", operator.lt, "lower than", estimator, metric_name, threshold,
                           eval_dir, min_steps, run_every_secs, run_every_steps)


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease, eval_dir=None, min_steps=0,
                             run_every_secs=60, run_every_steps=None):
    """Stop training once ``metric_name`` has not decreased for ``max_steps_without_decrease`` global steps."""
    return _no_improvement_hook("stop_if_no_decrease_hook", operator.lt, "decrease", estimator, metric_name,
                                max_steps_without_decrease, eval_dir, min_steps, run_every_secs, run_every_steps)


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase, eval_dir=None, min_steps=0,
                             run_every_secs=60, run_every_steps=None):
    """Stop training once ``metric_name`` has not increased for ``max_steps_without_increase`` global steps."""
    return _no_improvement_hook("stop_if_no_increase_hook", operator.gt, "increase", estimator, metric_name,
                                max_steps_without_increase, eval_dir, min_steps, run_every_secs, run_every_steps)
