"""pad_sequences: a list of sequences of different lengths as one array, as Keras has it."""
import numpy as np

from .validation import non_negative_int


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """The ``sequences`` (each a list or array; its items may be arrays of one shape) as an array of shape
    ``(len(sequences), maxlen) + item shape``: shorter ones are filled with ``value`` before them
    (``padding='pre'``) or after them ('post'), longer ones lose their first items (``truncating='pre'``) or
    their last ('post'). ``maxlen`` defaults to the longest sequence. Strings need ``dtype=object`` (or a
    str dtype)."""
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences: `sequences` must be a list of sequences; received "
                         f"{type(sequences).__name__}.")
    for name, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise ValueError(f"pad_sequences: `{name}` must be 'pre' or 'post'; received {name}={given!r}.")
    lengths, item_shape = [], None
    for i, seq in enumerate(sequences):
        try:
            lengths.append(len(seq))
        except TypeError:
            raise ValueError(f"pad_sequences: `sequences` must be a list of sequences; the one at position {i} is "
                             f"{seq!r}, which has no length.") from None
        if item_shape is None and len(seq):
            item_shape = np.asarray(seq).shape[1:]  # from the first sequence that has items, as Keras
    item_shape = item_shape or ()
    maxlen = max(lengths, default=0) if maxlen is None else non_negative_int("pad_sequences", "maxlen", maxlen)
    text_dtype = dtype is object or np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype),
                                                                                             np.bytes_)
    if isinstance(value, str) and not text_dtype:
        raise ValueError(f"pad_sequences: `value` is the string {value!r} but dtype={dtype!r} holds numbers; pass "
                         "dtype=object for strings of any length.")
    out = np.full((len(lengths), maxlen) + tuple(item_shape), value, dtype=dtype)
    for i, (seq, n) in enumerate(zip(sequences, lengths)):
        if not n or not maxlen:
            continue
        kept = np.asarray(seq[max(n - maxlen, 0):] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"pad_sequences: the items of the sequence at position {i} have shape "
                             f"{kept.shape[1:]}, but those of the first non-empty sequence have shape "
                             f"{tuple(item_shape)}; all items must have one shape.")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out


__all__ = ["pad_sequences"]
