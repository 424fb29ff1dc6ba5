"""Files a program names by URL or bucket path (``gs://mnist-public/train-images-idx3-ubyte``,
``https://.../data.csv``), read offline: ``tf.data``'s file datasets and ``tf.io`` (with ``tf.io.gfile``)
look the file name up in ``dendrite run --data-dir`` (``$DENDRITE_DATA``) first. Everything else in
``tf.data`` / ``tf.io`` is dendrite.data / dendrite.io as they are."""
import glob as _glob
import os
import shutil

import numpy as np

from ._namespace import Namespace, names_from


def localize(path):
    """The local copy of a URL or bucket path (``gs://``, ``https://``) in ``--data-dir`` (``$DENDRITE_DATA``)
    when one of that file name exists there; otherwise ``path`` unchanged."""
    text = path.decode("utf-8") if isinstance(path, (bytes, np.bytes_)) else path
    if isinstance(text, os.PathLike):
        text = os.fspath(text)
    if not isinstance(text, str) or "://" not in text:
        return path
    folder = os.environ.get("DENDRITE_DATA")
    if folder:
        candidate = os.path.join(folder, text.rstrip("/").rsplit("/", 1)[-1])
        if os.path.exists(candidate):
            return candidate
    return path


def _localize_names(filenames):
    if isinstance(filenames, (str, bytes, np.bytes_, os.PathLike)):
        return localize(filenames)
    if isinstance(filenames, (list, tuple, np.ndarray)):
        return [localize(f) for f in np.asarray(filenames, dtype=object).ravel()]
    return filenames  # a Dataset of names is read as it is


def _localized(cls):
    class Localized(cls):
        __doc__ = cls.__doc__

        def __init__(self, filenames, *args, **kwargs):
            super().__init__(_localize_names(filenames), *args, **kwargs)
    Localized.__name__ = Localized.__qualname__ = cls.__name__
    return Localized


class GFile:
    """``tf.io.gfile.GFile(name, mode)``: a local file (a URL read from ``--data-dir``), with ``read``,
    ``readline``, ``readlines``, ``write``, ``size`` and the context-manager protocol."""

    def __init__(self, name, mode="r"):
        self.name = localize(os.fspath(name) if isinstance(name, os.PathLike) else name)
        if "://" in str(self.name):
            raise FileNotFoundError(f"tf.io.gfile.GFile: {name!r} is a remote path and no file of that name is in "
                                    "--data-dir ($DENDRITE_DATA); dendrite runs offline. Download it into the "
                                    "data folder first.")
        self._f = open(self.name, mode)

    def __getattr__(self, attr):
        return getattr(self._f, attr)

    def __iter__(self):
        return iter(self._f)

    def size(self):
        return os.path.getsize(self.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def _copy(src, dst, overwrite=False):
    if os.path.exists(dst) and not overwrite:
        raise FileExistsError(f"tf.io.gfile.copy: {dst!r} exists; pass overwrite=True to replace it.")
    shutil.copyfile(localize(src), dst)


def _rename(src, dst, overwrite=False):
    if os.path.exists(dst) and not overwrite:
        raise FileExistsError(f"tf.io.gfile.rename: {dst!r} exists; pass overwrite=True to replace it.")
    os.replace(src, dst)


def _walk(top, topdown=True, onerror=None):
    return os.walk(top, topdown=topdown, onerror=onerror)


def gfile():
    return Namespace("tensorflow.io.gfile", "tf.io.gfile on local files (URLs read from --data-dir).", members=dict(
        GFile=GFile, Open=GFile, exists=lambda path: os.path.exists(localize(path)),
        glob=lambda pattern: sorted(_glob.glob(os.fspath(pattern))), listdir=os.listdir,
        isdir=lambda path: os.path.isdir(path), makedirs=lambda path: os.makedirs(path, exist_ok=True),
        mkdir=os.mkdir, remove=os.remove, rmtree=shutil.rmtree, copy=_copy, rename=_rename, walk=_walk,
        stat=os.stat))


def _decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="", select_cols=None,
                name=None):
    """``tf.io.decode_csv``: dendrite.data.csv.decode_csv giving a list of Tensors, one per column."""
    from ..autodiff import Tensor
    from ..data.csv import decode_csv
    return [Tensor(c) for c in decode_csv(records, record_defaults, field_delim, use_quote_delim, na_value,
                                          select_cols)]


def io_namespace():
    """``tf.io``: dendrite.io, with ``gfile`` and ``read_file`` finding URLs in --data-dir."""
    from .. import io
    from ..data.csv import decode_csv
    from . import tf_io
    return Namespace("tensorflow.io", io.__doc__, sources=(io,), members=dict(
        gfile=gfile(), read_file=lambda filename, name=None: io.read_file(localize(filename)),
        decode_csv=_decode_csv,
        **names_from(tf_io, tf_io.NAMES)))


def data_namespace():
    """``tf.data``: dendrite.data, with its file datasets finding URLs in --data-dir."""
    from .. import data
    members = {name: _localized(getattr(data, name))
               for name in ("FixedLengthRecordDataset", "TFRecordDataset", "TextLineDataset")}
    members["experimental"] = Namespace("tensorflow.data.experimental", sources=(data.experimental,))
    return Namespace("tensorflow.data", data.__doc__, sources=(data,), members=members,
                     hints={"Iterator": "use `iter(dataset)` and `next(...)`."})


LAZY = {"io": io_namespace, "data": data_namespace}
