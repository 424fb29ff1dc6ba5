"""The Keras datasets dendrite refuses, and why: Keras's IMDB and Reuters files hold their word-index
sequences as numpy object arrays, which can only be stored as pickles, and dendrite never unpickles a file
(unpickling can run code stored in it). Their ``load_data()`` (``dendrite.datasets.imdb.load_data``, or
``keras.datasets.imdb.load_data`` in compatibility mode) raises the NotImplementedError below."""

_CONVERT = ("convert {file} once, with Keras in an environment you trust, to plain integer arrays "
            "(keras.utils.pad_sequences) saved with np.savez, and load those with "
            "np.load(path, allow_pickle=False).")
# name -> (Keras's file, what its sequences are, what to use instead)
_REFUSED = {
    "imdb": ("imdb.npz", "movie reviews",
             "Use the review text instead: download https://ai.stanford.edu/~amaas/data/sentiment/"
             "aclImdb_v1.tar.gz, extract it, read aclImdb/train and aclImdb/test (move aclImdb/train/unsup "
             "away first) with dendrite.utils.text_dataset_from_directory (labels from the neg/pos folders) "
             "and turn the text into word indices with a dendrite.layers.TextVectorization layer. Or "
             + _CONVERT.format(file="imdb.npz")),
    "reuters": ("reuters.npz", "newswires", "Instead, " + _CONVERT.format(file="reuters.npz")),
}


def refusal(module, name):
    """The error for ``module.name``: NotImplementedError for imdb and reuters, AttributeError otherwise."""
    if name not in _REFUSED:
        return AttributeError(f"module '{module}' has no attribute '{name}'")
    file, what, instead = _REFUSED[name]
    return NotImplementedError(
        f"dendrite.datasets.{name} is not available: Keras's {file} stores its {what} as numpy object "
        f"arrays (lists of word indices of different lengths), which numpy can only save as pickles, and "
        f"dendrite never unpickles a file, since unpickling can run code stored in it. {instead}")
