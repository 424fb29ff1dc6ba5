"""matplotlib for dendrite's plots: imported on first use (an optional extra), on the Agg backend when there
is no display, and figures written to a file or shown in Jupyter."""
import os
import sys


def pyplot():
    """matplotlib.pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError('dendrite.viz draws with matplotlib, which is not installed. Install it with '
                          'pip install "dendrite[plots]" (or pip install matplotlib).') from e
    if "matplotlib.pyplot" not in sys.modules and not in_notebook() and not os.environ.get("DISPLAY") \
            and sys.platform.startswith("linux"):
        matplotlib.use("Agg")  # no display: draw to files (a GUI backend would fail to start)
    import matplotlib.pyplot as plt
    return plt


def in_notebook():
    """Whether this process is a Jupyter kernel (IPython with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython() if hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def finish(fig, to_file=None, dpi=100):
    """Write ``fig`` to ``to_file`` (its folder made as needed) and close it, or return it for display."""
    if to_file is None:
        return fig
    folder = os.path.dirname(os.fspath(to_file))
    if folder:
        os.makedirs(folder, exist_ok=True)
    fig.savefig(to_file, dpi=dpi, bbox_inches="tight")
    pyplot().close(fig)
    return fig


def as_numpy(x, name, owner):
    """Tensors, lists and DataFrames as a NumPy array (fit's unwrapping); anything else refused naming the
    argument."""
    import numpy as np

    from ..models.data_adapters.arrays import _unwrap
    arr = np.asarray(_unwrap(x))
    if arr.dtype == object:
        raise TypeError(f"{owner}: `{name}` must be numeric array data; received {type(x).__name__} that does not "
                        "convert to one (ragged lists?).")
    return arr
