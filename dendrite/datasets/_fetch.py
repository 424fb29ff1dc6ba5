"""Finding data files: local copies first, then a verified download.

A file is looked for, in this order, in
  1. the directory named by the environment variable ``DENDRITE_DATA``,
  2. dendrite's cache, ``$DENDRITE_HOME/<cache_subdir>`` (default ``~/.dendrite/datasets``),
  3. Keras's cache, ``$KERAS_HOME/<cache_subdir>`` (default ``~/.keras/datasets``),
  4. ``/usr/share/datasets/<name>``, where Debian's dataset packages install it.
``DENDRITE_DATA`` stands for the ``datasets`` folder itself, so Fashion-MNIST
is looked for in ``$DENDRITE_DATA/fashion-mnist/``.

When no copy exists the file is downloaded into dendrite's cache: it is
written to a temporary file beside the target, its hash is checked, and only
then is it renamed into place, so an interrupted or corrupted download never
leaves a file that a later run would trust. ``dendrite.utils.get_file`` and
the dataset loaders all go through :func:`fetch`.
"""
import hashlib
import os
import sys
import tempfile

_DEBIAN_ROOT = "/usr/share/datasets"
_CHUNK = 1 << 20
_TIMEOUT_S = 60


class FetchError(OSError):
    """A file has no local copy and could not be downloaded (offline, HTTP error, ...)."""


def dendrite_home():
    """``$DENDRITE_HOME``, or ``~/.dendrite`` when it is not set."""
    return os.path.expanduser(os.environ.get("DENDRITE_HOME") or os.path.join("~", ".dendrite"))


def keras_home():
    """``$KERAS_HOME``, or ``~/.keras`` when it is not set (where Keras keeps its downloads)."""
    return os.path.expanduser(os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))


def _under_data(cache_subdir):
    """The part of ``cache_subdir`` below 'datasets' ('datasets/fashion-mnist' -> 'fashion-mnist')."""
    parts = [p for p in os.path.normpath(cache_subdir).split(os.sep) if p not in ("", ".")]
    if parts and parts[0] == "datasets":
        parts = parts[1:]
    return os.path.join(*parts) if parts else ""


def search_places(fname, cache_subdir="datasets", debian=None):
    """The ordered ``(place, path)`` pairs searched for ``fname``; path is None when unset."""
    places = []
    data = os.environ.get("DENDRITE_DATA")
    if data:
        # absolute, so that a relative DENDRITE_DATA keeps naming the same file after a chdir
        path = os.path.abspath(os.path.join(os.path.expanduser(data), _under_data(cache_subdir), fname))
        places.append(("$DENDRITE_DATA", path))
    else:
        places.append(("$DENDRITE_DATA", None))
    places.append(("dendrite cache", os.path.join(dendrite_home(), cache_subdir, fname)))
    places.append(("Keras cache", os.path.join(keras_home(), cache_subdir, fname)))
    if debian:
        places.append(("Debian dataset package", os.path.join(_DEBIAN_ROOT, debian, fname)))
    return places


def _hasher(file_hash=None, algorithm="auto"):
    if algorithm == "sha256" or (algorithm == "auto" and (file_hash is None or len(file_hash) == 64)):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(
        f"get_file: expected hash_algorithm to be 'auto', 'sha256' or 'md5'; "
        f"received hash_algorithm={algorithm!r}."
    )


def _algorithm_name(file_hash, algorithm):
    return _hasher(file_hash, algorithm).name


def hash_file(path, algorithm="sha256", file_hash=None):
    """The hex digest of a file ('sha256' or 'md5'; 'auto' picks by the length of ``file_hash``)."""
    hasher = _hasher(file_hash, algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _writable_dir(base, cache_subdir):
    """``base/cache_subdir``, created; a folder under the temp dir if that cannot be written."""
    directory = os.path.join(base, cache_subdir)
    try:
        os.makedirs(directory, exist_ok=True)
        if os.access(directory, os.W_OK):
            return directory
    except OSError:
        pass
    directory = os.path.join(tempfile.gettempdir(), ".dendrite", cache_subdir)
    os.makedirs(directory, exist_ok=True)
    return directory


def download(origin, target, file_hash=None, hash_algorithm="auto", who="get_file"):
    """Download ``origin`` to ``target`` through a temporary file, checking ``file_hash``.

    Raises ValueError when the hash differs (nothing is kept) and lets urllib's
    OSError through when the transfer fails.
    """
    import urllib.request

    directory = os.path.dirname(target) or "."
    os.makedirs(directory, exist_ok=True)
    hasher = _hasher(file_hash, hash_algorithm)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(origin, timeout=_TIMEOUT_S) as response:
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                hasher.update(chunk)
                out.write(chunk)
        received = hasher.hexdigest()
        if file_hash is not None and received != str(file_hash).lower():
            raise ValueError(
                f"{who}: the file downloaded from {origin} is incomplete or corrupted: its "
                f"{hasher.name} hash is {received}, expected {file_hash}. Nothing was saved. "
                f"Retry the download, or place a verified copy at {target}."
            )
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    return target


def _offline_message(who, fname, origin, places, target, reason, cache_subdir):
    rel = os.path.join(_under_data(cache_subdir), fname)
    lines = [f"{who}: could not find {fname!r} locally, and downloading it failed.",
             "Searched, in order:"]
    for i, (place, path) in enumerate(places, 1):
        lines.append(f"  {i}. {place}: {path if path else 'not set'}")
    lines += [
        f"Download from {origin} failed: {reason}",
        "To fix: connect to the network and retry; or set DENDRITE_DATA to a directory "
        f"holding {rel}; or copy the file to {target}.",
    ]
    return "\n".join(lines)


def fetch(fname, origin, file_hash=None, cache_subdir="datasets", cache_dir=None, debian=None,
          verify_local=False, hash_algorithm="auto", force_download=False, who="get_file"):
    """Return a local path to ``fname``, downloading it from ``origin`` when no copy is found.

    With ``cache_dir`` given (or an absolute ``cache_subdir``) only that folder
    is used, as in Keras; otherwise the places of :func:`search_places` are
    searched in order. Local copies are trusted as they are unless
    ``verify_local`` is set, in which case a copy whose hash differs from
    ``file_hash`` is skipped. Raises :class:`FetchError` when offline.
    """
    if cache_dir is None and not os.path.isabs(cache_subdir):
        places = search_places(fname, cache_subdir, debian)
        base = dendrite_home()
    else:
        base = os.path.expanduser(os.fspath(cache_dir)) if cache_dir is not None else ""
        places = [("cache_dir", os.path.join(base, cache_subdir, fname))]
    if not force_download:
        for _, path in places:
            if not path or not os.path.isfile(path):
                continue
            if verify_local and file_hash is not None:
                got = hash_file(path, hash_algorithm, file_hash)
                if got != str(file_hash).lower():
                    print(f"{who}: ignoring {path}: its {_algorithm_name(file_hash, hash_algorithm)} "
                          f"hash {got} does not match file_hash={file_hash}.", file=sys.stderr)
                    continue
            return path
    target = os.path.join(_writable_dir(base, cache_subdir) if base else cache_subdir, fname)
    print(f"Downloading data from {origin}")
    import http.client
    try:
        return download(origin, target, file_hash, hash_algorithm, who)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(_offline_message(who, fname, origin, places, target, exc, cache_subdir)) from exc


def _inside(root, name):
    root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(root, name))
    return path == root or path.startswith(root + os.sep)


def extract_archive(path, to, archive_format="auto"):
    """Extract a tar or zip archive into ``to``, refusing members that escape it.

    Returns True when ``path`` was an archive of an accepted format, else False.
    """
    import tarfile
    import zipfile

    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    for kind in formats:
        if kind not in ("tar", "zip"):
            raise ValueError(
                f"get_file: expected archive_format to be 'auto', 'tar', 'zip', a list of those or None; "
                f"received archive_format={archive_format!r}."
            )
        if kind == "tar" and tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                os.makedirs(to, exist_ok=True)
                if hasattr(tarfile, "data_filter"):
                    try:
                        archive.extractall(to, filter="data")
                    except tarfile.FilterError as exc:
                        raise ValueError(f"get_file: refusing to extract {path}: {exc}.") from None
                else:
                    members = []
                    for m in archive.getmembers():
                        if not _inside(to, m.name):
                            raise ValueError(f"get_file: refusing to extract {m.name!r} from {path}: "
                                             f"it would land outside {to}.")
                        if m.isfile() or m.isdir():
                            members.append(m)
                    archive.extractall(to, members=members)
            return True
        if kind == "zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if not _inside(to, name):
                        raise ValueError(f"get_file: refusing to extract {name!r} from {path}: "
                                         f"it would land outside {to}.")
                os.makedirs(to, exist_ok=True)
                archive.extractall(to)
            return True
    return False
