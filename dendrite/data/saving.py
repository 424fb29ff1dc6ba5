"""``Dataset.save(path)`` / ``Dataset.load(path)``, ``snapshot(path)`` and ``fingerprint()``.

A saved dataset is a directory of dendrite's own format, not TensorFlow's (a directory TensorFlow wrote is
refused): ``dendrite_dataset.json`` (the format, element count, nesting and element_spec, written last)
and one or more shard files ``shard-00000.npys`` (``.npys.gz`` with ``compression='GZIP'``), each a
sequence of ``.npy`` records read with ``allow_pickle=False`` (the records of cache.py). Nothing in them
can run code when read. ``snapshot(path)`` writes the same directory during the first complete pass and
reads it on later passes (and in later runs), as ``cache(filename)`` does.
"""
import gzip
import hashlib
import json
import os

import numpy as np

from . import sparse, structure
from .cache import _nesting, _read_element, _template, _write_element
from .dataset import Dataset
from .transforms import Passthrough

FORMAT = "dendrite.data.save/1"
SPEC_FILE = "dendrite_dataset.json"


def _compression(value, who):
    if value in (None, "", "NONE", "AUTO"):
        return None
    if str(value).upper() == "GZIP":
        return "GZIP"
    raise ValueError(f"{who}: `compression` must be None, 'NONE', 'AUTO' or 'GZIP'. Received: {value!r}.")


def _spec_json(spec):
    return [{"shape": None if s.shape is None else list(s.shape), "dtype": structure.dtype_name(s.dtype)}
            for s in structure.flatten(spec)]


def _spec_from_json(leaves, template):
    specs = [structure.TensorSpec(leaf["shape"], leaf["dtype"]) for leaf in leaves]
    return structure.pack_as(template, specs) if structure.is_structure(template) else specs[0]


def _check_leaves(element, who):
    for leaf in structure.flatten(element):
        if sparse.is_sparse(leaf) or hasattr(leaf, "row_splits"):
            raise NotImplementedError(f"{who}: SparseTensor and RaggedTensor components cannot be saved in "
                                      "dendrite's format; map them to dense tensors first (see docs/compat.md).")


class _Writer:
    """Elements written to a directory's shards; ``finish()`` writes the spec file that marks it complete."""

    def __init__(self, path, compression, shard_func, who):
        self.path, self.who = os.fspath(path), who
        self.gzip = compression == "GZIP"
        self.shard_func = shard_func
        self.files, self.per_shard, self.count, self.nesting = {}, {}, 0, None
        os.makedirs(self.path, exist_ok=True)
        old = os.path.join(self.path, SPEC_FILE)
        if os.path.exists(old):
            os.remove(old)

    def _file(self, k):
        if k not in self.files:
            name = os.path.join(self.path, f"shard-{k:05d}.npys" + (".gz" if self.gzip else ""))
            self.files[k] = gzip.open(name, "wb") if self.gzip else open(name, "wb")
        return self.files[k]

    def write(self, element):
        _check_leaves(element, self.who)
        k = 0
        if self.shard_func is not None:
            k = int(np.asarray(self.shard_func(*element) if type(element) is tuple else self.shard_func(element)))
            if k < 0:
                raise ValueError(f"{self.who}: `shard_func` must return a non-negative shard index; gave {k}.")
        _write_element(self._file(k), element)
        self.per_shard[k] = self.per_shard.get(k, 0) + 1
        if self.count == 0:
            self.nesting = _nesting(element)
        self.count += 1

    def finish(self, spec):
        self.close()
        shards = [[k, self.per_shard[k]] for k in sorted(self.per_shard)]
        info = {"format": FORMAT, "count": self.count, "nesting": self.nesting, "shards": shards,
                "compression": "GZIP" if self.gzip else None, "spec": _spec_json(spec)}
        partial = os.path.join(self.path, SPEC_FILE + ".partial")
        with open(partial, "w") as f:
            json.dump(info, f)
        os.replace(partial, os.path.join(self.path, SPEC_FILE))

    def close(self):
        for f in self.files.values():
            f.close()


def _info(path, who):
    spec_file = os.path.join(os.fspath(path), SPEC_FILE)
    if not os.path.exists(spec_file):
        tf_made = os.path.isdir(path) and any(n.endswith(".snapshot") or n == "dataset_spec.pb"
                                               for n in os.listdir(path))
        raise FileNotFoundError(
            f"{who}: {path!r} holds no dataset saved by dendrite (no {SPEC_FILE})."
            + (" It looks like TensorFlow's own snapshot format, which dendrite does not read; save the dataset "
               "again with dendrite." if tf_made else " Save one there first with dataset.save(path)."))
    with open(spec_file) as f:
        info = json.load(f)
    if info.get("format") != FORMAT:
        raise ValueError(f"{who}: {spec_file} has format {info.get('format')!r}, not {FORMAT!r}.")
    return info


class Loaded(Dataset):
    """The elements of a saved directory, shard by shard."""

    def __init__(self, path, element_spec=None):
        self._path = os.fspath(path)
        info = self._info = _info(self._path, "Dataset.load")
        self._template = _template(info.get("nesting"))
        saved = _spec_from_json(info["spec"], self._template)
        if element_spec is not None and not structure.same_nesting(element_spec, saved):
            raise ValueError(f"Dataset.load: `element_spec` {element_spec} does not match the saved dataset's "
                             f"{saved}.")
        self._element_spec = element_spec if element_spec is not None else saved

    def _cardinality(self):
        return int(self._info["count"])

    def _iterate(self):
        gz = self._info.get("compression") == "GZIP"
        for k, n in self._info["shards"]:
            name = os.path.join(self._path, f"shard-{int(k):05d}.npys" + (".gz" if gz else ""))
            with (gzip.open(name, "rb") if gz else open(name, "rb")) as f:
                for _ in range(int(n)):
                    yield _read_element(f, self._template, name)


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    """Write every element of ``dataset`` under the directory ``path`` (see the module)."""
    writer = _Writer(path, _compression(compression, "Dataset.save"), shard_func, "Dataset.save")
    try:
        for element in dataset._iterate():
            writer.write(element)
    finally:
        writer.close()
    writer.finish(dataset.element_spec)


def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
    return Loaded(path, element_spec)


class Snapshot(Passthrough):
    """The first complete pass written to ``path``; later passes (and runs) read it."""

    def __init__(self, input_dataset, path, compression="AUTO", shard_func=None):
        super().__init__(input_dataset)
        self._path = os.fspath(path)
        self._compression = _compression(compression, "Dataset.snapshot")
        self._shard_func = shard_func

    def _iterate(self):
        if os.path.exists(os.path.join(self._path, SPEC_FILE)):
            return Loaded(self._path)._iterate()
        return self._write()

    def _write(self):
        writer = _Writer(self._path, self._compression, self._shard_func, "Dataset.snapshot")
        finished = False
        try:
            for element in self._input._iterate():
                writer.write(element)
                yield element
            finished = True
        finally:
            writer.close()
        if finished:
            writer.finish(self._input.element_spec)


def _digest(value, h):
    if isinstance(value, np.ndarray):
        h.update(repr((value.shape, value.dtype.str)).encode())
        h.update(value.tobytes() if value.dtype != object else repr(value.tolist()).encode())
    elif isinstance(value, (bool, int, float, str, bytes, type(None), np.generic)):
        h.update(repr(value).encode())
    elif isinstance(value, (list, tuple)):
        for v in value:
            _digest(v, h)
    elif isinstance(value, dict):
        for k in sorted(value, key=repr):
            _digest(k, h)
            _digest(value[k], h)
    elif callable(value):
        code = getattr(value, "__code__", None)
        h.update((getattr(value, "__qualname__", type(value).__name__)).encode())
        if code is not None:
            h.update(code.co_code)


def fingerprint(dataset):
    """A uint64 that is the same for two pipelines built the same way from the same values (the stages,
    their arguments, the functions' code, the data of array sources); not TensorFlow's number."""
    h = hashlib.blake2b(digest_size=8)
    seen = set()

    def walk(d):
        if id(d) in seen:
            return
        seen.add(id(d))
        h.update(type(d).__name__.encode())
        for key in sorted(vars(d)):
            value = vars(d)[key]
            if isinstance(value, Dataset):
                walk(value)
            elif key not in ("_element_spec", "_kept", "_plan", "_rng") and not key.startswith("__"):
                h.update(key.encode())
                _digest(value, h)
        for inp in d._inputs():
            walk(inp)
    walk(dataset)
    return np.uint64(int.from_bytes(h.digest(), "little"))


