"""Tensor and Variable: thin wrappers around an array that the tape can follow."""
import numpy as np

from .. import backend


def array_of(x):
    """The array behind a Tensor (or Variable), or ``x`` itself."""
    return x.value if isinstance(x, Tensor) else x


def _operand(tensor, other):
    """The other operand of a Tensor's arithmetic operator, as TensorFlow reads it: a NumPy array or scalar, or
    a list or tuple of numbers, takes the tensor's dtype (``w * [3.5, 5.0]`` stays float32, an int32 tensor's
    ints stay int32), and a list holding Tensors is packed into one (ops.pack); a KerasTensor, which has no
    values, is left to its own operator (NotImplemented): in a Keras 2 loss over a model's own tensors it
    computes on the forward pass's values, elsewhere it raises clearly."""
    if hasattr(other, "_keras_symbolic"):
        return NotImplemented
    if isinstance(other, (np.ndarray, np.generic)):  # TF converts a NumPy operand to the tensor's dtype
        return _in_dtype(other, tensor.value.dtype)
    if isinstance(other, (list, tuple)):
        if _ops().holds_tensor(other):  # ``x - [h]``: packed, so the gradient reaches h (TensorFlow packs it)
            return _ops().pack(other)
        try:
            array = np.asarray(other)
        except (TypeError, ValueError):  # (ragged or not numbers: the op reports it)
            return other
        return _in_dtype(array, tensor.value.dtype)
    return other


def _in_dtype(array, dtype):
    """``array`` in ``dtype`` where that holds its kind of values (numbers in a float tensor, integers in an
    integer one); otherwise as it is (NumPy's promotion, where TensorFlow would truncate or refuse)."""
    if (dtype.kind == "f" and array.dtype.kind in "iuf") or (dtype.kind in "iu" and array.dtype.kind in "iu"):
        return array.astype(dtype, copy=False)
    return array


def _arithmetic(op, reflected=False):
    """A Tensor's binary operator running the op ``op`` of dendrite.autodiff.ops (``reflected``: ``other op
    self``), its other operand read by _operand."""
    def method(self, other):
        if type(other) is not Tensor:
            other = _operand(self, other)
            if other is NotImplemented:
                return NotImplemented
        fn = getattr(_ops(), op)
        return fn(other, self) if reflected else fn(self, other)
    return method


class Tensor:
    """An immutable array value produced by an op (or wrapping user data).

    ``value`` is the NumPy (or CuPy) array. Arithmetic on tensors goes through
    dendrite's ops, so it is recorded by any active :class:`GradientTape`.
    """

    __slots__ = ("value", "logits", "activation", "_keras_mask", "__weakref__")
    __array_priority__ = 100

    def __init__(self, value):
        self.value = value
        # Set by softmax / sigmoid: the pre-activation tensor and the activation's
        # name, so that a cross-entropy on these probabilities can use the exact
        # logits path (as tf.keras does).
        self.logits = None
        self.activation = None
        # Keras's mask riding on the tensor: a boolean array over the leading axes (batch, timesteps) that
        # marks the valid steps; set by layers that make or pass on masks (Layer.compute_mask)
        self._keras_mask = None

    # ----------------------------------------------------------- array facts
    @property
    def shape(self):
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def ndim(self):
        return self.value.ndim

    @property
    def size(self):
        return self.value.size

    def numpy(self):
        """The value as a NumPy array (what ``.numpy()`` gives in TensorFlow)."""
        return self.value

    def __array__(self, dtype=None, copy=None):
        v = self.value
        if isinstance(v, np.generic):  # a 0-d result some ops leave as a NumPy scalar: __array__ must give an array
            v = np.asarray(v)
        if dtype is not None and np.dtype(dtype) != v.dtype:
            return v.astype(dtype)
        return v.copy() if copy else v

    def __len__(self):
        return len(self.value)

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __bool__(self):
        return bool(self.value)

    def item(self):
        return self.value.item()

    def __repr__(self):
        return f"<{type(self).__name__} shape={self.shape} dtype={self.dtype.name}\n{self.value!r}>"

    # ------------------------------------------------------------ operators (binary ones: _arithmetic)
    def __neg__(self):
        return _ops().negative(self)

    def __getitem__(self, index):
        return _ops().getitem(self, index)

    def __abs__(self):
        return _ops().abs(self)

    # comparisons are not differentiable: they give plain boolean arrays
    def __lt__(self, other):
        return self.value < array_of(other)

    def __le__(self, other):
        return self.value <= array_of(other)

    def __gt__(self, other):
        return self.value > array_of(other)

    def __ge__(self, other):
        return self.value >= array_of(other)

    __hash__ = object.__hash__

    @property
    def T(self):
        return _ops().transpose(self)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _ops().reshape(self, shape)


class Variable(Tensor):
    """A mutable, named tensor: the weights of layers.

    Optimizers update ``value`` in place, so arrays handed out by
    ``layer.weights`` stay the live weights. Trainable variables are watched by
    every :class:`GradientTape` automatically, as in TensorFlow.
    """

    __slots__ = ("name", "trainable", "path", "regularizer", "constraint")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None):
        value = array_of(initial_value)
        xp = backend.get_array_module(value)
        value = xp.asarray(value)
        if dtype is None and value.dtype.kind == "f":
            dtype = backend.floatx()
        super().__init__(xp.array(value, dtype=dtype))
        self.name = name or "variable"
        self.path = self.name
        self.trainable = bool(trainable)
        self.regularizer = None
        self.constraint = None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Set the value in place (same shape); the variable, or None with ``read_value=False`` (TensorFlow's
        arguments)."""
        value = array_of(value)
        if np.shape(value) != self.value.shape:
            raise ValueError(
                f"Variable '{self.name}'.assign: expected a value of shape {self.value.shape}, "
                f"received shape {np.shape(value)}. Reshape the value to the variable's shape."
            )
        self.value[...] = value
        return self if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        self.value += array_of(delta)
        return self if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        self.value -= array_of(delta)
        return self if read_value else None

    def __repr__(self):
        return (f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype.name} "
                f"trainable={self.trainable}>")


def _ops():
    from . import ops
    return ops


for _name, _op, _reflected in (("__add__", "add", False), ("__radd__", "add", True), ("__sub__", "subtract", False),
                               ("__rsub__", "subtract", True), ("__mul__", "multiply", False),
                               ("__rmul__", "multiply", True), ("__truediv__", "divide", False),
                               ("__rtruediv__", "divide", True), ("__pow__", "power", False),
                               ("__matmul__", "matmul", False), ("__rmatmul__", "matmul", True)):
    setattr(Tensor, _name, _arithmetic(_op, _reflected))
del _name, _op, _reflected
