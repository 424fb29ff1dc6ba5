"""How calls defer in TensorFlow 1's graph mode (tf_graph): the ``tf.*`` functions, wrapped by
:func:`deferring` (:func:`defer_namespace` wraps a namespace's), and Keras layers and functional models, whose
``__call__`` tf_graph.set_enabled swaps for :func:`layer_calls`' deferring one while graph mode is on. A call
defers when a deferred tensor is among its arguments, nothing is running (no Session run, no GradientTape
recording) and no KerasTensor is among them (a functional model being built)."""
import functools
import inspect

import numpy as np

from ..autodiff.tape import _tapes
from ..layers.symbolic_ops import has_symbolic
from .tf_graph import _KERAS_INITIAL, _MODE, GraphVariable, Node, _state, get_default_graph, recording, value_now


def _defers(args, kwargs):
    """Whether a call with these arguments is deferred: a deferred tensor among them and no KerasTensor (a
    functional model being built, which the symbolic wrappers turn into a Lambda layer)."""
    return (_has_deferred(args) or _has_deferred(kwargs)) and not has_symbolic(args, kwargs)


def _has_deferred(value):
    if isinstance(value, (Node, GraphVariable)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_deferred(item) for item in value)
    if isinstance(value, dict):
        return any(_has_deferred(item) for item in value.values())
    return False


def layer_calls():
    """{class: (its own __call__, that call deferring in graph mode)} for Keras layers and functional models."""
    if not _CALLS:
        from ..layers.base import Layer
        from ..models.functional import GraphModel
        for cls in (Layer, GraphModel):
            own = cls.__dict__["__call__"]
            _CALLS[cls] = (own, _deferring_layer_call(own))
    return _CALLS


_CALLS = {}


def _deferring_layer_call(call):
    def deferring(self, inputs, *args, **kwargs):
        """A Keras layer (or model) called on a deferred tensor in graph mode, as TensorFlow 2.21 runs Keras 3
        layers on TensorFlow 1 placeholders: built now (on the input computed on placeholders of ones), its
        weights added to the graph's variables (so minimize, the initializers and the Saver find them), and the
        call deferred."""
        if not (recording() and _defers((inputs, args), kwargs)):
            return call(self, inputs, *args, **kwargs)
        if not self.built:
            call(self, value_now(inputs, probe=2) if isinstance(inputs, Node) else inputs)
        graph = get_default_graph()
        for weight in self.weights:
            if all(weight is not v for v in graph._variables):
                graph._variables.append(weight)
                _KERAS_INITIAL[weight] = np.array(weight.value)
        return Node(call, (self, inputs) + args, kwargs, type_=self.name)
    deferring.__name__ = "__call__"
    return deferring


_WRAPPED = {}
_NOT_DEFERRED = {"is_tensor", "executing_eagerly", "control_dependencies", "function", "get_static_value",
                 "placeholder", "placeholder_with_default", "gradients", "assign", "assign_add", "assign_sub",
                 "get_variable", "global_variables_initializer", "variables_initializer", "name_scope",
                 "initialize_all_variables", "trainable_variables", "global_variables", "variable_scope"}


def deferring(fn):
    """``fn`` that, in graph mode and given a deferred tensor, returns a Node computing it in a run."""
    if not inspect.isfunction(fn):
        return fn
    if fn in _WRAPPED:
        return _WRAPPED[fn]

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if _MODE["graph"] and _defers(args, kwargs):
            run = _state.run
            if run is None and not _tapes.active:
                return Node(fn, args, kwargs, name=kwargs.get("name") if isinstance(kwargs.get("name"), str)
                            else None)
            if run is not None:
                # in a run (a tf.cond branch, a while_loop body reaching a deferred tensor): its value in this
                # run, as the Tensor the run's tape recorded, so gradients flow through it
                args, kwargs = run.resolve(args), run.resolve(kwargs)
        return fn(*args, **kwargs)
    _WRAPPED[fn] = _WRAPPED[call] = call
    return call


def defer_namespace(ns):
    """The functions of namespace ``ns`` made deferring (in place)."""
    for key in list(vars(ns)):
        value = vars(ns)[key]
        if not key.startswith("_") and key not in _NOT_DEFERRED and inspect.isfunction(value):
            setattr(ns, key, deferring(value))
    return ns
