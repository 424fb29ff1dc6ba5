"""cache(): the elements of the first complete pass kept, in memory or in files, and handed out on later
passes instead of reading the source again. A pass that is not finished leaves no cache behind.

With a ``filename``, the elements go to ``<filename>.data-00000-of-00001`` with an index
``<filename>.index`` written last (the names tf.data uses; the content is dendrite's own). A later pass, or
another process building the same pipeline, reads those files. The data file is a sequence of ``.npy``
records read back with ``allow_pickle=False``: per element, a record of its components' kinds, then each
component (an array; a NumPy scalar as a 0-d array; bytes as uint8; an array of byte strings as their
lengths and their bytes). The index holds the element count and nesting as JSON. Nothing in either file can
run code when read.
"""
import json
import os

import numpy as np

from .passes import first_pass_kept
from .rows import IndexPass, stacked
from .structure import flatten, pack_as
from .transforms import Passthrough

FORMAT = "dendrite.data.cache/2"


def _nesting(x):
    """An element's nesting as JSON (tuples and dicts; a namedtuple is kept as a plain tuple)."""
    if isinstance(x, tuple):
        return {"tuple": [_nesting(v) for v in x]}
    if isinstance(x, dict):
        return {"dict": [[k, _nesting(v)] for k, v in x.items()]}
    return None


def _template(nesting):
    if isinstance(nesting, dict) and "tuple" in nesting:
        return tuple(_template(v) for v in nesting["tuple"])
    if isinstance(nesting, dict) and "dict" in nesting:
        return {k: _template(v) for k, v in nesting["dict"]}
    return None


def _write_element(f, element):
    kinds, records = [], []
    for leaf in flatten(element):
        if isinstance(leaf, bytes):
            kinds.append("b")
            records.append(np.frombuffer(leaf, np.uint8))
        elif isinstance(leaf, np.ndarray) and leaf.dtype == object:
            items = [bytes(v) if isinstance(v, (bytes, bytearray)) else str(v).encode() for v in leaf.ravel()]
            kinds.append("o")
            records += [np.array([len(v) for v in items], np.int64).reshape(leaf.shape),
                        np.frombuffer(b"".join(items), np.uint8)]
        else:
            arr = np.asarray(leaf)
            kinds.append("a" if isinstance(leaf, np.ndarray) else "s")
            records.append(arr)
    np.save(f, np.frombuffer("".join(kinds).encode(), np.uint8), allow_pickle=False)
    for record in records:
        np.save(f, record, allow_pickle=False)


def _read_element(f, template, where):
    try:
        kinds = np.load(f, allow_pickle=False).tobytes().decode()
        leaves = []
        for kind in kinds:
            if kind == "b":
                leaves.append(np.load(f, allow_pickle=False).tobytes())
            elif kind == "o":
                lengths, blob = np.load(f, allow_pickle=False), np.load(f, allow_pickle=False).tobytes()
                ends = np.cumsum(lengths.ravel())
                items = np.empty(lengths.size, object)
                items[:] = [blob[e - n:e] for e, n in zip(ends.tolist(), lengths.ravel().tolist())]
                leaves.append(items.reshape(lengths.shape))
            elif kind in "as":
                arr = np.load(f, allow_pickle=False)
                leaves.append(arr if kind == "a" else arr[()])
            else:
                raise ValueError(f"unknown component kind {kind!r}")
        return pack_as(template, leaves)
    except (ValueError, EOFError, OSError, StopIteration) as e:
        raise ValueError(f"Dataset.cache: the cache file {where} is damaged ({e}); delete its .index and "
                         ".data files and run again to rebuild it.") from None


class Cache(Passthrough):
    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        self._filename = os.fspath(filename) if filename else ""
        self._kept = None
        self._plan = None  # the kept elements stacked (rows.stacked), False when they do not stack
        if self._filename:
            folder = os.path.dirname(os.path.abspath(self._filename))
            if not os.path.isdir(folder):
                raise FileNotFoundError(f"Dataset.cache: the folder of filename={filename!r} does not exist "
                                        f"({folder}). Create it first, or pass filename='' to cache in memory.")

    def _paths(self):
        return self._filename + ".index", self._filename + ".data-00000-of-00001"

    def _iterate(self):
        if not self._filename:
            return self._memory()
        index, _ = self._paths()
        return self._read() if os.path.exists(index) else self._write()

    def _memory(self):
        plan = self._stacked()
        return first_pass_kept(self, self._input._iterate) if plan is None else plan._iterate()

    def _stacked(self):
        """Once a pass of the memory cache has finished: its elements as stacked arrays (an
        ArraySource), made on the next pass, or None when they do not stack."""
        if self._plan is None and self._kept is not None and not self._filename:
            self._plan = stacked(self._kept) or False
            if self._plan:
                self._kept = None
        return self._plan or None

    def _index_pass(self):
        plan = self._stacked()
        return None if plan is None else IndexPass(plan, plan._chunks())

    def _read(self):
        index, data = self._paths()
        with open(index) as f:
            info = json.load(f)
        if info.get("format") != FORMAT:
            raise ValueError(f"Dataset.cache: {index} was not written by dendrite's cache (format "
                             f"{info.get('format')!r}); delete it or choose another filename.")
        template = _template(info.get("nesting"))
        with open(data, "rb") as f:
            for _ in range(int(info["count"])):
                yield _read_element(f, template, data)

    def _write(self):
        index, data = self._paths()
        partial = f"{data}.partial-{os.getpid()}-{id(self)}"
        count, finished, nesting = 0, False, None
        try:
            with open(partial, "wb") as f:
                for element in self._input._iterate():
                    _write_element(f, element)
                    if count == 0:
                        nesting = _nesting(element)
                    count += 1
                    yield element
            os.replace(partial, data)
            with open(index + ".partial", "w") as f:
                json.dump({"format": FORMAT, "count": count, "nesting": nesting}, f)
            os.replace(index + ".partial", index)
            finished = True
        finally:
            if not finished and os.path.exists(partial):
                os.remove(partial)

