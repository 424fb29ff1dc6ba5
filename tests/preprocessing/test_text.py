"""Keras 2's Tokenizer and text helpers: indices, num_words, OOV, matrices, JSON."""
import json

import numpy as np
import pytest

import dendrite as keras
from dendrite.preprocessing.text import (Tokenizer, hashing_trick, one_hot, text_to_word_sequence,
                                         tokenizer_from_json)

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!"]


def test_text_to_word_sequence():
    assert text_to_word_sequence("Hello, World!  It's\tme.") == ["hello", "world", "it's", "me"]
    assert text_to_word_sequence("a-b|c", filters="-", lower=False, split="|") == ["a", "b", "c"]


def test_fit_on_texts_indices_and_counts():
    tok = Tokenizer()
    tok.fit_on_texts(TEXTS)
    # by count ('the': 3), ties in the order the words were first seen; indices from 1
    assert list(tok.word_index) == ["the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework"]
    assert tok.word_index["the"] == 1 and tok.index_word[2] == "cat"
    assert tok.word_counts["the"] == 3 and tok.word_docs["the"] == 2 and tok.document_count == 2
    assert tok.texts_to_sequences(["the cat ate a bone"]) == [[1, 2, 7]]  # unknown words are left out
    assert tok.sequences_to_texts([[1, 2, 7, 99]]) == ["the cat ate"]


def test_num_words_and_oov_token():
    tok = Tokenizer(num_words=5, oov_token="<OOV>")
    tok.fit_on_texts(TEXTS)
    assert tok.word_index["<OOV>"] == 1 and tok.word_index["the"] == 2
    # indices from num_words up count as OOV
    assert tok.texts_to_sequences(["the cat ate a bone"]) == [[2, 3, 1, 1, 1]]
    assert tok.sequences_to_texts([[2, 3, 4, 5, 6]]) == ["the cat sat <OOV> <OOV>"]
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abca"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3}


def test_texts_to_matrix_modes():
    tok = Tokenizer(num_words=5)
    tok.fit_on_texts(TEXTS)
    text = ["the cat the dog"]
    assert tok.texts_to_matrix(text, mode="binary").tolist() == [[0, 1, 1, 0, 0]]
    assert tok.texts_to_matrix(text, mode="count").tolist() == [[0, 2, 1, 0, 0]]  # 'dog' (6) is past num_words
    np.testing.assert_allclose(tok.texts_to_matrix(text, mode="freq"), [[0, 2 / 3, 1 / 3, 0, 0]])
    idf_the, idf_cat = np.log(1 + 2 / (1 + 2)), np.log(1 + 2 / (1 + 1))
    np.testing.assert_allclose(tok.texts_to_matrix(text, mode="tfidf"),
                               [[0, (1 + np.log(2)) * idf_the, idf_cat, 0, 0]])
    assert Tokenizer().fit_on_texts(["x"]) is None
    assert keras.preprocessing.text.Tokenizer is Tokenizer


def test_json_round_trip():
    tok = Tokenizer(num_words=6, oov_token="?")
    tok.fit_on_texts(TEXTS)
    text = tok.to_json()
    stored = json.loads(text)
    assert stored["class_name"] == "Tokenizer" and json.loads(stored["config"]["word_index"])["the"] == 2
    again = tokenizer_from_json(text)
    assert again.word_index == tok.word_index and again.index_word == tok.index_word
    assert again.texts_to_sequences(["the dog sat"]) == tok.texts_to_sequences(["the dog sat"])
    np.testing.assert_allclose(again.texts_to_matrix(TEXTS, mode="tfidf"), tok.texts_to_matrix(TEXTS, mode="tfidf"))


def test_hashing_trick_is_stable_md5():
    import hashlib
    expected = [int(hashlib.md5(w.encode()).hexdigest(), 16) % 9 + 1 for w in ("hello", "world")]
    assert one_hot("Hello world", 10) == expected == hashing_trick("hello, world", 10, hash_function="md5")
    assert hashing_trick("a b", 5, hash_function=len) == [2, 2]


def test_errors():
    with pytest.raises(ValueError, match="fit it on some texts first"):
        Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="mode"):
        Tokenizer(num_words=3).texts_to_matrix(["a"], mode="onehot")
    with pytest.raises(ValueError, match="tfidf"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(TypeError, match="one string"):
        Tokenizer().fit_on_texts("just one text")
    with pytest.raises(ValueError, match="to_json"):
        tokenizer_from_json('{"config": {}}')
