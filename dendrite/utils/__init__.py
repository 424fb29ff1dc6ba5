"""Utilities with Keras's names: one-hot labels, seeding, file downloads.

``to_categorical`` and ``normalize`` live in :mod:`.np_utils` (the Keras 2
module name); ``get_file`` shares its search and download code with
:mod:`dendrite.datasets`.
"""
import os
import random

import numpy as np

from .. import backend
from .data_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from .dataset_utils_ts import split_dataset, timeseries_dataset_from_array
from .directory_datasets import image_dataset_from_directory, text_dataset_from_directory
from .audio_dataset import audio_dataset_from_directory
from .image_utils import array_to_img, img_to_array, load_img, save_img
from .model_plot import model_to_dot, plot_model
from .np_utils import normalize, to_categorical
from .py_dataset import PyDataset, Sequence
from .sequence_utils import pad_sequences


def set_random_seed(seed):
    """Seed Python's ``random``, NumPy's global generator and dendrite's generator.

    After it, weight initialisation, dropout and shuffling repeat exactly, so
    a training run gives bit-identical results when repeated.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(
            "set_random_seed: expected `seed` to be an integer in [0, 2**32); "
            f"received seed={seed!r} of type {type(seed).__name__}. Pass e.g. seed=42."
        )
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    backend.seed(seed)


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Return a local path to a file, downloading it from ``origin`` if there is no copy.

    As in Keras: the file goes to ``<cache_dir>/<cache_subdir>/<fname>``, here
    with ``cache_dir`` defaulting to dendrite's cache ($DENDRITE_HOME, else
    ~/.dendrite). With ``cache_dir`` left out, copies in $DENDRITE_DATA, the
    dendrite cache and ~/.keras are found first. ``file_hash`` (sha256 or md5)
    is checked after download and on cached copies. ``extract=True`` unpacks a
    tar or zip archive and returns the folder it was unpacked into.
    """
    from urllib.parse import urlsplit

    from ..datasets import _fetch

    if not origin:
        raise ValueError("get_file: expected `origin`, the URL of the file to download; received "
                         f"origin={origin!r}. Pass e.g. origin='https://example.com/data.csv'.")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    given_name = fname is not None and os.fspath(fname) != ""
    if given_name:
        fname = os.path.expanduser(os.fspath(fname))
    else:
        fname = os.path.basename(urlsplit(origin).path)
        if not fname:
            raise ValueError(f"get_file: cannot take a file name from origin={origin!r}. "
                             "Pass fname='name.ext'.")
    folder, fname = os.path.split(fname)
    if folder:
        cache_dir, cache_subdir = folder, ""
    extracting = extract or untar
    if extracting:
        if given_name and "." in fname:
            stored, extracted = fname, fname[:fname.find(".")] + "_extracted"
        else:
            stored, extracted = fname + "_archive", fname
    else:
        stored = fname
    path = _fetch.fetch(stored, origin, file_hash, cache_subdir=cache_subdir, cache_dir=cache_dir,
                        verify_local=True, hash_algorithm=hash_algorithm,
                        force_download=force_download, who="get_file")
    if not extracting:
        return path
    base = _fetch.dendrite_home() if cache_dir is None else os.path.expanduser(os.fspath(cache_dir))
    out = os.path.join(_fetch._writable_dir(base, cache_subdir), extracted)
    if not _fetch.extract_archive(path, out, "tar" if untar else archive_format):
        import warnings
        warnings.warn(f"get_file: could not extract {path}: it is not a tar or zip archive "
                      f"(archive_format={archive_format!r}).", stacklevel=2)
    return out


__all__ = ["to_categorical", "normalize", "set_random_seed", "get_file", "pack_x_y_sample_weight",
           "unpack_x_y_sample_weight", "plot_model", "model_to_dot", "load_img", "img_to_array", "array_to_img",
           "save_img", "PyDataset", "Sequence", "pad_sequences", "timeseries_dataset_from_array", "split_dataset",
           "image_dataset_from_directory", "text_dataset_from_directory",
           "audio_dataset_from_directory", "FeatureSpace"]


def __getattr__(name):
    # FeatureSpace is built from layers, which import this package: it is imported on first use
    if name == "FeatureSpace":
        from .feature_space import FeatureSpace
        return FeatureSpace
    raise AttributeError(f"module 'dendrite.utils' has no attribute {name!r}")
