"""Boston housing prices: 506 districts of the Boston area in the 1970s, 13 features each, and the median
home value (in k$) to predict."""
from . import _housing

_ORIGIN = _housing.BASE + "boston_housing.npz"
_SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
FEATURES = 13


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the Boston housing set as Keras does.

    The samples are shuffled with ``np.random.RandomState(seed)`` and the
    first ``int(506 * (1 - test_split))`` kept for training (404 with the
    defaults), the rest for testing. Returns ``((x_train, y_train), (x_test,
    y_test))``: features of shape (samples, 13) and targets of shape
    (samples,), with the (float) dtypes the file stores. ``path`` is the file name looked for in the data folders
    (and used for the download); a path with a folder is used as it is.

    Keras warns against this set except to discuss ethics in data science: one
    of its features was built on the assumption that racial segregation affects
    house prices. ``california_housing.load_data(version='small')`` stands in
    for it.
    """
    who = "boston_housing.load_data"
    rng = _housing.check_split(who, test_split, seed)
    x, y = _housing.read(who, _housing.locate(who, path, _ORIGIN, _SHA256), FEATURES)
    return _housing.split(x, y, test_split, rng)
