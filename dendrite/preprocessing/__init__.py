"""Keras 2's ``keras.preprocessing`` helpers that tutorials still import: ``preprocessing.text`` (Tokenizer,
text_to_word_sequence, one_hot, hashing_trick, tokenizer_from_json) and ``preprocessing.sequence``
(pad_sequences)."""
from . import sequence, text

__all__ = ["sequence", "text"]
