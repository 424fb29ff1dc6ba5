"""TextVectorization: raw strings to token indices or to vectors over a vocabulary, as Keras 3 has it.

Each string goes through, in order:

1. ``standardize``: 'lower_and_strip_punctuation' (the default), 'lower', 'strip_punctuation', None, or a
   callable given the NumPy array of str and returning one of the same shape (Keras's contract on its
   non-TensorFlow backends). As TensorFlow's ops do, 'lower' changes ASCII letters only and punctuation is
   ASCII punctuation (``string.punctuation``).
2. ``split``: 'whitespace' (runs of ASCII whitespace; no empty tokens), 'character' (Unicode code points),
   None (the string is one token), or a callable given the 1-D array of str and returning one sequence of
   tokens per string.
3. ``ngrams``: None, n (1- to n-grams) or a tuple of widths: for each width in turn, the runs of tokens joined
   by a space.
4. lookup in the vocabulary (a StringLookup with mask token '' and OOV token '[UNK]': in 'int' mode index 0 is
   padding, 1 is OOV), then ``output_mode``: 'int' (int64 indices, padded with 0 to the longest sample or
   padded / truncated to ``output_sequence_length``), 'multi_hot', 'count' or 'tf_idf' (floatx vectors of
   ``vocabulary_size()`` values, or ``max_tokens`` with ``pad_to_max_tokens``).

Inputs are a batch of strings, shaped (batch,) or (batch, 1) (str, bytes or object arrays, lists, Tensors).
``adapt`` learns the vocabulary from arrays, lists or any iterable of batches (a Dataset, a generator).
"""
import itertools
import re
import string

import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..utils.validation import int_at_least
from .base import Layer
from .lookup import StringLookup, adapt_batches, text_array

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_LOWER = {ord(c): ord(c.lower()) for c in string.ascii_uppercase}
_STRIP = {ord(c): None for c in string.punctuation}
_TABLES = {"lower": _LOWER, "strip_punctuation": _STRIP, "lower_and_strip_punctuation": {**_LOWER, **_STRIP}}
_WORDS = re.compile(r"[^ \t\n\v\f\r]+")


def _ngrams(tokens, widths):
    return [" ".join(tokens[i:i + n]) for n in widths for i in range(len(tokens) - n + 1)]


def ragged_rows(values, row_lengths):
    """What ``ragged=True`` gives: a list of int64 arrays, one per sample (compatibility mode serves this name
    as tf.RaggedTensor.from_row_lengths, so TensorFlow programs get a RaggedTensor)."""
    return np.split(values, np.cumsum(row_lengths)[:-1]) if len(row_lengths) else []


def ragged_output(values, row_lengths):
    return RAGGED_OUTPUT(values, row_lengths)


RAGGED_OUTPUT = ragged_rows


class TextVectorization(Layer):
    """Strings to token indices or token vectors over a vocabulary (see the module's docstring)."""

    _text_inputs = _raw_inputs = True

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(f"{self.who}: `standardize` must be None, one of {_STANDARDIZE} or a callable; "
                             f"received standardize={standardize!r}.")
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(f"{self.who}: `split` must be None, one of {_SPLIT} or a callable; received "
                             f"split={split!r}.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise ValueError(f"{self.who}: `output_mode` must be one of ('int', 'multi_hot', 'count', 'tf_idf'); "
                             f"received output_mode={output_mode!r}.")
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)  # (a JSON config writes the tuple as a list)
        if isinstance(ngrams, bool) or not (ngrams is None or isinstance(ngrams, int) and ngrams >= 1 or (
                isinstance(ngrams, tuple) and ngrams and all(isinstance(n, int) and n >= 1 for n in ngrams))):
            raise ValueError(f"{self.who}: `ngrams` must be None, a positive integer or a tuple of positive "
                             f"integers; received ngrams={ngrams!r}.")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"{self.who}: `output_sequence_length` pads or truncates index sequences, so it is set "
                             f"only with output_mode='int'; received output_mode={output_mode!r} and "
                             f"output_sequence_length={output_sequence_length!r}. Leave it None.")
        self.output_sequence_length = int_at_least(self.who, "output_sequence_length", output_sequence_length, 1,
                                                   allow_none=True)
        if ragged and output_mode != "int":
            raise ValueError(f"{self.who}: `ragged` can be True only with output_mode='int' (token indices); "
                             f"received ragged=True and output_mode={output_mode!r}.")
        self.standardize, self.split, self.ngrams = standardize, split, ngrams
        self._widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self.output_mode, self.ragged, self.encoding = output_mode, bool(ragged), encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode, sparse=sparse,
            encoding=encoding, name=f"{self.name}_lookup", has_input_vocabulary=has_input_vocabulary,
            vocabulary_size=vocabulary_size)

    def _as_tensor(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x) if not isinstance(x, np.ndarray) else x)

    # ------------------------------------------------------------ vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary (and, for 'tf_idf', the idf weights: each string is a document) from ``data``:
        an array or list of strings, or an iterable of batches of strings (a Dataset, a generator; ``steps``
        batches at most). The terms are ranked by count, ties by descending term; ``max_tokens`` keeps the
        first ``max_tokens`` indices, the padding and OOV ones included."""
        lookup = self._lookup_layer
        lookup._check_adaptable()
        lookup.reset_state()
        for batch in adapt_batches(data, self.who, steps, batch_size):
            lookup._count(self._tokens(batch, adapting=True))
        lookup.finalize_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order: '' (padding) and '[UNK]' (OOV) first unless
        ``include_special_tokens=False``; in the other modes there is no padding token."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (terms, or a file of one term a line) and, for 'tf_idf', the idf weights."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def vocabulary_size(self):
        """The number of indices: the terms plus the padding and OOV indices."""
        return self._lookup_layer.vocabulary_size()

    # ------------------------------------------------------------- tokenize
    def _standardized(self, strings):
        if self.standardize is None:
            return strings
        if callable(self.standardize):
            out = text_array(self.standardize(strings), f"{self.who} standardize", self.encoding)
            if out.shape != strings.shape:
                raise ValueError(f"{self.who}: the `standardize` callable must return strings of the shape it was "
                                 f"given, {strings.shape}; it returned shape {out.shape}.")
            return out
        table = _TABLES[self.standardize]
        return np.array([s.translate(table) for s in strings.reshape(-1).tolist()], dtype=str).reshape(strings.shape)

    def _tokens(self, batch, adapting=False):
        """The token lists of a batch of strings, one per sample."""
        strings = text_array(batch, self.who, self.encoding)
        if strings.ndim == 0:
            if not adapting:
                raise ValueError(f"{self.who}: expected a batch of strings, shape (batch,) or (batch, 1); received "
                                 "a single string. Wrap it in a list: ['...'].")
            strings = strings.reshape(1)
        if strings.ndim > 2 or (strings.ndim == 2 and self.split is not None and strings.shape[-1] != 1):
            raise ValueError(f"{self.who}: expected strings of shape (batch,) or (batch, 1), one string per sample; "
                             f"received shape {strings.shape}.")
        strings = self._standardized(strings)
        if self.split is None:
            rows = strings.reshape(len(strings), -1).tolist()
        else:
            strings = strings.reshape(-1)
            if self.split == "whitespace":
                rows = [_WORDS.findall(s) for s in strings.tolist()]
            elif self.split == "character":
                rows = [list(s) for s in strings.tolist()]
            else:
                rows = [text_array(list(r), f"{self.who} split", self.encoding).reshape(-1).tolist()
                        for r in self.split(strings)]
                if len(rows) != len(strings):
                    raise ValueError(f"{self.who}: the `split` callable must return one sequence of tokens per "
                                     f"string ({len(strings)}); it returned {len(rows)}.")
        if self._widths is not None:
            rows = [_ngrams(r, self._widths) for r in rows]
        return rows

    # ------------------------------------------------------------------ call
    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) and np.ndim(getattr(inputs, "value", inputs)) == 0:
            # one string: its output row, as Keras on TensorFlow gives for a scalar input
            out = self.call([inputs.value[()] if isinstance(inputs, Tensor) else inputs])
            return out[0]
        rows = self._tokens(inputs)
        lengths = np.array([len(r) for r in rows], np.int64)
        flat = np.array(list(itertools.chain.from_iterable(rows)), dtype=str)
        lookup = self._lookup_layer
        ids = lookup.lookup(flat) if flat.size else np.zeros(0, np.int64)
        width = self.output_sequence_length if self.output_mode == "int" and self.output_sequence_length else \
            int(lengths.max(initial=0))
        row = np.repeat(np.arange(len(rows)), lengths)
        col = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        keep = col < width
        if self.ragged:  # each sample's indices, unpadded (truncated to output_sequence_length when it is set)
            return ragged_output(ids[keep], np.minimum(lengths, width))
        if self.output_mode == "int":
            out = np.zeros((len(rows), width), np.int64)
            out[row[keep], col[keep]] = ids[keep]
            return Tensor(out)
        padded = np.zeros((len(rows), max(width, 1)), np.int64)
        drop = np.ones(padded.shape, bool)
        padded[row, col], drop[row, col] = ids, ids == -2
        return lookup.encode(padded, drop)

    def compute_output_shape(self, input_shape):
        if self.ragged:
            raise ValueError(f"{self.who}: with ragged=True the layer gives each sample's indices unpadded, which "
                             "no other layer takes; call it on strings directly (or in a tf.data map), or set "
                             "ragged=False to feed a model.")
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        return self._lookup_layer.compute_output_shape((input_shape[0], None))

    def _symbolic_call(self, inputs, kwargs):
        out = super()._symbolic_call(inputs, kwargs)
        out.dtype = "int64" if self.output_mode == "int" else backend.floatx()
        return out

    def get_config(self):
        from ..saving import serialize_keras_object
        lookup = self._lookup_layer.get_config()

        def named(value):
            return value if value is None or isinstance(value, str) else serialize_keras_object(value)
        return {**super().get_config(), "max_tokens": lookup["max_tokens"], "standardize": named(self.standardize),
                "split": named(self.split), "ngrams": self.ngrams, "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": lookup["pad_to_max_tokens"], "sparse": False, "ragged": self.ragged,
                "vocabulary": lookup["vocabulary"], "idf_weights": lookup["idf_weights"], "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config):
        from ..saving import deserialize_keras_object
        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        return cls(**config)


__all__ = ["TextVectorization"]
