"""Small standard datasets, returned exactly as Keras returns them.

``mnist.load_data()`` and ``fashion_mnist.load_data()`` give
``((x_train, y_train), (x_test, y_test))`` as uint8 arrays. Files are found
locally first (``$DENDRITE_DATA``, ``~/.dendrite/datasets``,
``~/.keras/datasets``, ``/usr/share/datasets/<name>``) and downloaded with a
SHA-256 check otherwise; see :mod:`dendrite.datasets._fetch`.
"""
from . import fashion_mnist, mnist
from ._fetch import FetchError

__all__ = ["mnist", "fashion_mnist", "FetchError"]
