"""Named tensors of the Estimator step under way, for the session hooks' fetches.

TensorFlow's hooks fetch tensors by their graph name (``LoggingTensorHook({"probabilities": "softmax_tensor"})``
finds ``tf.nn.softmax(logits, name="softmax_tensor")``). dendrite has no graph: a model_fn runs eagerly once per
step. So while an Estimator runs a step (``step()``), an op given ``name=`` records its output here under that
name (a second output of the same name in the step is ``name_1``, then ``name_2``, as TensorFlow made graph
names unique); outside a step nothing is recorded and the ops pay one thread-local look-up. In compatibility
mode every ``tf.*`` function with a ``name`` argument records (dendrite.compat.named_ops); in dendrite's own
spelling, ``dendrite.estimator.v1.identity(x, name=...)`` names a tensor.
"""
import contextlib
import threading

_STATE = threading.local()


def recording():
    """The name -> value dict of the step under way in this thread, or None outside an Estimator step."""
    return getattr(_STATE, "names", None)


def record(name, value):
    """Keep ``value`` under ``name`` (made unique in the step) when a step is under way; returns ``value``."""
    names = getattr(_STATE, "names", None)
    if names is None or name is None:
        return value
    base = key = str(name)
    count = 0
    while key in names:
        count += 1
        key = f"{base}_{count}"
    names[key] = value
    return value


@contextlib.contextmanager
def step():
    """Record the named outputs of one step (a fresh dict, given to the ``with`` block)."""
    saved = recording()
    _STATE.names = {}
    try:
        yield _STATE.names
    finally:
        _STATE.names = saved


def split(name):
    """``'softmax_tensor:0'`` -> ``('softmax_tensor', 0)``; a name without an output index is output 0."""
    base, colon, index = str(name).rpartition(":")
    if colon and index.isdigit():
        return base, int(index)
    return str(name), 0
