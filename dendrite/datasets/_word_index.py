"""What the ``imdb`` and ``reuters`` modules share: ``load_data`` refused (their sequences are pickles, see
_refused), ``get_word_index`` read from Keras's plain JSON file (found locally first, else downloaded and
checked against Keras's published hash)."""
import json

from . import _fetch
from ._refused import refusal

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def refused_loader(name):
    def load_data(path=f"{name}.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
                  oov_char=2, index_from=3, **kwargs):
        raise refusal("dendrite.datasets", name)
    load_data.__name__ = "load_data"
    load_data.__doc__ = f"Refused: Keras's {name}.npz holds pickles (see dendrite.datasets._refused)."
    return load_data


def word_index_reader(name, file_hash):
    def get_word_index(path=f"{name}_word_index.json"):
        """The word -> index dictionary of the sequences (a JSON file, read without running code)."""
        local = _fetch.fetch(path, ORIGIN + f"{name}_word_index.json", file_hash=file_hash,
                             who=f"{name}.get_word_index")
        with open(local, encoding="utf-8") as f:
            return json.load(f)
    return get_word_index
