"""The IMDB reviews: importable as in Keras, so that programs that only import it run; ``load_data`` is refused
(Keras's imdb.npz holds its reviews as pickles, which dendrite never loads: see _refused for what to use
instead); ``get_word_index`` reads Keras's word index, a JSON file."""
from ._word_index import refused_loader, word_index_reader

load_data = refused_loader("imdb")
get_word_index = word_index_reader("imdb", "bfafd718b763782e994055a2d397834f")  # Keras's MD5 of the file
