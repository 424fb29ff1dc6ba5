"""Fashion-MNIST: 70,000 28x28 grey images of clothing in 10 classes, read from Zalando's IDX files."""
import os

import numpy as np

from . import _fetch

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_SUBDIR = os.path.join("datasets", "fashion-mnist")
_FILES = {
    "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
}
_UBYTE = 0x08  # IDX type code for unsigned bytes


def load_data():
    """Load Fashion-MNIST as Keras does.

    Returns ``((x_train, y_train), (x_test, y_test))``: uint8 images of shape
    (60000, 28, 28) and (10000, 28, 28), uint8 labels 0-9 of shape (60000,)
    and (10000,).
    """
    paths = {name: _fetch.fetch(name, _BASE + name, sha, cache_subdir=_SUBDIR, debian="fashion-mnist",
                                who="fashion_mnist.load_data")
             for name, sha in _FILES.items()}
    y_train = _read_idx(paths["train-labels-idx1-ubyte.gz"], (60000,))
    x_train = _read_idx(paths["train-images-idx3-ubyte.gz"], (60000, 28, 28))
    y_test = _read_idx(paths["t10k-labels-idx1-ubyte.gz"], (10000,))
    x_test = _read_idx(paths["t10k-images-idx3-ubyte.gz"], (10000, 28, 28))
    return (x_train, y_train), (x_test, y_test)


def _read_idx(path, shape):
    """Read a gzipped IDX file of unsigned bytes, checking its magic number and dimensions."""
    import gzip
    import zlib

    def bad(what):
        return ValueError(
            f"fashion_mnist.load_data: {path} is not a valid IDX file: {what}. Expected uint8 data of "
            f"shape {shape}. Delete or replace the file (or point DENDRITE_DATA at a good copy)."
        )

    try:
        with gzip.open(path, "rb") as f:
            header = f.read(4)
            if len(header) != 4 or header[:3] != b"\x00\x00" + bytes([_UBYTE]) or header[3] != len(shape):
                raise bad(f"magic number {header.hex() or 'missing'}, expected "
                          f"0000{_UBYTE:02x}{len(shape):02x} (uint8, {len(shape)} dimensions)")
            dims = f.read(4 * len(shape))
            if len(dims) != 4 * len(shape):
                raise bad("header ends early")
            dims = tuple(int(d) for d in np.frombuffer(dims, dtype=">u4"))
            if dims != shape:
                raise bad(f"dimensions {dims}")
            out = np.empty(shape, dtype=np.uint8)
            view = memoryview(out).cast("B")
            filled = 0
            while filled < out.size:
                n = f.readinto(view[filled:])
                if not n:
                    raise bad(f"data ends after {filled} of {out.size} bytes")
                filled += n
            if f.read(1):
                raise bad("data goes on past the declared dimensions")
    except (OSError, EOFError, zlib.error) as exc:
        raise bad(f"cannot be decompressed ({exc})") from None
    return out
