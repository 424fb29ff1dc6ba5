"""Operations on symbolic tensors: ``x + y``, ``x * 2``, ``x[:, 0]``, ``-x`` on KerasTensors, and functions such as
``tf.concat`` or ``tf.nn.relu`` given KerasTensors, become Lambda layers in the model's graph, as Keras 3 records
an operation applied to a KerasTensor. The Lambda runs the same function on the real tensors when the model
runs; its output shape comes from running it on zeros (see layers/lambda_layer.py). The sum, difference or
product of two KerasTensors of one shape (a residual ``x + inputs``) is the Add / Subtract / Multiply merge
layer instead, which a model's config saves."""
import functools
import inspect

from . import symbolic_binding
from .node import KerasTensor


def leaves_of(value, kind, out):
    """``out`` with the items of type ``kind`` in ``value`` appended, looking into lists, tuples and dicts,
    in order."""
    if isinstance(value, kind):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            leaves_of(item, kind, out)
    elif isinstance(value, dict):
        for item in value.values():
            leaves_of(item, kind, out)
    return out


def _leaves(value, out):
    return leaves_of(value, KerasTensor, out)


def _has_values(value, tensor_type):
    if isinstance(value, tensor_type):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_values(item, tensor_type) for item in value)
    if isinstance(value, dict):
        return any(_has_values(item, tensor_type) for item in value.values())
    return False


def _rebuild(value, real):
    if isinstance(value, KerasTensor):
        return next(real)
    if isinstance(value, (list, tuple)):
        return type(value)(_rebuild(item, real) for item in value)
    if isinstance(value, dict):
        return {k: _rebuild(item, real) for k, item in value.items()}
    return value


def has_symbolic(args, kwargs=None):
    """Whether a KerasTensor is among ``args`` / ``kwargs`` (looking into lists, tuples and dicts)."""
    return bool(_leaves(list(args), [])) or bool(kwargs and _leaves(list(kwargs.values()), []))


def symbolic_call(fn, args, kwargs=None):
    """``fn(*args, **kwargs)`` as a Lambda layer on the KerasTensors among the arguments; its output."""
    from ..autodiff import Tensor
    from .lambda_layer import Lambda
    kwargs = dict(kwargs or {})
    tensors = _leaves([list(args), kwargs], [])
    if symbolic_binding.active():  # a Keras 2 loss over the model's own tensors: compute on this pass's values
        name = getattr(fn, "__name__", "An operation")
        values = iter([symbolic_binding.value_of(t, name) for t in tensors])
        rebuilt_args, rebuilt_kwargs = _rebuild([list(args), kwargs], values)
        return fn(*rebuilt_args, **rebuilt_kwargs)
    if _has_values([list(args), kwargs], Tensor):
        raise ValueError(
            f"{getattr(fn, '__name__', 'An operation')}: given both a symbolic tensor ({tensors[0]!r}, from "
            "keras.Input or a layer of a functional model) and a tensor with values. Symbolic tensors only describe "
            "the model being built; code that reaches one inside a layer's call (Keras 2 graph-mode style) does not "
            "run eagerly. Pass the symbolic tensor to the layer as one of its inputs instead.")

    def run(inputs):
        real = iter(inputs if len(tensors) > 1 else [inputs])
        rebuilt_args, rebuilt_kwargs = _rebuild([list(args), kwargs], real)
        return fn(*rebuilt_args, **rebuilt_kwargs)
    run.__name__ = run.__qualname__ = getattr(fn, "__name__", "operation")
    return Lambda(run)(tensors if len(tensors) > 1 else tensors[0])


def symbolic_aware(fn):
    """``fn`` that, given a KerasTensor anywhere in its arguments, becomes a Lambda layer (symbolic_call)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        if has_symbolic(args, kwargs):
            return symbolic_call(fn, args, kwargs)
        return fn(*args, **kwargs)
    return call


def symbolic_members(members, skip=()):
    """The functions among ``members`` (a name -> object dict) made symbolic_aware, except those in ``skip``."""
    return {k: symbolic_aware(v) if inspect.isfunction(v) and k not in skip else v for k, v in members.items()}


_MERGES = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply"}


def _operator(op, reflected=False):
    def method(self, other=None):
        from ..autodiff import ops
        fn = getattr(ops, op)
        if other is None and op in ("negative", "abs"):
            return symbolic_call(fn, (self,))
        pair = [other, self] if reflected else [self, other]
        if op in _MERGES and isinstance(other, KerasTensor) and other.shape == self.shape \
                and not symbolic_binding.active():
            from . import merging  # two tensors of one shape (a residual x + inputs): the merge layer, which saves
            return getattr(merging, _MERGES[op])()(pair)
        return symbolic_call(fn, tuple(pair))
    return method


OPERATORS = {
    "__add__": _operator("add"), "__radd__": _operator("add", True),
    "__sub__": _operator("subtract"), "__rsub__": _operator("subtract", True),
    "__mul__": _operator("multiply"), "__rmul__": _operator("multiply", True),
    "__truediv__": _operator("divide"), "__rtruediv__": _operator("divide", True),
    "__pow__": _operator("power"), "__rpow__": _operator("power", True),
    "__matmul__": _operator("matmul"), "__rmatmul__": _operator("matmul", True),
    "__neg__": _operator("negative"), "__abs__": _operator("abs"),
}


def getitem(self, index):
    from ..autodiff import ops
    return symbolic_call(ops.getitem, (self, index))
