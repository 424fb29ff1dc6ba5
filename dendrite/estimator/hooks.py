"""TensorFlow's training hooks (tf.estimator.* / tf.compat.v1.train.*) on dendrite's emulated session hooks
(dendrite.estimator.session_run_hook): ``LoggingTensorHook``, ``StopAtStepHook``, ``NanTensorHook``,
``StepCounterHook``, ``SummarySaverHook``, ``CheckpointSaverHook`` with ``CheckpointSaverListener``s,
``FinalOpsHook``, and the timer they share, ``SecondOrStepTimer``. ``FeedFnHook`` is refused: there are no
placeholders to feed. They log through the ``dendrite.estimator`` logger, in TensorFlow's words.
"""
import logging
import time

import numpy as np

from . import checkpoints, summaries
from . import variables as _variables
from .session_run_hook import SessionRunArgs, SessionRunHook

logger = logging.getLogger("dendrite.estimator")


class SecondOrStepTimer:
    """Triggers on the first step asked about, then once ``every_steps`` steps or ``every_secs`` seconds have
    passed since the last trigger (exactly one of the two)."""

    def __init__(self, every_secs=None, every_steps=None):
        if (every_secs is None) == (every_steps is None):
            raise ValueError("SecondOrStepTimer: give exactly one of every_secs and every_steps; received "
                             f"every_secs={every_secs!r}, every_steps={every_steps!r}.")
        self._every_secs, self._every_steps = every_secs, every_steps
        self.reset()

    def reset(self):
        self._last_step = self._last_time = None

    def should_trigger_for_step(self, step):
        if self._last_step is None:
            return True
        if step == self._last_step:
            return False
        if self._every_secs is not None:
            return time.time() >= self._last_time + self._every_secs
        return step >= self._last_step + self._every_steps

    def update_last_triggered_step(self, step):
        """Mark ``step`` as triggered; returns (seconds, steps) since the last trigger (None, None the first time)."""
        now = time.time()
        elapsed = (None, None) if self._last_time is None else (now - self._last_time, step - self._last_step)
        self._last_time, self._last_step = now, step
        return elapsed

    def last_triggered_step(self):
        return self._last_step


class NeverTriggerTimer(SecondOrStepTimer):
    """A timer that never triggers (LoggingTensorHook with at_end only)."""

    def __init__(self):
        self.reset()

    def should_trigger_for_step(self, step):
        return False


def _global_step(who):
    store = _variables.current()
    if store is None:
        raise RuntimeError(f"{who}: the global step exists only while an Estimator runs; pass the hook to "
                           "Estimator.train / evaluate / predict (hooks=[...]) or EstimatorSpec(training_hooks=...).")
    return store.global_step


def _positive_or_none(who, name, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
        raise ValueError(f"{who}: {name} must be a positive number or None; received {name}={value!r}.")
    return value


class _GlobalStepTimerHook(SessionRunHook):
    """A hook that acts at the global steps its ``_timer`` triggers for: ``_act(run_context, step, elapsed)``
    with ``step`` the global step after the step and ``elapsed`` (seconds, steps) since the last trigger."""

    _who = None  # the name its errors give (the class's name by default)

    def begin(self):
        self._step = _global_step(self._who or type(self).__name__)

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values):
        # the fetched global step is its value before the step: a first check on it, then on the value after
        if self._timer.should_trigger_for_step(run_values.results + 1):
            step = int(run_context.session.run(self._step))
            if self._timer.should_trigger_for_step(step):
                self._act(run_context, step, self._timer.update_last_triggered_step(step))

    def _act(self, run_context, step, elapsed):
        raise NotImplementedError


class LoggingTensorHook(SessionRunHook):
    """Logs ``tensors`` (a dict tag -> tensor or tensor name, or a list of them, tagged by themselves) every
    ``every_n_iter`` steps of this call or ``every_n_secs`` seconds, and/or ``at_end``:
    ``probabilities = [[...]] (0.123 sec)``; ``formatter(dict tag -> value)`` gives the line instead."""

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False, formatter=None):
        only_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("LoggingTensorHook: give exactly one of every_n_iter and every_n_secs (or only "
                             f"at_end=True); received every_n_iter={every_n_iter!r}, every_n_secs={every_n_secs!r}, "
                             f"at_end={at_end!r}.")
        if every_n_iter is not None and (isinstance(every_n_iter, bool) or int(every_n_iter) != every_n_iter
                                         or every_n_iter <= 0):
            raise ValueError(f"LoggingTensorHook: every_n_iter must be a positive integer; received "
                             f"every_n_iter={every_n_iter!r}.")
        _positive_or_none("LoggingTensorHook", "every_n_secs", every_n_secs)
        if isinstance(tensors, dict):
            self._order = sorted(tensors)
        elif isinstance(tensors, str) or not hasattr(tensors, "__iter__"):
            raise TypeError("LoggingTensorHook: tensors must be a dict tag -> tensor (or tensor name), or a list "
                            f"of tensor names; received {type(tensors).__name__}. Wrap one name in a list: "
                            f"tensors=[{tensors!r}].")
        else:
            tensors = list(tensors)
            self._order = tensors
            tensors = {t: t for t in tensors}
        self._tensors, self._formatter, self._at_end = dict(tensors), formatter, at_end
        self._timer = NeverTriggerTimer() if only_at_end else SecondOrStepTimer(every_n_secs, every_n_iter)
        self._trigger = False

    def begin(self):
        self._timer.reset()
        self._iteration = 0

    def before_run(self, run_context):
        self._trigger = self._timer.should_trigger_for_step(self._iteration)
        return SessionRunArgs(self._tensors) if self._trigger else None

    def after_run(self, run_context, run_values):
        if self._trigger:
            self._log(run_values.results)
        self._iteration += 1

    def end(self, session):
        if self._at_end:
            self._log(session.run(self._tensors))

    def _log(self, values):
        elapsed, _ = self._timer.update_last_triggered_step(self._iteration)
        if self._formatter is not None:
            logger.info(self._formatter(values))
            return
        with np.printoptions(suppress=True):
            line = ", ".join(f"{tag} = {values[tag]}" for tag in self._order)
        if elapsed is None:
            logger.info("%s", line)
        else:
            logger.info("%s (%.3f sec)", line, elapsed)


class StopAtStepHook(SessionRunHook):
    """Requests a stop after ``num_steps`` more steps, or once the global step reaches ``last_step``."""

    def __init__(self, num_steps=None, last_step=None):
        if (num_steps is None) == (last_step is None):
            raise ValueError("StopAtStepHook: give exactly one of num_steps and last_step; received "
                             f"num_steps={num_steps!r}, last_step={last_step!r}.")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self):
        self._step = _global_step("StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._step)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values):
        # the fetched global step is its value before the step: check the value after it before stopping
        if run_values.results + 1 >= self._last_step and run_context.session.run(self._step) >= self._last_step:
            run_context.request_stop()


class NanLossDuringTrainingError(RuntimeError, FloatingPointError):
    """A NaN loss in training (NanTensorHook, and the Estimator's own check)."""

    def __str__(self):
        return super().__str__() or "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Watches ``loss_tensor`` (the loss Tensor, or a tensor name): on NaN, logs 'Model diverged with loss =
    NaN.' and raises NanLossDuringTrainingError, or with ``fail_on_nan_loss=False`` stops training."""

    def __init__(self, loss_tensor, fail_on_nan_loss=True):
        self._loss, self._fail = loss_tensor, fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values):
        if np.isnan(run_values.results).any():
            if self._fail:
                logger.error("Model diverged with loss = NaN.")
                raise NanLossDuringTrainingError("NaN loss during training (NanTensorHook).")
            logger.warning("Model diverged with loss = NaN.")
            run_context.request_stop()


class StepCounterHook(_GlobalStepTimerHook):
    """Logs ``global_step/sec`` every ``every_n_steps`` global steps (or ``every_n_secs`` seconds), from the
    second trigger on, and writes it as a summary to ``output_dir`` (or through ``summary_writer``)."""

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None, summary_writer=None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("StepCounterHook: give exactly one of every_n_steps and every_n_secs (pass "
                             "every_n_steps=None with every_n_secs); received "
                             f"every_n_steps={every_n_steps!r}, every_n_secs={every_n_secs!r}.")
        self._timer = SecondOrStepTimer(every_n_secs, every_n_steps)
        self._output_dir, self._writer = output_dir, summary_writer

    def begin(self):
        super().begin()
        if self._writer is None and self._output_dir:
            self._writer = summaries.open_writer(str(self._output_dir))

    def _act(self, run_context, step, elapsed):
        seconds, steps = elapsed
        if seconds is not None:
            rate = steps / max(seconds, 1e-9)
            logger.info("global_step/sec: %g", rate)
            if self._writer is not None:
                self._writer.add_scalar("global_step/sec", rate, step)

    def end(self, session):
        if self._writer is not None and self._output_dir:
            self._writer.close()


class SummarySaverHook(SessionRunHook):
    """Writes summaries every ``save_steps`` steps (or ``save_secs`` seconds), at the global step after the
    step, to ``output_dir`` (or through ``summary_writer``). dendrite has no summary ops: ``summary_op`` is a
    dict tag -> tensor (or tensor name), or a list of tensor names; scalars are written as scalars, other
    tensors as histograms."""

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None, scaffold=None,
                 summary_op=None):
        if summary_op is None:
            raise ValueError("SummarySaverHook: give summary_op, a dict tag -> tensor (or tensor name) or a list "
                             "of tensor names to write; dendrite has no summary ops or scaffold to collect them "
                             "from.")
        if (output_dir is None) == (summary_writer is None):
            raise ValueError("SummarySaverHook: give exactly one of output_dir and summary_writer.")
        if isinstance(summary_op, str) or not isinstance(summary_op, dict) and not hasattr(summary_op, "__iter__"):
            summary_op = [summary_op]
        self._fetches = dict(summary_op) if isinstance(summary_op, dict) else {name: name for name in summary_op}
        for tag, fetch in self._fetches.items():
            if not isinstance(tag, str):
                raise TypeError(f"SummarySaverHook: a summary needs a tag; {fetch!r} has none. Give summary_op as a "
                                "dict tag -> tensor.")
        self._timer = SecondOrStepTimer(save_secs, save_steps)
        self._output_dir, self._writer = output_dir, summary_writer

    def begin(self):
        self._step, self._next = _global_step("SummarySaverHook"), None
        if self._writer is None:
            self._writer = summaries.open_writer(str(self._output_dir))

    def before_run(self, run_context):
        self._wanted = self._next is None or self._timer.should_trigger_for_step(self._next)
        return SessionRunArgs(dict(self._fetches) if self._wanted else {})

    def after_run(self, run_context, run_values):
        step = int(run_context.session.run(self._step))
        if self._wanted:
            self._timer.update_last_triggered_step(step)
            if self._writer is not None:
                for tag, value in run_values.results.items():
                    value = np.asarray(value)
                    if value.ndim == 0:
                        self._writer.add_scalar(tag, float(value), step)
                    else:
                        self._writer.add_histogram(tag, value, step)
        self._next = step + 1

    def end(self, session=None):
        if self._writer is not None and self._output_dir is not None:
            self._writer.close()


class CheckpointSaverListener:
    """Called around checkpoints (CheckpointSaverHook's, or the Estimator's own through
    ``train(saving_listeners=[...])``): ``begin()``, ``before_save(session, global_step_value)``,
    ``after_save(session, global_step_value)`` (return True to stop training), ``end(session, global_step_value)``."""

    def begin(self):
        pass

    def before_save(self, session, global_step_value):
        pass

    def after_save(self, session, global_step_value):
        pass

    def end(self, session, global_step_value):
        pass


def checked_listeners(who, listeners):
    listeners = list(listeners or ())
    for listener in listeners:
        if not isinstance(listener, CheckpointSaverListener):
            raise TypeError(f"{who}: saving listeners must be CheckpointSaverListener objects; received "
                            f"{type(listener).__name__} ({listener!r}).")
    return listeners


def save_with_listeners(listeners, session, step, save):
    """``save()`` a checkpoint at global step ``step`` with the listeners called around it; returns whether a
    listener's after_save asked to stop training."""
    logger.info("Calling checkpoint listeners before saving checkpoint %d...", step)
    for listener in listeners:
        listener.before_save(session, step)
    save()
    logger.info("Calling checkpoint listeners after saving checkpoint %d...", step)
    stop = False
    for listener in listeners:
        if listener.after_save(session, step):
            logger.info("A CheckpointSaverListener requested that training be stopped. listener: %s", listener)
            stop = True
    return stop


class CheckpointSaverHook(_GlobalStepTimerHook):
    """Writes the Estimator's variables as ``checkpoint_dir/<checkpoint_basename>-<global step>`` when the
    session starts, every ``save_steps`` steps (or ``save_secs`` seconds) and at the end, calling ``listeners``
    around each checkpoint. The newest 5 are kept, as TensorFlow's default Saver."""

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None, checkpoint_basename="model.ckpt",
                 scaffold=None, listeners=None, save_graph_def=True):
        if saver is not None and scaffold is not None:
            raise ValueError("CheckpointSaverHook: give a saver or a scaffold, not both.")
        if saver is not None:
            raise NotImplementedError("CheckpointSaverHook: dendrite has no tf.train.Saver; the hook writes the "
                                      "Estimator's variables itself. Pass saver=None.")
        self._dir, self._basename = str(checkpoint_dir), str(checkpoint_basename)
        self._timer = SecondOrStepTimer(save_secs, save_steps)
        self._listeners = checked_listeners("CheckpointSaverHook", listeners)
        logger.info("Create CheckpointSaverHook.")

    def begin(self):
        super().begin()
        self._store = _variables.current()
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        step = int(session.run(self._step))
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def _act(self, run_context, step, elapsed):
        if self._save(run_context.session, step):
            run_context.request_stop()

    def end(self, session):
        step = int(session.run(self._step))
        if step != self._timer.last_triggered_step():
            self._save(session, step)
        for listener in self._listeners:
            listener.end(session, step)

    def _save(self, session, step):
        def save():
            prefix = checkpoints.save(self._dir, self._store.all_variables(), step, 5, self._basename)
            logger.info("Saving checkpoints for %d into %s.", step, prefix)
        return save_with_listeners(self._listeners, session, step, save)


class FinalOpsHook(SessionRunHook):
    """Fetches ``final_ops`` (tensor names, Variables, ...) at the end; ``final_ops_values`` holds them."""

    def __init__(self, final_ops, final_ops_feed_dict=None):
        if final_ops_feed_dict:
            raise NotImplementedError("FinalOpsHook: final_ops_feed_dict is not supported; dendrite has no "
                                      "placeholders to feed.")
        self._final_ops, self.final_ops_values = final_ops, None

    def end(self, session):
        self.final_ops_values = session.run(self._final_ops)


class FeedFnHook(SessionRunHook):
    """Refused: it fed placeholders (TensorFlow 1's graph inputs), which dendrite does not have."""

    def __init__(self, feed_fn):
        raise NotImplementedError("FeedFnHook: dendrite has no placeholders to feed (its model_fn runs eagerly on "
                                  "the input_fn's batches). Give the data through the input_fn instead (a "
                                  "Dataset, numpy_input_fn, or a generator of (features, labels)).")


__all__ = ["SecondOrStepTimer", "LoggingTensorHook", "StopAtStepHook", "NanTensorHook", "NanLossDuringTrainingError",
           "StepCounterHook", "SummarySaverHook", "CheckpointSaverListener", "CheckpointSaverHook", "FinalOpsHook",
           "FeedFnHook"]
