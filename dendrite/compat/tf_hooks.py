"""What TensorFlow code with Estimator session hooks needs of the compatibility namespaces:

- ``named(members)``: the ``tf.*`` functions that take TensorFlow's ``name=`` (``tf.identity``,
  ``tf.nn.softmax``, ``tf.argmax``, ``tf.add``, ...) record their output under that name while an Estimator
  step runs (dendrite.estimator.names), so ``LoggingTensorHook({"probabilities": "softmax_tensor"})`` finds
  ``tf.nn.softmax(logits, name="softmax_tensor")``; outside a step they cost one thread-local look-up;
- ``train_namespace()``: ``tf.train`` (TensorFlow 1's spelling of the hooks, ``tf.train.LoggingTensorHook``)
  with dendrite.train's Example messages;
- ``set_verbosity(level)``: ``tf.compat.v1.logging.set_verbosity``, which shows the Estimator's and the hooks'
  log on stderr as TensorFlow did (``INFO:tensorflow:loss = 0.69, step = 0``).
"""
import functools
import inspect
import logging

from ..estimator import names as _names
from ._namespace import Namespace

_WRAPPED = {}  # function -> its recording wrapper (tf.argmax and tf.math.argmax stay one object)


def _recording(fn):
    if not inspect.isfunction(fn):
        return fn
    if fn in _WRAPPED:
        return _WRAPPED[fn]
    parameters = list(inspect.signature(fn).parameters.values())
    found = [i for i, p in enumerate(parameters) if p.name == "name"]
    if not found:
        return fn
    position = found[0] if parameters[found[0]].kind == inspect.Parameter.POSITIONAL_OR_KEYWORD else None

    @functools.wraps(fn)
    def op(*args, **kwargs):
        out = fn(*args, **kwargs)
        if _names.recording() is not None:
            name = kwargs.get("name")
            if name is None and position is not None and len(args) > position:
                name = args[position]
            _names.record(name, out)
        return out
    _WRAPPED[fn] = op
    return op


def named(members):
    """``members`` (name -> object) with every function taking ``name=`` made to record its output."""
    return {key: _recording(value) for key, value in members.items()}


def train_namespace():
    """``tf.train``: the session hooks (TensorFlow 1's ``tf.train.*Hook``) and dendrite.train's messages."""
    import dendrite.train as train_module
    from ..estimator import hooks, session_run_hook
    from .tf_train_checkpoint import MEMBERS as checkpoint_reading
    from .tf_train_ema import ExponentialMovingAverage
    members = {n: getattr(module, n) for module in (session_run_hook, hooks) for n in module.__all__}
    members.update(checkpoint_reading)  # load_checkpoint, list_variables, load_variable
    members["ExponentialMovingAverage"] = ExponentialMovingAverage
    return Namespace("tensorflow.train", train_module.__doc__, members=members, sources=(train_module,))


_FORMAT = "%(levelname)s:tensorflow:%(message)s"


def set_verbosity(level):
    """The level of TensorFlow's logger and of the Estimator's (``dendrite.estimator``), each given a stderr
    handler in TensorFlow's format the first time."""
    for name in ("tensorflow", "dendrite.estimator"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(getattr(h, "_dendrite_tf", False) for h in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(_FORMAT))
            handler._dendrite_tf = True
            logger.addHandler(handler)
