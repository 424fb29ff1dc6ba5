"""Datasets read from files: list_files, FixedLengthRecordDataset (fixed-size binary records after a header,
as the MNIST IDX files are) and TextLineDataset (one element per line); GZIP and ZLIB compressed files are
read through the standard library."""
import glob
import gzip
import os

import numpy as np

from .dataset import Dataset, check_count
from .structure import STRING, TensorSpec

READ = 1 << 20


def filenames_of(filenames, who):
    """File names from a name, a list or array of names, or a Dataset of them (as str)."""
    if isinstance(filenames, Dataset):
        return lambda: [_name(f, who) for f in filenames]
    if isinstance(filenames, (str, bytes, os.PathLike)):
        names = [_name(filenames, who)]
    else:
        try:
            names = [_name(f, who) for f in np.asarray(filenames, dtype=object).ravel()]
        except TypeError:
            raise TypeError(f"{who}: `filenames` must be a file name, a list of them or a Dataset of them. "
                            f"Received: {filenames!r}.") from None
    return lambda: names


def _name(f, who):
    if isinstance(f, (bytes, np.bytes_)):
        return bytes(f).decode("utf-8")
    if isinstance(f, (str, os.PathLike)):
        return os.fspath(f)
    raise TypeError(f"{who}: every file name must be a str, bytes or path. Received: {f!r}.")


def check_compression(compression_type, who):
    kind = (compression_type or "").upper() if isinstance(compression_type, (str, type(None))) else None
    if kind not in ("", "GZIP", "ZLIB"):
        raise ValueError(f"{who}: `compression_type` must be None, '', 'GZIP' or 'ZLIB'. "
                         f"Received: compression_type={compression_type!r}.")
    return kind


def open_binary(path, compression_type, who):
    kind = check_compression(compression_type, who)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{who}: no file {path!r}.")
    if kind == "GZIP":
        return gzip.open(path, "rb")
    if kind == "ZLIB":
        from ..io.zlib_stream import open_zlib
        return open_zlib(path)
    return open(path, "rb")


class _FileDataset(Dataset):
    def _read_from(self, filenames):
        """Read ``filenames`` (kept as given: the FILE auto-shard of dendrite.data.autoshard splits them)."""
        self._filenames = filenames
        self._names = filenames_of(filenames, type(self).__name__)

    def _spec(self):
        return TensorSpec((), STRING)

    def _iterate(self):
        for path in self._names():
            yield from self._read(path)


class TextLineDataset(_FileDataset):
    """The lines of one or more text files (bytes, without the line ending)."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        self._read_from(filenames)
        self._compression = check_compression(compression_type, "TextLineDataset")

    def _read(self, path):
        with open_binary(path, self._compression, "TextLineDataset") as f:
            for line in f:
                if line.endswith(b"\n"):
                    line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                yield line


class TFRecordDataset(_FileDataset):
    """The records of one or more TFRecord files (bytes; parse tf.train.Example records with
    ``dendrite.io.parse_single_example`` / ``parse_example`` in a ``map``). Each record's length and payload
    checksums are verified (dendrite.io.tf_record_iterator); ``compression_type`` None, 'GZIP' or 'ZLIB'."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        self._read_from(filenames)
        self._compression = compression_type

    def _read(self, path):
        from ..io import tf_record_iterator
        return tf_record_iterator(path, self._compression)


class FixedLengthRecordDataset(_FileDataset):
    """Records of ``record_bytes`` bytes from files that begin with ``header_bytes`` and end with
    ``footer_bytes`` (skipped). Each element is one record as bytes."""

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None, name=None):
        who = "FixedLengthRecordDataset"
        self._read_from(filenames)
        self._record = check_count(who, "record_bytes", record_bytes, allow_negative=False)
        if self._record < 1:
            raise ValueError(f"{who}: `record_bytes` must be positive. Received: record_bytes={record_bytes!r}.")
        self._header = 0 if header_bytes is None else check_count(who, "header_bytes", header_bytes, False)
        self._footer = 0 if footer_bytes is None else check_count(who, "footer_bytes", footer_bytes, False)
        self._compression = check_compression(compression_type, who)

    def _body_error(self, path, size, body):
        return ValueError(
            f"FixedLengthRecordDataset: the file {path!r} ({size} bytes) has, without its header "
            f"({self._header} bytes) and footer ({self._footer} bytes), a body of {body} bytes, which is not a "
            f"whole number of records of record_bytes={self._record}. Check record_bytes, header_bytes and "
            "footer_bytes against the file's layout.")

    def _read(self, path):
        record, header, footer = self._record, self._header, self._footer
        if not self._compression:
            if not os.path.exists(path):
                raise FileNotFoundError(f"FixedLengthRecordDataset: no file {path!r}.")
            size = os.path.getsize(path)
            body = size - header - footer
            if body < 0 or body % record:
                raise self._body_error(path, size, body)
        per_read = max(1, READ // record) * record
        with open_binary(path, self._compression, "FixedLengthRecordDataset") as f:
            if len(f.read(header)) < header:
                raise self._body_error(path, "fewer than header", -1)
            held, total = b"", header
            while True:
                block = f.read(per_read)
                total += len(block)
                held += block
                usable = (len(held) - footer) // record * record if block else len(held) - footer
                if not block:
                    if usable < 0 or usable % record:
                        raise self._body_error(path, f"{total} uncompressed", usable)
                for s in range(0, max(usable, 0), record):
                    yield held[s:s + record]
                held = held[max(usable, 0):]
                if not block:
                    return


def list_files(file_pattern, shuffle=None, seed=None):
    patterns = [file_pattern] if isinstance(file_pattern, (str, bytes, os.PathLike)) else list(file_pattern)
    patterns = [_name(p, "Dataset.list_files") for p in patterns]
    names = sorted({path for p in patterns for path in glob.glob(p)})
    if not names:
        raise ValueError(f"Dataset.list_files: no files match file_pattern={file_pattern!r}. Check the path "
                         "and the glob (e.g. '/data/train/*.png').")
    dataset = Dataset.from_tensor_slices(np.array([n.encode("utf-8") for n in names], dtype=object))
    dataset._file_names = True  # the files a FILE auto-shard splits between the processes (data.autoshard)
    if shuffle is None or shuffle:
        dataset = dataset.shuffle(len(names), seed=seed)
    return dataset
