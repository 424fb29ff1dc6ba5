"""TensorFlow's control flow and function helpers, run eagerly on dendrite tensors (a GradientTape follows
them through the tensor ops they call): ``cond``, ``case``, ``switch_case``, ``while_loop``, ``map_fn``,
``vectorized_map``, ``foldl``, ``foldr``, ``scan``, ``py_function``, ``numpy_function``, ``custom_gradient``,
``recompute_grad``, ``TensorArray``, ``name_scope``, ``init_scope``, ``control_dependencies``, ``no_op``,
``group``, ``get_static_value``, ``ensure_shape``, ``clip_by_norm`` and ``clip_by_global_norm``.

As TensorFlow 2 in eager mode: a branch or loop body is a plain Python call, ``map_fn`` unstacks its elements
along axis 0 and stacks the results, and the context managers (``name_scope``, ``init_scope``,
``control_dependencies``) change nothing."""
import contextlib
import inspect

import numpy as np

from ..autodiff import Tensor, ops
from ..autodiff.tape import Op, _tapes
from . import dtypes
from .tensor_api import _t, stack
from .tf_nest import flatten, pack_sequence_as


def _truth(pred, who):
    value = pred.value if isinstance(pred, Tensor) else np.asarray(pred)
    if np.size(value) != 1:
        raise ValueError(f"tf.{who}: the predicate must be a scalar boolean; received a tensor of shape "
                         f"{np.shape(value)}. Reduce it first (tf.reduce_all / tf.reduce_any).")
    return bool(np.reshape(value, ()))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("tf.cond: true_fn and false_fn must both be callables taking no arguments "
                        f"(received {type(true_fn).__name__} and {type(false_fn).__name__}).")
    return true_fn() if _truth(pred, "cond") else false_fn()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first ``fn`` whose ``pred`` holds (all of them checked when ``exclusive``), else
    ``default()``."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    chosen = [fn for pred, fn in pairs if _truth(pred, "case")]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"tf.case: exclusive=True but {len(chosen)} predicates are true; at most one may be.")
    if chosen:
        return chosen[0]()
    if default is None:
        raise ValueError("tf.case: no predicate is true and no default was given; pass default=<callable>.")
    return default()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """``branch_fns[branch_index]()``; an index out of range runs ``default`` (the last branch without one)."""
    index = int(np.reshape(_t(branch_index).value, ()))
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(
        fn if callable(fn) else fn[1] for fn in branch_fns))
    if index in fns:
        return fns[index]()
    return (default or fns[max(fns)])()


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, maximum_iterations=None, name=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds (at most
    ``maximum_iterations`` times); the result has the structure of ``loop_vars``."""
    packed = isinstance(loop_vars, (list, tuple))
    current = list(loop_vars) if packed else [loop_vars]
    count = 0
    while (maximum_iterations is None or count < int(_t(maximum_iterations).value)) and \
            _truth(cond(*current), "while_loop"):
        result = body(*current)
        result = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(result) != len(current):
            raise ValueError(f"tf.while_loop: body returned {len(result)} value(s) but loop_vars has "
                             f"{len(current)}; body must return the loop variables' new values, in order.")
        current = result
        count += 1
    if not packed:
        return current[0]
    return type(loop_vars)(*current) if hasattr(loop_vars, "_fields") else type(loop_vars)(current)


def _elements(elems, who):
    leaves = [_t(x) for x in flatten(elems)]
    if not leaves:
        raise ValueError(f"tf.{who}: elems is empty; give a tensor or a structure of tensors.")
    sizes = {x.shape[0] if x.ndim else None for x in leaves}
    if None in sizes or len(sizes) != 1:
        raise ValueError(f"tf.{who}: every tensor in elems needs the same first dimension to unstack along; "
                         f"received shapes {[tuple(x.shape) for x in leaves]}.")
    n = sizes.pop()
    return n, [pack_sequence_as(elems, [x[i] for x in leaves]) for i in range(n)]


def _stack_results(results, who):
    if not results:
        raise ValueError(f"tf.{who}: elems has no elements along axis 0, so there is nothing to stack.")
    flat = [flatten(r) for r in results]
    columns = [stack([_t(row[j]) for row in flat]) for j in range(len(flat[0]))]
    return pack_sequence_as(results[0], columns)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None, fn_output_signature=None):
    """``fn`` applied to each element of ``elems`` along axis 0, the results stacked."""
    _, items = _elements(elems, "map_fn")
    return _stack_results([fn(item) for item in items], "map_fn")


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    return map_fn(fn, elems)


def _fold(fn, elems, initializer, reverse, who):
    _, items = _elements(elems, who)
    if reverse:
        items = items[::-1]
    if initializer is None:
        if not items:
            raise ValueError(f"tf.{who}: elems is empty and no initializer was given.")
        acc, items = items[0], items[1:]
    else:
        acc = initializer
    return acc, items


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``fn(fn(fn(init, e0), e1), ...)`` over the elements along axis 0."""
    acc, items = _fold(fn, elems, initializer, False, "foldl")
    for item in items:
        acc = fn(acc, item)
    return acc


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    acc, items = _fold(fn, elems, initializer, True, "foldr")
    for item in items:
        acc = fn(acc, item)
    return acc


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """The accumulators of ``foldl`` (``foldr`` when ``reverse``), one per element, stacked."""
    acc, items = _fold(fn, elems, initializer, reverse, "scan")
    results = [] if initializer is not None else [acc]
    for item in items:
        acc = fn(acc, item)
        results.append(acc)
    out = _stack_results(results[::-1] if reverse else results, "scan")
    return out


def _as_tensors(result, Tout, who):
    if Tout is None:
        return None
    if isinstance(Tout, (list, tuple)):
        values = result if isinstance(result, (list, tuple)) else [result]
        if len(values) != len(Tout):
            raise ValueError(f"tf.{who}: Tout names {len(Tout)} output(s) but the function returned {len(values)}.")
        return [Tensor(np.asarray(_t(v).value, dtype=dtypes.as_dtype(d))) for v, d in zip(values, Tout)]
    return Tensor(np.asarray(_t(result).value, dtype=dtypes.as_dtype(Tout)))


def py_function(func, inp, Tout, name=None):  # noqa: N803 - TensorFlow's argument name
    """``func(*inp)`` called with tensors, its results as tensors of the ``Tout`` dtypes."""
    return _as_tensors(func(*[_t(x) for x in (inp or [])]), Tout, "py_function")


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803
    """``func(*inp)`` called with NumPy arrays, its results as tensors of the ``Tout`` dtypes."""
    return _as_tensors(func(*[_t(x).value for x in (inp or [])]), Tout, "numpy_function")


class _CustomGradient(Op):
    """An op whose forward value was computed by the user's function and whose gradient is the user's."""

    def __init__(self, value, grad_fn, n):
        self.value, self.grad_fn, self.n = value, grad_fn, n

    def forward(self, *arrays):
        return self.value

    def vjp(self, grad, needed):
        grads = self.grad_fn(Tensor(grad))
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != self.n:
            raise ValueError(f"tf.custom_gradient: the gradient function returned {len(grads)} gradient(s) for "
                             f"{self.n} input(s); return one per input of the decorated function.")
        return [None if g is None else _t(g).value for g in grads]


def custom_gradient(f=None):
    """Decorator: ``f(*x)`` returns ``(y, grad_fn)``; a tape differentiates ``y`` with ``grad_fn(dy)`` (one
    gradient per input) instead of through ``f``'s ops."""
    if f is None:
        return custom_gradient

    def wrapped(*args, **kwargs):
        inputs = [_t(a) for a in args]
        paused, _tapes.active[:] = list(_tapes.active), []
        try:
            y, grad_fn = f(*inputs, **kwargs)
        finally:
            _tapes.active[:] = paused
        if "variables" in inspect.signature(grad_fn).parameters:
            raise NotImplementedError("tf.custom_gradient with a grad_fn taking `variables` is not supported by "
                                      "dendrite's compatibility mode; pass the variables as inputs of the decorated "
                                      "function instead. The table of what is supported is in docs/compat.md.")
        if isinstance(y, (list, tuple)):
            raise NotImplementedError("tf.custom_gradient with several outputs is not supported by dendrite's "
                                      "compatibility mode; return one tensor. See docs/compat.md.")
        return _CustomGradient(_t(y).value, grad_fn, len(inputs))(*inputs)

    wrapped.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapped.__doc__ = f.__doc__
    return wrapped


def recompute_grad(f):
    """Memory-saving recomputation is TensorFlow's concern; the function runs as written."""
    return f


class TensorArray:
    """A list of tensors written one index at a time, read back or stacked (eager: writes update this
    array and return it, so both ``ta = ta.write(i, v)`` and ``ta.write(i, v)`` work)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        self.dtype = dtypes.as_dtype(dtype)
        self._size = 0 if size is None else int(_t(size).value)
        self._dynamic = bool(dynamic_size)
        self.element_shape = None if element_shape is None else tuple(element_shape)
        self._items = {}

    def _index(self, index, who):
        i = int(np.reshape(_t(index).value, ()))
        if i < 0 or (i >= self._size and not self._dynamic and who == "write"):
            raise IndexError(f"TensorArray.{who}: index {i} is out of range for a TensorArray of size {self._size}; "
                             "create it with a larger size or dynamic_size=True.")
        return i

    def write(self, index, value, name=None):
        i = self._index(index, "write")
        value = _t(value)
        if value.dtype != self.dtype:
            value = ops.cast(value, self.dtype) if self.dtype.kind == value.dtype.kind == "f" else \
                Tensor(value.value.astype(self.dtype))
        if self.element_shape is None:
            self.element_shape = tuple(value.shape)
        self._items[i] = value
        self._size = max(self._size, i + 1)
        return self

    def read(self, index, name=None):
        i = self._index(index, "read")
        if i not in self._items:
            if self.element_shape is None or None in self.element_shape:
                raise ValueError(f"TensorArray.read: index {i} was never written and the element shape is unknown.")
            return Tensor(np.zeros(self.element_shape, self.dtype))
        return self._items[i]

    def unstack(self, value, name=None):
        value = _t(value)
        for i in range(value.shape[0]):
            self.write(i, value[i])
        return self

    def scatter(self, indices, value, name=None):
        value = _t(value)
        for j, i in enumerate(np.asarray(_t(indices).value).ravel()):
            self.write(int(i), value[j])
        return self

    def gather(self, indices, element_shape=None, name=None):
        return stack([self.read(int(i)) for i in np.asarray(_t(indices).value).ravel()])

    def stack(self, name=None):
        if self._size == 0:
            shape = self.element_shape if self.element_shape and None not in self.element_shape else ()
            return Tensor(np.zeros((0,) + tuple(shape), self.dtype))
        return stack([self.read(i) for i in range(self._size)])

    def concat(self, name=None):
        from .tensor_api import concat
        return concat([self.read(i) for i in range(self._size)], axis=0)

    def size(self, name=None):
        return Tensor(np.int32(self._size))

    def close(self, name=None):
        self._items.clear()

    def identity(self):
        return self

    def mark_used(self):
        pass


class name_scope:  # noqa: N801 - TensorFlow's name
    """``with tf.name_scope('block'):`` gives the scope's name; op names are not scoped in dendrite."""

    def __init__(self, name, default_name=None, values=None):
        self.name = name or default_name or ""

    def __enter__(self):
        return self.name + "/" if self.name else ""

    def __exit__(self, *exc):
        return False


def init_scope():
    return contextlib.nullcontext()


def control_dependencies(control_inputs):
    """Eager execution runs ops in program order, so the dependencies hold already."""
    return contextlib.nullcontext()


def no_op(name=None):
    return None


def group(*inputs, **kwargs):
    return None


def get_static_value(tensor, partial=False):
    return tensor.value if isinstance(tensor, Tensor) else np.asarray(tensor)


def ensure_shape(x, shape, name=None):
    """``x`` unchanged when its shape fits ``shape`` (``None`` matches any size), otherwise a ValueError."""
    x = _t(x)
    want = None if shape is None else tuple(shape)
    if want is not None and (len(want) != x.ndim or any(w is not None and w != n for w, n in zip(want, x.shape))):
        raise ValueError(f"tf.ensure_shape: the tensor has shape {tuple(x.shape)}, which is not compatible with the "
                         f"expected shape {want} (None matches any size).")
    return x


def _norm(x, axes=None, keepdims=False):
    return ops.sqrt(ops.sum(ops.square(x), axis=None if axes is None else tuple(np.atleast_1d(axes)),
                            keepdims=keepdims))


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(norm(t), clip_norm)`` (the L2 norm over ``axes``, all axes by default)."""
    t = _t(t)
    norm = _norm(t, axes, keepdims=True)
    return ops.divide(ops.multiply(t, float(_t(clip_norm).value)), ops.maximum(norm, float(_t(clip_norm).value)))


def global_norm(t_list, name=None):
    """The L2 norm of all the tensors of ``t_list`` together (``None`` entries skipped)."""
    squares = [ops.sum(ops.square(_t(t))) for t in t_list if t is not None]
    if not squares:
        return Tensor(np.float32(0.0))
    total = squares[0]
    for s in squares[1:]:
        total = ops.add(total, s)
    return ops.sqrt(total)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``(clipped, global_norm)``: every tensor scaled by ``clip_norm / max(global_norm, clip_norm)``."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError(f"tf.clip_by_global_norm: t_list must be a list or tuple of tensors; received "
                        f"{type(t_list).__name__}.")
    norm = global_norm(t_list) if use_norm is None else _t(use_norm)
    c = float(_t(clip_norm).value)
    scale = ops.divide(c, ops.maximum(norm, c))
    return [None if t is None else ops.multiply(_t(t), ops.cast(scale, _t(t).dtype)) for t in t_list], norm


NAMES = ("cond case switch_case while_loop map_fn vectorized_map foldl foldr scan py_function numpy_function "
         "custom_gradient recompute_grad TensorArray name_scope init_scope control_dependencies no_op group "
         "get_static_value ensure_shape clip_by_norm clip_by_global_norm")
