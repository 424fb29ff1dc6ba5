"""Where a progress bar is shown, and how it redraws there.

Three kinds of output:

- ``'terminal'``: stdout is a terminal (or PyCharm's run console, which
  Keras also treats as one). The bar is redrawn in place with a carriage
  return, and each redraw is fitted to the terminal's width (``COLUMNS``
  first, as `shutil.get_terminal_size` reads it, then the terminal itself),
  so that it never wraps onto a second row that '\\r' cannot reach.
- ``'notebook'``: a Jupyter (IPython) kernel owns stdout. The bar is one
  display output updated in place through ``IPython.display``, so no
  carriage returns or backspaces reach the cell's text output.
- ``'stream'``: anything else (a log file, a pipe, a captured buffer). Only
  whole lines are written.
"""

import importlib
import os
import sys
import uuid

TERMINAL = "terminal"
NOTEBOOK = "notebook"
STREAM = "stream"


def _isatty(stream):
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # a closed or detached stream
        return False


def _kernel_display(stream):
    """The ``IPython.display`` module when a Jupyter kernel is running and
    `stream` is the kernel's own output stream (not a redirect into a file
    or buffer made inside the notebook); else None. IPython is never
    imported here: inside a kernel it already is."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    if get_ipython is None:
        return None
    try:
        shell = get_ipython()
    except Exception:  # an IPython that is half torn down
        return None
    if getattr(shell, "kernel", None) is None:  # terminal IPython: a plain tty
        return None
    if type(stream).__module__.split(".")[0] != "ipykernel":
        return None
    try:
        display = importlib.import_module("IPython.display")
    except ImportError:
        return None
    if not (callable(getattr(display, "display", None))
            and callable(getattr(display, "update_display", None))):
        return None
    return display


def detect_display(stream=None):
    """'notebook', 'terminal' or 'stream' for `stream` (default: the current
    ``sys.stdout``)."""
    stream = sys.stdout if stream is None else stream
    if _kernel_display(stream) is not None:
        return NOTEBOOK
    if _isatty(stream) or "PYCHARM_HOSTED" in os.environ:
        return TERMINAL
    return STREAM


def terminal_columns(stream=None):
    """Width of the terminal `stream` writes to: a positive ``COLUMNS``
    wins, then the terminal's own size. None when `stream` is not a terminal
    (a forced redraw into a buffer or an IDE console is never cut)."""
    stream = sys.stdout if stream is None else stream
    if not _isatty(stream):
        return None
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None
    return columns if columns > 0 else None


def fit_line(line, columns, keep_whole=False):
    """`line` made to fill at most ``columns - 1`` cells (the last cell is
    left free: some terminals wrap as soon as it is written) by dropping
    its trailing ' - name: value' fields, so that no value is shown cut
    short; only a first field wider than the terminal is cut. A line that
    ends its bar (`keep_whole`) is printed whole: a newline follows it, so
    wrapping harms nothing and no value is lost."""
    if columns is None or keep_whole or len(line) < columns:
        return line
    room = max(columns - 1, 1)
    end = line.rfind(" - ", 0, room + 3)  # the field before it fits
    return line[:end] if end > 0 else line[:room]


class NotebookLine:
    """One display output in a Jupyter cell, shown by the first `show` and
    replaced in place by the next ones."""

    def __init__(self, display):
        self._display = display
        self._id = None

    def show(self, text):
        bundle = {"text/plain": text}
        if self._id is None:
            self._id = uuid.uuid4().hex
            self._display.display(bundle, raw=True, display_id=self._id)
        else:
            self._display.update_display(bundle, raw=True, display_id=self._id)


def notebook_line(stream=None):
    """A `NotebookLine` for the running kernel, or None outside one."""
    display = _kernel_display(sys.stdout if stream is None else stream)
    return None if display is None else NotebookLine(display)
