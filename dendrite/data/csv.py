"""CSV input as tf.data reads it: ``tf.io.decode_csv`` (strings to columns), ``CsvDataset`` (a tuple of
scalars per record of one or more files) and ``make_csv_dataset`` (batches of an OrderedDict of feature
columns, and the label column, with column types inferred from the first rows).

Fields are split with Python's csv module (``"a,b"`` quoted keeps its comma unless ``use_quote_delim`` is
False). A record default gives a column's dtype and the value of an empty field (or one equal to
``na_value``); a default that is only a dtype (or an empty list of one) makes the field required."""
import collections
import csv
import glob
import gzip
import io
import os

import numpy as np

from . import cardinality as counts
from . import structure
from .dataset import Dataset

_TYPES = (np.int32, np.int64, np.float32, np.float64)
_NUMERIC = {np.dtype(t) for t in _TYPES}


class _Required:
    """A record default that gives only the dtype: an empty field is an error."""

    def __init__(self, dtype):
        self.dtype = dtype


def _default(value, k, who):
    """One record default as (dtype, default value or _Required)."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, (type, np.dtype)) and _is_dtype(value):  # (a str is a default value, as in TF)
        dtype = structure.as_dtype(value)
        return dtype, _Required(dtype)
    if hasattr(value, "as_numpy_dtype") or (hasattr(value, "name") and not isinstance(value, (str, bytes, list))
                                            and _is_dtype(getattr(value, "name"))):
        dtype = structure.as_dtype(getattr(value, "name", value))
        return dtype, _Required(dtype)
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
        if arr.size == 0:
            dtype = structure.as_dtype(arr.dtype if isinstance(value, np.ndarray) else np.float32)
            return dtype, _Required(dtype)
        if arr.size != 1:
            raise ValueError(f"{who}: record_defaults[{k}] must be a scalar (or a list of one). Received: {value!r}.")
        value = structure.to_array(value[0] if isinstance(value, (list, tuple)) else arr.reshape(()))
    arr = structure.to_array(value)
    if arr.shape != ():
        raise ValueError(f"{who}: record_defaults[{k}] must be a scalar (or a list of one). Received: {value!r}.")
    dtype = arr.dtype
    if dtype != structure.STRING and dtype not in _NUMERIC:
        raise TypeError(f"{who}: record_defaults[{k}] has dtype {dtype}; CSV columns are int32, int64, float32, "
                        "float64 or string.")
    return dtype, arr[()]


def _is_dtype(value):
    if value in (str, bytes):
        return True
    try:
        return np.dtype(value) in _NUMERIC
    except TypeError:
        return False


def _defaults(record_defaults, who):
    if record_defaults is None or not len(record_defaults):
        raise ValueError(f"{who}: `record_defaults` must give one default (or dtype) per column. "
                         f"Received: {record_defaults!r}.")
    return [_default(v, k, who) for k, v in enumerate(record_defaults)]


def _reader(lines, delim, quote):
    return csv.reader(lines, delimiter=delim, quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
                      quotechar='"', skipinitialspace=False)


def _check_delim(field_delim, who):
    if not isinstance(field_delim, str) or len(field_delim) != 1:
        raise ValueError(f"{who}: `field_delim` must be one character. Received: {field_delim!r}.")
    return field_delim


def _convert(field, dtype, default, na_value, where, who):
    if field == "" or (na_value != "" and field == na_value):
        if isinstance(default, _Required):
            raise ValueError(f"{who}: {where} is required (its record default is only a dtype) but is missing. "
                             "Give a default value for that column to fill empty fields.")
        return default
    if dtype == structure.STRING:
        return field.encode("utf-8")
    try:
        if dtype.kind == "i":
            value = int(field)
            info = np.iinfo(dtype)
            if not info.min <= value <= info.max:
                raise ValueError
            return dtype.type(value)
        return dtype.type(float(field))
    except ValueError:
        raise ValueError(f"{who}: {where} is not a valid {structure.dtype_name(dtype)}: {field!r}.") from None


def _select(fields, select_cols, exclude_cols, where, who):
    if select_cols is not None:
        if max(select_cols) >= len(fields):
            raise ValueError(f"{who}: {where} has {len(fields)} fields, fewer than select_cols needs "
                             f"(column {max(select_cols)}).")
        return [fields[i] for i in select_cols]
    if exclude_cols is not None:
        return [f for i, f in enumerate(fields) if i not in exclude_cols]
    return fields


def parse_record(fields, defaults, na_value, where, who):
    if len(fields) != len(defaults):
        raise ValueError(f"{who}: expected {len(defaults)} fields but {where} has {len(fields)}.")
    return tuple(_convert(f, d, v, na_value, f"field {k} of {where}", who)
                 for k, (f, (d, v)) in enumerate(zip(fields, defaults)))


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="", select_cols=None,
               name=None):
    """``tf.io.decode_csv``: each string of ``records`` split into fields; one array per column, of the
    records' shape, typed by ``record_defaults``."""
    who = "tf.io.decode_csv"
    defaults = _defaults(record_defaults, who)
    delim = _check_delim(field_delim, who)
    if hasattr(records, "numpy") and not isinstance(records, np.ndarray):
        records = records.numpy()
    recs = structure.to_array(records)
    cols = _columns_arg(select_cols, None, who)[0]
    flat = [r.decode("utf-8") if isinstance(r, bytes) else str(r) for r in np.asarray(recs, dtype=object).ravel()]
    rows = []
    for i, text in enumerate(flat):
        fields = next(_reader([text], delim, use_quote_delim), [""])
        fields = _select(fields, cols, None, f"record {i}", who)
        rows.append(parse_record(fields, defaults, na_value, f"record {i}", who))
    out = []
    for k, (dtype, _) in enumerate(defaults):
        column = np.array([r[k] for r in rows], dtype=object if dtype == structure.STRING else dtype)
        out.append(column.reshape(recs.shape))
    return out


def _columns_arg(select_cols, exclude_cols, who):
    if select_cols is not None and exclude_cols is not None:
        raise ValueError(f"{who}: give `select_cols` or `exclude_cols`, not both.")
    out = []
    for name, cols in (("select_cols", select_cols), ("exclude_cols", exclude_cols)):
        if cols is None:
            out.append(None)
            continue
        cols = [int(c) for c in cols]
        if any(c < 0 for c in cols) or cols != sorted(set(cols)):
            raise ValueError(f"{who}: `{name}` must be increasing non-negative column indices. Received: {cols}.")
        out.append(cols)
    return out


def _files(filenames, who):
    if isinstance(filenames, Dataset):
        filenames = list(filenames.as_numpy_iterator())
    if hasattr(filenames, "numpy") and not isinstance(filenames, np.ndarray):
        filenames = filenames.numpy()
    names = [filenames] if isinstance(filenames, (str, bytes, os.PathLike)) else list(np.asarray(filenames,
                                                                                               dtype=object).ravel())
    names = [n.decode() if isinstance(n, bytes) else os.fspath(n) for n in names]
    for n in names:
        if not os.path.exists(n):
            raise FileNotFoundError(f"{who}: no such file: {n!r}.")
    return names


def _lines(path, compression_type, encoding="utf-8"):
    if compression_type == "GZIP":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    if compression_type not in (None, "", "NONE"):
        raise ValueError(f"CsvDataset: `compression_type` must be None, '' or 'GZIP'. Received: {compression_type!r}.")
    return open(path, encoding=encoding, newline="")


class CsvDataset(Dataset):
    """``tf.data.experimental.CsvDataset(filenames, record_defaults, ...)``: one tuple of scalars per record."""

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None, header=False,
                 field_delim=",", use_quote_delim=True, na_value="", select_cols=None, exclude_cols=None,
                 encoding="utf-8"):
        who = "CsvDataset"
        self._files = _files(filenames, who)
        self._defaults = _defaults(record_defaults, who)
        self._delim = _check_delim(field_delim, who)
        self._select, self._exclude = _columns_arg(select_cols, exclude_cols, who)
        self._header, self._quote, self._na = bool(header), bool(use_quote_delim), na_value
        self._compression, self._encoding = compression_type, encoding

    def _spec(self):
        return tuple(structure.TensorSpec((), d) for d, _ in self._defaults)

    def _cardinality(self):
        return counts.UNKNOWN

    def _iterate(self):
        return self.records()

    def records(self, on_error=None):
        """The parsed records; with ``on_error``, a record that does not parse is handed to it (the error)
        and skipped, the way ``ignore_errors`` after a CsvDataset skips bad lines."""
        for path in self._files:
            with _lines(path, self._compression, self._encoding) as f:
                for line_no, fields in enumerate(_reader(f, self._delim, self._quote), 1):
                    if line_no == 1 and self._header or not fields:
                        continue
                    where = f"record at line {line_no} of {path}"
                    try:
                        fields = _select(fields, self._select, self._exclude, where, "CsvDataset")
                        record = parse_record(fields, self._defaults, self._na, where, "CsvDataset")
                    except ValueError as e:
                        if on_error is None:
                            raise
                        on_error(e)
                        continue
                    yield record


def infer_dtype(values, na_value):
    """The narrowest of int32, int64, float32, float64, string that holds every non-missing value."""
    rank = 0
    for v in values:
        if v == "" or (na_value != "" and v == na_value):
            continue
        rank = max(rank, _rank_of(v))
        if rank == 4:
            break
    return np.dtype(_TYPES[rank]) if rank < 4 else structure.STRING


def _rank_of(text):
    try:
        value = int(text)
        return 0 if -2 ** 31 <= value < 2 ** 31 else (1 if -2 ** 63 <= value < 2 ** 63 else 3)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return 4
    return 2 if not np.isfinite(value) or abs(value) <= float(np.finfo(np.float32).max) else 3


def _header_names(path, delim, quote, compression, encoding):
    with _lines(path, compression, encoding) as f:
        for fields in _reader(f, delim, quote):
            return [x.strip() for x in fields]
    raise ValueError(f"make_csv_dataset: {path!r} is empty; it has no header row to name the columns.")


def _first_rows(paths, n, delim, quote, header, compression, encoding):
    rows = []
    for path in paths:
        with _lines(path, compression, encoding) as f:
            for line_no, fields in enumerate(_reader(f, delim, quote), 1):
                if line_no == 1 and header or not fields:
                    continue
                rows.append(fields)
                if len(rows) >= n:
                    return rows
    return rows


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None, label_name=None,
                     select_columns=None, field_delim=",", use_quote_delim=True, na_value="", header=True,
                     num_epochs=None, shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False, num_rows_for_inference=100,
                     compression_type=None, ignore_errors=False, encoding="utf-8"):
    """``tf.data.experimental.make_csv_dataset``: batches of ``(OrderedDict(column -> values), label)`` (just
    the OrderedDict without ``label_name``), the files read in turn, shuffled with a buffer of
    ``shuffle_buffer_size`` and repeated ``num_epochs`` times (None: forever, the last partial batch
    dropped, as TensorFlow does)."""
    who = "make_csv_dataset"
    patterns = [file_pattern] if isinstance(file_pattern, (str, bytes, os.PathLike)) else list(file_pattern)
    paths = []
    for p in patterns:
        p = p.decode() if isinstance(p, bytes) else os.fspath(p)
        found = sorted(glob.glob(p))
        if not found:
            raise FileNotFoundError(f"{who}: no files match file_pattern {p!r}.")
        paths += found
    delim = _check_delim(field_delim, who)
    if column_names is None:
        if not header:
            raise ValueError(f"{who}: without a header row (header=False) give `column_names`.")
        column_names = _header_names(paths[0], delim, use_quote_delim, compression_type, encoding)
    column_names = [str(c) for c in column_names]
    if len(set(column_names)) != len(column_names):
        raise ValueError(f"{who}: column names must be unique. Received: {column_names}.")
    selected = list(range(len(column_names)))
    if select_columns is not None:
        idx = [column_names.index(c) if isinstance(c, str) and c in column_names else c for c in select_columns]
        bad = [c for c in idx if not isinstance(c, (int, np.integer)) or not 0 <= c < len(column_names)]
        if bad:
            raise ValueError(f"{who}: `select_columns` {list(select_columns)} names columns not in the file's "
                             f"{column_names}.")
        selected = sorted(int(i) for i in idx)
    names = [column_names[i] for i in selected]
    if label_name is not None and label_name not in names:
        raise ValueError(f"{who}: `label_name` {label_name!r} is not among the columns {names}.")
    if column_defaults is None:
        rows = _first_rows(paths, num_rows_for_inference, delim, use_quote_delim, header, compression_type, encoding)
        column_defaults = []
        for i in selected:
            dtype = infer_dtype([r[i] for r in rows if i < len(r)], na_value)
            column_defaults.append(b"" if dtype == structure.STRING else dtype.type(0))
    elif len(column_defaults) != len(selected):
        raise ValueError(f"{who}: `column_defaults` has {len(column_defaults)} entries for {len(selected)} "
                         "columns; give one per selected column.")
    datasets = [CsvDataset(p, column_defaults, compression_type, header=header, field_delim=delim,
                           use_quote_delim=use_quote_delim, na_value=na_value,
                           select_cols=selected if select_columns is not None else None, encoding=encoding)
                for p in paths]
    if ignore_errors:  # each file's bad records skipped, the others read
        datasets = [d.ignore_errors() for d in datasets]
    ds = datasets[0]
    for d in datasets[1:]:
        ds = ds.concatenate(d)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        ds = ds.repeat(num_epochs)
    ds = ds.batch(batch_size, drop_remainder=num_epochs is None)

    def to_columns(*columns):
        features = collections.OrderedDict(zip(names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label
    columns = ds.map(to_columns)
    dim = int(batch_size) if num_epochs is None else None  # (as TensorFlow: known only when batches are full)
    specs = [structure.TensorSpec((dim,), s.dtype) for s in datasets[0].element_spec]
    features = collections.OrderedDict(zip(names, specs))
    label = features.pop(label_name) if label_name is not None else None
    columns._element_spec = features if label_name is None else (features, label)
    return columns.prefetch(prefetch_buffer_size or 1)
