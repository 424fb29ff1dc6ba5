"""TensorFlow's dtypes (``tf.float32``, ``tf.as_dtype``, ``t.dtype`` in compatibility mode): each a ``DType``
that stands for one NumPy dtype wherever NumPy takes one (``np.zeros(2, dtype=tf.float32)``,
``x.astype(tf.int32)``, ``t.dtype == np.float32``, dict keys), and that has TensorFlow's properties
(``is_floating``, ``is_integer``, ``max``, ``min``, ``as_numpy_dtype``, ``size``, ...) and its printing
(``repr`` 'tf.float32', ``str`` "<dtype: 'float32'>"). ``tf.string`` is NumPy's object dtype (byte strings live
in object arrays); ``tf.bfloat16`` is held as float32, which NumPy has and bfloat16 rounds to."""
import builtins

import numpy as np

# TensorFlow's DataType enum values (types.proto), which tf.as_dtype and the dtype arguments accept as ints
_ENUM = {1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string", 8: "complex64",
         9: "int64", 10: "bool", 14: "bfloat16", 17: "uint16", 18: "complex128", 19: "float16", 22: "uint32",
         23: "uint64"}
_NUMBERS = {name: number for number, name in _ENUM.items()}


# NumPy's dtype facts a DType reads through (not `shape`: a DType is no array, and code tells them apart by it)
_NUMPY_FACTS = frozenset("str descr byteorder num alignment names fields isbuiltin isnative isalignedstruct subdtype "
                         "base hasobject flags newbyteorder metadata".split())


class DType:
    """One TensorFlow dtype: ``name`` is TensorFlow's ('float32', 'string'), ``dtype`` the NumPy dtype that holds
    its values (NumPy reads that attribute whenever a DType is given where it expects a dtype)."""

    __slots__ = ("dtype", "name")

    def __init__(self, name, numpy_dtype):
        self.name = name
        self.dtype = np.dtype(numpy_dtype)

    # --- NumPy's dtype facts, read through (the common ones directly, the rest by __getattr__)
    kind = property(lambda self: self.dtype.kind)
    itemsize = property(lambda self: self.dtype.itemsize)
    char = property(lambda self: self.dtype.char)
    type = property(lambda self: self.dtype.type)

    def __getattr__(self, attribute):
        if attribute in _NUMPY_FACTS:
            return getattr(self.dtype, attribute)
        raise AttributeError(f"tf.{self.name} (a DType) has no attribute {attribute!r}; TensorFlow's DType "
                             "properties are is_floating, is_integer, is_unsigned, is_bool, is_complex, "
                             "is_numpy_compatible, max, min, limits, size, as_numpy_dtype, base_dtype, "
                             "real_dtype, as_datatype_enum (see docs/compat.md).")

    # --- TensorFlow's properties
    @property
    def as_numpy_dtype(self):
        return self.dtype.type

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    @property
    def as_datatype_enum(self):
        return _NUMBERS[self.name]

    is_floating = property(lambda self: self.dtype.kind == "f")
    is_integer = property(lambda self: self.dtype.kind in "iu")
    is_unsigned = property(lambda self: self.dtype.kind in "ub")
    is_bool = property(lambda self: self.dtype.kind == "b")
    is_complex = property(lambda self: self.dtype.kind == "c")
    is_numeric = property(lambda self: self.dtype.kind in "iufc")
    is_numpy_compatible = property(lambda self: True)
    is_quantized = property(lambda self: False)
    size = property(lambda self: 1 if self.name == "string" else self.dtype.itemsize)

    @property
    def min(self):
        return self._range("min")

    @property
    def max(self):
        return self._range("max")

    def _range(self, end):
        kind = self.dtype.kind
        if kind == "b":
            return end == "max"
        if kind in "iu":
            return int(getattr(np.iinfo(self.dtype), end))
        if kind == "f":
            return getattr(np.finfo(self.dtype), end)
        raise TypeError(f"tf.{self.name}.{end}: only number and bool dtypes have a range.")

    @property
    def limits(self):
        """TensorFlow's intensity range for images, negatives clipped: (0, max) for integers, (0, 1) otherwise."""
        return (0, self._range("max")) if self.dtype.kind in "iu" else (0, 1)

    def is_compatible_with(self, other):
        return self == as_dtype(other)

    # --- comparison, hashing, printing
    def __eq__(self, other):
        if isinstance(other, DType):
            return self.name == other.name or (self.dtype == other.dtype and "bfloat16" not in (self.name, other.name))
        if isinstance(other, str) and other == "string":
            return self.name == "string"
        if other is None:
            return False
        try:
            return self.dtype == np.dtype(other)
        except (TypeError, ValueError):
            return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):  # copy.deepcopy of a config holding a dtype
        return (as_dtype, (self.name,))


_ALIASES = {"half": "float16", "double": "float64"}
_NUMPY = {"bfloat16": "float32", "string": "object"}
_BY_NAME = {name: DType(name, _NUMPY.get(name, name)) for name in _ENUM.values()}
_BY_NUMPY = {d.dtype: d for name, d in _BY_NAME.items() if name != "bfloat16"}

float16 = half = _BY_NAME["float16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
bfloat16 = _BY_NAME["bfloat16"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
bool = _BY_NAME["bool"]  # noqa: A001 - TensorFlow's name
complex64 = _BY_NAME["complex64"]
complex128 = _BY_NAME["complex128"]
string = _BY_NAME["string"]

NAMES = ("float16 half float32 float64 double bfloat16 int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool "
         "complex64 complex128 string")


def of_numpy(numpy_dtype):
    """The DType standing for a NumPy dtype (what ``t.dtype`` gives in compatibility mode); NumPy's string and
    unicode dtypes read as tf.string."""
    found = _BY_NUMPY.get(numpy_dtype)
    if found is None:
        numpy_dtype = np.dtype(numpy_dtype)
        if numpy_dtype.kind in "USO":
            return string
        found = _BY_NUMPY.setdefault(numpy_dtype, DType(numpy_dtype.name, numpy_dtype))
    return found


def as_dtype(value):
    """A DType from a name, a NumPy dtype or type, a DType, or TensorFlow's DataType enum number."""
    if isinstance(value, DType):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, (builtins.bool, np.bool_)):
        if int(value) not in _ENUM:
            raise TypeError(f"as_dtype: {value} is not one of TensorFlow's DataType numbers {sorted(_ENUM)}; give a "
                            "dtype name such as 'float32'.")
        value = _ENUM[int(value)]
    if isinstance(value, str):
        name = _ALIASES.get(value, value)
        if name in _BY_NAME:
            return _BY_NAME[name]
    try:
        return of_numpy(np.dtype(value))
    except TypeError:
        raise TypeError(f"as_dtype: cannot read {value!r} as a dtype; give a name such as 'float32', a NumPy "
                        "dtype, or tf.float32.") from None
