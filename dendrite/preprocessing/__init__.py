"""Keras 2's ``keras.preprocessing`` helpers that tutorials still import: ``preprocessing.text`` (Tokenizer,
text_to_word_sequence, one_hot, hashing_trick, tokenizer_from_json), ``preprocessing.sequence``
(pad_sequences) and ``preprocessing.image`` (load_img, img_to_array, array_to_img, save_img)."""
from . import image, sequence, text

__all__ = ["image", "sequence", "text"]
