"""``dendrite.strings``: tf.strings' functions on NumPy values, element-wise.

Inputs may be a Python ``str`` or ``bytes``, a list of them, or a NumPy array of bytes ('S'), text ('U') or
objects; text is taken as UTF-8. Outputs follow TensorFlow's: strings come back as ``bytes`` (a scalar input
gives a ``bytes`` value, an array input an object array of ``bytes`` of the same shape), numbers as NumPy
arrays (0-d for a scalar input).

``split`` (and ``unicode_decode``) have ragged results: for a scalar input a 1-D array of the pieces; for an
array input a nested Python list (one list of pieces per element, in the input's shape), since NumPy has no
ragged arrays (TensorFlow returns a RaggedTensor).
"""
import builtins
import re

import numpy as np

_TO_NUMBER_TYPES = ("float32", "float64", "int32", "int64")


def _to_bytes(value, who):
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value)
    if isinstance(value, (str, np.str_)):
        return value.encode("utf-8")
    raise TypeError(f"{who}: expected strings (str or bytes); received an element of type {type(value).__name__}.")


def _elements(value, who):
    """(flat list of bytes, shape or None for a scalar)."""
    if isinstance(value, (bytes, str, np.bytes_, np.str_)):
        return [_to_bytes(value, who)], None
    arr = np.asarray(value, dtype=object) if isinstance(value, (list, tuple)) else value
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{who}: expected a string, a list of strings or an array of them; received "
                        f"{type(value).__name__}.")
    if arr.dtype.kind not in "SUO":
        raise TypeError(f"{who}: expected an array of strings; received dtype {arr.dtype.name}. Use "
                        f"strings.as_string to format numbers.")
    return [_to_bytes(v, who) for v in arr.ravel().tolist()], arr.shape


def _strings_out(items, shape):
    if shape is None:
        return items[0]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def _numbers_out(items, shape, dtype):
    out = np.asarray(items, dtype=dtype)
    return out.reshape(shape if shape is not None else ())


def _map(value, fn, who):
    items, shape = _elements(value, who)
    return _strings_out([fn(v) for v in items], shape)


def lower(input, encoding=""):
    """Lower-case (ASCII letters only, as TensorFlow's default; encoding='utf-8' lower-cases all of Unicode)."""
    return _map(input, (lambda b: b.decode("utf-8").lower().encode("utf-8")) if encoding else bytes.lower, "lower")


def upper(input, encoding=""):
    """Upper-case (ASCII letters only, as TensorFlow's default; encoding='utf-8' upper-cases all of Unicode)."""
    return _map(input, (lambda b: b.decode("utf-8").upper().encode("utf-8")) if encoding else bytes.upper, "upper")


def strip(input):
    """Leading and trailing whitespace removed."""
    return _map(input, bytes.strip, "strip")


def length(input, unit="BYTE"):
    """Length of each string in bytes (unit='BYTE') or in Unicode code points (unit='UTF8_CHAR'), int32."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"length: unit must be 'BYTE' or 'UTF8_CHAR'; received unit={unit!r}.")
    items, shape = _elements(input, "length")
    sizes = [len(v) if unit == "BYTE" else len(v.decode("utf-8")) for v in items]
    return _numbers_out(sizes, shape, np.int32)


def split(input, sep=None, maxsplit=-1):
    """Split on ``sep`` (None: runs of whitespace, empty pieces dropped). A scalar gives a 1-D object array of
    bytes; an array gives nested lists of bytes in the input's shape (TensorFlow gives a RaggedTensor)."""
    if sep is not None:
        sep = _to_bytes(sep, "split")
        if not sep:
            raise ValueError("split: sep must not be empty; pass sep=None to split on whitespace.")
    items, shape = _elements(input, "split")
    pieces = [v.split(sep, maxsplit) for v in items]  # as TensorFlow: b'' split on a sep gives [b'']
    if shape is None:
        return _strings_out(pieces[0], (len(pieces[0]),))
    return np.array(pieces + [None], dtype=object)[:-1].reshape(shape).tolist()


def join(inputs, separator=""):
    """Element-wise concatenation of several strings (or arrays of one shape), with ``separator`` between."""
    sep = _to_bytes(separator, "join")
    columns = [_elements(v, "join") for v in inputs]
    if not columns:
        raise ValueError("join: inputs must hold at least one string or array of strings.")
    shapes = {shape for _, shape in columns if shape is not None}
    if len(shapes) > 1:
        raise ValueError(f"join: the inputs must have one shape; received shapes {sorted(shapes)}.")
    shape = shapes.pop() if shapes else None
    n = int(np.prod(shape)) if shape is not None else 1
    rows = [items * n if s is None else items for items, s in columns]
    return _strings_out([sep.join(parts) for parts in zip(*rows)], shape)


def reduce_join(inputs, axis=None, keepdims=False, separator=""):
    """Join the strings along ``axis`` (all of them when None)."""
    items, shape = _elements(inputs, "reduce_join")
    sep = _to_bytes(separator, "reduce_join")
    arr = _strings_out(items, shape if shape is not None else (1,))
    if axis is None:
        out = sep.join(arr.ravel().tolist())
        return np.full((1,) * arr.ndim, out, dtype=object) if keepdims else out
    axis = axis % arr.ndim
    moved = np.moveaxis(arr, axis, -1)
    joined = np.empty(moved.shape[:-1], dtype=object)
    for index in np.ndindex(joined.shape):
        joined[index] = sep.join(moved[index].tolist())
    if keepdims:
        joined = np.expand_dims(joined, axis)
    return joined if joined.ndim else joined.item()


def substr(input, pos, len, unit="BYTE"):
    """``len`` bytes (or UTF-8 characters) starting at ``pos`` (negative counts from the end)."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"substr: unit must be 'BYTE' or 'UTF8_CHAR'; received unit={unit!r}.")

    def cut(v):
        s = v if unit == "BYTE" else v.decode("utf-8")
        start = pos if pos >= 0 else builtins.len(s) + pos
        if not 0 <= start <= builtins.len(s):
            raise ValueError(f"substr: pos {pos} is out of range for a string of length {builtins.len(s)}.")
        piece = s[start:start + len]
        return piece if unit == "BYTE" else piece.encode("utf-8")
    return _map(input, cut, "substr")



def regex_replace(input, pattern, rewrite, replace_global=True):
    """Replace matches of ``pattern`` (RE2 syntax, which for common patterns is Python's) with ``rewrite``,
    where ``\\1``..``\\9`` refer to groups and ``\\0`` to the whole match; all matches, or only the first
    when ``replace_global=False``."""
    pattern = _to_bytes(pattern, "regex_replace")
    rewrite = _to_bytes(rewrite, "regex_replace")
    try:
        compiled = re.compile(pattern)
    except re.error as e:
        raise ValueError(f"regex_replace: invalid pattern {pattern!r}: {e}.") from None
    template = re.sub(rb"\\0", rb"\\g<0>", rewrite)
    return _map(input, lambda v: compiled.sub(template, v, count=0 if replace_global else 1), "regex_replace")


def regex_full_match(input, pattern):
    """Whether each whole string matches ``pattern`` (a bool array)."""
    compiled = re.compile(_to_bytes(pattern, "regex_full_match"))
    items, shape = _elements(input, "regex_full_match")
    return _numbers_out([compiled.fullmatch(v) is not None for v in items], shape, bool)


def to_number(string_tensor, out_type="float32"):
    """Parse each string as a number of ``out_type`` (float32, float64, int32 or int64)."""
    name = np.dtype(out_type).name
    if name not in _TO_NUMBER_TYPES:
        raise ValueError(f"to_number: out_type must be one of {', '.join(_TO_NUMBER_TYPES)}; received "
                         f"out_type={out_type!r}.")
    items, shape = _elements(string_tensor, "to_number")
    values = []
    for v in items:
        text = v.decode("utf-8", "replace").strip()
        try:
            values.append(float(text) if name.startswith("float") else int(text))
        except ValueError:
            raise ValueError(f"to_number: cannot parse {v!r} as {name}.") from None
    if name.startswith("int"):
        info = np.iinfo(name)
        bad = [v for v in values if not info.min <= v <= info.max]
        if bad:
            raise ValueError(f"to_number: {bad[0]} is out of range for {name}.")
    return _numbers_out(values, shape, name)


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill=""):
    """Numbers (or bools) formatted as strings: floats with 6 decimals unless ``precision`` (TensorFlow's %f),
    ``scientific`` for %e, ``shortest`` for the shorter of the two (%g); ``width`` pads with ``fill``."""
    arr = np.asarray(input)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"as_string: expected numbers or bools; received dtype {arr.dtype.name}.")
    if fill not in ("", " ", "0"):
        raise ValueError(f"as_string: fill must be '', ' ' or '0'; received fill={fill!r}.")
    pad = "0" if fill == "0" else ""
    w = str(width) if width > -1 else ""
    if arr.dtype.kind == "f":
        kind = "g" if shortest else "e" if scientific else "f"
        fmt = f"%{pad}{w}{'.' + str(precision) if precision > -1 else ''}{kind}"
    elif arr.dtype.kind == "b":
        fmt = None
    else:
        fmt = f"%{pad}{w}d"
    items = [(("true" if v else "false") if fmt is None else fmt % v).encode() for v in arr.ravel().tolist()]
    return _strings_out(items, arr.shape if arr.ndim else None)


def unicode_decode(input, input_encoding="UTF-8"):
    """The Unicode code points of each string (int32): a 1-D array for a scalar, nested lists otherwise."""
    items, shape = _elements(input, "unicode_decode")
    points = [[ord(c) for c in v.decode(input_encoding)] for v in items]
    if shape is None:
        return np.asarray(points[0], dtype=np.int32)
    return np.array(points + [None], dtype=object)[:-1].reshape(shape).tolist()
