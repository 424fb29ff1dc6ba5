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
from . import tf_print
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


def _row_ngrams(tokens, widths, separator, pad_values, padding_width, preserve_short):
    out = []
    for width in widths:
        pad = width - 1 if padding_width is None else min(int(padding_width), width - 1)
        left, right = pad_values if isinstance(pad_values, (tuple, list)) else (pad_values, pad_values)
        row = ([left] * pad + tokens + [right] * pad) if pad_values is not None else list(tokens)
        made = [separator.join(row[i:i + width]) for i in range(len(row) - width + 1)]
        out += made
    if not out and preserve_short and tokens:
        out = [separator.join(tokens)]
    return out


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None, preserve_short_sequences=False,
           name=None):
    """``tf.strings.ngrams``: the n-grams of each row's tokens (each width in ``ngram_width``, in that order),
    joined by ``separator``; padded with ``pad_values`` (one string, or a (left, right) pair) by
    ``padding_width`` (width - 1 by default). A 1-D tensor gives a 1-D tensor, a 2-D one a 2-D tensor, a
    RaggedTensor a RaggedTensor."""
    widths = [int(w) for w in (ngram_width if isinstance(ngram_width, (list, tuple)) else [ngram_width])]
    if any(w < 1 for w in widths):
        raise ValueError(f"tf.strings.ngrams: `ngram_width` must be positive; received {ngram_width!r}.")
    text = lambda v: v.decode("utf-8") if isinstance(v, bytes) else str(v)  # noqa: E731
    pads = None if pad_values is None else (tuple(text(p) for p in pad_values)
                                            if isinstance(pad_values, (tuple, list)) else text(pad_values))

    def grams(tokens):
        made = _row_ngrams([text(t) for t in tokens], widths, separator, pads, padding_width,
                           preserve_short_sequences)
        return [m.encode("utf-8") for m in made]
    if isinstance(data, RaggedTensor):
        return ragged_constant([grams(row) for row in data.to_list()], dtype=object)
    array = np.asarray(_arg(data), dtype=object)
    if array.ndim == 1:
        return Tensor(np.array(grams(array.tolist()) + [None], dtype=object)[:-1])
    if array.ndim != 2:
        raise ValueError(f"tf.strings.ngrams: expected a 1-D or 2-D tensor of tokens or a RaggedTensor; received "
                         f"shape {array.shape}.")
    rows = [grams(r) for r in array.tolist()]
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, r in enumerate(rows):
        out[i, :] = r
    return Tensor(out)


def _buckets(name, salted):
    def run(input, num_buckets, key=None, name=None):
        from ..layers.hashing import hash_bins
        if salted and (key is None or len(list(key)) != 2):
            raise ValueError(f"tf.strings.{name}: `key` must be a list of two integers; received {key!r}.")
        value = _arg(input)
        array = np.asarray(value if not isinstance(value, (bytes, str)) else [value], dtype=object)
        out = hash_bins(array, int(num_buckets), [int(k) for k in key] if salted else None)
        return Tensor(out.reshape(()) if isinstance(value, (bytes, str)) else out)
    run.__name__ = name
    return run


def namespace():
    """The ``tf.strings`` namespace."""
    names = getattr(_strings, "__all__", None) or [n for n, v in vars(_strings).items()
                                                   if callable(v) and not n.startswith("_")
                                                   and getattr(v, "__module__", "") == _strings.__name__]
    members = {n: _wrap(n, getattr(_strings, n)) for n in names}
    members.update(unicode_split=_pieces("unicode_split", _unicode_chars), bytes_split=_pieces("bytes_split", _bytes),
                   unicode_encode=unicode_encode, ngrams=ngrams, format=tf_print.format,
                   to_hash_bucket_fast=_buckets("to_hash_bucket_fast", False),
                   to_hash_bucket_strong=_buckets("to_hash_bucket_strong", True))
    return Namespace("tensorflow.strings", __doc__, members=members, sources=(_strings,))
