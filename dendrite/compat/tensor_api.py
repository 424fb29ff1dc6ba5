"""TensorFlow's top-level tensor functions (``tf.constant``, ``tf.reduce_mean``, ``tf.one_hot``, ...) on
dendrite tensors. Differentiable ones go through dendrite.autodiff.ops, so a GradientTape follows them; the
rest (comparisons, index results, creation) compute with NumPy and return Tensors. TensorFlow's rules are
kept where they differ from NumPy: Python floats become float32 and Python ints int32, ``reduce_mean`` of
integers stays an integer, ``argmax`` reduces axis 0 by default and returns int64."""
import builtins

import numpy as np

from ..autodiff import Tensor, ops
from ..autodiff.ops import einsum as _einsum
from ..autodiff import Variable as _Variable
from ..autodiff.tensor import _operand as _tensor_operand
from . import dtypes, tf_print
from .tf_variable_scatter import ScatterMethods

newaxis = None


def _dtype(dtype):
    return None if dtype is None else dtypes.as_dtype(dtype)


def _array(value, dtype=None):
    """The NumPy array TensorFlow would make of ``value``: Python floats float32, ints int32."""
    if isinstance(value, Tensor):
        arr = value.value
    elif isinstance(value, np.ndarray) or np.isscalar(value) and isinstance(value, np.generic):
        arr = np.asarray(value)
    else:
        try:
            arr = np.asarray(value)
        except ValueError:  # rows of different lengths
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor (its rows have different "
                             "lengths); use tf.ragged.constant(...) for a RaggedTensor, or pad the rows.") from None
        if arr.dtype == np.float64 and dtype is None:  # (a given dtype takes Python's floats exactly)
            arr = arr.astype(np.float32)
        elif arr.dtype == np.int64:
            arr = arr.astype(np.int32) if (arr.size == 0 or builtins.abs(arr).max() < 2**31) else arr
        elif arr.dtype.kind in "US":  # TensorFlow's strings are bytes (read from `value`: NumPy's 'S' items
            items = np.array(value, dtype=object).reshape(arr.shape)  # drop trailing zero bytes)
            arr = np.array([v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in items.ravel()],
                           dtype=object).reshape(arr.shape)
    dtype = _dtype(dtype)
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """``value`` as a Tensor (a Tensor passes through unchanged when its dtype fits; a Variable gives its value
    now, as TensorFlow reads it, which a GradientTape follows back to the variable)."""
    if isinstance(value, Tensor) and (dtype is None or value.dtype == _dtype(dtype)):
        return identity(value) if isinstance(value, _Variable) else value
    if ops.holds_tensor(value):  # TensorFlow packs a list of tensors: differentiable with respect to each
        return ops.pack(value, _dtype(dtype if dtype is not None else dtype_hint))
    if dtype is None and dtype_hint is not None and not isinstance(value, (Tensor, np.ndarray)):
        dtype = dtype_hint
    return Tensor(_array(value, dtype))


def constant(value, dtype=None, shape=None, name=None):
    arr = _array(value, dtype)
    if shape is not None:
        shape = tuple(shape)
        arr = np.broadcast_to(arr, shape).copy() if arr.size == 1 else arr.reshape(shape)
    return Tensor(arr)


def _t(x):
    if isinstance(x, Tensor):
        return x
    return ops.pack(x) if ops.holds_tensor(x) else Tensor(_array(x))


def _operands(x, y):
    """Both operands of a binary op as tensors, the one that is not a Tensor read as the Tensor's operators
    read it (autodiff.tensor._operand: NumPy values and lists of numbers take the tensor's dtype, a list
    holding tensors is packed), and a Python number likewise where the dtype holds it (``float32_tensor % 7``
    and ``tf.add(float32_tensor, 2)`` stay float32, as TensorFlow converts them)."""
    if isinstance(y, Tensor) and not isinstance(x, Tensor):
        return _t(_as_operand(y, x)), y
    if isinstance(x, Tensor) and not isinstance(y, Tensor):
        return x, _t(_as_operand(x, y))
    return _t(x), _t(y)


def _as_operand(tensor, value):
    dtype = tensor.value.dtype
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        whole = dtype.kind in "iu" and float(value).is_integer()
        return np.asarray(value, dtype) if dtype.kind == "f" or whole else value
    converted = _tensor_operand(tensor, value)
    return value if converted is NotImplemented else converted


GRAPH_VARIABLE = [None]  # tf_graph's module while TensorFlow 1's graph mode is on (disable_eager_execution)


class _ValueArray(np.ndarray):
    """A tf.Variable's ``value``: its array (what dendrite reads) that can also be called, as TensorFlow's
    ``v.value()`` is, to give the value as a Tensor. Arithmetic on it gives plain arrays."""

    def __call__(self):
        return Tensor(np.array(self))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [i.view(np.ndarray) if isinstance(i, _ValueArray) else i for i in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _ValueArray) else o for o in kwargs["out"])
        return getattr(ufunc, method)(*plain, **kwargs)

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __str__(self):
        return str(self.view(np.ndarray))


_SLOT = Tensor.value  # the slot that holds a Tensor's array


def _get_value(self):
    return _SLOT.__get__(self).view(_ValueArray)


def _set_value(self, array):
    _SLOT.__set__(self, array.view(np.ndarray) if isinstance(array, _ValueArray) else array)


class Variable(_Variable, ScatterMethods):
    """``tf.Variable(initial_value, trainable=True, name=None, dtype=None)``: dendrite's Variable, which a
    GradientTape watches when trainable; ``initial_value`` may be a callable, as in TensorFlow. Its ``value``
    is its array, which ``v.value()`` also gives as a Tensor (TensorFlow's method). The scatter methods
    (``scatter_nd_update``, ``scatter_update`` with a tf.IndexedSlices, ...) come from tf_variable_scatter."""

    __slots__ = ()

    value = property(_get_value, _set_value)

    def __new__(cls, *args, **kwargs):
        graph = GRAPH_VARIABLE[0]
        if cls is Variable and graph is not None and graph.recording():  # graph mode: a deferred-use variable
            cls = graph.GraphVariable
        return super().__new__(cls)

    def __init__(self, initial_value=None, trainable=True, validate_shape=True, caching_device=None, name=None,
                 variable_def=None, dtype=None, import_scope=None, constraint=None, shape=None, **kwargs):
        if initial_value is None:
            raise ValueError("tf.Variable: expected `initial_value` (an array, a number or a callable returning "
                             "one); received None.")
        if callable(initial_value):
            initial_value = initial_value()
        value = _array(initial_value, dtype)
        base = (name or "Variable").removesuffix(":0")  # TensorFlow names the variable's output 'name:0'
        super().__init__(value, trainable=trainable, name=base, dtype=value.dtype)
        self.name = f"{base}:0"
        self.constraint = constraint

    def read_value(self):
        """The variable's value now, as a Tensor (gradients flow through it to the variable)."""
        return identity(self)


def is_tensor(x):
    return isinstance(x, Tensor)


def identity(x, name=None):
    if isinstance(x, _Variable) and x.dtype.kind != "f":  # a Tensor of its value now, as TensorFlow's
        return Tensor(np.array(x.value))
    return ops.add(_t(x), 0) if isinstance(x, Tensor) and x.dtype.kind == "f" else _t(x)


def stop_gradient(x, name=None):
    return Tensor(np.array(_t(x).value))


def cast(x, dtype, name=None):
    dtype = dtypes.as_dtype(dtype)
    x = _t(x)
    if x.dtype == dtype:
        return x
    if x.dtype.kind == "f" and dtype.kind == "f":
        return ops.cast(x, dtype)
    if "c" in (x.dtype.kind + dtype.kind) and x.dtype.kind in "fc" and dtype.kind in "fc":
        from ..autodiff.ops.spectral import cast_complex  # to or from complex: differentiable; complex -> real
        return cast_complex(x, dtype)  # keeps the real part, as TensorFlow
    value = x.value
    if dtype.kind in "iu" and value.dtype.kind == "f":
        value = np.trunc(value)  # TensorFlow truncates toward zero
    return Tensor(value.astype(dtype))


def reshape(tensor, shape, name=None):
    shape = tuple(int(s) for s in np.asarray(_array(shape)).ravel()) if not isinstance(shape, int) else (shape,)
    tensor = _t(tensor)
    known = int(np.prod([s for s in shape if s != -1]))
    if (tensor.value.size % known if -1 in shape and known else tensor.value.size != known):
        from .tf_debugging import InvalidArgumentError  # TensorFlow's error and wording
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {tensor.value.size} values, but the requested shape "
            + (f"requires a multiple of {known}" if -1 in shape else f"has {known}") + f" {list(shape)} [Op:Reshape]")
    return ops.reshape(tensor, shape)


def transpose(a, perm=None, conjugate=False, name=None):
    return ops.transpose(_t(a), None if perm is None else tuple(int(p) for p in perm))


def concat(values, axis, name=None):
    return ops.concatenate([_t(v) for v in values], axis=axis)


def stack(values, axis=0, name=None):
    return ops.stack([_t(v) for v in values], axis=axis)


def unstack(value, num=None, axis=0, name=None):
    value = _t(value)
    n = value.shape[axis]
    index = [slice(None)] * value.ndim
    out = []
    for i in builtins.range(n):
        index[axis] = i
        out.append(ops.getitem(value, tuple(index)))
    return out


def split(value, num_or_size_splits, axis=0, num=None, name=None):
    value = _t(value)
    length = value.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)):
        if length % num_or_size_splits:
            raise ValueError(f"tf.split: axis {axis} has length {length}, which {num_or_size_splits} does not "
                             "divide. Pass a list of sizes instead.")
        sizes = [length // int(num_or_size_splits)] * int(num_or_size_splits)
    else:
        sizes = [int(s) for s in num_or_size_splits]
    out, start = [], 0
    index = [slice(None)] * value.ndim
    for size in sizes:
        index[axis] = slice(start, start + size)
        out.append(ops.getitem(value, tuple(index)))
        start += size
    return out


def squeeze(input, axis=None, name=None):  # noqa: A002 - TensorFlow's name
    return ops.squeeze(_t(input), axis)


def expand_dims(input, axis, name=None):  # noqa: A002
    return ops.expand_dims(_t(input), axis)


def tile(input, multiples, name=None):  # noqa: A002
    x = _t(input)
    multiples = [int(m) for m in np.asarray(_array(multiples)).ravel()]
    if len(multiples) != x.ndim:
        raise ValueError(f"tf.tile: expected one multiple per axis ({x.ndim}); received multiples={multiples}.")
    return ops.concatenate([x] * multiples[0], axis=0) if x.ndim == 1 else _tile_nd(x, multiples)


def _tile_nd(x, multiples):
    for axis, m in enumerate(multiples):
        if m != 1:
            x = ops.concatenate([x] * m, axis=axis)
    return x


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    x = _t(tensor)
    width = [tuple(int(p) for p in row) for row in np.asarray(_array(paddings))]
    if str(mode).upper() == "CONSTANT" and constant_values == 0:
        return ops.pad(x, width)
    numpy_mode = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}.get(str(mode).upper())
    if numpy_mode is None:
        raise ValueError(f"tf.pad: expected mode 'CONSTANT', 'REFLECT' or 'SYMMETRIC'; received mode={mode!r}.")
    kw = {"constant_values": constant_values} if numpy_mode == "constant" else {}
    return Tensor(np.pad(x.value, width, mode=numpy_mode, **kw))


def broadcast_to(input, shape, name=None):  # noqa: A002
    return ops.broadcast_to(_t(input), tuple(int(s) for s in np.asarray(_array(shape)).ravel()))


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    return ops.take(_t(params), np.asarray(_array(indices)), axis=0 if axis is None else axis)


def gather_nd(params, indices, batch_dims=0, name=None):
    idx = np.asarray(_array(indices))
    return ops.getitem(_t(params), tuple(np.moveaxis(idx, -1, 0)))


def boolean_mask(tensor, mask, axis=None, name=None):
    mask = np.asarray(_array(mask)).astype(bool)
    if axis:
        return ops.getitem(_t(tensor), (slice(None),) * axis + (mask,))
    return ops.getitem(_t(tensor), mask)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    idx = np.asarray(_array(indices)).astype(np.int64)
    dtype = _dtype(dtype) or (np.asarray(_array(on_value)).dtype if on_value is not None else dtypes.float32)
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    valid = (idx >= 0) & (idx < depth)  # TensorFlow gives an all-`off` row for an index outside [0, depth)
    out = np.full(idx.shape + (int(depth),), off, dtype=dtype)
    hit = np.zeros(out.shape, bool)
    hit[valid, idx[valid]] = True
    out[hit] = on
    if axis is not None and axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor(out)


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.value
    if isinstance(axis, (list, tuple, np.ndarray)):
        return tuple(int(a) for a in np.asarray(axis).ravel())
    return int(axis)


def _int_reduce(x, fn, axis, keepdims):
    return Tensor(np.asarray(fn(x.value, axis=_axis(axis), keepdims=keepdims)).astype(x.dtype))


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    if x.dtype.kind != "f":
        return _int_reduce(x if x.dtype != bool else cast(x, "int32"), np.sum, axis, keepdims)
    return ops.sum(x, axis=_axis(axis), keepdims=keepdims)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    if x.dtype.kind != "f":  # integers stay integers: TensorFlow divides the integer sum, truncating
        mean = np.mean(x.value, axis=_axis(axis), keepdims=keepdims)
        return Tensor(np.asarray(np.trunc(mean)).astype(x.dtype))
    return ops.mean(x, axis=_axis(axis), keepdims=keepdims)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    if x.dtype.kind != "f":
        return _int_reduce(x, np.max, axis, keepdims)
    return ops.max(x, axis=_axis(axis), keepdims=keepdims)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    if x.dtype.kind != "f":
        return _int_reduce(x, np.min, axis, keepdims)
    return ops.min(x, axis=_axis(axis), keepdims=keepdims)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Not differentiated by the tape (a product's gradient is left to a later pass)."""
    return _int_reduce(_t(input_tensor), np.prod, axis, keepdims)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    return Tensor(np.asarray(np.any(_t(input_tensor).value, axis=_axis(axis), keepdims=keepdims)))


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    return Tensor(np.asarray(np.all(_t(input_tensor).value, axis=_axis(axis), keepdims=keepdims)))


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    if axis is None:
        return ops.logsumexp(ops.reshape(x, (-1,)), axis=-1, keepdims=False)
    return ops.logsumexp(x, axis=_axis(axis), keepdims=keepdims)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    x = _t(input_tensor)
    mean = ops.mean(x, axis=_axis(axis), keepdims=True)
    return ops.mean(ops.square(ops.subtract(x, mean)), axis=_axis(axis), keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    return ops.sqrt(reduce_variance(input_tensor, axis, keepdims))


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    return Tensor(np.asarray(np.argmax(_t(input).value, axis=0 if axis is None else int(axis))).astype(output_type))


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    return Tensor(np.asarray(np.argmin(_t(input).value, axis=0 if axis is None else int(axis))).astype(output_type))


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, name=None, **kwargs):
    a, b = _t(a), _t(b)
    if transpose_a or adjoint_a:
        a = ops.transpose(a, tuple(builtins.range(a.ndim - 2)) + (a.ndim - 1, a.ndim - 2))
    if transpose_b or adjoint_b:
        b = ops.transpose(b, tuple(builtins.range(b.ndim - 2)) + (b.ndim - 1, b.ndim - 2))
    if a.ndim >= 2 and b.ndim >= 2 and a.shape[-1] != b.shape[-2]:
        from .tf_debugging import InvalidArgumentError  # TensorFlow's error and wording
        dims = ["[" + ",".join(str(d) for d in t.shape) + "]" for t in (a, b)]
        raise InvalidArgumentError(f"Matrix size-incompatible: In[0]: {dims[0]}, In[1]: {dims[1]} [Op:MatMul]")
    return ops.matmul(a, b)


def tensordot(a, b, axes, name=None):
    return _einsum.tensordot(_t(a), _t(b), axes)


def einsum(equation, *inputs, **kwargs):
    return _einsum.einsum(equation, *[_t(x) for x in inputs])


def add_n(inputs, name=None):
    inputs = list(inputs)
    if not inputs:
        raise ValueError("tf.add_n: expected a non-empty list of tensors; received an empty one.")
    total = _t(inputs[0])
    for x in inputs[1:]:
        total = ops.add(total, _t(x))
    return total


def wrap(op, name=None, on_arrays=False):
    """A TensorFlow function of tensors from ``op``: its arguments made Tensors (TensorFlow's dtype rules);
    ``on_arrays`` for a NumPy function whose result (not differentiated) becomes a Tensor."""
    def f(*args, name=None):
        if on_arrays:
            return Tensor(np.asarray(op(*[_t(a).value for a in args])))
        return op(*[_t(a) for a in args])
    f.__name__ = name or op.__name__
    return f


_unary = wrap


def _binary(op):
    """A TensorFlow binary function from ``op``: Python numbers and lists take the tensor's dtype (_operands)."""
    def f(x, y, name=None):
        return op(*_operands(x, y))
    f.__name__ = op.__name__
    return f


add = _binary(ops.add)
subtract = _binary(ops.subtract)
multiply = _binary(ops.multiply)
maximum = _binary(ops.maximum)
minimum = _binary(ops.minimum)
pow = _binary(ops.power)  # noqa: A001 - TensorFlow's name


def divide(x, y, name=None):
    x, y = _operands(x, y)
    if x.dtype.kind != "f" and y.dtype.kind != "f":  # TensorFlow's true division of ints gives float64
        return Tensor(x.value / y.value)
    return ops.divide(x, y)


truediv = divide


def floordiv(x, y, name=None):
    x, y = _operands(x, y)
    return Tensor(np.floor_divide(x.value, y.value))


square = _unary(ops.square)
sqrt = _unary(ops.sqrt)
exp = _unary(ops.exp)
log = _unary(ops.log)
abs = _unary(ops.abs)  # noqa: A001
negative = _unary(ops.negative)
sigmoid = _unary(ops.sigmoid)
tanh = _unary(ops.tanh)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return ops.clip(_t(t), clip_value_min, clip_value_max)


def where(condition, x=None, y=None, name=None):
    cond = np.asarray(_array(condition)).astype(bool)
    if x is None and y is None:
        return Tensor(np.argwhere(cond).astype(np.int64))
    if x is None or y is None:
        raise ValueError("tf.where: pass both `x` and `y`, or neither (then it returns the indices of True).")
    return ops.where(cond, _t(x), _t(y))


equal = wrap(np.equal, "equal", on_arrays=True)
not_equal = wrap(np.not_equal, "not_equal", on_arrays=True)
greater = wrap(np.greater, "greater", on_arrays=True)
greater_equal = wrap(np.greater_equal, "greater_equal", on_arrays=True)
less = wrap(np.less, "less", on_arrays=True)
less_equal = wrap(np.less_equal, "less_equal", on_arrays=True)
logical_and = wrap(np.logical_and, "logical_and", on_arrays=True)
logical_or = wrap(np.logical_or, "logical_or", on_arrays=True)
logical_xor = wrap(np.logical_xor, "logical_xor", on_arrays=True)


logical_not = wrap(np.logical_not, "logical_not", on_arrays=True)


def zeros(shape, dtype=dtypes.float32, name=None):
    return Tensor(np.zeros(_shape(shape), dtype=dtypes.as_dtype(dtype)))


def ones(shape, dtype=dtypes.float32, name=None):
    return Tensor(np.ones(_shape(shape), dtype=dtypes.as_dtype(dtype)))


def fill(dims, value, name=None):
    return Tensor(np.full(_shape(dims), _array(value)))


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    x = _t(input)
    return Tensor(np.zeros(x.shape, dtype=_dtype(dtype) or x.dtype))


def ones_like(input, dtype=None, name=None):  # noqa: A002
    x = _t(input)
    return Tensor(np.ones(x.shape, dtype=_dtype(dtype) or x.dtype))


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in np.asarray(_array(shape)).ravel())


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TensorFlow's name
    if limit is None:
        start, limit = 0, start
    values = [_array(v) for v in (start, limit, delta)]
    kind = np.result_type(*values) if dtype is None else dtypes.as_dtype(dtype)
    return Tensor(np.arange(*[float(v) if kind.kind == "f" else int(v) for v in values], dtype=kind))


def linspace(start, stop, num, name=None, axis=0):
    start, stop = _array(start), _array(stop)
    dtype = np.result_type(start, stop)
    dtype = dtypes.float32 if dtype.kind != "f" else dtype
    return Tensor(np.linspace(start, stop, int(num), axis=axis).astype(dtype))


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return Tensor(np.asarray(np.shape(_array(input)), dtype=out_type))


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return Tensor(np.asarray(np.size(_array(input)), dtype=out_type))


def rank(input, name=None):  # noqa: A002
    return Tensor(np.asarray(np.ndim(_array(input)), dtype=np.int32))


print = tf_print.print  # noqa: A001 - tf.print (written as TensorFlow writes values)


def executing_eagerly():
    """False after ``tf.compat.v1.disable_eager_execution()`` (graph mode, tf_graph), as in TensorFlow."""
    return GRAPH_VARIABLE[0] is None


NAMES = (
    "newaxis convert_to_tensor constant Variable is_tensor identity stop_gradient cast reshape transpose concat "
    "stack unstack split squeeze expand_dims tile pad broadcast_to gather gather_nd boolean_mask one_hot reduce_sum "
    "reduce_mean reduce_max reduce_min reduce_prod reduce_any reduce_all reduce_logsumexp reduce_variance "
    "reduce_std argmax argmin matmul tensordot einsum add_n add subtract multiply maximum minimum pow divide "
    "truediv floordiv square sqrt exp log abs negative sigmoid tanh clip_by_value where equal not_equal greater "
    "greater_equal less less_equal logical_and logical_or logical_xor logical_not zeros ones fill zeros_like "
    "ones_like range linspace shape size rank print executing_eagerly")
