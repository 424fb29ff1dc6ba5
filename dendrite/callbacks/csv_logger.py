"""`CSVLogger`: one row per epoch of the logs, as Keras writes it."""
import csv
import os

from dendrite.callbacks.base import Callback


class CSVLogger(Callback):
    """Write each epoch's logs to ``filename``: a header ``epoch`` then the logs keys in sorted order (as Keras
    writes them), one row per epoch (0-based); with ``append`` an existing file is continued without a new
    header. Rows are flushed as written, so the file is complete up to the last finished epoch."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(filename, (str, os.PathLike)) or not os.fspath(filename):
            raise ValueError(f"CSVLogger: `filename` must be a file path. Received: filename={filename!r}")
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: `separator` must be one character. Received: separator={separator!r}")
        self.filename, self.sep, self.append = os.fspath(filename), separator, bool(append)
        self.keys = None
        self._file = self._writer = None

    def on_train_begin(self, logs=None):
        continuing = self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        folder = os.path.dirname(self.filename)
        if folder:
            os.makedirs(folder, exist_ok=True)
        self._file = open(self.filename, "a" if self.append else "w", newline="")
        self._continuing = continuing
        self.keys, self._writer = None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._writer is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch"] + self.keys, delimiter=self.sep)
            if not self._continuing:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, logs.get(key, "NA")) for key in self.keys)
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None
