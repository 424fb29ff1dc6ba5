"""The Reuters newswires: importable as in Keras; ``load_data`` is refused (Keras's reuters.npz holds pickles,
see _refused); ``get_word_index`` reads Keras's word index, a JSON file; ``get_label_names`` gives the 46
topic names."""
from ._word_index import refused_loader, word_index_reader

load_data = refused_loader("reuters")
get_word_index = word_index_reader("reuters", "4d44cc38712099c9e383dc6e5f11a921")  # Keras's MD5 of the file


_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
    "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail",
    "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas",
    "silver", "wpi", "hog", "lead")


def get_label_names():
    """The 46 topic names, in the order of the labels' indices."""
    return _LABELS
