"""TensorFlow 1's graph mode, switched on by ``tf.compat.v1.disable_eager_execution()``: tensors that say how
they are computed instead of holding a value, and ``Session.run`` computing them.

While graph mode is on, a ``tf.*`` function given a deferred tensor (a placeholder, a tf.Variable made in graph
mode, or a deferred tensor made from them) returns a :class:`Node` recording the function and its arguments,
and so do the operators of those tensors (``w * x + b``). Values come only from a run (:class:`Run`): the
session evaluates the nodes a fetch needs, each once, from the variables' current values and the fed
placeholders, so ``sess.run(train_op, feed_dict=...)`` in a loop trains, as in TensorFlow 1. A deferred tensor
whose value is asked for outside a run (``np.asarray(t)``, a Keras layer given it) is computed on the spot
when it needs no placeholder. Functions of eager values stay eager, so a Keras program that disables eager
execution only for speed runs as before.

The graph itself (:class:`Graph`) keeps the names (``'loss:0'`` fetches), the variables (for the
initializers and the Saver) and the operations' list; ``reset_default_graph`` starts a new one. The variables
hold their values from the start, shared by every session (TensorFlow keeps them per session);
``global_variables_initializer()`` sets them back to their initial values. Gradients, optimizers, variables and
the Saver are in tf_graph_train."""
import operator
import sys
import threading
import weakref

import numpy as np

from ..autodiff import Tensor
from ..autodiff.tape import _tapes
from ..autodiff.tensor import array_of
from ..layers.symbolic_ops import leaves_of
from . import dtypes, tensor_api, tf_control

_MODE = {"graph": False}


class _State(threading.local):
    def __init__(self):
        self.run = None  # the Run in progress on this thread: while set, nothing is deferred


_state = _State()


def enabled():
    return _MODE["graph"]


def set_enabled(on):
    """Graph mode on (``disable_eager_execution``) or off (``enable_eager_execution``, a fresh install,
    ``uninstall``). While it is on, Keras layers and models called on deferred tensors give deferred tensors."""
    from .tf_graph_defer import layer_calls
    _MODE["graph"] = bool(on)
    tensor_api.GRAPH_VARIABLE[0] = sys.modules[__name__] if on else None
    for cls, (own, deferring_call) in layer_calls().items():
        cls.__call__ = deferring_call if on else own


_KERAS_INITIAL = weakref.WeakKeyDictionary()  # a Keras layer's weight adopted by a graph -> its initial value


def recording():
    """Whether operations on deferred tensors make nodes now: graph mode on, no run in progress, and no
    GradientTape recording (code under a tape, a Keras layer's call in fit, computes eagerly, so that the
    tape sees what it computes)."""
    return _MODE["graph"] and _state.run is None and not _tapes.active


# ------------------------------------------------------------------------------------------------ the graph
class Operation:
    """What ``tensor.op`` and ``graph.get_operations()`` give: the operation's ``name`` and ``type``;
    ``run()`` runs it (in the default session, as TensorFlow 1's ``op.run()``)."""

    def __init__(self, node, name, type_):
        self._node, self.name, self.type = node, name, type_

    @property
    def outputs(self):
        return [] if self._node._is_op else [self._node]

    def run(self, feed_dict=None, session=None):
        from .tf_session import default_session
        (session or default_session()).run(self._node, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"


class Graph:
    """``tf.Graph()``: the names, variables and operations made while it is the default graph."""

    def __init__(self):
        self._counts = {}
        self._by_name = {}  # operation name -> Node or GraphVariable
        self._operations = []
        self._variables = []
        self._collections = {}
        self.finalized = False

    def _register(self, item, base, type_):
        scope = tf_control.get_current_name_scope()
        wanted = f"{scope}/{base}" if scope else base
        count = self._counts.get(wanted, 0)
        name = f"{wanted}_{count}" if count else wanted
        while name in self._by_name:  # (a name taken by an explicit 'x_1' too)
            count += 1
            name = f"{wanted}_{count}"
        self._counts[wanted] = count + 1
        self._by_name[name] = item
        self._operations.append(Operation(item, name, type_))
        return name

    def as_default(self):
        return Pushed(_GRAPHS, self)

    def get_operations(self):
        return list(self._operations)

    def get_operation_by_name(self, name):
        item = self._lookup(name, "get_operation_by_name")
        return item.op

    def get_tensor_by_name(self, name):
        if ":" not in name:
            raise ValueError(f"get_tensor_by_name: the name '{name}' refers to an operation, not a tensor; "
                             f"tensor names end in ':0' ('{name}:0').")
        return self._lookup(name, "get_tensor_by_name")

    def _lookup(self, name, who):
        base = name.split(":")[0]
        if base not in self._by_name:
            raise KeyError(f"{who}: the name '{name}' refers to nothing in the graph; its operations are "
                           f"{sorted(self._by_name)[:10]}{' ...' if len(self._by_name) > 10 else ''}.")
        return self._by_name[base]

    def get_collection(self, key, scope=None):
        items = list(self._collections.get(key, ()))
        if key in ("variables", "trainable_variables"):
            items = [v for v in self._variables if key == "variables" or v.trainable]
        return [i for i in items if scope is None or getattr(i, "name", "").startswith(scope)]

    def add_to_collection(self, key, value):
        self._collections.setdefault(key, []).append(value)

    def finalize(self):
        self.finalized = True


class Pushed:
    """A context that puts ``item`` on top of ``stack`` (the default graphs, the default sessions) while it
    lasts, then takes its innermost entry off again."""

    def __init__(self, stack, item):
        self.stack, self.item = stack, item

    def __enter__(self):
        self.stack.append(self.item)
        return self.item

    def __exit__(self, *exc):
        if self.item in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(self.item)]
        return False


_GRAPHS = [Graph()]


def get_default_graph():
    return _GRAPHS[-1]


def reset_default_graph():
    """``tf.compat.v1.reset_default_graph()``: a new, empty default graph (names start again)."""
    _GRAPHS[:] = [Graph()]


# ------------------------------------------------------------------------------------------ deferred tensors
def _op_type(fn):
    return "".join(part.capitalize() for part in getattr(fn, "__name__", "Op").split("_")) or "Op"


class Node(Tensor):
    """A deferred tensor: ``fn(*args, **kwargs)`` with the deferred tensors among the arguments computed first.
    ``is_op``: an operation with no value (a training step, an initializer): a run gives None for it."""

    def __init__(self, fn, args=(), kwargs=None, type_=None, name=None, is_op=False):
        self.logits = self.activation = self._keras_mask = None
        self._fn, self._args, self._kwargs, self._is_op = fn, tuple(args), dict(kwargs or {}), is_op
        self._side_effect = is_op  # (an operation, or a node that changes state: not run to infer shapes)
        self._static = None
        self.graph = get_default_graph()
        type_ = type_ or _op_type(fn)
        self._name = self.graph._register(self, name or type_, type_)

    # what a run computes
    def _inputs(self):
        return _deferred_leaves([self._args, self._kwargs], [])

    def _compute(self, run):
        return self._fn(*run.resolve(self._args), **run.resolve(self._kwargs))

    @property
    def value(self):  # a deferred tensor's array, asked for by code that does not know it is deferred
        return array_of(value_now(self))

    def numpy(self):
        out = value_now(self)
        return None if out is None else np.asarray(array_of(out))[()]

    def eval(self, feed_dict=None, session=None):
        from .tf_session import default_session
        return (session or default_session()).run(self, feed_dict)

    # what TensorFlow 1 knows about a tensor without running it
    @property
    def name(self):
        return self._name if self._is_op else f"{self._name}:0"

    @property
    def op(self):
        return next(o for o in self.graph._operations if o._node is self)

    def run(self, feed_dict=None, session=None):
        self.op.run(feed_dict, session)

    def _infer(self):
        """(shape, dtype) without feeding: the node computed on placeholders of ones, twice (their unknown
        sizes as 2, then 3), so the sizes that follow the unknown ones come out unknown."""
        if self._static is None:
            try:
                first, second = (value_now(self, probe=n) for n in (2, 3))
                a, b = np.asarray(array_of(first)), np.asarray(array_of(second))
                shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape)) \
                    if a.ndim == b.ndim else None
                self._static = (shape, a.dtype)
            except Exception:  # noqa: BLE001 - what cannot be computed on zeros is left unknown, as TF does
                self._static = (None, np.dtype(np.float32))
        return self._static

    @property
    def shape(self):
        from .tf_tree import TensorShape
        return TensorShape(self._infer()[0])

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        """TensorFlow 1's ``t.set_shape``: the static shape is computed, so this checks nothing more."""

    @property
    def dtype(self):
        return dtypes.of_numpy(self._infer()[1])

    @property
    def ndim(self):
        shape = self._infer()[0]
        return None if shape is None else len(shape)

    def _shape_text(self):
        shape = self._infer()[0]
        return "<unknown>" if shape is None else str(tuple(shape))

    def __repr__(self):
        if self._is_op:
            return f"<tf.Operation '{self._name}' type={self.op.type}>"
        return f"<tf.Tensor '{self.name}' shape={self._shape_text()} dtype={self.dtype.name}>"

    def __str__(self):
        if self._is_op:
            return f'name: "{self._name}"\nop: "{self.op.type}"\n'
        return f'Tensor("{self.name}", shape={self._shape_text()}, dtype={self.dtype.name})'

    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError("Using a tf.Tensor as a Python `bool` is not allowed in graph mode (after "
                        "tf.compat.v1.disable_eager_execution()): use tf.cond, or compute the value with "
                        "Session.run first.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled; in graph mode use "
                        "tf.unstack, or index the tensor (t[0]).")

    def __len__(self):
        raise TypeError("len() of a tensor is not known in graph mode; use tf.shape(t)[0].")

    def __format__(self, spec):
        return format(str(self), spec)

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self.value)
        return value if dtype is None else value.astype(dtype)


class Placeholder(Node):
    """``tf.compat.v1.placeholder(dtype, shape, name)``: fed by ``feed_dict``; ``default``: what
    ``placeholder_with_default`` gives when nothing is fed."""

    def __init__(self, dtype, shape=None, name=None, default=None):
        self._dtype = np.dtype(getattr(dtypes.as_dtype(dtype), "as_numpy_dtype", dtype))
        self._declared = shape  # (normalized by tf_graph_train._dims: a tuple with None for unknown sizes)
        self._default = default
        super().__init__(None, type_="PlaceholderWithDefault" if default is not None else "Placeholder", name=name)
        self._static = (self._declared, self._dtype)

    def _inputs(self):
        return _deferred_leaves(self._default, [])

    def _compute(self, run):
        if self._default is not None:
            return Tensor(np.asarray(array_of(run.resolve(self._default)), dtype=self._dtype))
        if run.probe is not None:  # shape inference: ones (a keep_prob, a divisor), unknown sizes the probe's
            return Tensor(np.ones([run.probe if d is None else d for d in (self._declared or ())], self._dtype))
        shape = "<unknown>" if self._declared is None else "[" + ",".join("?" if d is None else str(d)
                                                                           for d in self._declared) + "]"
        raise ValueError(f"You must feed a value for placeholder tensor '{self._name}' with dtype "
                         f"{self._dtype.name} and shape {shape}: pass feed_dict={{{self._name}: array}} to "
                         "Session.run (or to .eval()).")

    def _fed(self, value):
        """The fed ``value`` as a Tensor of the placeholder's dtype, its shape checked against the declared one."""
        array = np.asarray(array_of(value), dtype=self._dtype)
        declared = self._declared
        if declared is not None and (array.ndim != len(declared) or
                                     any(d is not None and d != n for d, n in zip(declared, array.shape))):
            shown = "(" + ", ".join("?" if d is None else str(d) for d in declared) + (",)" if len(declared) == 1
                                                                                        else ")")
            raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor '{self.name}', which has shape "
                             f"'{shown}'. Reshape the fed array to the placeholder's shape.")
        return Tensor(array)


def _deferred_leaves(value, out):
    return leaves_of(value, Node, out)


# ----------------------------------------------------------------------------- operators of deferred tensors
_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
           "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow, "matmul": operator.matmul,
           "and": operator.and_, "or": operator.or_, "xor": operator.xor}
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}
_UNARY = {"neg": operator.neg, "abs": operator.abs, "invert": operator.invert, "pos": operator.pos}


def _method(name, fn, reflected=False, unary=False):
    dunder = f"__r{name}__" if reflected else f"__{name}__"

    def method(self, *other):
        if not recording():  # in a run: the value's own operator
            base = getattr(GraphVariable.__mro__[1], dunder, None) if isinstance(self, GraphVariable) else None
            if base is not None:
                return base(self, *other)
            mine = value_now(self) if isinstance(self, Node) else self
            return fn(*other, mine) if reflected else fn(mine, *other)
        args = (self,) if unary else ((other[0], self) if reflected else (self, other[0]))
        return Node(fn, args, type_=name)
    method.__name__ = dunder
    return method


def _getitem(self, index):
    if not recording():
        if isinstance(self, GraphVariable):
            return GraphVariable.__mro__[1].__getitem__(self, index)
        return value_now(self)[index]
    return Node(operator.getitem, (self, index), type_="strided_slice")


def _operators():
    out = {"__getitem__": _getitem}
    for name, fn in _BINARY.items():
        out[f"__{name}__"] = _method(name, fn)
        out[f"__r{name}__"] = _method(name, fn, reflected=True)
    for name, fn in _COMPARE.items():
        out[f"__{name}__"] = _method(name, fn)
    for name, fn in _UNARY.items():
        out[f"__{name}__"] = _method(name, fn, unary=True)
    return out


for _key, _value in _operators().items():
    setattr(Node, _key, _value)


class GraphVariable(tensor_api.Variable):
    """A tf.Variable made in graph mode: it holds its value (read by a run), and operations on it are deferred.
    ``assign`` and friends give an operation a run performs. ``initializer``: what sets it to its initial value."""

    __slots__ = ("_initial", "_graph", "_op_name")

    def __init__(self, initial_value=None, trainable=True, *args, name=None, **kwargs):
        if isinstance(initial_value, Node):  # computed now from the current values (TensorFlow: at init)
            initial_value = value_now(initial_value)
        super().__init__(initial_value, trainable, *args, name=name, **kwargs)
        self._initial = np.array(self.value)
        self._graph = get_default_graph()
        self._op_name = self._graph._register(self, (name or "Variable").removesuffix(":0"), "VariableV2")
        self.name = f"{self._op_name}:0"
        self._graph._variables.append(self)

    @property
    def graph(self):
        return self._graph

    @property
    def op(self):
        return next(o for o in self._graph._operations if o._node is self)

    @property
    def initializer(self):
        return Node(_initialize, ([self],), type_="Assign", name=f"{self._op_name}/Assign", is_op=True)

    @property
    def initial_value(self):
        return Tensor(np.array(self._initial))

    def _deferred_update(how):
        def update(self, value, use_locking=None, name=None, read_value=True):
            base = getattr(tensor_api.Variable, how)
            if recording():
                node = Node(lambda v, x: Tensor(np.array(base(v, x).value)), (self, value),
                            type_="".join(p.capitalize() for p in how.split("_")), name=name)
                node._side_effect = True
                return node
            return base(self, value, use_locking, name, read_value)
        update.__name__ = how
        return update

    assign = _deferred_update("assign")
    assign_add = _deferred_update("assign_add")
    assign_sub = _deferred_update("assign_sub")
    del _deferred_update

    def __repr__(self):  # graph mode: no value to show
        return f"<tf.Variable '{self.name}' shape={tuple(self.value.shape)} dtype={self.value.dtype.name}>"

    __str__ = __repr__

    def load(self, value, session=None):
        tensor_api.Variable.assign(self, value)

    def eval(self, session=None):
        return np.array(self.value)[()]


for _key, _value in _operators().items():
    setattr(GraphVariable, _key, _value)
GraphVariable.__hash__ = object.__hash__
GraphVariable.__eq__ = object.__eq__
GraphVariable.__ne__ = object.__ne__
del _key, _value


def _initialize(variables):
    for v in variables:
        initial = v._initial if isinstance(v, GraphVariable) else _KERAS_INITIAL.get(v)
        if initial is not None:
            v.value[...] = initial


def initializer_op(variables, name):
    """The operation that sets ``variables`` to their initial values."""
    return Node(_initialize, (list(variables),), type_="NoOp", name=name, is_op=True)


# ------------------------------------------------------------------------------------------------------ runs
class Run:
    """One evaluation: each node computed once (``memo``), placeholders from ``feeds`` (node -> value).
    ``probe``: shape inference, placeholders giving zeros and no variable changed. ``tape``/``watch``: the
    GradientTape a run with gradients records on, and the deferred tensors gradients are asked of."""

    def __init__(self, feeds=None, probe=None):
        self.feeds, self.probe = feeds or {}, probe
        self.memo, self.tape, self.watch = {}, None, set()

    def value(self, node):
        key = id(node)
        if key in self.memo:
            return self.memo[key][1]
        for item in _order(node, self.memo):
            if item in self.feeds:
                out = item._fed(self.feeds[item]) if isinstance(item, Placeholder) else \
                    Tensor(np.asarray(array_of(self.feeds[item])))
            elif self.probe is not None and getattr(item, "_side_effect", False):
                out = None
            else:
                out = item._compute(self)
                if _deferred_leaves(out, []):  # a tf.cond branch returned a deferred tensor: its value here
                    out = self.resolve(out)
            if self.tape is not None and id(item) in self.watch and isinstance(out, Tensor):
                self.tape.watch(out)
            self.memo[id(item)] = (item, out)
        return self.memo[key][1]

    def compute(self, leaves):
        """Compute ``leaves`` (nodes), on a GradientTape when gradients are among what they need."""
        wanted = [n for n in closure(leaves) if getattr(n, "_needs_tape", False)]
        if not wanted:
            with self:
                for leaf in leaves:
                    self.value(leaf)
            return
        from ..autodiff import GradientTape
        sources = [x for n in wanted for x in n._sources()]
        self.watch = {id(x) for x in sources if isinstance(x, Node)}
        self.tape = GradientTape(persistent=True)
        with self, self.tape:
            for x in sources:
                if not isinstance(x, Node) and isinstance(x, Tensor):
                    self.tape.watch(x)
            for leaf in leaves:
                self.value(leaf)

    def resolve(self, value):
        if isinstance(value, Node):
            return self.value(value)
        if type(value) in (list, tuple):
            return type(value)(self.resolve(item) for item in value)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        return value

    def __enter__(self):
        self._outer = _state.run
        _state.run = self
        return self

    def __exit__(self, *exc):
        _state.run = self._outer
        return False


def _order(node, memo):
    """The nodes ``node`` needs that ``memo`` lacks, each after what it needs (depth-first, without recursion)."""
    out, seen, stack = [], set(), [(node, False)]
    while stack:
        item, expanded = stack.pop()
        if id(item) in memo:
            continue
        if expanded:
            out.append(item)
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        stack.append((item, True))
        stack.extend((child, False) for child in reversed(item._inputs()) if id(child) not in memo)
    return out


def value_now(node, probe=None):
    """``node``'s value: in the run in progress, else computed on the spot (no feeds)."""
    run = _state.run
    if run is not None and probe is None:
        return run.value(node)
    fresh = Run(probe=probe)
    fresh.compute([node])
    return fresh.value(node)


def closure(leaves):
    """Every node the ``leaves`` need."""
    out, stack, seen = [], list(leaves), set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        out.append(item)
        stack.extend(item._inputs())
    return out
