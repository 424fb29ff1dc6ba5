"""Reading a CSV file into named columns (the csv module of the standard library: pandas is not needed).

The first row names the columns; the delimiter (comma, semicolon or tab) is detected from it, so the UCI
wine files (';') read as well as Kaggle's (','). Every cell of a column in use must hold a value: an empty
cell or a NaN marker ('nan', 'NA', 'N/A', 'null', 'none', '?') is refused, naming its column and line, when
the column is used (a network cannot train on a missing value and a silent fill would change the data). A
column whose every cell reads as a number is numeric; any other column holds categories (strings).
"""
import csv
import os

import numpy as np

MISSING = {"", "nan", "na", "n/a", "null", "none", "?", "-nan", "+nan"}


class CSVError(ValueError):
    """A CSV file that cannot be used as it is; the message says where and how to fix it."""


class Table:
    """The columns of a CSV file: ``names`` in file order, ``cells[name]`` the column's text cells. A column
    with a missing cell is refused when it is used (``missing[name]``: the first one's line and text), so
    that a column the model does not need may have gaps."""

    def __init__(self, path, names, cells, missing=None):
        self.path, self.names, self.cells, self.missing = path, names, cells, missing or {}

    def __len__(self):
        return len(self.cells[self.names[0]]) if self.names else 0

    def is_numeric(self, name):
        return self.numbers(name, strict=False) is not None

    def numbers(self, name, strict=True):
        """The column as float64, or (``strict=False``) None when some cell is not a number."""
        self.column(name)
        try:
            values = np.array([float(v) for v in self.cells[name]], dtype=np.float64)
        except ValueError:
            if not strict:
                return None
            bad = next(v for v in self.cells[name] if not is_number(v))
            raise CSVError(f"{self.path}: column {name!r} must be numeric here; it holds {bad!r}. Fix that cell "
                           "or use a column of numbers.") from None
        if not np.all(np.isfinite(values)):
            row = int(np.flatnonzero(~np.isfinite(values))[0])
            raise CSVError(f"{self.path}: column {name!r} holds {self.cells[name][row]!r} (row {row + 1} of the "
                           "values), not a finite number. Replace it with a real value or drop the row.")
        return values

    def strings(self, name):
        return np.array(self.column(name), dtype=str)

    def column(self, name, what="column"):
        """The named column's cells, or an error listing the columns the file has or naming a missing cell."""
        if name not in self.cells:
            raise CSVError(f"{self.path}: no {what} {name!r}; the header names {self.names}. Check the spelling "
                           "(names are case-sensitive) or the file's first line.")
        if name in self.missing:
            line, value = self.missing[name]
            raise CSVError(f"{self.path}: line {line}, column {name!r} is missing (NaN: {value!r}). dendrite does "
                           "not guess missing values: fill them (e.g. with the column's median) or drop those rows.")
        return self.cells[name]

    def take(self, rows):
        """A Table of the given row indices (in that order)."""
        rows = np.asarray(rows)
        return Table(self.path, self.names, {n: [self.cells[n][i] for i in rows] for n in self.names}, self.missing)


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _delimiter(first_line):
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path):
    """The file as a Table, or a CSVError saying what is wrong (no file, empty, no rows, ragged rows,
    duplicate or empty column names, missing cells)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise CSVError(f"{path}: no such file. Give the path of a CSV file with a header row.")
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    if not text.strip():
        raise CSVError(f"{path}: the file is empty. A CSV needs a header row naming the columns and at least one "
                       "row of values.")
    lines = text.splitlines()
    reader = csv.reader(lines, delimiter=_delimiter(lines[0]))
    rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    names = [c.strip() for c in rows[0][1]]
    for i, name in enumerate(names):
        if not name:
            raise CSVError(f"{path}: column {i + 1} of the header has no name. Name every column in the first line.")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CSVError(f"{path}: the header names {repeated} more than once. Give each column its own name.")
    body = rows[1:]
    if not body:
        raise CSVError(f"{path}: the file has a header but no rows of values.")
    cells, missing = {n: [] for n in names}, {}
    for line, row in body:
        if len(row) != len(names):
            raise CSVError(f"{path}: line {line} has {len(row)} cells but the header names {len(names)} columns. "
                           "Every row needs one value per column.")
        for name, value in zip(names, row):
            value = value.strip()
            if value.lower() in MISSING:
                missing.setdefault(name, (line, value))
            cells[name].append(value)
    return Table(path, names, cells, missing)
