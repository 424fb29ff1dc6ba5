"""Small standard datasets, returned exactly as Keras returns them.

``mnist.load_data()`` and ``fashion_mnist.load_data()`` give
``((x_train, y_train), (x_test, y_test))`` as uint8 arrays. Files are found
locally first (``$DENDRITE_DATA``, ``~/.dendrite/datasets``,
``~/.keras/datasets``, ``/usr/share/datasets/<name>``) and downloaded with a
SHA-256 check otherwise; see :mod:`dendrite.datasets._fetch`.

``cifar10`` and ``cifar100`` read the Toronto binary versions (Keras's python
versions are pickles, which dendrite never loads); ``boston_housing`` and
``california_housing`` read Keras's npz files. ``imdb`` and ``reuters`` import, and give their word
indices (JSON files), but their ``load_data`` is refused with a NotImplementedError that says why and what
to use instead.
"""
from . import fashion_mnist, mnist
from . import boston_housing, california_housing, cifar10, cifar100, imdb, reuters
from ._fetch import FetchError
from ._refused import refusal as _refusal

__all__ = ["mnist", "fashion_mnist", "FetchError"]
__all__ += ["cifar10", "cifar100", "boston_housing", "california_housing", "imdb", "reuters"]


def __getattr__(name):
    raise _refusal(__name__, name)
