"""California housing prices: 20,640 census block groups of the 1990 US census, 8 features each, and the
median house value (in dollars) to predict."""
from . import _housing

_ORIGIN = _housing.BASE + "california_housing.npz"
_SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
FEATURES = 8
SMALL = 600  # the samples of version='small': the file's first 600


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Load the California housing set as Keras does.

    ``version`` is 'large' (all 20,640 samples) or 'small' (the first 600,
    a stand-in for the Boston set). The samples are shuffled with
    ``np.random.RandomState(seed)`` and the first ``int(n * (1 - test_split))``
    kept for training, the rest for testing. Returns ``((x_train, y_train),
    (x_test, y_test))``: features of shape (samples, 8) (median income, house
    age, average rooms, average bedrooms, population, average occupancy,
    latitude, longitude) and targets of shape (samples,), with the dtypes the
    file stores. ``path`` is the file name looked for in the data folders (and
    used for the download); a path with a folder is used as it is.
    """
    who = "california_housing.load_data"
    if not isinstance(version, str) or version not in ("small", "large"):
        raise ValueError(f"{who}: expected `version` to be 'small' (600 samples) or 'large' (20,640 "
                         f"samples); received version={version!r}.")
    rng = _housing.check_split(who, test_split, seed)
    x, y = _housing.read(who, _housing.locate(who, path, _ORIGIN, _SHA256), FEATURES)
    if version == "small":
        x, y = x[:SMALL], y[:SMALL]
    return _housing.split(x, y, test_split, rng)
