"""TensorFlow's top-level control flow and graph-era helpers, run eagerly: ``tf.cond``, ``tf.case``,
``tf.switch_case``, ``tf.while_loop``, ``tf.map_fn``, ``tf.foldl`` / ``foldr``, ``tf.scan``,
``tf.TensorArray``, ``tf.name_scope`` (nesting names), ``tf.init_scope``, ``tf.control_dependencies``,
``tf.group``, ``tf.custom_gradient``, ``tf.py_function`` / ``tf.numpy_function``, ``tf.ensure_shape``,
``tf.get_static_value``, norm clipping and the initializer aliases. Loops run in Python, so a GradientTape
follows every step."""
import builtins
import contextlib
import threading

import numpy as np

from .. import initializers
from ..autodiff import Tensor, ops
from .keras_ops import core as _core
from .keras_ops.convert import arr, const, t
from .tensor_api import _array

custom_gradient = _core.custom_gradient
_tuple = builtins.tuple


def cond(pred, true_fn=None, false_fn=None, name=None):
    if true_fn is None or false_fn is None:
        raise TypeError("tf.cond: pass both `true_fn` and `false_fn` (callables of no arguments).")
    return true_fn() if _core._pred(pred, "tf.cond") else false_fn()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    chosen = [fn for pred, fn in pairs if _core._pred(pred, "tf.case")]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"tf.case: exclusive=True but {len(chosen)} predicates are true.")
    if chosen:
        return chosen[0]()
    if default is None:
        raise ValueError("tf.case: no predicate is true and no `default` was given.")
    return default()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    i = int(arr(branch_index))
    if i in fns:
        return fns[i]()
    return (default or fns[max(fns)])()


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, maximum_iterations=None, name=None):
    return _core.while_loop(cond, body, loop_vars, maximum_iterations)


def _rows(elems):
    leaves = [t(x) for x in _core._flat(elems)]
    n = leaves[0].shape[0]
    if any(leaf.shape[:1] != (n,) for leaf in leaves):
        raise ValueError("map_fn: the tensors of `elems` must all have the same first dimension (the one mapped "
                         f"over); received shapes {[tuple(leaf.shape) for leaf in leaves]}.")
    return n, [_core._pack(elems, iter([ops.getitem(leaf, i) for leaf in leaves])) for i in range(n)]


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None, fn_output_signature=None):
    _, items = _rows(elems)
    return _core._stack_trees([fn(item) for item in items])


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    return map_fn(fn, elems)


def _fold(fn, elems, initializer, reverse):
    n, items = _rows(elems)
    order = list(range(n))[::-1] if reverse else list(range(n))
    if initializer is None:
        if not n:
            raise ValueError("tf.foldl/foldr: `elems` is empty and no `initializer` was given.")
        acc, order = items[order[0]], order[1:]
    else:
        acc = initializer
    for i in order:
        acc = fn(acc, items[i])
    return acc


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    return _fold(fn, elems, initializer, False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    return _fold(fn, elems, initializer, True)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """tf.scan: ``acc = fn(acc, x)`` along the leading axis; the stacked accumulators."""
    n, items = _rows(elems)
    order = list(range(n))[::-1] if reverse else list(range(n))
    outs = [None] * n
    acc = initializer
    for k, i in enumerate(order):
        acc = items[i] if acc is None and k == 0 else fn(acc, items[i])
        outs[i] = acc
    return _core._stack_trees(outs)


class TensorArray:
    """tf.TensorArray, eagerly a Python list of tensors: write / read / stack / unstack / concat / gather /
    scatter / size. ``write`` returns the array (TensorFlow's idiom ``ta = ta.write(i, x)`` works)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        self.dtype = np.dtype(dtype) if not hasattr(dtype, "as_numpy_dtype") else dtype
        self._items = [None] * int(arr(size) if size is not None else 0)
        self.dynamic_size = bool(dynamic_size)
        self.element_shape = element_shape

    def _check(self, index):
        if index >= len(self._items):
            if not self.dynamic_size:
                raise IndexError(f"tf.TensorArray: index {index} is outside the array of size {len(self._items)}; "
                                 "create it with dynamic_size=True to let it grow.")
            self._items.extend([None] * (index + 1 - len(self._items)))

    def write(self, index, value, name=None):
        index = int(arr(index))
        self._check(index)
        value = t(value)
        if value.dtype != self.dtype and value.dtype.kind == np.dtype(self.dtype).kind == "f":
            value = ops.cast(value, self.dtype)
        elif value.dtype != self.dtype:
            value = const(value.value.astype(self.dtype))
        self._items[index] = value
        return self

    def read(self, index, name=None):
        value = self._items[int(arr(index))]
        if value is None:
            raise ValueError(f"tf.TensorArray: element {int(arr(index))} was read before it was written.")
        return value

    def gather(self, indices, name=None):
        return ops.stack([self.read(i) for i in np.asarray(arr(indices)).ravel()], axis=0)

    def _filled(self):
        """Every element, those never written as zeros shaped as the written ones (as TensorFlow stacks them)."""
        written = next((v for v in self._items if v is not None), None)
        if written is None:
            return [const(np.zeros(tuple(self.element_shape or ()), self.dtype)) for _ in self._items]
        return [v if v is not None else const(np.zeros(written.shape, written.dtype)) for v in self._items]

    def stack(self, name=None):
        if not self._items:
            return const(np.zeros((0,) + tuple(self.element_shape or ()), self.dtype))
        return ops.stack(self._filled(), axis=0)

    def concat(self, name=None):
        return ops.concatenate([self.read(i) for i in range(len(self._items))], axis=0)

    def unstack(self, value, name=None):
        value = t(value)
        self._items = [ops.getitem(value, i) for i in range(value.shape[0])]
        return self

    def scatter(self, indices, value, name=None):
        value = t(value)
        for k, i in enumerate(np.asarray(arr(indices)).ravel()):
            self.write(int(i), ops.getitem(value, k))
        return self

    def size(self, name=None):
        return const(np.int32(len(self._items)))

    def close(self, name=None):
        self._items = []


# -------------------------------------------------------------------------------------- graph-era scopes
class _Scopes(threading.local):
    def __init__(self):
        self.stack = []


_scopes = _Scopes()


class name_scope:  # noqa: N801 - TensorFlow's name
    """tf.name_scope(name): entering it yields the scope's full name ("outer/inner/"); names nest."""

    def __init__(self, name, default_name=None, values=None):
        self.name = name if name is not None else default_name

    def __enter__(self):
        current = _scopes.stack[-1] if _scopes.stack else ""
        name = self.name or ""
        full = name if name.endswith("/") else (current + name + "/" if name else current)
        _scopes.stack.append(full)
        return full

    def __exit__(self, *exc):
        _scopes.stack.pop()
        return False


def get_current_name_scope():
    return (_scopes.stack[-1] if _scopes.stack else "").rstrip("/")


def init_scope():
    return contextlib.nullcontext()


def control_dependencies(control_inputs):
    """Eagerly every op has already run: a context that does nothing."""
    return contextlib.nullcontext()


def no_op(name=None):
    return None


def group(*inputs, **kwargs):
    return None


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TensorFlow's name
    return list(tensors)


def identity_n(input, name=None):  # noqa: A002
    return [t(x) for x in input]


def py_function(func, inp=None, Tout=None, name=None):  # noqa: N803 - TensorFlow's names
    """Eagerly: ``func(*inp)`` on tensors, its results made tensors (cast to ``Tout`` when given)."""
    out = func(*[t(x) for x in (inp or [])])
    return _as(out, Tout)


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803
    """Eagerly: ``func(*inp)`` on NumPy arrays, its results made tensors of ``Tout``."""
    out = func(*[arr(x) for x in inp])
    return _as(out, Tout)


def _as(out, tout):
    if isinstance(out, (list, _tuple)):
        touts = tout if isinstance(tout, (list, _tuple)) else [tout] * len(out)
        return [_as(o, d) for o, d in zip(out, touts)]
    if out is None:
        return None
    value = t(out) if isinstance(out, Tensor) else Tensor(np.asarray(out))
    if tout is None:
        return value
    dtype = np.dtype(getattr(tout, "as_numpy_dtype", tout))
    return value if value.dtype == dtype else Tensor(value.value.astype(dtype))


def ensure_shape(x, shape, name=None):
    x = t(x)
    want = None if shape is None else list(shape)
    if want is not None and (len(want) != x.ndim or any(w is not None and w != n for w, n in zip(want, x.shape))):
        from .tf_debugging import InvalidArgumentError
        raise InvalidArgumentError(f"tf.ensure_shape: expected shape {want} (None matches any size); the tensor has "
                                   f"shape {list(x.shape)}.")
    return x


def get_static_value(tensor, partial=False):
    if isinstance(tensor, Tensor):
        return np.array(tensor.value)
    return None if tensor is None else np.asarray(_array(tensor))


# ------------------------------------------------------------------------------------------ clipping by norm
def clip_by_norm(t_, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(l2norm(t, axes), clip_norm)``: the tensor unchanged when its norm is small enough."""
    x = t(t_)
    axis = None if axes is None else tuple(int(a) for a in np.atleast_1d(arr(axes)))
    norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return ops.divide(ops.multiply(x, clip_norm), ops.maximum(norm, const(np.asarray(clip_norm, x.dtype))))


def global_norm(t_list, name=None):
    values = [t(v) for v in t_list if v is not None]
    if not values:
        return const(np.float32(0.0))
    total = values[0].dtype.type(0) + ops.sum(ops.square(values[0]))
    for v in values[1:]:
        total = ops.add(total, ops.sum(ops.square(v)))
    return ops.sqrt(total)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(the tensors scaled by clip_norm / max(global_norm, clip_norm), the global norm); None entries stay."""
    norm = global_norm(t_list) if use_norm is None else t(use_norm)
    scale = ops.divide(clip_norm, ops.maximum(norm, const(np.asarray(clip_norm, norm.dtype))))
    return [None if v is None else ops.multiply(t(v), ops.cast(scale, t(v).dtype) if t(v).dtype != scale.dtype
                                                else scale) for v in t_list], norm


# ------------------------------------------------------------------------------------------ initializers
class _ReshapingConstant(initializers.Constant):
    """TensorFlow's ``tf.constant_initializer``: a scalar fills the shape, an array of as many elements is
    reshaped to it (``(1, 3, 3)`` values for a ``(3, 3, 1, 1)`` kernel); keras.initializers.Constant, as in
    Keras 3, broadcasts instead. Without a dtype, the value's own (Python floats float32, ints int32)."""

    def __call__(self, shape, dtype=None):
        shape = builtins.tuple(int(n) for n in shape)  # (this module's ``tuple`` is tf.tuple)
        value = _array(self.value, dtype)
        if value.size == 1:
            return np.full(shape, value.reshape(()), value.dtype)
        if value.size != int(np.prod(shape)):
            raise TypeError(f"tf.constant_initializer: the value has {value.size} elements (shape {value.shape}), "
                            f"but the weight shape {shape} has {int(np.prod(shape))}; give a scalar or exactly "
                            "as many values.")
        return value.reshape(shape).copy()


def constant_initializer(value=0):
    return _ReshapingConstant(value)


def zeros_initializer():
    return initializers.Zeros()


def ones_initializer():
    return initializers.Ones()


def random_normal_initializer(mean=0.0, stddev=0.05, seed=None):
    return initializers.RandomNormal(mean=mean, stddev=stddev, seed=seed)


def random_uniform_initializer(minval=-0.05, maxval=0.05, seed=None):
    return initializers.RandomUniform(minval=minval, maxval=maxval, seed=seed)


def glorot_uniform_initializer(seed=None, dtype=None):
    return initializers.GlorotUniform(seed=seed)


def glorot_normal_initializer(seed=None, dtype=None):
    return initializers.GlorotNormal(seed=seed)


NAMES = ("cond case switch_case while_loop map_fn vectorized_map foldl foldr scan TensorArray name_scope "
         "get_current_name_scope init_scope control_dependencies no_op group tuple identity_n custom_gradient "
         "py_function numpy_function ensure_shape get_static_value clip_by_norm global_norm clip_by_global_norm "
         "constant_initializer zeros_initializer ones_initializer random_normal_initializer "
         "random_uniform_initializer glorot_uniform_initializer glorot_normal_initializer")
