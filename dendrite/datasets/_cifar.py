"""Reading the CIFAR binary files, straight out of their tar.gz or from an extracted folder.

Keras downloads the *python* versions of CIFAR-10 and CIFAR-100, which are pickles; dendrite never
unpickles a file (unpickling can run code stored in it), so it reads the binary versions the Toronto
page offers beside them. Each binary member is a run of fixed-size records: one label byte (CIFAR-100:
a coarse then a fine label byte) followed by 3072 pixel bytes, the 1024 red, then the 1024 green, then
the 1024 blue values of a 32x32 image in row-major order.

The archive is looked for, with its extracted folder, in the places of
:func:`dendrite.datasets._fetch.search_places`; in each place an extracted folder wins over the
archive. Members are read from the archive with :mod:`tarfile` without extracting anything to disk, and
each must be a regular file of exactly the expected size.
"""
import os
import tarfile
import zlib

import numpy as np

from .. import backend
from . import _fetch

PIXELS = 3 * 32 * 32
_HOME = "https://www.cs.toronto.edu/~kriz/"


class Binary:
    """One CIFAR binary version: its archive, the folder inside it, and its members and their records.

    ``members`` maps each member's file name to its number of records; ``label_bytes`` is the number of
    label bytes before the pixels of a record; ``python_names`` are the names Keras's pickled python
    version leaves in a cache (named in the error when only that version is found).
    """

    def __init__(self, who, archive, sha256, folder, members, label_bytes, python_names):
        self.who = who
        self.archive = archive
        self.origin = _HOME + archive
        self.sha256 = sha256
        self.folder = folder
        self.members = dict(members)
        self.label_bytes = label_bytes
        self.record = label_bytes + PIXELS
        self.python_names = tuple(python_names)

    def size(self, member):
        return self.members[member] * self.record


def records(spec):
    """Yield ``(member, array)`` for every member of ``spec``, in the order they are read.

    Each array is uint8 of shape (records, record size). Raises ValueError naming the file when a
    member is missing, is not a regular file, has the wrong size or cannot be read.
    """
    kind, path = _locate(spec)
    if kind == "folder":
        for member in spec.members:
            yield member, _read_file(spec, path, member)
    else:
        yield from _read_archive(spec, path)


def images(pixels):
    """(n, 3072) pixel rows as (n, 32, 32, 3) images, or (n, 3, 32, 32) when image_data_format() says
    'channels_first' (Keras's layouts)."""
    planes = pixels.reshape(-1, 3, 32, 32)
    if backend.image_data_format() == "channels_first":
        return planes
    return planes.transpose(0, 2, 3, 1)


def image_shape(n):
    """The shape :func:`images` gives ``n`` images."""
    return (n, 3, 32, 32) if backend.image_data_format() == "channels_first" else (n, 32, 32, 3)


def check_labels(spec, member, labels, classes, what="labels"):
    """Refuse a member whose labels reach past the dataset's classes (a file of another dataset)."""
    if labels.size and int(labels.max()) >= classes:
        raise ValueError(
            f"{spec.who}: {member} holds a {what} value of {int(labels.max())}, but the dataset has "
            f"{classes} classes (0-{classes - 1}): it is not the {spec.folder} file it is named after. "
            f"{_fix(spec)}")


def _fix(spec):
    return (f"Delete or replace it with a good copy of {spec.origin} (or its extracted {spec.folder}/ "
            f"folder), or set DENDRITE_DATA to a folder holding one.")


def _locate(spec):
    """('folder', path) or ('archive', path): the first place holding either; else the download."""
    folders = _fetch.search_places(spec.folder)
    archives = _fetch.search_places(spec.archive)
    for (_, folder), (_, archive) in zip(folders, archives):
        if folder and os.path.isdir(folder):
            return "folder", folder
        if archive and os.path.isfile(archive):
            return "archive", archive
    try:
        return "archive", _fetch.fetch(spec.archive, spec.origin, spec.sha256, who=spec.who)
    except _fetch.FetchError as exc:
        python = _python_version(spec)
        if not python:
            raise
        raise _fetch.FetchError(
            f"{exc}\nFound Keras's python version of this dataset at {python}: dendrite does not read it, "
            f"because its files are pickles and unpickling a file can run code stored in it. Download the "
            f"binary version instead, {spec.origin}, and put it (or the {spec.folder}/ folder it holds) "
            f"in the folder DENDRITE_DATA names.") from exc.__cause__


def _python_version(spec):
    """The first path where Keras's pickled python version (archive or extracted folder) lies, or None."""
    for name in spec.python_names:
        for _, path in _fetch.search_places(name):
            if path and os.path.exists(path):
                return path
    return None


def _empty(spec, member):
    return np.empty((spec.members[member], spec.record), dtype=np.uint8)


def _read_file(spec, folder, member):
    path = os.path.join(folder, member)
    if not os.path.isfile(path):
        raise ValueError(f"{spec.who}: the folder {folder} has no file {member} (a regular file of "
                         f"{spec.size(member)} bytes). {_fix(spec)}")
    got = os.path.getsize(path)
    if got != spec.size(member):
        raise ValueError(_size_message(spec, path, got))
    out = _empty(spec, member)
    with open(path, "rb") as f:  # a buffered reader: readinto fills all it can
        filled = f.readinto(memoryview(out).cast("B"))
    if filled != out.size:
        raise ValueError(_size_message(spec, path, filled))
    return out


def _size_message(spec, path, got):
    member = os.path.basename(path)
    return (f"{spec.who}: {path} has {got} bytes, expected {spec.size(member)} ({spec.members[member]} "
            f"records of {spec.record} bytes): the file is truncated or is not the one expected. "
            f"{_fix(spec)}")


def _read_archive(spec, path):
    wanted = {f"{spec.folder}/{m}": m for m in spec.members}
    seen = set()

    def bad(what):
        return ValueError(f"{spec.who}: {path} is not a good copy of {spec.archive}: {what}. {_fix(spec)}")

    try:
        with tarfile.open(path, "r:gz") as archive:
            for info in archive:
                name = info.name[2:] if info.name.startswith("./") else info.name
                member = wanted.get(name)
                if member is None:
                    continue
                if name in seen:
                    raise bad(f"it holds {name} twice")
                seen.add(name)
                if not info.isfile():
                    raise bad(f"{name} is not a regular file")
                if info.size != spec.size(member):
                    raise bad(f"{name} has {info.size} bytes, expected {spec.size(member)} "
                              f"({spec.members[member]} records of {spec.record} bytes)")
                out = _empty(spec, member)
                with archive.extractfile(info) as f:
                    filled = f.readinto(memoryview(out).cast("B"))
                if filled != out.size:
                    raise bad(f"{name} ends after {filled} of its {out.size} bytes")
                yield member, out
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise bad(f"it cannot be read as a tar.gz archive ({exc})") from None
    missing = [name for name in wanted if name not in seen]
    if missing:
        raise bad(f"it lacks {', '.join(missing)}")
