"""Keras 2's text preprocessing (``keras.preprocessing.text``): the ``Tokenizer`` class and its helpers, with
Keras 2's defaults and results.

``Tokenizer`` ranks words by count (ties keep the order in which the words were first seen), gives them indices
from 1 (``oov_token``, when set, takes 1), and with ``num_words`` keeps only the indices below it. Its JSON
(``to_json`` / ``tokenizer_from_json``) is Keras 2's: ``{"class_name": "Tokenizer", "config": {...}}`` with
the tables as JSON strings, so files from either side load in the other.

``one_hot`` and ``hashing_trick`` hash words into ``n - 1`` buckets (1..n-1). Keras 2 used Python's ``hash``
by default, which changes from one process to the next; here the default is MD5 (Keras's
``hash_function='md5'``), so the ids repeat across runs.
"""
import collections
import hashlib
import json

import numpy as np

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=FILTERS, lower=True, split=" "):
    """The words of ``input_text``: lowercased (``lower``), each character of ``filters`` replaced by ``split``,
    split on ``split``, empty pieces dropped."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in input_text.split(split) if word]


def _md5(word):
    return int(hashlib.md5(word.encode("utf-8")).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=FILTERS, lower=True, split=" ", analyzer=None):
    """The words of ``text`` as ids in [1, n): ``hash_function(word) % (n - 1) + 1``; ``hash_function`` None or
    'md5' is MD5 (stable across processes), or any callable."""
    if hash_function is None or hash_function == "md5":
        hash_function = _md5
    if not callable(hash_function):
        raise ValueError(f"hashing_trick: `hash_function` must be None, 'md5' or a callable; received "
                         f"{hash_function!r}.")
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"hashing_trick: `n` (the number of ids, id 0 unused) must be an integer >= 2; received "
                         f"n={n!r}.")
    words = text_to_word_sequence(text, filters, lower, split) if analyzer is None else analyzer(text)
    return [hash_function(w) % (n - 1) + 1 for w in words]


def one_hot(input_text, n, filters=FILTERS, lower=True, split=" ", analyzer=None):
    """``hashing_trick`` with MD5: the words of ``input_text`` as ids in [1, n)."""
    return hashing_trick(input_text, n, filters=filters, lower=lower, split=split, analyzer=analyzer)


class Tokenizer:
    """Keras 2's text tokenizer (see the module's docstring)."""

    def __init__(self, num_words=None, filters=FILTERS, lower=True, split=" ", char_level=False, oov_token=None,
                 analyzer=None, document_count=0, **kwargs):
        if "nb_words" in kwargs:  # Keras 1's name, which Keras 2 still took
            num_words = kwargs.pop("nb_words")
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized keyword argument(s) {sorted(kwargs)}.")
        if num_words is not None and (not isinstance(num_words, (int, np.integer)) or num_words < 1):
            raise ValueError(f"Tokenizer: `num_words` must be a positive integer or None; received "
                             f"num_words={num_words!r}.")
        self.num_words, self.filters, self.lower, self.split = num_words, filters, lower, split
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer
        self.document_count = document_count
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.word_index, self.index_word = {}, {}

    def _words(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Count the words of ``texts`` (strings, or lists of words) and remake ``word_index``."""
        if isinstance(texts, str):
            raise TypeError("Tokenizer.fit_on_texts: expected a list of texts; received one string. Wrap it: "
                            "fit_on_texts([text]).")
        for text in texts:
            self.document_count += 1
            words = self._words(text)
            for w in words:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(words):
                self.word_docs[w] += 1
        ranked = sorted(self.word_counts.items(), key=lambda kv: kv[1], reverse=True)  # stable: ties keep order
        vocab = ([] if self.oov_token is None else [self.oov_token]) + [w for w, _ in ranked]
        self.word_index = {w: i for i, w in enumerate(vocab, start=1)}
        self.index_word = {i: w for w, i in self.word_index.items()}
        self.index_docs = collections.defaultdict(int)
        for w, c in self.word_docs.items():
            self.index_docs[self.word_index[w]] += c

    def fit_on_sequences(self, sequences):
        """Count documents per index from sequences of indices (what ``tfidf`` mode needs)."""
        for seq in sequences:
            self.document_count += 1
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences_generator(self, texts):
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            seq = []
            for w in self._words(text):
                i = self.word_index.get(w)
                if i is not None and not (self.num_words and i >= self.num_words):
                    seq.append(i)
                elif oov is not None:
                    seq.append(oov)
            yield seq

    def texts_to_sequences(self, texts):
        """Each text as the list of its words' indices; unknown words (and, with ``num_words``, indices from
        num_words up) become ``oov_token``'s index, or are left out when there is none."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for i in seq:
                word = self.index_word.get(int(i))
                if word is not None and not (self.num_words and i >= self.num_words):
                    words.append(word)
                elif oov is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def sequences_to_texts(self, sequences):
        """Each sequence of indices back as text: its words joined by spaces."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """``sequences_to_matrix`` of ``texts_to_sequences(texts)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """One row of ``num_words`` (or ``len(word_index) + 1``) values per sequence: 'binary' (1 where the index
        occurs), 'count', 'freq' (count / sequence length) or 'tfidf' ((1 + log count) *
        log(1 + documents / (1 + documents with the index)))."""
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError(f"Tokenizer: `mode` must be 'binary', 'count', 'freq' or 'tfidf'; received "
                             f"mode={mode!r}.")
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Tokenizer: the matrix width is unknown: pass num_words= to the Tokenizer, or fit it "
                             "on some texts first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: mode='tfidf' needs document counts: fit the Tokenizer on some data first.")
        x = np.zeros((len(sequences), width))
        for row, seq in enumerate(sequences):
            counts = collections.Counter(j for j in seq if j < width)
            for j, c in counts.items():
                if mode == "count":
                    x[row, j] = c
                elif mode == "freq":
                    x[row, j] = c / len(seq)
                elif mode == "binary":
                    x[row, j] = 1
                else:
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[row, j] = (1 + np.log(c)) * idf
        return x

    def get_config(self):
        """Keras 2's config: the arguments, and the tables as JSON strings."""
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower, "split": self.split,
                "char_level": self.char_level, "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
                "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
                "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        """The tokenizer as Keras 2's JSON string (keyword arguments go to ``json.dumps``)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """The Tokenizer that ``to_json`` wrote (dendrite's or Keras 2's)."""
    try:
        config = dict(json.loads(json_string)["config"])
        tables = {key: json.loads(config.pop(key)) for key in
                  ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    except (TypeError, ValueError, KeyError) as e:
        raise ValueError(f"tokenizer_from_json: expected the JSON string that Tokenizer.to_json() writes ({e!r}); "
                         f"received {str(json_string)[:200]!r}.") from None
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(tables["word_counts"])
    tokenizer.word_docs = collections.defaultdict(int, tables["word_docs"])
    tokenizer.index_docs = collections.defaultdict(int, {int(k): v for k, v in tables["index_docs"].items()})
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer


__all__ = ["Tokenizer", "text_to_word_sequence", "one_hot", "hashing_trick", "tokenizer_from_json"]
