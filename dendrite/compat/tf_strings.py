"""``tf.strings`` under the compatibility hooks: dendrite.strings' functions taking and giving Tensors, with
TensorFlow's ragged results as RaggedTensors (``split`` / ``unicode_decode`` / ``unicode_split`` /
``bytes_split`` of several strings), and the element-wise functions applied to a RaggedTensor's values.

``tf.strings.split('a b')`` gives a 1-D string Tensor, ``tf.strings.split(['a b', 'c'])`` a RaggedTensor of
rank 2; ``unicode_split`` cuts each string into its characters (UTF-8 bytes each), ``bytes_split`` into its
bytes, ``unicode_decode`` gives the code points (int32) and ``unicode_encode`` joins code points back into a
string."""
import functools

import numpy as np

import dendrite.strings as _strings
from ..autodiff import Tensor
from ._namespace import Namespace
from .tf_ragged import RaggedTensor, constant as ragged_constant

_RAGGED_OUT = {"split": object, "unicode_decode": np.int32}


def _arg(value):
    """A Tensor argument as what dendrite.strings takes (a 0-d string Tensor as its bytes)."""
    if isinstance(value, Tensor):
        array = np.asarray(value.value)
        return array.item() if array.ndim == 0 and array.dtype == object else array
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        return type(value)(_arg(v) for v in value)  # tf.strings.join([t, 'suffix'])
    return value


def _result(value, ragged_dtype=None):
    if isinstance(value, list):  # one list of pieces per string: TensorFlow's RaggedTensor
        return ragged_constant(value, dtype=ragged_dtype)
    if isinstance(value, (bytes, str)):
        return Tensor(np.array(value.encode() if isinstance(value, str) else value, dtype=object))
    if isinstance(value, np.ndarray) or np.isscalar(value):
        return Tensor(np.asarray(value))
    return value


def _wrap(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if args and isinstance(args[0], RaggedTensor):
            if name in _RAGGED_OUT:
                raise NotImplementedError(f"tf.strings.{name} of a RaggedTensor is not supported by dendrite's "
                                          "compatibility mode; see docs/compat.md.")
            rt = args[0]
            flat = run(Tensor(rt.flat_values.value), *args[1:], **kwargs)
            return rt.with_flat_values(np.asarray(flat.value))
        out = fn(*[_arg(a) for a in args], **{k: _arg(v) for k, v in kwargs.items()})
        return _result(out, _RAGGED_OUT.get(name))
    return run


def tensors_in_out(fn):
    """``fn`` (a dendrite function on NumPy values) taking Tensors and giving a Tensor, as tf's does."""
    return _wrap(fn.__name__, fn)


def _pieces(name, cut):
    """A function splitting each string into pieces by ``cut`` (bytes -> list of bytes): a scalar gives a 1-D
    Tensor, an array a RaggedTensor."""
    def run(input, *args, **kwargs):
        value = _arg(input)
        if isinstance(value, (bytes, str)):
            data = value.encode() if isinstance(value, str) else value
            return Tensor(np.array(cut(data, *args, **kwargs) + [None], dtype=object)[:-1])
        array = np.asarray(value, dtype=object)
        if array.ndim != 1:
            raise ValueError(f"tf.strings.{name}: expected a string or a 1-D tensor of strings; received shape "
                             f"{array.shape}.")
        return ragged_constant([cut(v.encode() if isinstance(v, str) else bytes(v), *args, **kwargs)
                                for v in array.tolist()], dtype=object)
    run.__name__ = name
    return run


def _unicode_chars(data, input_encoding="UTF-8", errors="replace", replacement_char=65533, name=None):
    return [c.encode("utf-8") for c in data.decode(input_encoding, errors="replace" if errors != "strict"
                                                   else "strict")]


def _bytes(data, name=None):
    return [bytes([b]) for b in data]


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):
    """Code points (a 1-D int Tensor, or a RaggedTensor / 2-D tensor of rows) joined into strings."""
    def encode(points):
        return "".join(chr(int(p)) for p in points).encode(output_encoding)
    if isinstance(input, RaggedTensor):
        rows = input.to_list()
    else:
        array = np.asarray(_arg(input))
        if array.ndim == 1:
            return Tensor(np.array(encode(array.tolist()), dtype=object))
        rows = array.tolist()
    return Tensor(np.array([encode(r) for r in rows] + [None], dtype=object)[:-1])


def namespace():
    """The ``tf.strings`` namespace."""
    names = getattr(_strings, "__all__", None) or [n for n, v in vars(_strings).items()
                                                   if callable(v) and not n.startswith("_")
                                                   and getattr(v, "__module__", "") == _strings.__name__]
    members = {n: _wrap(n, getattr(_strings, n)) for n in names}
    members.update(unicode_split=_pieces("unicode_split", _unicode_chars), bytes_split=_pieces("bytes_split", _bytes),
                   unicode_encode=unicode_encode)
    return Namespace("tensorflow.strings", __doc__, members=members, sources=(_strings,))
