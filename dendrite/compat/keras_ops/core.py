"""keras.ops's core: conversions and tensor facts, control flow run eagerly (cond, switch, while_loop,
fori_loop, scan, map, associative_scan, vectorized_map), slicing and scattering, segment reductions,
stop_gradient and custom_gradient. Loops run in Python, so a GradientTape follows every step."""
import builtins
import functools

from ...autodiff import Variable, tape as _tape
from . import primitives
from .convert import Tensor, arr, const, np, ops, shape_of, t
from .numpy_array import cast, convert_to_tensor, take


convert_to_tensor = convert_to_tensor  # keras.ops.core's as well as keras.ops.numpy's


def convert_to_numpy(x):
    return np.array(arr(x))


def is_tensor(x):
    return isinstance(x, Tensor)


def dtype(x):
    return t(x).dtype.name


def shape(x):
    return tuple(getattr(x, "shape", np.shape(x)))


def saturate_cast(x, dtype):
    x, dtype = t(x), np.dtype(dtype)
    info = np.iinfo(dtype) if dtype.kind in "iu" else np.finfo(dtype)
    return cast(const(np.clip(x.value, info.min, info.max)), dtype)


def stop_gradient(variable):
    return Tensor(np.array(t(variable).value))


def unstack(x, num=None, axis=0):
    x = t(x)
    index = [builtins.slice(None)] * x.ndim
    out = []
    for i in builtins.range(x.shape[axis]):
        index[axis] = i
        out.append(ops.getitem(x, tuple(index)))
    return out


# ----------------------------------------------------------------------------------------- control flow
def _pred(pred, who):
    value = arr(pred)
    if value.size != 1:
        raise ValueError(f"{who}: the predicate must be a single boolean; received shape {value.shape}.")
    return bool(value.reshape(()))


def cond(pred, true_fn, false_fn):
    return true_fn() if _pred(pred, "keras.ops.cond") else false_fn()


def switch(index, branches, *operands):
    i = int(np.clip(int(arr(index)), 0, len(branches) - 1))
    return branches[i](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Keras's while_loop: ``cond`` and ``body`` take the loop variables (unpacked when a tuple or list), and
    the final values come back in the same structure."""
    packed = isinstance(loop_vars, (list, tuple))
    values = tuple(loop_vars) if packed else (loop_vars,)
    steps = 0
    while (maximum_iterations is None or steps < maximum_iterations) and _pred(cond(*values),
                                                                              "keras.ops.while_loop"):
        out = body(*values)
        out = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        if len(out) != len(values):
            raise ValueError(f"while_loop: the body returned {len(out)} value(s) for {len(values)} loop variable(s); "
                             "it must return one value per loop variable, in the structure of loop_vars.")
        values = out
        steps += 1
    return type(loop_vars)(values) if packed else values[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in builtins.range(int(arr(lower)), int(arr(upper))):
        value = body_fun(i, value)
    return value


def _flat(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _flat(item)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in _flat(tree[key])]
    return [tree]


def _pack(tree, leaves):
    if isinstance(tree, (list, tuple)):
        return type(tree)(_pack(item, leaves) for item in tree)
    if isinstance(tree, dict):
        return {key: _pack(tree[key], leaves) for key in sorted(tree)}
    return next(leaves)


def _stack_trees(trees):
    """A list of same-structured trees of tensors as one tree of stacked tensors (along a new axis 0)."""
    if not trees:
        return None
    columns = list(zip(*[_flat(tree) for tree in trees]))
    stacked = [None if col[0] is None else ops.stack([t(v) for v in col], axis=0) for col in columns]
    return _pack(trees[0], iter(stacked))


def _slices(xs, length=None):
    leaves = [t(x) for x in _flat(xs)] if xs is not None else []
    n = leaves[0].shape[0] if leaves else int(length)
    return n, [(None if xs is None else _pack(xs, iter([ops.getitem(leaf, i) for leaf in leaves])))
               for i in builtins.range(n)]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """JAX's scan: ``carry, y = f(carry, x)`` over the leading axis of ``xs``; returns (carry, stacked ys)."""
    n, items = _slices(xs, length)
    carry, ys = init, [None] * n
    for i in (reversed(builtins.range(n)) if reverse else builtins.range(n)):
        carry, ys[i] = f(carry, items[i])
    return carry, (_stack_trees(ys) if n and ys[0] is not None else None)


def map(f, xs):  # noqa: A001 - Keras's name
    _, items = _slices(xs)
    return _stack_trees([f(item) for item in items])


def vectorized_map(function, elements):
    return map(function, elements)


def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [t(x) for x in _flat(elems)]
    n = leaves[0].shape[axis]
    order = list(builtins.range(n))[::-1] if reverse else list(builtins.range(n))
    index = lambda i: (builtins.slice(None),) * (axis % leaves[0].ndim) + (i,)  # noqa: E731
    acc, outs = None, {}
    for i in order:
        item = _pack(elems, iter([ops.getitem(leaf, index(i)) for leaf in leaves]))
        acc = item if acc is None else f(acc, item)
        outs[i] = acc
    stacked = _flat(_stack_trees([outs[i] for i in builtins.range(n)]))
    return _pack(elems, iter([_moveto(s, axis) for s in stacked]))


def _moveto(x, axis):
    axis = axis % x.ndim
    return x if axis == 0 else ops.transpose(x, tuple(builtins.range(1, axis + 1)) + (0,) + tuple(
        builtins.range(axis + 1, x.ndim)))


# ---------------------------------------------------------------------------------- slicing, scattering
def slice(inputs, start_indices, shape):  # noqa: A001 - Keras's name
    x = t(inputs)
    starts, sizes = shape_of(start_indices), shape_of(shape)
    index = tuple(builtins.slice(s, s + n if n >= 0 else None) for s, n in zip(starts, sizes))
    return ops.getitem(x, index)


def slice_update(inputs, start_indices, updates):
    x, u = t(inputs), t(updates)
    starts = shape_of(start_indices)
    width = [(s, n - s - k) for s, n, k in zip(starts, x.shape, u.shape)]
    inside = np.pad(np.ones(u.shape, bool), width)
    return ops.where(inside, ops.pad(cast(u, x.dtype), width), x)


def _index(indices):
    idx = arr(indices).astype(np.int64)
    return tuple(np.moveaxis(idx, -1, 0))


def scatter(indices, values, shape):
    """Zeros of ``shape`` with ``values`` added at ``indices`` (each row a position; repeated ones add up)."""
    return primitives.ScatterAdd(_index(indices), shape_of(shape))(t(values))


def scatter_update(inputs, indices, updates):
    x = t(inputs)
    index = _index(indices)
    mask = np.zeros(x.shape, bool)
    mask[index] = True
    return ops.where(mask, primitives.ScatterAdd(index, x.shape)(cast(updates, x.dtype)), x)


def _segments(data, segment_ids, num_segments):
    ids = arr(segment_ids).astype(np.int64)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
    return t(data), ids, n


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    x, ids, n = _segments(data, segment_ids, num_segments)
    keep = (ids >= 0) & (ids < n)
    values = ops.getitem(x, np.nonzero(keep)[0]) if not keep.all() else x
    if x.dtype.kind != "f":
        out = np.zeros((n,) + x.shape[1:], x.dtype)
        np.add.at(out, ids[keep], x.value[keep])
        return const(out)
    return primitives.ScatterAdd((ids[keep],), (n,) + x.shape[1:])(values)


def _segment_extreme(data, segment_ids, num_segments, largest):
    """The max (or min) of each segment, taken from the data (so differentiable); an empty segment holds the
    dtype's lowest (or highest) value, as TensorFlow's unsorted segment reductions."""
    x, ids, n = _segments(data, segment_ids, num_segments)
    v = x.value
    flat = v.reshape(len(ids), -1)
    pick = np.zeros((n, flat.shape[1]), np.int64)
    found = np.zeros((n, flat.shape[1]), bool)
    for row, seg in enumerate(ids):
        if not 0 <= seg < n:
            continue
        better = ~found[seg] | ((flat[row] > flat[pick[seg], np.arange(flat.shape[1])]) if largest else
                               (flat[row] < flat[pick[seg], np.arange(flat.shape[1])]))
        pick[seg] = np.where(better, row, pick[seg])
        found[seg] |= True
    gathered = ops.getitem(ops.reshape(x, flat.shape), (pick, np.arange(flat.shape[1])[None, :]))
    info = np.finfo(v.dtype) if v.dtype.kind == "f" else np.iinfo(v.dtype)
    empty = const(np.asarray(info.min if largest else info.max, v.dtype))
    out = ops.where(found, gathered, empty) if v.dtype.kind == "f" else const(np.where(found, gathered.value,
                                                                                         empty.value))
    return ops.reshape(out, (n,) + v.shape[1:])


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment_extreme(data, segment_ids, num_segments, True)


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment_extreme(data, segment_ids, num_segments, False)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    x, ids, n = _segments(data, segment_ids, num_segments)
    out = np.ones((n,) + x.shape[1:], x.dtype)
    keep = (ids >= 0) & (ids < n)
    np.multiply.at(out, ids[keep], x.value[keep])
    return const(out)


def extract_sequences(x, sequence_length, sequence_stride):
    x = t(x)
    n = (x.shape[-1] - sequence_length) // sequence_stride + 1
    index = np.arange(n)[:, None] * sequence_stride + np.arange(sequence_length)[None, :]
    return take(x, index, axis=-1)


# ------------------------------------------------------------------------------------------ custom gradient
def _paused():
    """A context in which no tape records (the custom function's own ops stay off the outer tapes)."""
    class Pause:
        def __enter__(self):
            self.saved = list(_tape._tapes.active)
            _tape._tapes.active.clear()

        def __exit__(self, *exc):
            _tape._tapes.active[:] = self.saved
            return False
    return Pause()


def custom_gradient(f):
    """The decorator of tf.custom_gradient and keras.ops.custom_gradient: ``f`` returns ``(y, grad_fn)``;
    a GradientTape takes grad_fn(upstream) as the gradients of f's tensor arguments (and, when f reads
    trainable variables, ``grad_fn(upstream, variables=...)`` returns (input grads, variable grads))."""
    @functools.wraps(f)
    def call(*args, **kwargs):
        with _paused():
            from ...autodiff import GradientTape
            with GradientTape(persistent=True) as probe:
                y, grad_fn = f(*args, **kwargs)
        if not isinstance(y, Tensor):
            if isinstance(y, (list, tuple)):
                raise NotImplementedError("custom_gradient: dendrite supports a function returning one tensor; "
                                          f"this one returned a {type(y).__name__} of {len(y)}. Return one tensor "
                                          "(e.g. concatenate the outputs). See docs/compat.md.")
            y = t(y)
        inputs = [a for a in args if isinstance(a, Tensor)]
        variables = [v for v in probe.watched_variables() if isinstance(v, Variable) and
                     not any(v is a for a in inputs)]
        return primitives.CustomGradient(y.value, grad_fn, len(inputs), variables)(*inputs, *variables)
    return call


NAMES = ("cast convert_to_tensor convert_to_numpy is_tensor dtype shape saturate_cast stop_gradient unstack cond "
         "switch while_loop fori_loop scan map vectorized_map associative_scan slice slice_update scatter "
         "scatter_update segment_sum segment_max segment_min segment_prod extract_sequences custom_gradient")
