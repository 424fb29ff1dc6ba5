"""Vocabulary lookups, as Keras 3 has them: StringLookup (strings to indices), IntegerLookup (integers to indices),
and the logic both share (``IndexLookup``), which TextVectorization uses for its tokens too.

The indices are laid out as in Keras: with ``output_mode='int'`` a ``mask_token`` (if set) takes index 0, then
``num_oov_indices`` out-of-vocabulary indices, then the vocabulary; in the other modes the mask token has no
index (its occurrences are dropped) and the OOV indices come first. ``adapt`` orders the vocabulary by
descending count, ties by descending token (Keras's ``lexsort(...)[::-1]``); ``max_tokens`` caps the whole
vocabulary, special tokens included. Several OOV indices share out unknown values by hash: strings by
Fingerprint64 (SipHash with a ``salt``), integers by ``value % num_oov_indices`` (or the hash of their decimal
text with ``oov_method='farmhash'``), TensorFlow's choices (layers/hashing.py).

Outputs: 'int' gives int64 indices; 'one_hot', 'multi_hot', 'count' and 'tf_idf' give floatx vectors, the dtype
Keras 3 declares for them (its TensorFlow tables hand back int64 counts when called eagerly). ``invert=True``
maps indices back: StringLookup gives an object array of UTF-8 bytes (what Keras's NumPy backend returns),
IntegerLookup int64 values.

These layers have no weights. A vocabulary learned by ``adapt`` is written into the config's ``vocabulary``
(with ``idf_weights`` for 'tf_idf'), so that a saved model keeps it: Keras keeps it as a file asset of the
``.keras`` archive instead, which dendrite's saving does not have.
"""
import collections
import itertools

import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from ..utils.validation import int_at_least, non_negative_int
from .base import Layer
from .preprocessing import CategoryEncoding

INFINITE = -1  # tf.data's INFINITE_CARDINALITY, which Dataset.cardinality() gives for a repeat() without count


def text_array(x, who, encoding="utf-8"):
    """``x`` (a Tensor, an array, a list) as a NumPy array of str: bytes are decoded with ``encoding``; anything
    that is not text is refused, naming the layer ``who``."""
    values = array_of(x)
    try:
        arr = np.asarray(values)
    except ValueError:
        raise ValueError(f"{who}: expected a batch of strings, all rows of one length; received ragged nested "
                         "lists. Pass one string per sample (shape (batch,) or (batch, 1)).") from None
    if arr.dtype.kind == "U":
        return arr
    if arr.size == 0:
        return arr.astype(str)  # (an empty list comes as float64)
    if arr.dtype.kind == "S":
        return np.char.decode(arr, encoding)
    if arr.dtype.kind == "O":
        flat = arr.reshape(-1).tolist()
        bad = next((v for v in flat if not isinstance(v, (str, bytes))), None)
        if bad is None:
            decoded = [v.decode(encoding) if isinstance(v, bytes) else v for v in flat]
            return np.array(decoded, dtype=str).reshape(arr.shape)
        received = f"an object array holding {bad!r} of type {type(bad).__name__}"
    else:
        received = f"an array of dtype {arr.dtype}"
    raise ValueError(f"{who}: expected strings (a NumPy array of str or bytes, or a list of strings); received "
                     f"{received}. Text layers read raw text: pass the strings themselves, e.g. "
                     "np.array(['a sentence', 'another one']).")


def int_array(x, who):
    """``x`` as an int64 array of whole numbers (float arrays of whole numbers pass, as fit hands models floats);
    anything else is refused, naming the layer ``who``."""
    arr = np.asarray(array_of(x))
    if arr.dtype.kind in "iub":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.floor(arr)):
        return arr.astype(np.int64)
    raise ValueError(f"{who}: expected integers; received an array of dtype {arr.dtype}"
                     f"{' holding values that are not whole numbers' if arr.dtype.kind == 'f' else ''}. "
                     "Pass integer ids (for strings use StringLookup).")


def adapt_batches(data, who, steps=None, batch_size=None):
    """The batches ``adapt`` reads from ``data``: an array, list or Tensor is one batch (or batches of
    ``batch_size``); any other iterable (a Dataset, a generator) yields batches, the x of (x, y) pairs taken,
    ``steps`` of them at most. An infinite Dataset needs ``steps``."""
    steps = int_at_least(who, "steps", steps, 1, allow_none=True)
    batch_size = int_at_least(who, "batch_size", batch_size, 1, allow_none=True)
    if data is None or isinstance(data, dict):
        raise TypeError(f"{who}.adapt: expected an array or list of samples, or an iterable of batches (a Dataset, "
                        f"a generator); received {type(data).__name__}.")
    if not _iterable_batch(data):
        data = data.to_numpy() if hasattr(data, "to_numpy") else array_of(data)
        if batch_size is None or np.ndim(data) == 0:
            yield data
        else:
            for start in range(0, len(data), batch_size):
                yield data[start:start + batch_size]
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(f"{who}.adapt: expected an array or list of samples, or an iterable of batches; received "
                        f"{type(data).__name__}.")
    cardinality = getattr(data, "cardinality", None)
    if steps is None and callable(cardinality):
        try:
            infinite = int(np.asarray(cardinality())) == INFINITE
        except (TypeError, ValueError):
            infinite = False
        if infinite:
            raise ValueError(f"{who}.adapt: the dataset repeats forever (cardinality INFINITE); pass steps=N to "
                             "read N batches.")
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        yield batch[0] if isinstance(batch, tuple) else batch


def _iterable_batch(data):
    """Whether adapt reads ``data`` batch by batch (a rank-1 batch is then one document, as in Keras)."""
    return not isinstance(data, (Tensor, np.ndarray, list, tuple, str, bytes)) and not hasattr(data, "to_numpy")


def encode_categorical(owner, ids, mode, depth, dtype, drop=None, weights=None):
    """Token ids in [0, ``depth``) (an int array) as 'one_hot', 'multi_hot', 'count' or 'tf_idf' (counts times
    ``weights``) vectors of ``depth`` values, by CategoryEncoding's rules; positions where ``drop`` holds count
    for nothing (the mask token). ``owner`` keeps the CategoryEncoding it uses between calls."""
    extra = drop is not None and bool(np.any(drop))
    if extra:
        ids = np.where(drop, depth, ids)
    size, kind = depth + extra, "count" if mode == "tf_idf" else mode
    encoder = owner.__dict__.get("_encoder")
    if encoder is None or encoder.num_tokens != size or encoder.output_mode != kind:
        encoder = owner._encoder = CategoryEncoding(size, output_mode=kind, name=f"{owner.name}_encoding",
                                                    dtype=backend.floatx())
    out = encoder(ids).value
    if extra:
        out = out[..., :depth]
    if weights is not None:
        out = out * weights
    return Tensor(np.ascontiguousarray(out, dtype=dtype))


class IndexLookup(Layer):
    """What StringLookup and IntegerLookup share (see the module's docstring); not a public layer."""

    _MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
    _text_inputs = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, vocabulary_size=None, has_input_vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self.max_tokens = int_at_least(self.who, "max_tokens", max_tokens, 2, allow_none=True,
                                       hint="It caps the vocabulary, the mask and OOV tokens included.")
        self.num_oov_indices = non_negative_int(self.who, "num_oov_indices", num_oov_indices)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in self._MODES:
            raise ValueError(f"{self.who}: `output_mode` must be one of {self._MODES}; received "
                             f"output_mode={output_mode!r}.")
        if invert and output_mode != "int":
            raise ValueError(f"{self.who}: invert=True maps indices back to tokens, so `output_mode` must be 'int'; "
                             f"received output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{self.who}: sparse=True is not supported (dendrite has no sparse tensors); leave "
                             "sparse=False for dense outputs.")
        if pad_to_max_tokens and self.max_tokens is None:
            raise ValueError(f"{self.who}: pad_to_max_tokens=True pads the output to `max_tokens`, which is not "
                             "set. Pass max_tokens=N too.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{self.who}: `idf_weights` are used only with output_mode='tf_idf'; received "
                             f"output_mode={output_mode!r}.")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{self.who}: `oov_method` must be 'floormod' or 'farmhash'; received "
                             f"oov_method={oov_method!r}.")
        from .hashing import _salt_pair
        self.salt = _salt_pair(salt, self.who)
        self.invert, self.output_mode, self.sparse = bool(invert), output_mode, False
        self.pad_to_max_tokens, self.oov_method = bool(pad_to_max_tokens), oov_method
        self.mask_token, self.oov_token = self._token(mask_token), self._token(oov_token)
        self._tokens = self._idf = None
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = vocabulary is not None if has_input_vocabulary is None else \
            bool(has_input_vocabulary)
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(f"{self.who}: with output_mode='tf_idf' a given `vocabulary` needs its `idf_weights` "
                             "(one per term), or leave both out and call adapt().")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    # ---------------------------------------------------------------- tokens
    def _token(self, value):
        """A token as the layer holds it (str for StringLookup, int for IntegerLookup); None stays None."""
        return value

    def _values(self, x):
        """Input data as an array of tokens."""
        raise NotImplementedError

    def _vocabulary_array(self, tokens):
        raise NotImplementedError

    def _oov_buckets(self, values):
        raise NotImplementedError

    def _oov_start(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self):
        return self._oov_start() + self.num_oov_indices

    def _as_tensor(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x) if not isinstance(x, np.ndarray) else x)

    # ------------------------------------------------------------ vocabulary
    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order; with ``include_special_tokens``, the mask and OOV tokens first, so that
        a term's position is its index."""
        tokens = [] if self._tokens is None else self._tokens.tolist()
        if not include_special_tokens:
            return tokens
        return [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices + tokens

    def vocabulary_size(self):
        """The number of indices: the vocabulary's terms plus the mask and OOV indices."""
        return self._token_start() + (0 if self._tokens is None else len(self._tokens))

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (a list, tuple or 1-D array of terms, or the path of a text file with one term a
        line) and, for 'tf_idf', the ``idf_weights`` (one per term given)."""
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{self.who}: output_mode='tf_idf' needs `idf_weights` with the vocabulary.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{self.who}: `idf_weights` are used only with output_mode='tf_idf'; this layer has "
                             f"output_mode={self.output_mode!r}.")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(f"{self.who}: output_mode='tf_idf' cannot read its vocabulary from a file; pass "
                                 "the terms and their idf_weights as lists.")
            try:
                with open(vocabulary, encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except OSError as e:
                raise ValueError(f"{self.who}: cannot read the vocabulary file {vocabulary!r} ({e}).") from None
            while lines and lines[-1] == "":
                lines.pop()
            vocabulary = lines
        vocab = [self._token(v) for v in np.asarray(array_of(vocabulary)).reshape(-1).tolist()]
        if not vocab:
            raise ValueError(f"{self.who}: cannot set an empty vocabulary; pass at least one term.")
        start = self._token_start()
        specials = [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices
        with_specials = vocab[:start] == specials
        tokens = vocab[start:] if with_specials else vocab
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(f"{self.who}: the vocabulary repeats the terms {repeated[:10]}; each term must appear "
                             "once.")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(f"{self.who}: the mask token {self.mask_token!r} is in the vocabulary at index "
                             f"{vocab.index(self.mask_token)}. Leave it out (the layer adds it), or put the "
                             f"special tokens first in exactly this order: {specials}.")
        if self.invert and self.oov_token is not None and self.oov_token in tokens:
            raise ValueError(f"{self.who}: the OOV token {self.oov_token!r} is in the vocabulary at index "
                             f"{vocab.index(self.oov_token)}. Leave it out, or put the special tokens first in "
                             f"exactly this order: {specials}.")
        size = start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(f"{self.who}: the vocabulary has {size} indices (special tokens included), more than "
                             f"max_tokens={self.max_tokens}.")
        idf = None
        if idf_weights is not None:
            idf = np.asarray(array_of(idf_weights), np.float64)
            if idf.ndim != 1 or len(idf) != len(vocab):
                raise ValueError(f"{self.who}: `idf_weights` must be a 1-D list with one weight per vocabulary "
                                 f"term ({len(vocab)}); received shape {idf.shape}.")
            if not with_specials:
                idf = np.concatenate([np.full(start, idf.mean()), idf])
        self._set_tokens(tokens, idf)

    def _set_tokens(self, tokens, idf=None):
        self._tokens = self._vocabulary_array(tokens)
        self._order = np.argsort(self._tokens, kind="stable")
        self._sorted = self._tokens[self._order]
        if idf is not None:
            if self.pad_to_max_tokens:
                idf = np.concatenate([idf, np.zeros(self.max_tokens - len(idf))])
            self._idf = idf.astype(backend.floatx())

    # ----------------------------------------------------------------- adapt
    def adapt(self, data, steps=None):
        """Learn the vocabulary from ``data``: an array or list of tokens, or an iterable of batches (a Dataset,
        a generator; ``steps`` batches at most). For 'tf_idf' each sample (row) is a document."""
        self._check_adaptable()
        self.reset_state()
        for batch in adapt_batches(data, self.who, steps):
            values = self._values(batch)
            if values.ndim >= 2:
                rows = values.reshape(-1, values.shape[-1])
            else:  # as Keras: an array's values are documents of one token, a batch's are one document
                rows = values.reshape(1, -1) if values.ndim == 1 and _iterable_batch(data) else values.reshape(-1, 1)
            self._count(rows.tolist())
        self.finalize_state()

    def _check_adaptable(self):
        if self._has_input_vocabulary:
            raise ValueError(f"{self.who}: cannot adapt a layer given its vocabulary (the `vocabulary` argument or "
                             "set_vocabulary()). Create the layer without one to learn it from data.")

    def reset_state(self):
        self._counts, self._document_counts, self._documents = collections.Counter(), collections.Counter(), 0

    def _count(self, rows):
        """Add the tokens of ``rows`` (sequences of tokens, one per document) to the counts."""
        self._counts.update(itertools.chain.from_iterable(rows))
        if self.output_mode == "tf_idf":
            self._document_counts.update(itertools.chain.from_iterable(set(r) for r in rows))
            self._documents += len(rows)

    def finalize_state(self):
        """Make the vocabulary (and idf weights) from the counts so far."""
        counts = self._counts
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        if not counts:
            raise ValueError(f"{self.who}.adapt: the data holds no tokens to learn a vocabulary from (it is empty, "
                             "or holds only the mask and OOV tokens). Pass the samples to learn from.")
        ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens is not None:
            ranked = ranked[:self.max_tokens - self._token_start()]
        tokens = [t for t, _ in ranked]
        idf = None
        if self.output_mode == "tf_idf":
            df = np.array([self._document_counts[t] for t in tokens], np.float64)
            idf = np.log1p(self._documents / (1 + df))
            idf = np.concatenate([np.full(self._token_start(), idf.mean()), idf])
        self._set_tokens(tokens, idf)
        self.reset_state()

    # ------------------------------------------------------------------ call
    def lookup(self, values):
        """The int64 index of each token of ``values`` (an array of the layer's tokens); mask tokens give 0 in
        'int' mode and -2 (dropped) otherwise."""
        if self._tokens is None:
            raise ValueError(f"{self.who}: the layer has no vocabulary yet. Pass `vocabulary=` or call adapt(data) "
                             "before calling it.")
        flat = values.reshape(-1)
        pos = np.minimum(np.searchsorted(self._sorted, flat), len(self._sorted) - 1)
        found = self._sorted[pos] == flat
        ids = np.where(found, self._order[pos] + self._token_start(), -1)
        unknown = ~found
        if self.mask_token is not None:
            masked = flat == self.mask_token
            ids[masked] = 0 if self.output_mode == "int" else -2
            unknown &= ~masked
        if unknown.any():
            if self.num_oov_indices == 0:
                missing = list(dict.fromkeys(flat[unknown].tolist()))
                raise ValueError(f"{self.who}: with num_oov_indices=0 every input must be in the vocabulary; found "
                                 f"{missing[:10]} outside it. Set num_oov_indices=1 to map unknown values to an "
                                 "OOV index.")
            ids[unknown] = self._oov_start() + (0 if self.num_oov_indices == 1 else
                                                 self._oov_buckets(flat[unknown]))
        return ids.reshape(values.shape).astype(np.int64, copy=False)

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def encode(self, ids, drop=None):
        """Indices (from ``lookup``) as the layer's output: int64 ids, or vectors of the output mode."""
        if self.output_mode == "int":
            return Tensor(ids)
        if drop is None and self.mask_token is not None:
            drop = ids == -2
        return encode_categorical(self, ids, self.output_mode, self._depth(), backend.floatx(), drop, self._idf)

    def call(self, inputs):
        if self.invert:
            return self._inverted(int_array(inputs, self.who))
        return self.encode(self.lookup(self._values(inputs)))

    def _inverted(self, ids):
        if self._tokens is None:
            raise ValueError(f"{self.who}: the layer has no vocabulary yet. Pass `vocabulary=` or call adapt(data) "
                             "before calling it.")
        vocab = self._vocabulary_out(self.get_vocabulary())
        inside = (ids >= 0) & (ids < len(vocab))
        out = vocab[np.where(inside, ids, 0)]
        if not inside.all():
            out[~inside] = self._vocabulary_out([self.oov_token])[0]
        return Tensor(out)

    def _vocabulary_out(self, tokens):
        return np.asarray(tokens)

    # ---------------------------------------------------------------- shapes
    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = self.max_tokens if self.pad_to_max_tokens else (self.vocabulary_size() if self._tokens is not None
                                                                else None)
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (depth,)
        return shape[:-1] + (depth,)

    def _symbolic_call(self, inputs, kwargs):
        out = super()._symbolic_call(inputs, kwargs)
        out.dtype = ("string" if self._text_inputs else "int64") if self.invert else \
            "int64" if self.output_mode == "int" else backend.floatx()
        return out

    def get_config(self):
        vocabulary, idf = self.input_vocabulary, self.input_idf_weights
        if vocabulary is None and self._tokens is not None:  # learned: kept in the config (see module docstring)
            vocabulary = self.get_vocabulary(include_special_tokens=self.output_mode == "tf_idf")
            idf = None if self._idf is None else self._idf[:self.vocabulary_size()].tolist()

        def listed(v):
            return np.asarray(array_of(v)).tolist() if isinstance(v, (np.ndarray, Tensor, tuple)) else v
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "idf_weights": listed(idf), "vocabulary": listed(vocabulary),
                "vocabulary_size": self.vocabulary_size() if self._tokens is not None else None,
                "oov_method": self.oov_method, "salt": self.salt}


class StringLookup(IndexLookup):
    """Strings to vocabulary indices (or back, with ``invert=True``); see the module's docstring."""

    _text_inputs = _raw_inputs = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, **kwargs)

    def _token(self, value):
        return value.decode(self.encoding) if isinstance(value, bytes) else None if value is None else str(value)

    def _values(self, x):
        return text_array(x, self.who, self.encoding)

    def _vocabulary_array(self, tokens):
        return np.array(tokens, dtype=str)

    def _oov_buckets(self, values):
        from .hashing import hash_bins
        return hash_bins(np.char.encode(values, self.encoding), self.num_oov_indices, self.salt)

    def _vocabulary_out(self, tokens):
        out = np.empty(len(tokens), dtype=object)
        out[:] = [t.encode(self.encoding) for t in tokens]
        return out

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Integers to vocabulary indices (or back, with ``invert=True``); see the module's docstring."""

    _raw_inputs = True  # ids reach it as given, never through float32

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' is supported; received "
                             f"vocabulary_dtype={vocabulary_dtype!r}.")
        if salt is not None and oov_method != "farmhash":
            raise ValueError(f"IntegerLookup: `salt` is used only with oov_method='farmhash'; received "
                             f"oov_method={oov_method!r}.")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         oov_method=oov_method, salt=salt, name=name, **kwargs)

    def _token(self, value):
        if value is None:
            return None
        try:
            as_int = int(value)
        except (TypeError, ValueError):
            as_int = None
        if as_int is None or as_int != value:
            raise ValueError(f"IntegerLookup: vocabulary terms and special tokens must be integers; received "
                             f"{value!r}.")
        return as_int

    def _values(self, x):
        return int_array(x, self.who)

    def _vocabulary_array(self, tokens):
        return np.array(tokens, dtype=np.int64)

    def _oov_buckets(self, values):
        if self.oov_method == "floormod":
            return np.mod(values, self.num_oov_indices)
        from .hashing import as_text, hash_bins
        return hash_bins(as_text(values), self.num_oov_indices, self.salt)

    def _vocabulary_out(self, tokens):
        return np.asarray(tokens, np.int64)

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}


__all__ = ["StringLookup", "IntegerLookup"]
