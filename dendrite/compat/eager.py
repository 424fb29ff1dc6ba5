"""Tensors as TensorFlow 2's eager tensors, where tutorials rely on it, while the compatibility hooks are
installed (_patches makes and undoes the changes listed by ``targets()``):

- ``t == u`` and ``t != u`` compare elementwise and give a boolean Tensor, as in TensorFlow 2 (dendrite's own
  Tensor compares identity). Hashing stays by identity (TensorFlow 2 refuses to hash tensors; dendrite keeps
  them usable as dict keys). A Variable compares elementwise with numbers, lists and arrays
  (``tf.where(v == 0)``) but by identity with another Variable: dendrite and programs keep lists of the
  weights and test membership with ``in``.
- ``t.numpy()`` of a 0-d tensor is a NumPy scalar (``bytes`` for a string), as TensorFlow gives it.
- ``2.0 ** t`` works; ``format(t, '.4f')`` formats the value; indexing a string or integer tensor gives a tensor.
- ``t.shape`` is a ``tf.TensorShape`` (a tuple with ``as_list()``, ``rank``), and ``t.get_shape()`` gives it too.
- A slice of a Variable answers ``assign`` / ``assign_add`` / ``assign_sub``, which write into the variable
  (``v[0, 0].assign(3.0)``), as TensorFlow's sliced variables do.
- ``repr(t)`` / ``str(t)`` / ``repr(v)`` read as TensorFlow prints them (``<tf.Tensor: shape=(2,), dtype=float32,
  numpy=array([1., 2.], dtype=float32)>``, ``tf.Tensor([1. 2.], shape=(2,), dtype=float32)``,
  ``<tf.Variable 'w:0' shape=() dtype=float32, numpy=1.0>``).
- ``t % u``, ``t // u``, ``t & u``, ``t | u``, ``t ^ u`` and ``~t`` work as TensorFlow's operators (floormod,
  floordiv, logical or bitwise).
- ``t.device`` names the CPU (``/job:localhost/replica:0/task:0/device:CPU:0``), where dendrite computes.
- A metric's ``result()`` (and calling a metric) gives a scalar Tensor, as TensorFlow's (``print`` shows
  ``tf.Tensor(0.5, shape=(), dtype=float32)``); fit's logs and History keep Python floats.
- Comparing a tensor with an object NumPy leaves to itself (``pytest.approx``) lets that object answer.
- Iterating a ``tf.data.Dataset`` gives Tensors (``.numpy()`` on each component), as eager TensorFlow does, and
  so do ``reduce`` and ``get_single_element``;
  ``as_numpy_iterator()`` still gives NumPy values, and fit reads the NumPy values."""
import weakref

import functools

import numpy as np

from ..autodiff import Tensor, Variable
from ..autodiff.tensor import array_of
from . import dtypes


def _compare(self, other, op, unequal):
    """``op`` elementwise; shapes that do not broadcast give the scalar ``unequal``, as TensorFlow's == / !=
    (checked only when NumPy refuses, so the usual comparison costs nothing more)."""
    other = array_of(other)
    try:
        return Tensor(np.asarray(op(self.value, other)))
    except TypeError:  # an object NumPy leaves to itself (pytest.approx): its own == answers
        return NotImplemented
    except ValueError:
        try:
            np.broadcast_shapes(np.shape(self.value), np.shape(other))
        except ValueError:
            return Tensor(np.asarray(unequal))
        raise


def _eq(self, other):
    if other is None:
        return False
    return _compare(self, other, np.equal, False)


def _ne(self, other):
    if other is None:
        return True
    return _compare(self, other, np.not_equal, True)


def _variable_comparison(elementwise, identity):
    """A Variable's ``==`` / ``!=``: elementwise against a number, list or array (``tf.where(v == 0)``), by
    identity against a Variable (``var in weights``); a Tensor answers for itself (reflected)."""
    def compare(self, other):
        if isinstance(other, Tensor) or other is None:
            return identity(self, other)
        return elementwise(self, other)
    return compare


def _eval(self, feed_dict=None, session=None):
    """TensorFlow 1's ``t.eval()`` (in a session's ``as_default()``): the value, as ``Session.run`` gives it."""
    from .tf_session import default_session
    return (session or default_session()).run(self, feed_dict)


def _variable_eval(self, session=None):
    """``v.eval()``: TensorFlow 1's Variable takes only the session."""
    return _eval(self, session=session)


def _numpy(self):
    value = self.value
    return value[()] if getattr(value, "ndim", 1) == 0 else value


def _format(self, spec):
    value = self.value
    return format(value[()] if getattr(value, "ndim", 1) == 0 else value, spec)


def _shape(self):
    from .tf_tree import TensorShape
    return TensorShape(self.value.shape)


def _dtype(self):  # TensorFlow's DType (tf.float32), which NumPy takes wherever it takes a dtype
    return dtypes.of_numpy(self.value.dtype)


def _tf_dtype(value):
    return "string" if value.dtype.kind in "OUS" else value.dtype.name


def _as_bytes(value):
    """Text as TensorFlow holds it: bytes (b'normal'; arrays of them with dtype=object)."""
    if value.dtype.kind not in "US":
        return value
    out = np.empty(value.shape, dtype=object)
    out.reshape(-1)[:] = [bytes(s) if isinstance(s, bytes) else str(s).encode("utf-8") for s in value.reshape(-1)]
    return out


def _numpy_text(value):
    value = _as_bytes(value)
    return repr(value[()].item() if isinstance(value[()], (np.floating, np.integer, np.bool_)) else value[()]) \
        if value.ndim == 0 else repr(value)


def _on_own_lines(text):
    """TensorFlow starts a value's text on a new line when the text spans several lines."""
    return chr(10) + text if chr(10) in text else text


def _tensor_repr(self):
    value = np.asarray(self.value)
    text = _on_own_lines(_numpy_text(value))
    return f"<tf.Tensor: shape={tuple(value.shape)}, dtype={_tf_dtype(value)}, numpy={text}>"


def _tensor_str(self):
    value = _as_bytes(np.asarray(self.value))
    body = str(value[()]) if value.ndim == 0 else _on_own_lines(str(value))
    return f"tf.Tensor({body}, shape={tuple(value.shape)}, dtype={_tf_dtype(value)})"


def _variable_repr(self):
    value = np.asarray(self.value)
    name = self.name if self.name.endswith(":0") else f"{self.name}:0"
    return (f"<tf.Variable '{name}' shape={tuple(value.shape)} dtype={_tf_dtype(value)}, "
            f"numpy={_on_own_lines(_numpy_text(value))}>")


_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def _rpow(self, other):
    from ..autodiff import ops
    return ops.power(other, self)


def _getitem(self, index):
    if self.dtype.kind == "f":
        out = _GETITEM(self, index)
    else:
        index = tuple(array_of(i) for i in index) if isinstance(index, tuple) else array_of(index)
        out = Tensor(np.asarray(self.value[index], dtype=self.dtype))
    if isinstance(self, Variable):
        key = id(out)
        _SLICES[key] = (weakref.ref(out, lambda _ref: _SLICES.pop(key, None)), self, index)
    return out


_SLICES = {}  # id of a Variable's slice -> (a weak reference to it, the variable, the index), for slice.assign


def _slice_update(how):
    def update(self, value, use_locking=None, name=None, read_value=True):
        entry = _SLICES.get(id(self))
        if entry is None or entry[0]() is not self:
            raise AttributeError(f"'Tensor' object has no attribute '{how}': only a Variable, or a slice of one "
                                 f"(`v[0, 0].{how}(...)`), can be assigned to. Make it a tf.Variable first.")
        _, variable, index = entry
        part = variable.value[index]
        new = np.asarray(array_of(value), dtype=variable.dtype)
        if how == "assign_add":
            new = part + new
        elif how == "assign_sub":
            new = part - new
        if np.shape(new) != np.shape(part) and np.size(new) != 1:
            raise ValueError(f"{how} on a slice of Variable '{variable.name}': expected a value of shape "
                             f"{np.shape(part)}, received shape {np.shape(new)}.")
        variable.value[index] = new
        return variable if read_value else None
    update.__name__ = how
    return update


def _metric_out(self, value):
    """A metric's result (``result()``, calling the metric) as TensorFlow gives it: a scalar Tensor
    (``tf.Tensor(0.5, shape=(), dtype=float32)`` when printed; ``float()``, ``.numpy()`` and f-strings read it)."""
    out = _METRIC_OUT(self, value)
    return Tensor(np.asarray(out)) if isinstance(out, (np.float32, np.float64)) else out


def _as_tensor(leaf):
    from ..io.sparse import SparseTensor as Sparse
    from ..data import Dataset
    from .tf_sparse import SparseTensor
    if isinstance(leaf, Sparse):
        return SparseTensor.from_value(leaf)
    if isinstance(leaf, (Tensor, Dataset)):  # a Dataset leaf: one window of Dataset.window, itself iterable
        return leaf
    if hasattr(leaf, "row_splits") and hasattr(leaf, "flat_values"):  # a RaggedTensor (ragged_batch)
        return leaf
    if isinstance(leaf, (bytes, np.bytes_, str)):  # a record of bytes whole: NumPy's 'S' would drop trailing zeros
        return Tensor(np.array(leaf.encode("utf-8") if isinstance(leaf, str) else bytes(leaf), dtype=object))
    return Tensor(np.asarray(leaf))


def _dataset_iter(self):
    """``iter(dataset)`` under compatibility mode: a tf.data Iterator (get_next, get_next_as_optional) of
    Tensors."""
    from ..data import Iterator, structure
    def elements():
        return (structure.map_structure(_as_tensor, element) for element in self._iterate())
    return Iterator(elements(), self, restart=elements)


def _tensors_out(method):
    """A Dataset method whose result (an element or a reduced state) comes back as Tensors, as in eager TF."""
    def wrapped(self, *args, **kwargs):
        from ..data import structure
        out = method(self, *args, **kwargs)
        return structure.map_structure(_as_tensor, out) if structure.is_structure(out) else _as_tensor(out)
    return functools.wraps(method)(wrapped)  # (its signature too, which tf_arguments reads)


def _adapter_pass(self):
    source = self.source
    return iter(source.as_numpy_iterator() if hasattr(source, "as_numpy_iterator") else source)


def _binary(fn, reflected=False):
    """A TensorFlow operator of tensors: ``%`` (floormod), ``//`` (floordiv), ``& | ^`` (logical on bools,
    bitwise on integers, as NumPy), in either operand order."""
    def op(self, other):
        return fn(other, self) if reflected else fn(self, other)
    return op


def _operators():
    from . import tensor_api, tf_math

    def logical(np_op):
        return lambda a, b: Tensor(np.asarray(np_op(array_of(a), array_of(b))))
    pairs = {"mod": tf_math.floormod, "floordiv": tensor_api.floordiv, "and": logical(np.bitwise_and),
             "or": logical(np.bitwise_or), "xor": logical(np.bitwise_xor)}
    out = []
    for name, fn in pairs.items():
        out += [(Tensor, f"__{name}__", _binary(fn)), (Tensor, f"__r{name}__", _binary(fn, reflected=True))]
    return out + [(Tensor, "__invert__", lambda self: Tensor(np.asarray(~self.value)))]


def _v1_iterator(self):
    """TensorFlow 1's ``dataset.make_one_shot_iterator()``: an iterator whose ``get_next()`` a Session run
    advances (tf_v1_names.Iterator)."""
    from .tf_v1_names import Iterator
    return Iterator(self)


_GETITEM = Tensor.__getitem__
_METRIC_OUT = None


def targets():
    """(class, attribute, value) for each change, made by _patches.apply and undone by _patches.undo."""
    global _METRIC_OUT
    from ..data import Dataset
    from ..metrics.base import Metric
    from ..models.data_adapters.stream_adapter import DatasetAdapter
    _METRIC_OUT = Metric.__dict__["_out"]
    return [(Metric, "_out", _metric_out), (Tensor, "__format__", _format), (Tensor, "__getitem__", _getitem),
            (Tensor, "__rpow__", _rpow), (Tensor, "__repr__", _tensor_repr), (Tensor, "__str__", _tensor_str),
            (Variable, "__repr__", _variable_repr), (Variable, "__str__", _variable_repr), (Tensor, "shape", property(_shape)), (Tensor, "get_shape", _shape),
            (Tensor, "device", property(lambda self: _CPU)), (Tensor, "dtype", property(_dtype)),
            (Tensor, "assign", _slice_update("assign")), (Tensor, "assign_add", _slice_update("assign_add")),
            (Tensor, "assign_sub", _slice_update("assign_sub")),
            (Tensor, "__eq__", _eq), (Tensor, "__ne__", _ne), (Tensor, "__hash__", object.__hash__),
            (Tensor, "numpy", _numpy), (Tensor, "eval", _eval), (Variable, "eval", _variable_eval),
            (Variable, "__eq__", _variable_comparison(_eq, object.__eq__)),
            (Variable, "__ne__", _variable_comparison(_ne, object.__ne__)),
            (Variable, "__hash__", object.__hash__), (Dataset, "__iter__", _dataset_iter),
            (Dataset, "reduce", _tensors_out(Dataset.__dict__["reduce"])),
            (Dataset, "get_single_element", _tensors_out(Dataset.__dict__["get_single_element"])),
            (Dataset, "fingerprint", _tensors_out(Dataset.__dict__["fingerprint"])),
            (DatasetAdapter, "_open_pass", _adapter_pass), (Dataset, "make_one_shot_iterator", _v1_iterator),
            (Dataset, "make_initializable_iterator", _v1_iterator)] + _operators()
