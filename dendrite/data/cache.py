"""cache(): the elements of the first complete pass kept, in memory or in files, and handed out on later
passes instead of reading the source again. A pass that is not finished leaves no cache behind.

With a ``filename``, the elements go to ``<filename>.data-00000-of-00001`` with an index
``<filename>.index`` written last (the names tf.data uses; the content is dendrite's own: a pickle stream of
the elements). A later pass, or another process building the same pipeline, reads those files. Read cache
files only from places you trust, as with any pickle.
"""
import json
import os
import pickle

from .passes import first_pass_kept
from .transforms import Passthrough

FORMAT = "dendrite.data.cache/1"


class Cache(Passthrough):
    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        self._filename = os.fspath(filename) if filename else ""
        self._kept = None
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
        return first_pass_kept(self, self._input._iterate)

    def _read(self):
        index, data = self._paths()
        with open(index) as f:
            info = json.load(f)
        if info.get("format") != FORMAT:
            raise ValueError(f"Dataset.cache: {index} was not written by dendrite's cache (format "
                             f"{info.get('format')!r}); delete it or choose another filename.")
        with open(data, "rb") as f:
            for _ in range(info["count"]):
                yield pickle.load(f)

    def _write(self):
        index, data = self._paths()
        partial = f"{data}.partial-{os.getpid()}-{id(self)}"
        count, finished = 0, False
        try:
            with open(partial, "wb") as f:
                for element in self._input._iterate():
                    pickle.dump(element, f, protocol=pickle.HIGHEST_PROTOCOL)
                    count += 1
                    yield element
            os.replace(partial, data)
            with open(index + ".partial", "w") as f:
                json.dump({"format": FORMAT, "count": count}, f)
            os.replace(index + ".partial", index)
            finished = True
        finally:
            if not finished and os.path.exists(partial):
                os.remove(partial)

