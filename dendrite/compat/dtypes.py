"""TensorFlow's dtype names as NumPy dtypes, so ``t.dtype == tf.float32`` and ``x.astype(tf.float32)`` work
and ``tf.float32.name`` is 'float32'. ``tf.string`` is NumPy's object dtype (byte strings live in object
arrays)."""
import builtins

import numpy as np

float16 = half = np.dtype("float16")
float32 = np.dtype("float32")
float64 = double = np.dtype("float64")
bfloat16 = np.dtype("float32")  # NumPy has no bfloat16; float32 is the closest it holds
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
uint16 = np.dtype("uint16")
uint32 = np.dtype("uint32")
uint64 = np.dtype("uint64")
bool = np.dtype("bool")  # noqa: A001 - TensorFlow's name
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")
string = np.dtype("object")
DType = np.dtype

NAMES = ("float16 half float32 float64 double bfloat16 int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool "
         "complex64 complex128 string")


# TensorFlow's DataType enum values (types.proto), which tf.as_dtype and the dtype arguments accept as ints
_ENUM = {1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string", 8: "complex64",
         9: "int64", 10: "bool", 17: "uint16", 18: "complex128", 19: "float16", 22: "uint32", 23: "uint64"}


def as_dtype(value):
    """A dtype from a name, a NumPy dtype or type, one of the names above, or TensorFlow's DataType enum number."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (builtins.bool, np.bool_)):
        if int(value) not in _ENUM:
            raise TypeError(f"as_dtype: {value} is not one of TensorFlow's DataType numbers {sorted(_ENUM)}; give a "
                            "dtype name such as 'float32'.")
        value = _ENUM[int(value)]
    if isinstance(value, str) and value == "string":
        return string
    return np.dtype(value)
