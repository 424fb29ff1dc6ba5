"""Training curves: plot_history (the codelab's side-by-side accuracy and loss plots) and plot_learning_rate."""
import numpy as np

from ._figure import finish, pyplot


def _history_dict(history):
    """``history.history`` of a History object (what fit returns), or a dict of lists as it is."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError("plot_history: `history` must be what fit() returns (a History) or its .history dict; "
                        f"received {type(history).__name__}.")
    if not logs:
        raise ValueError("plot_history: the history is empty (no epoch has ended). Fit the model first.")
    return logs


def plot_history(history, metrics=None, to_file=None, title=None, figsize=None):
    """One panel per metric with its training curve and, when fit validated, its validation curve.

    ``metrics``: the names to draw (default: every metric logged, ``loss`` last as the codelab draws accuracy
    then loss). Returns the matplotlib Figure (written to ``to_file`` and closed when given).
    """
    logs = _history_dict(history)
    names = [k for k in logs if not k.startswith("val_") and k not in ("learning_rate", "lr")]
    if metrics is None:
        metrics = [k for k in names if k != "loss"] + (["loss"] if "loss" in names else [])
    elif isinstance(metrics, str):
        metrics = [metrics]
    for m in metrics:
        if m not in logs:
            raise ValueError(f"plot_history: no metric {m!r} in the history; it holds {sorted(logs)}. "
                             "Pass metrics= with some of those names.")
    plt = pyplot()
    fig, axes = plt.subplots(1, len(metrics), figsize=figsize or (5 * len(metrics), 3.6), squeeze=False)
    for ax, m in zip(axes[0], metrics):
        epochs = np.arange(1, len(logs[m]) + 1)
        ax.plot(epochs, logs[m], marker=".", label="training")
        if f"val_{m}" in logs:
            val = logs[f"val_{m}"]
            ax.plot(np.arange(1, len(val) + 1) * (len(epochs) / max(len(val), 1)), val, marker=".",
                    label="validation")
        ax.set_title(m)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return finish(fig, to_file)


def learning_rates(schedule, epochs, steps_per_epoch=1, initial_lr=None):
    """The learning rate at each epoch (or each step, with ``steps_per_epoch`` > 1) of ``schedule``: a
    ``LearningRateSchedule`` (called with the step), a function of the epoch as LearningRateScheduler takes
    (``fn(epoch)`` or ``fn(epoch, lr)``), or a list of values."""
    import inspect

    from ..optimizers.schedules import LearningRateSchedule
    if isinstance(schedule, LearningRateSchedule):
        steps = np.arange(epochs * steps_per_epoch)
        return steps / steps_per_epoch, np.array([float(schedule(int(s))) for s in steps])
    if callable(schedule):
        try:
            takes_lr = len(inspect.signature(schedule).parameters) >= 2
        except (TypeError, ValueError):
            takes_lr = False
        lr, out = initial_lr if initial_lr is not None else 0.001, []
        for e in range(epochs):
            lr = float(schedule(e, lr) if takes_lr else schedule(e))
            out.append(lr)
        return np.arange(epochs, dtype=float), np.array(out)
    values = np.asarray(schedule, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("plot_learning_rate: the list of learning rates is empty.")
    return np.arange(values.size, dtype=float), values


def plot_learning_rate(schedule, epochs=None, steps_per_epoch=1, initial_lr=None, to_file=None, log_scale=None):
    """The learning rate over training: a schedule object, an epoch function (as given to LearningRateScheduler)
    or the ``learning_rate`` list fit logged. Returns the Figure (written to ``to_file`` when given)."""
    if epochs is None:
        if callable(schedule):
            raise ValueError("plot_learning_rate: pass epochs=N to draw a schedule or function over N epochs.")
        epochs = len(schedule)
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"plot_learning_rate: `epochs` must be a positive integer; received epochs={epochs!r}.")
    x, lr = learning_rates(schedule, int(epochs), int(steps_per_epoch), initial_lr)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.plot(x + 1 if steps_per_epoch == 1 else x, lr, marker="." if len(lr) <= 60 else None)
    if log_scale or (log_scale is None and lr.min() > 0 and lr.max() / lr.min() > 50):
        ax.set_yscale("log")
    ax.set_title("learning rate")
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return finish(fig, to_file)
