"""Symbolic tensors and the nodes that join them: what a functional model is made of.

Calling a layer on ``KerasTensor``s (one, or a list, tuple or dict of them) computes no data. The
layer is built from the input shapes, ``compute_output_shape`` gives the output shapes, and a ``Node``
records the call: the layer, the arguments it was given (tensors in place), and the tensors it made.
Each output tensor knows its node, so a model finds its graph by walking back from its outputs, and
each layer keeps its nodes in ``_inbound_nodes`` (a layer called twice, shared, has two).
"""
from .. import backend


class KerasTensor:
    """A symbolic tensor (shape and dtype, no data): what ``Input`` returns and layer calls give."""

    _keras_symbolic = True  # (a Tensor's operators leave a KerasTensor operand to the KerasTensor's own)
    __array_ufunc__ = None  # (and so do NumPy's: ndarray + KerasTensor is the KerasTensor's __radd__)

    def __init__(self, shape, dtype=None, name=None, node=None, index=0):
        self.shape = tuple(shape)
        self.dtype = dtype or backend.floatx()
        self.name = name
        self.node = node  # the Node that made this tensor (None until one records it)
        self.index = index  # which of that node's outputs it is

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def history(self):
        """``(layer, node_index, tensor_index)``, Keras's ``_keras_history``: where this tensor came from."""
        return (self.node.layer, self.node.index, self.index) if self.node is not None else None

    def __repr__(self):
        return f"<KerasTensor shape={self.shape} dtype={self.dtype} name={self.name}>"

    @property
    def _keras_mask(self):
        """Keras 3's mask of a symbolic tensor: a boolean KerasTensor shaped like the mask that the layer which
        made this tensor gives it (Embedding(mask_zero=True), Masking, layers passing a mask on), else None."""
        return symbolic_mask(self)

    # x + y, x * 2, x[:, 0], -x ... on KerasTensors: Lambda layers in the graph (layers/symbolic_ops.py)
    def __getitem__(self, index):
        from .symbolic_ops import getitem
        return getitem(self, index)

    __hash__ = object.__hash__


def _operator(name):
    def method(self, *args):
        from .symbolic_ops import OPERATORS
        return OPERATORS[name](self, *args)
    method.__name__ = name
    return method


for _name in ("__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __pow__ __rpow__ "
              "__matmul__ __rmatmul__ __neg__ __abs__").split():
    setattr(KerasTensor, _name, _operator(_name))


def flatten(structure):
    """The leaves of a nesting of lists, tuples and dicts, in order (dict values in the dict's order)."""
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in flatten(value)]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """``structure`` with ``fn`` applied to each leaf; tuples and lists come back as lists (how Keras
    hands several shapes to ``build`` and ``compute_output_shape``), dicts as dicts."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [map_structure(fn, item) for item in structure]
    return fn(structure)


def pack_like(structure, flat):
    """``structure`` (a leaf, or a nesting of lists, tuples and dicts) rebuilt from the leaves ``flat``."""
    leaves = iter(flat)

    def pack(s):
        if isinstance(s, dict):
            return {key: pack(value) for key, value in s.items()}
        if isinstance(s, (list, tuple)):
            return type(s)(pack(item) for item in s)
        return next(leaves)
    return pack(structure)


def is_symbolic(inputs):
    """Whether ``inputs`` is a KerasTensor or a list, tuple or dict holding one."""
    if isinstance(inputs, KerasTensor):
        return True
    if isinstance(inputs, (list, tuple, dict)):
        return any(isinstance(leaf, KerasTensor) for leaf in flatten(inputs))
    return False


def shapes_of(inputs):
    """The shape of a KerasTensor, or the list (dict) of shapes of several, as ``build`` receives them."""
    return map_structure(lambda t: t.shape, inputs)


class Node:
    """One call of ``layer`` on symbolic tensors: ``args`` is what it was called on (a tensor, or a list,
    tuple or dict of them), ``kwargs`` the other keyword arguments of the call (``training`` among them
    when the call fixed it; tensors too, such as a recurrent layer's ``initial_state`` or ``mask``),
    ``outputs`` the tensors it made. ``inputs`` holds every tensor the call read, those of ``args`` first
    then those of ``kwargs``, as Keras 3's node counts them: a model orders, shares and saves the call by
    all of them. ``index`` is its place among the layer's nodes."""

    def __init__(self, layer, args, outputs, kwargs=None):
        self.layer = layer
        self.args = args
        self.kwargs = dict(kwargs or {})
        self.inputs = [t for t in flatten(args) + flatten(self.kwargs) if isinstance(t, KerasTensor)]
        self.output_struct = outputs  # one tensor, or a list of them, as the call returned
        self.outputs = flatten(outputs)
        for i, tensor in enumerate(self.outputs):
            tensor.node, tensor.index = self, i
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)

    def __repr__(self):
        return f"<Node {self.layer.name}#{self.index}: {len(self.inputs)} in, {len(self.outputs)} out>"


def symbolic_mask(tensor):
    """The mask ``tensor`` will carry, found by running its layer's ``compute_mask`` on placeholder data of its
    input's shape (one call, one input: other layers give None)."""
    import numpy as np
    from ..autodiff import Tensor
    node = tensor.node
    if node is None or not isinstance(node.args, KerasTensor) or len(node.outputs) != 1:
        return None
    source = node.args
    inner = symbolic_mask(source)

    def placeholder(shape, dtype):
        return Tensor(np.ones(tuple(1 if d is None else d for d in shape), dtype=dtype))
    try:
        mask = node.layer.compute_mask(placeholder(source.shape, source.dtype),
                                       None if inner is None else placeholder(inner.shape, bool))
    except Exception:  # a compute_mask that needs real data: no symbolic mask, as before
        return None
    if mask is None:
        return None
    return KerasTensor(tensor.shape[:np.ndim(np.asarray(getattr(mask, "value", mask)))], dtype="bool",
                       name=f"{tensor.name}_mask" if tensor.name else None)
