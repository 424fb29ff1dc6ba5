"""TensorFlow's dtype names as NumPy dtypes, so ``t.dtype == tf.float32`` and ``x.astype(tf.float32)`` work
and ``tf.float32.name`` is 'float32'. ``tf.string`` is NumPy's object dtype (byte strings live in object
arrays)."""
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


def as_dtype(value):
    """A dtype from a name, a NumPy dtype or type, or one of the names above."""
    if isinstance(value, str) and value == "string":
        return string
    return np.dtype(value)
