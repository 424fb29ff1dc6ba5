"""``tf.random``: seeded draws as Tensors. ``set_seed`` seeds dendrite's generator (and NumPy's), so runs
repeat; an op-level ``seed=`` gives the same draw on every call with it, as TensorFlow does for a fixed pair
of seeds."""
import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..utils import set_random_seed
from . import dtypes, tf_random_generator
from .tensor_api import _shape, _t


def set_seed(seed):
    set_random_seed(int(seed))


def _rng(seed):
    return backend.rng() if seed is None else np.random.default_rng(int(seed))


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    return Tensor(_rng(seed).normal(mean, stddev, _shape(shape)).astype(dtypes.as_dtype(dtype)))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal draws beyond two standard deviations redrawn, as TensorFlow's truncated normal."""
    rng, size = _rng(seed), _shape(shape)
    out = rng.normal(0.0, 1.0, size)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.normal(0.0, 1.0, int(bad.sum()))
        bad = np.abs(out) > 2
    return Tensor((mean + stddev * out).astype(dtypes.as_dtype(dtype)))


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    dtype = dtypes.as_dtype(dtype)
    rng, size = _rng(seed), _shape(shape)
    if dtype.kind in "iu" and maxval is None:
        raise ValueError("tf.random.uniform: an integer dtype needs `maxval`.")
    # minval + (maxval - minval) * U[0, 1) for floats, as TensorFlow computes it (maxval below minval allowed)
    return Tensor(tf_random_generator._uniform(rng, size, minval, maxval, dtype, "tf.random.uniform"))


def shuffle(value, seed=None, name=None):
    x = np.array(_t(value).value)
    _rng(seed).shuffle(x)
    return Tensor(x)


def categorical(logits, num_samples, dtype=dtypes.int64, seed=None, name=None):
    logits = np.asarray(_t(logits).value, dtype=np.float64)
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    rng = _rng(seed)
    return Tensor(np.stack([rng.choice(p.shape[-1], int(num_samples), p=row) for row in p]).astype(dtype))


def _parameter(who, name, value, positive=True):
    arr = np.asarray(getattr(value, "value", value), dtype=np.float64)
    if positive and not np.all(arr > 0) or not positive and not np.all(arr >= 0):
        raise ValueError(f"tf.random.{who}: `{name}` must be {'positive' if positive else 'non-negative'}; "
                         f"received {name}={value!r}.")
    return arr


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.gamma``: Gamma(alpha, rate beta) draws of shape ``shape + broadcast(alpha, beta).shape``."""
    a = _parameter("gamma", "alpha", alpha)
    b = np.ones_like(a) if beta is None else _parameter("gamma", "beta", beta)
    a, b = np.broadcast_arrays(a, b)
    out = _rng(seed).gamma(a, 1.0 / b, _shape(shape) + a.shape)
    return Tensor(out.astype(dtypes.as_dtype(dtype)))


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.poisson``: Poisson(lam) draws of shape ``shape + lam.shape``."""
    rate = _parameter("poisson", "lam", lam, positive=False)
    return Tensor(_rng(seed).poisson(rate, _shape(shape) + rate.shape).astype(dtypes.as_dtype(dtype)))


NAMES = "set_seed normal truncated_normal uniform shuffle categorical gamma poisson"
