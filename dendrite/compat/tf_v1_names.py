"""TensorFlow 1's spellings in ``tf.compat.v1`` (``import tensorflow.compat.v1 as tf``): the names TensorFlow 2
moved (``tf.random_normal`` is ``tf.random.normal``, ``tf.arg_max`` is ``tf.argmax``), the few TensorFlow 1
functions with no TensorFlow 2 name (``tf.to_float``, ``tf.div``, ``tf.Print``, ``tf.nn.xw_plus_b``,
``tf.train.exponential_decay``), the graph's collections (``tf.get_collection``, ``tf.GraphKeys``) and the
input pipeline's iterators (``tf.data.make_one_shot_iterator(ds).get_next()``, a tensor a Session run
advances by one element)."""
import sys

import numpy as np

from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from . import tf_graph, tf_graph_defer

# TensorFlow 1 name -> where TensorFlow 2 keeps it (a path below ``tf``)
ALIASES = {
    "truncated_normal": "random.truncated_normal", "random_normal": "random.normal",
    "random_uniform": "random.uniform", "random_shuffle": "random.shuffle", "multinomial": "random.categorical",
    "random_gamma": "random.gamma", "mul": "multiply", "sub": "subtract", "neg": "negative", "arg_max": "argmax",
    "arg_min": "argmin", "squared_difference": "math.squared_difference", "count_nonzero": "math.count_nonzero",
    "diag": "linalg.diag", "matrix_inverse": "linalg.inv", "matrix_determinant": "linalg.det",
    "matrix_transpose": "linalg.matrix_transpose", "floor_div": "math.floordiv", "log_sigmoid": "math.log_sigmoid",
    "py_func": "numpy_function", "is_nan": "math.is_nan", "is_finite": "math.is_finite",
}


def _cast(dtype):
    def cast(x, name=None):
        from . import tensor_api
        return tensor_api.cast(x, dtype)
    return cast


def div(x, y, name=None):
    """``tf.div``: Python 2's division, floor division of integers and true division of floats."""
    from . import tensor_api
    kind = np.asarray(array_of(x)).dtype.kind
    return tensor_api.floordiv(x, y) if kind in "iu" else tensor_api.divide(x, y)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF 1's name
    """``tf.Print(input_, data, message)``: ``input_``, printing ``message`` and the values of ``data`` (to
    stderr, as TensorFlow 1) each time it is computed."""
    values = " ".join(str(np.asarray(array_of(d))) for d in data)
    print(f"{message or ''}{values}", file=sys.stderr)
    return input_


def dropout_v1(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """``tf.compat.v1.nn.dropout(x, keep_prob)``: TensorFlow 1's order, the fraction to keep second."""
    from . import nn
    if rate is None:
        if keep_prob is None:
            raise ValueError("tf.compat.v1.nn.dropout: pass `keep_prob` (the fraction to keep) or `rate`.")
        rate = 1.0 - float(np.asarray(array_of(keep_prob)))
    return nn.dropout(x, rate, noise_shape, seed)


def xw_plus_b(x, weights, biases, name=None):
    """``tf.nn.xw_plus_b(x, weights, biases)``: ``x @ weights + biases``."""
    from ..autodiff import ops
    return ops.add(ops.matmul(x, weights), biases)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``tf.compat.v1.train.exponential_decay``: ``learning_rate * decay_rate ** (global_step / decay_steps)``
    (the exponent floored with ``staircase``), a tensor (deferred when the step is a graph variable)."""
    step = float(np.asarray(array_of(global_step))) / decay_steps
    return Tensor(np.asarray(learning_rate * decay_rate ** (np.floor(step) if staircase else step), np.float32))


def global_step(sess, global_step_tensor):
    """``tf.compat.v1.train.global_step(sess, step)``: the step as a Python int."""
    return int(np.asarray(array_of(global_step_tensor)))


class GraphKeys:
    """``tf.compat.v1.GraphKeys``: the standard collections' names."""

    GLOBAL_VARIABLES = VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    LOCAL_VARIABLES = "local_variables"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    SUMMARIES = "summaries"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"


def get_collection(key, scope=None):
    return tf_graph.get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    graph = tf_graph.get_default_graph()
    return graph._collections.setdefault(key, [])


def add_to_collection(name, value):
    tf_graph.get_default_graph().add_to_collection(name, value)


# ------------------------------------------------------------------------------ the input pipeline's iterators
class Iterator:
    """``tf.compat.v1.data.make_one_shot_iterator(ds)`` / ``make_initializable_iterator(ds)``: ``get_next()``
    is a tensor each Session run advances by one element (tf.errors.OutOfRangeError at the end);
    ``initializer`` starts the dataset again."""

    def __init__(self, dataset):
        self._dataset, self._iterator = dataset, None
        self._next = None

    def _pull(self):
        if self._iterator is None:
            self._iterator = iter(self._dataset)
        return next(self._iterator)

    def get_next(self, name=None):
        if not tf_graph.enabled():
            return self._pull()
        if self._next is None:
            self._next = tf_graph.Node(self._pull, type_="IteratorGetNext", name=name)
            self._next._side_effect = True
        parts = self._structure()
        if parts is None:
            return self._next
        return type(parts)(tf_graph.Node(_part, (self._next, i), type_="IteratorGetNext")
                           for i in range(len(parts)))

    def _structure(self):
        spec = getattr(self._dataset, "element_spec", None)
        return spec if isinstance(spec, tuple) else None

    @property
    def initializer(self):
        return tf_graph.Node(self._restart, type_="MakeIterator", is_op=True)

    def _restart(self):
        self._iterator = iter(self._dataset)


def _part(element, i):
    return element[i]


def make_one_shot_iterator(dataset):
    return Iterator(dataset)


make_initializable_iterator = make_one_shot_iterator


def attach(tf, v1):
    """Give ``v1`` (tf.compat.v1) the TensorFlow 1 spellings it does not have yet."""
    def find(path):
        value = tf
        for part in path.split("."):
            value = getattr(value, part)
        return value
    extra = {name: find(path) for name, path in ALIASES.items()}
    extra.update({name: tf_graph_defer.deferring(fn) for name, fn in dict(
        to_float=_cast("float32"), to_double=_cast("float64"), to_int32=_cast("int32"), to_int64=_cast("int64"),
        div=div, Print=Print).items()})
    extra.update(GraphKeys=GraphKeys, get_collection=get_collection, get_collection_ref=get_collection_ref,
                 add_to_collection=add_to_collection)  # (these hold deferred tensors, never defer)
    for name, value in extra.items():
        if name not in vars(v1):
            setattr(v1, name, value)
            v1.__all__ = sorted(set(v1.__all__) | {name})
    v1.nn.xw_plus_b = tf_graph_defer.deferring(xw_plus_b)
    v1.nn.dropout = tf_graph_defer.deferring(dropout_v1)


def train_members():
    """What tf.compat.v1.train adds: the decay, the step, the checkpoint look-ups."""
    from ..saving.checkpoint import latest_checkpoint
    return dict(exponential_decay=exponential_decay, global_step=global_step, latest_checkpoint=latest_checkpoint,
                checkpoint_exists=lambda prefix: __import__("os").path.exists(str(prefix) + ".index"))


def data_members():
    """What tf.compat.v1.data adds to tf.data: the iterators."""
    return dict(make_one_shot_iterator=make_one_shot_iterator,
                make_initializable_iterator=make_initializable_iterator, Iterator=Iterator)
