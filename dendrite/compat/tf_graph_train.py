"""TensorFlow 1's graph-mode pieces built on tf_graph's deferred tensors: placeholders, ``get_variable`` with
``variable_scope``, the variable initializers and collections, ``tf.gradients``, the ``tf.compat.v1.train``
optimizers' ``minimize`` / ``compute_gradients`` / ``apply_gradients`` on a deferred loss, the streaming
metrics, and
``Session.run`` (``session_run``).

A training step is an operation: a run computes the loss's forward pass once on a GradientTape, its
gradients, and applies them with the dendrite optimizer the TensorFlow 1 optimizer stands for (made on first
use and kept, so Adam's moments carry over from run to run), then counts ``global_step``."""
import numpy as np

from .. import initializers as _initializers
from ..autodiff import Tensor, Variable
from ..autodiff.tensor import array_of
from . import tensor_api, tf_control
from .tf_graph import GraphVariable, Node, Placeholder, Run, enabled, get_default_graph, initializer_op


def placeholder(dtype, shape=None, name=None):
    """``tf.compat.v1.placeholder(dtype, shape=None, name=None)``: a tensor fed by ``feed_dict``."""
    if not enabled():
        raise RuntimeError("tf.placeholder() is not compatible with eager execution: call "
                           "tf.compat.v1.disable_eager_execution() first (TensorFlow 1's graph mode), or pass the "
                           "arrays to the functions directly.")
    return Placeholder(dtype, _dims(shape), name)


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TensorFlow's name
    """``tf.compat.v1.placeholder_with_default(input, shape)``: ``input`` unless something is fed."""
    default = input if isinstance(input, Tensor) else tensor_api.constant(input)  # 2.0: float32, as TF
    return Placeholder(default.dtype, _dims(shape), name, default=default)


def _dims(shape):
    if shape is None or getattr(shape, "_unknown", False):
        return None
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    return tuple(None if d is None or int(d) == -1 else int(d) for d in shape)


# ------------------------------------------------------------------------------------ variables and scopes
AUTO_REUSE = "AUTO_REUSE"


class VariableScope:
    """What ``variable_scope`` yields and ``get_variable_scope()`` gives: its ``name``, ``reuse`` flag and
    default ``initializer``."""

    def __init__(self, name, reuse=None, initializer=None):
        self.name, self.reuse, self.initializer = name, reuse, initializer
        self.original_name_scope = name + "/" if name else ""

    def reuse_variables(self):
        self.reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer


_SCOPES = [VariableScope("")]


class variable_scope:  # noqa: N801 - TensorFlow's name
    """``tf.compat.v1.variable_scope(name, reuse=None, initializer=None)``: names ``get_variable`` and the
    operations made inside it ``name/...``; ``reuse=True`` (or ``AUTO_REUSE``) gives back variables already
    made under those names."""

    def __init__(self, name_or_scope=None, default_name=None, values=None, initializer=None, regularizer=None,
                 caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                 use_resource=None, constraint=None, auxiliary_name_scope=True):
        self._given = name_or_scope
        name = name_or_scope.name if isinstance(name_or_scope, VariableScope) else (name_or_scope or default_name)
        self._name, self._reuse, self._initializer = name or "", reuse, initializer

    def __enter__(self):
        outer = _SCOPES[-1]
        if isinstance(self._given, VariableScope):
            full = self._name
        else:
            full = f"{outer.name}/{self._name}" if outer.name and self._name else (self._name or outer.name)
        reuse = self._reuse if self._reuse is not None else (outer.reuse or None)
        scope = VariableScope(full, reuse, self._initializer or outer.initializer)
        _SCOPES.append(scope)
        self._names = tf_control.name_scope(full + "/" if full else "")
        self._names.__enter__()
        return scope

    def __exit__(self, *exc):
        self._names.__exit__(*exc)
        _SCOPES.pop()
        return False


def get_variable_scope():
    return _SCOPES[-1]


def _initial(initializer, shape, dtype, name):
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype or np.float32))
    if initializer is None:
        initializer = _initializers.GlorotUniform() if dtype.kind == "f" else _initializers.Zeros()
    if callable(initializer) and not isinstance(initializer, Tensor):
        if shape is None:
            raise ValueError(f"get_variable('{name}'): give `shape` when the initializer is a function "
                             f"({type(initializer).__name__}).")
        return np.asarray(array_of(initializer(tuple(_dims(shape)), dtype=dtype)), dtype=dtype)
    value = np.asarray(array_of(initializer))
    if shape is not None and tuple(_dims(shape)) != value.shape:
        raise ValueError(f"get_variable('{name}'): the initializer's value has shape {value.shape}, but "
                         f"shape={list(shape)} was given. Pass shape=None with a value initializer.")
    return value


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True, use_resource=None,
                 custom_getter=None, constraint=None, **kwargs):
    """``tf.compat.v1.get_variable(name, shape, dtype, initializer)``: a variable named ``scope/name``, or the
    existing one when the scope reuses (Glorot-uniform values by default, as TensorFlow 1)."""
    scope = get_variable_scope()
    full = f"{scope.name}/{name}" if scope.name else name
    store = get_default_graph()._collections.setdefault("_get_variable", {})
    if full in store:
        if not scope.reuse:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                             "reuse=tf.AUTO_REUSE in VarScope?")
        return store[full]
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with tf.get_variable(). Did you "
                         "mean to set reuse=tf.AUTO_REUSE in VarScope?")
    value = _initial(initializer if initializer is not None else scope.initializer, shape, dtype, full)
    with tf_control.name_scope("/"):  # the scopes are in ``full`` already: no name scope added again
        variable = tensor_api.Variable(value, trainable=True if trainable is None else trainable, name=full,
                                       dtype=value.dtype)
    variable.constraint = constraint
    store[full] = variable
    return variable


def global_variables(scope=None):
    return get_default_graph().get_collection("variables", scope)


def trainable_variables(scope=None):
    return get_default_graph().get_collection("trainable_variables", scope)


def global_variables_initializer():
    """The operation that sets every variable of the graph to its initial value (``sess.run(init)``)."""
    return initializer_op(global_variables(), "init")


def variables_initializer(var_list, name="init"):
    return initializer_op([v for v in var_list if isinstance(v, GraphVariable)], name)


def local_variables_initializer():
    """The operation that starts the graph's streaming metrics (tf.compat.v1.metrics) again."""
    return Node(_reset_metrics, (get_default_graph(),), type_="NoOp", name="init", is_op=True)


def _reset_metrics(graph):
    for metric in graph._collections.get("_metrics", ()):
        metric.reset_state()


# the streaming metrics of tf.compat.v1.metrics: Keras metric class, whether (labels, predictions) or (values,)
_METRICS = {"accuracy": ("Accuracy", True), "mean": ("Mean", False), "precision": ("Precision", True),
            "recall": ("Recall", True), "mean_squared_error": ("MeanSquaredError", True)}


def _graph_metric(key, eager):
    """``tf.compat.v1.metrics.<key>`` that, on deferred tensors, gives TensorFlow 1's ``(value, update_op)``:
    a run of ``update_op`` adds a batch (and gives the new value), ``value`` reads it; one streaming metric
    per call, started again by local_variables_initializer."""
    import inspect
    from .. import metrics
    from ..estimator.v1 import _same_shape
    class_name, paired = _METRICS[key]
    signature = inspect.signature(eager)

    def metric(*args, **kwargs):
        bound = signature.bind(*args, **kwargs).arguments
        inputs = [bound.get(p) for p in (("labels", "predictions") if paired else ("values",))]
        if not enabled() or not any(isinstance(i, (Node, GraphVariable)) for i in inputs):
            return eager(*args, **kwargs)
        state = getattr(metrics, class_name)()
        get_default_graph()._collections.setdefault("_metrics", []).append(state)

        def update(*values, weights=None):
            values = [np.asarray(array_of(v)) for v in values]
            values = list(_same_shape(*values)) if paired else values
            state.update_state(*values, sample_weight=None if weights is None else
                               np.asarray(array_of(weights), np.float32))
            return Tensor(np.asarray(state.result(), np.float32))
        name = bound.get("name") or key
        update_op = Node(update, tuple(inputs), {"weights": bound.get("weights")}, type_="AssignAdd",
                         name=f"{name}/update_op")
        update_op._side_effect = True
        value = Node(lambda: Tensor(np.asarray(state.result(), np.float32)), type_="DivNoNan", name=f"{name}/value")
        return value, update_op
    metric.__name__, metric.__doc__ = eager.__name__, eager.__doc__
    return metric


def graph_metrics(members):
    """``members`` (of tf.compat.v1.metrics) with the streaming metrics working on deferred tensors too."""
    return dict(members, **{k: _graph_metric(k, members[k]) for k in _METRICS if k in members})


def _update(how):
    def update(ref, value, validate_shape=None, use_locking=None, name=None):
        return getattr(ref, how)(value, name=name)
    update.__name__ = how
    return update


assign, assign_add, assign_sub = _update("assign"), _update("assign_add"), _update("assign_sub")


# ------------------------------------------------------------------------------------------------ gradients
class _Gradients(Node):
    """The gradients of the sum of ``ys`` with respect to each of ``xs`` (None where unconnected), computed in
    a run on its GradientTape."""

    _needs_tape = True

    def __init__(self, ys, xs, grad_ys=None, name="gradients"):
        self._ys, self._xs, self._grad_ys = list(ys), list(xs), grad_ys
        super().__init__(None, type_="Gradients", name=name)

    def _inputs(self):
        leaves = [y for y in self._ys if isinstance(y, Node)] + [x for x in self._xs if isinstance(x, Node)]
        return leaves + [g for g in (self._grad_ys or []) if isinstance(g, Node)]

    def _sources(self):
        return self._xs

    def _compute(self, run):
        sources = [run.value(x) if isinstance(x, Node) else x for x in self._xs]
        total = [None] * len(sources)
        weights = self._grad_ys or [None] * len(self._ys)
        for y, w in zip(self._ys, weights):
            target = run.resolve(y)
            w = None if w is None else array_of(run.resolve(w))
            for i, g in enumerate(run.tape.gradient(target, sources, output_gradients=w)):
                if g is not None:
                    g = array_of(g)
                    total[i] = g if total[i] is None else total[i] + g
        return [None if g is None else Tensor(g) for g in total]


def _pick(values, i):
    return values[i]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def gradients(ys, xs, grad_ys=None, name="gradients", gate_gradients=False, aggregation_method=None,
              stop_gradients=None, unconnected_gradients="none"):
    """``tf.gradients(ys, xs)`` in graph mode: a deferred gradient for each of ``xs``."""
    ys, xs = _as_list(ys), _as_list(xs)
    if not enabled():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape "
                           "instead.")
    grads = _Gradients(ys, xs, None if grad_ys is None else _as_list(grad_ys), name)
    return [Node(_pick, (grads, i), type_="Identity", name=f"{name}/{_short(x)}_grad") for i, x in enumerate(xs)]


def _short(x):
    return getattr(x, "_op_name", None) or getattr(x, "_name", "x")


class GraphTraining:
    """What the TensorFlow 1 optimizers (dendrite.estimator.v1) do on a deferred loss, in graph mode: mixed in
    before them in ``tf.compat.v1.train``; on an eager loss (an Estimator's model_fn) they do what they did."""

    def _graph_optimizer(self):
        made = self.__dict__.get("_made")
        if made is None:
            rate = self._settings.get("learning_rate")
            if isinstance(rate, (Node, Variable)):  # a fed or decayed rate: read at each step
                made = self._make(learning_rate=lambda: float(np.asarray(array_of(rate))))
            else:
                made = self._make()
            self._made = made
        return made

    def compute_gradients(self, loss, var_list=None, gate_gradients=1, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        if not isinstance(loss, Node):
            return super().compute_gradients(loss, var_list)
        variables = list(var_list) if var_list is not None else trainable_variables()
        if not variables:
            raise ValueError(f"{type(self).__name__}.compute_gradients: no variables to optimize; make them with "
                             "tf.Variable or tf.compat.v1.get_variable, or pass var_list.")
        grads = gradients([loss], variables, None if grad_loss is None else [grad_loss])
        return list(zip(grads, variables))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        pairs = list(grads_and_vars)
        if not enabled() or not any(isinstance(g, Node) or isinstance(v, GraphVariable) for g, v in pairs):
            return super().apply_gradients(grads_and_vars, global_step, name)
        grads, variables = [g for g, _ in pairs], [v for _, v in pairs]
        return Node(_apply, (self, grads, variables, global_step), type_="NoOp", name=name or self._name,
                    is_op=True)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        if not isinstance(loss, Node):
            return super().minimize(loss, global_step, var_list)
        return self.apply_gradients(self.compute_gradients(loss, var_list, grad_loss=grad_loss), global_step, name)


def _apply(tf1_optimizer, grads, variables, global_step):
    pairs = [(array_of(g), v) for g, v in zip(grads, variables) if g is not None]
    if not pairs:
        raise ValueError(f"{type(tf1_optimizer).__name__}: no gradients for any variable "
                         f"{[getattr(v, 'name', v) for v in variables]}; the loss does not depend on them.")
    tf1_optimizer._graph_optimizer().apply([Tensor(g) for g, _ in pairs], [v for _, v in pairs])
    if global_step is not None:
        Variable.assign_add(global_step, 1)


def _graph_global_step(estimator_step, create):
    """``tf.compat.v1.train.get_or_create_global_step`` / ``get_global_step``: in graph mode (outside an
    Estimator) the default graph's own int64 step variable, in its ``global_step`` collection."""
    def global_step(graph=None):
        from ..estimator import variables
        if not enabled() or variables.current() is not None:
            return estimator_step(graph)
        graph = graph or get_default_graph()
        steps = graph._collections.setdefault("global_step", [])
        if not steps and create:
            with graph.as_default():
                steps.append(tensor_api.Variable(np.int64(0), trainable=False, name="global_step"))
        return steps[0] if steps else None
    global_step.__name__ = estimator_step.__name__
    return global_step


def graph_optimizers(members):
    """``members`` (of tf.compat.v1.train) with each TensorFlow 1 optimizer class given graph-mode training, and
    the global step made per graph in graph mode."""
    from ..estimator.v1 import Optimizer
    out = dict(members)
    for key, value in members.items():
        if isinstance(value, type) and issubclass(value, Optimizer):
            out[key] = type(value.__name__, (GraphTraining, value), {"__module__": value.__module__,
                                                                      "__doc__": value.__doc__})
    for key, create in (("get_or_create_global_step", True), ("create_global_step", True),
                        ("get_global_step", False)):
        if key in members:
            out[key] = _graph_global_step(members[key], create)
    return out


# ---------------------------------------------------------------------------------------------- Session.run
def session_run(fetches, feed_dict=None, eager_value=None):
    """``Session.run(fetches, feed_dict)``: the values of ``fetches`` (a tensor, an operation, a variable, a
    tensor's name, or lists, tuples and dicts of them), in one run."""
    graph = get_default_graph()
    feeds = {}
    for key, value in (feed_dict or {}).items():
        node = graph.get_tensor_by_name(key) if isinstance(key, str) else key
        if not isinstance(node, (Node, GraphVariable)):
            raise TypeError(f"Session.run: a feed_dict key must be a placeholder or another graph tensor; "
                            f"received {type(key).__name__} {key!r}.")
        feeds[node] = value

    def named(fetch):
        if isinstance(fetch, str):
            return graph.get_tensor_by_name(fetch) if ":" in fetch else graph.get_operation_by_name(fetch)
        return fetch

    leaves = []

    def collect(fetch):
        fetch = named(fetch)
        if isinstance(fetch, (list, tuple)):
            for f in fetch:
                collect(f)
        elif isinstance(fetch, dict):
            for f in fetch.values():
                collect(f)
        elif isinstance(fetch, Node):
            leaves.append(fetch)
        elif hasattr(fetch, "_node") and isinstance(fetch._node, Node):  # an Operation
            leaves.append(fetch._node)
    collect(fetches)
    run = Run(feeds)
    run.compute(leaves)

    def value(fetch):
        fetch = named(fetch)
        if isinstance(fetch, (list, tuple)):
            out = [value(f) for f in fetch]
            return type(fetch)(*out) if hasattr(fetch, "_fields") else type(fetch)(out)
        if isinstance(fetch, dict):
            return type(fetch)((k, value(v)) for k, v in fetch.items())
        if hasattr(fetch, "_node") and not isinstance(fetch, Tensor):  # an Operation: run, no value
            return None
        if isinstance(fetch, Node):
            if fetch._is_op:
                return None
            out = run.value(fetch)
            if isinstance(out, (bytes, str)):  # a summary's serialized message
                return out
            if isinstance(out, (list, tuple)):
                return [None if o is None else np.asarray(array_of(o))[()] for o in out]
            return None if out is None else np.array(array_of(out))[()]
        if isinstance(fetch, GraphVariable):
            return np.array(fetch.value)[()]
        return eager_value(fetch)
    return value(fetches)


def v1_members():
    """The names above that tf.compat.v1 serves."""
    return dict(placeholder=placeholder, placeholder_with_default=placeholder_with_default,
                get_variable=get_variable, variable_scope=variable_scope, get_variable_scope=get_variable_scope,
                VariableScope=VariableScope, AUTO_REUSE=AUTO_REUSE, global_variables=global_variables,
                all_variables=global_variables, trainable_variables=trainable_variables,
                global_variables_initializer=global_variables_initializer,
                initialize_all_variables=global_variables_initializer,
                variables_initializer=variables_initializer, local_variables_initializer=local_variables_initializer,
                assign=assign, assign_add=assign_add, assign_sub=assign_sub, gradients=gradients,
                truncated_normal_initializer=_initializers.TruncatedNormal,
                random_normal_initializer=_initializers.RandomNormal,
                random_uniform_initializer=_initializers.RandomUniform,
                glorot_uniform_initializer=_initializers.GlorotUniform,
                glorot_normal_initializer=_initializers.GlorotNormal,
                variance_scaling_initializer=_initializers.VarianceScaling,
                orthogonal_initializer=_initializers.Orthogonal)

