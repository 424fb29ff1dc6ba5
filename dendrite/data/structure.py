"""Elements and their specs: the nesting tf.data uses (tuples, dicts, namedtuples; anything else is one
component), the conversion of a value to what an element holds (NumPy arrays and scalars, bytes for text),
and ``TensorSpec``, the shape and dtype of one component.

As tf.data: Python ints become int32 and floats float32 (NumPy arrays keep their dtype), text becomes
bytes (a string tensor is an object array of ``bytes``), a list is one tensor (not a structure), and a
dendrite ``Tensor`` becomes its array.
"""
import numbers
from collections import OrderedDict

import numpy as np

from . import sparse

STRING = np.dtype(object)


def is_structure(x):
    return isinstance(x, (tuple, dict))


def flatten(x):
    """The components of ``x`` in a fixed order (dict keys sorted, as tf.nest)."""
    if isinstance(x, tuple):
        return [leaf for item in x for leaf in flatten(item)]
    if isinstance(x, dict):
        return [leaf for key in sorted(x) for leaf in flatten(x[key])]
    return [x]


def pack_as(template, leaves):
    """Rebuild ``template``'s nesting from a flat list (the inverse of :func:`flatten`)."""
    it = iter(leaves)

    def build(t):
        if isinstance(t, tuple):
            items = [build(v) for v in t]
            return type(t)(*items) if hasattr(t, "_fields") else tuple(items)
        if isinstance(t, dict):
            built = {k: build(t[k]) for k in sorted(t)}
            return (type(t) if isinstance(t, OrderedDict) else dict)((k, built[k]) for k in t)
        return next(it)

    return build(template)


def map_structure(fn, *xs):
    """``fn`` applied to corresponding components of structures of the same nesting."""
    return pack_as(xs[0], [fn(*leaves) for leaves in zip(*[flatten(x) for x in xs])])


def describe(x):
    """The nesting of ``x`` in words, for errors (``(., {'a': .})``)."""
    if isinstance(x, tuple):
        return "(" + ", ".join(describe(v) for v in x) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in x.items()) + "}"
    return "."


def same_nesting(a, b):
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_nesting(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same_nesting(a[k], b[k]) for k in a)
    return not is_structure(a) and not is_structure(b)


def _encode(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def to_array(x):
    """One component as NumPy holds it in a dataset (arrays kept; Python numbers, text, lists, Tensors
    converted the way tf.data converts them)."""
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "U":
            return np.array([_encode(s) for s in x.ravel()] or [], dtype=object).reshape(x.shape)
        if x.dtype.kind == "S":
            return np.array(list(x.ravel()), dtype=object).reshape(x.shape)
        return x
    if isinstance(x, np.generic):
        if isinstance(x, (np.str_, np.bytes_)):
            return np.array(_encode(x.item()) if isinstance(x, np.str_) else bytes(x), dtype=object)
        return np.asarray(x)
    if isinstance(x, (str, bytes)):
        return np.array(_encode(x), dtype=object)
    if isinstance(x, bool):
        return np.array(x)
    if isinstance(x, numbers.Integral):
        return np.array(x, dtype=np.int32 if -2 ** 31 <= x < 2 ** 31 else np.int64)
    if isinstance(x, numbers.Real):
        return np.array(x, dtype=np.float32)
    if sparse.is_sparse(x):  # a SparseTensor stays one (with NumPy parts)
        return sparse.plain(x)
    if hasattr(x, "row_splits") and hasattr(x, "flat_values"):  # a RaggedTensor (ragged_batch) stays one
        return x
    if hasattr(x, "numpy") and callable(x.numpy):  # dendrite Tensor / Variable (and look-alikes)
        return to_array(np.asarray(x.numpy()))
    if hasattr(x, "to_numpy") and callable(x.to_numpy):  # pandas Series / DataFrame
        return to_array(x.to_numpy())
    if isinstance(x, list):
        if x and all(isinstance(v, (str, bytes, np.str_, np.bytes_)) for v in _leaves_of_list(x)):
            arr = np.array(x, dtype=object)
            return np.vectorize(_encode, otypes=[object])(arr) if arr.size else arr
        arr = np.asarray([to_array(v) for v in x]) if x else np.zeros((0,), np.float32)
        if arr.dtype == np.float64 and not _has_numpy_leaf(x):
            arr = arr.astype(np.float32)
        return arr
    return np.asarray(x)


def _leaves_of_list(x):
    for v in x:
        if isinstance(v, list):
            yield from _leaves_of_list(v)
        else:
            yield v


def _has_numpy_leaf(x):
    return any(isinstance(v, (np.ndarray, np.generic)) for v in _leaves_of_list(x))


def to_element(x):
    """A whole element: its structure kept (a top-level list becomes a tuple, as tf.data's map does)."""
    if isinstance(x, list) and x and any(is_structure(v) for v in x):
        x = tuple(x)
    if isinstance(x, tuple):
        items = [to_element(v) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
    if isinstance(x, dict):
        return (type(x) if isinstance(x, OrderedDict) else dict)((k, to_element(v)) for k, v in x.items())
    return to_array(x)


def as_output(a):
    """A component as iteration hands it out: a 0-d array as its NumPy scalar (bytes for text), as
    tf.data's ``as_numpy_iterator`` does."""
    if isinstance(a, np.ndarray) and a.ndim == 0:
        return a[()]
    return a


def output_element(x):
    return map_structure(as_output, x) if is_structure(x) else as_output(x)


# ------------------------------------------------------------------------------------------------ specs
def as_dtype(dtype):
    """``dtype`` as a NumPy dtype; text ('string', str, bytes, object) is the object dtype."""
    if dtype in ("string", str, bytes, object) or getattr(dtype, "name", None) == "string":
        return STRING
    name = getattr(dtype, "name", dtype) if not isinstance(dtype, (str, np.dtype, type)) else dtype
    try:
        return np.dtype(name)
    except TypeError:
        raise TypeError(f"TensorSpec: `dtype` must be a NumPy dtype or its name ('float32', 'int64', "
                        f"'string', ...). Received: dtype={dtype!r}.") from None


def dtype_name(dtype):
    return "string" if dtype == STRING else np.dtype(dtype).name


class TensorSpec:
    """The shape and dtype of one component of a dataset's elements (``tf.TensorSpec``).

    ``shape`` is a tuple whose entries are ints or None (unknown), or None for an unknown rank.
    """

    def __init__(self, shape, dtype="float32", name=None):
        if shape is not None:
            shape = tuple(None if d is None or (isinstance(d, int) and d < 0) else int(d) for d in shape)
        self.shape = shape
        self.dtype = as_dtype(dtype)
        self.name = name

    @classmethod
    def from_value(cls, value, name=None):
        value = to_array(value)
        return (SparseTensorSpec if sparse.is_sparse(value) else cls)(value.shape, value.dtype, name)

    @property
    def value_type(self):
        """The class of the values this spec describes (``tf.TypeSpec.value_type``)."""
        from ..autodiff import Tensor
        return Tensor

    def is_compatible_with(self, other):
        """True when ``other`` (a spec or a value) has a shape and dtype this spec admits."""
        if not isinstance(other, TensorSpec):
            other = TensorSpec.from_value(other)
        if self.dtype != other.dtype:
            return False
        return shapes_compatible(self.shape, other.shape)

    def most_specific_common(self, other):
        """The spec that admits both (unknown where the shapes differ)."""
        if self.shape is None or other.shape is None or len(self.shape) != len(other.shape):
            shape = None
        else:
            shape = tuple(a if a == b else None for a, b in zip(self.shape, other.shape))
        return TensorSpec(shape, self.dtype if self.dtype == other.dtype else other.dtype, self.name)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape and self.dtype == other.dtype
                and self.name == other.name)

    def __hash__(self):
        return hash((self.shape, dtype_name(self.dtype), self.name))

    def __repr__(self):
        shape = "<unknown>" if self.shape is None else str(self.shape).replace(",)", ",)")
        return f"TensorSpec(shape={shape}, dtype={dtype_name(self.dtype)}, name={self.name!r})"


class SparseTensorSpec(TensorSpec):
    """The dense shape and dtype of a SparseTensor component (``tf.SparseTensorSpec``)."""

    @property
    def value_type(self):
        return sparse.SparseTensor

    def __repr__(self):
        shape = "<unknown>" if self.shape is None else list(self.shape)
        return f"SparseTensorSpec(TensorShape({shape}), {dtype_name(self.dtype)})"


def shapes_compatible(a, b):
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def spec_of(element):
    """The element spec of one element (its nesting, with a TensorSpec per component)."""
    return map_structure(TensorSpec.from_value, element) if is_structure(element) else \
        TensorSpec.from_value(element)


def common_spec(a, b):
    """The spec that admits elements of both specs (for concatenate), or None when the nestings or
    dtypes differ."""
    if not same_nesting(a, b):
        return None
    pairs = list(zip(flatten(a), flatten(b)))
    if any(x.dtype != y.dtype for x, y in pairs):
        return None
    return pack_as(a, [x.most_specific_common(y) for x, y in pairs])
