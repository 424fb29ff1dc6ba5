"""``tf.random.Generator`` and the stateless random functions (``tf.random.stateless_*``,
``tf.random.experimental.stateless_split`` / ``stateless_fold_in``), on NumPy's Philox counter-based generator.

A Generator's state is an int64 Variable of three numbers, as TensorFlow's Philox state: the 128-bit counter
(two words) and the key. Each draw reads the state, draws, and writes the advanced counter back, so the state
is all there is: ``tf.train.Checkpoint(generator=g)`` saves and restores the stream, ``split`` gives
independent generators (keys drawn from this one), and the same seed gives the same numbers in every run. A
stateless function's values depend on its ``seed`` pair (and shape and dtype) alone: the same pair gives the
same values, different pairs different ones.

The numbers are not TensorFlow's bit for bit (its Philox kernels turn bits into floats their own way, and
``from_seed`` scrambles the seed into the key here), and ``alg='threefry'`` is refused: only Philox is
implemented ('auto_select' picks it, as TensorFlow does on a CPU)."""
import enum

import numpy as np

from ..autodiff import Tensor
from . import dtypes
from ._notes import unsupported
from .tensor_api import Variable, _shape, _t

_MASK = (1 << 64) - 1


class Algorithm(enum.Enum):
    """``tf.random.Algorithm``: the counter-based generators' names and numbers."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def _algorithm(alg):
    if alg is None:
        return Algorithm.PHILOX
    if isinstance(alg, str):
        key = alg.upper()
        if key not in Algorithm.__members__:
            raise ValueError(f"tf.random: unknown algorithm {alg!r}; expected 'philox', 'threefry' or "
                             "'auto_select'.")
        alg = Algorithm[key]
    alg = Algorithm(getattr(alg, "value", alg))
    if alg is Algorithm.THREEFRY:
        raise unsupported("tf.random's alg='threefry'", "dendrite implements the Philox algorithm ('philox' or "
                                                        "'auto_select').")
    return Algorithm.PHILOX


def _words(values, who):
    """Integers (a number, a list, an array or a Tensor) as uint64 words (negative ones wrapped)."""
    if isinstance(values, Tensor):
        values = values.value
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "iu":
            raise TypeError(f"{who}: expected integers; received dtype {values.dtype}.")
        items = values.reshape(-1).tolist()
    else:
        items = list(np.ravel(np.array(values, dtype=object)))
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
            raise TypeError(f"{who}: expected integers; received {values!r}.")
    return np.array([int(v) & _MASK for v in items], dtype=np.uint64)


def _seed_key(seed):
    """A seed (any integer) scrambled into a 64-bit key."""
    return int(np.random.SeedSequence(int(seed) & _MASK).generate_state(1, np.uint64)[0])


def _is_zero(value):
    return isinstance(value, (int, np.integer)) and value == 0


def _cast(values, dtype):
    return Tensor(np.asarray(values).astype(dtype))


def _check_float(dtype, who):
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"{who}: `dtype` must be a floating dtype (float16, float32, float64); received {dtype}.")
    return dtype


def _truncated(rng, size):
    out = rng.standard_normal(size)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return out


def _full_int(rng, size, dtype):
    dtype = np.dtype(dtype)
    bits = rng.integers(0, 1 << 64, size, dtype=np.uint64, endpoint=False)
    return bits.view(dtype) if dtype.itemsize == 8 else (bits >> np.uint64(64 - 8 * dtype.itemsize)).astype(dtype)


def _uniform(rng, size, minval, maxval, dtype, who):
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind in "iu":
        if minval is None and maxval is None:
            return _full_int(rng, size, dtype)
        if maxval is None:
            raise ValueError(f"{who}: an integer dtype ({dtype}) needs `maxval` (or neither `minval` nor `maxval` "
                             "for the full range).")
        low, high = int(0 if minval is None else _t(minval).value), int(_t(maxval).value)
        if low >= high:
            raise ValueError(f"{who}: `minval` must be below `maxval`; received minval={low}, maxval={high}.")
        return rng.integers(low, high, size).astype(dtype)
    low = 0.0 if minval is None else np.asarray(_t(minval).value, np.float64)
    high = 1.0 if maxval is None else np.asarray(_t(maxval).value, np.float64)
    return (low + (high - low) * rng.random(size)).astype(dtype)


def _categorical(rng, logits, num_samples, dtype):
    logits = np.asarray(_t(logits).value, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"categorical: `logits` must be 2-D [batch, classes]; received shape {logits.shape}.")
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return np.stack([rng.choice(p.shape[-1], int(num_samples), p=row) for row in p]).astype(dtypes.as_dtype(dtype))


class Generator:
    """``tf.random.Generator``: a random number generator whose state (``state``, an int64 Variable of shape
    (3,): counter, counter, key) advances with every draw."""

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None:
                raise ValueError("tf.random.Generator: give either `copy_from` or `state`, not both.")
            state, alg = np.asarray(copy_from.state.value), copy_from.algorithm
        if state is None:
            raise ValueError("tf.random.Generator: give `state` (or `copy_from`), or make one with "
                             "Generator.from_seed(seed) / Generator.from_non_deterministic_state().")
        self._alg = _algorithm(alg)
        self._state = Variable(self._checked(state), trainable=False, name="Variable")

    @staticmethod
    def _checked(state):
        words = _words(state, "tf.random.Generator")
        if words.size != 3:
            raise ValueError(f"tf.random.Generator: a Philox state has 3 numbers (counter, counter, key); "
                             f"received {words.size}.")
        return words.view(np.int64)

    # ---------------------------------------------------------------- making
    @classmethod
    def from_seed(cls, seed, alg=None):
        return cls(state=[0, 0, _seed_key(seed)], alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        counter, key = np.random.SeedSequence().generate_state(2, np.uint64)
        return cls(state=[int(counter), 0, int(key)], alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        counter = _words(counter, "Generator.from_key_counter")
        return cls(state=[int(counter[0]), int(counter[1]) if counter.size > 1 else 0,
                          int(_words(key, "Generator.from_key_counter")[0])], alg=alg)

    def reset(self, state):
        self._state.assign(self._checked(state))

    def reset_from_seed(self, seed):
        self.reset([0, 0, _seed_key(seed)])

    def reset_from_key_counter(self, key, counter):
        other = Generator.from_key_counter(key, counter, self._alg)
        self.reset(other.state.value)

    # ---------------------------------------------------------------- state
    @property
    def state(self):
        return self._state

    @property
    def algorithm(self):
        return self._alg.value

    @property
    def key(self):
        return Tensor(np.asarray(self._state.value)[2:].copy())

    @property
    def variables(self):  # what tf.train.Checkpoint saves
        return [self._state]

    def _draw(self, fill):
        words = np.asarray(self._state.value).view(np.uint64)
        bits = np.random.Philox(counter=[int(words[0]), int(words[1]), 0, 0], key=[int(words[2]), 0])
        out = fill(np.random.Generator(bits))
        counter = bits.state["state"]["counter"]
        self._state.assign(np.array([int(counter[0]), int(counter[1]), int(words[2])], np.uint64).view(np.int64))
        return out

    # ---------------------------------------------------------------- draws
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        dtype = _check_float(dtype, "Generator.normal")
        return _cast(self._draw(lambda r: mean + stddev * r.standard_normal(_shape(shape))), dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        dtype = _check_float(dtype, "Generator.truncated_normal")
        return _cast(self._draw(lambda r: mean + stddev * _truncated(r, _shape(shape))), dtype)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        if dtypes.as_dtype(dtype).kind in "iu" and _is_zero(minval) and maxval is None:
            minval = None  # TensorFlow: an integer dtype without bounds draws over its full range
        return Tensor(self._draw(lambda r: _uniform(r, _shape(shape), minval, maxval, dtype, "Generator.uniform")))

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        dtype = dtypes.as_dtype(dtype)
        return Tensor(self._draw(lambda r: _full_int(r, _shape(shape), dtype)))

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        counts, probs = np.asarray(_t(counts).value), np.asarray(_t(probs).value)
        return _cast(self._draw(lambda r: r.binomial(counts, probs, _shape(shape))), dtypes.as_dtype(dtype))

    def categorical(self, logits, num_samples, dtype=dtypes.int64, name=None):
        return Tensor(self._draw(lambda r: _categorical(r, logits, num_samples, dtype)))

    def make_seeds(self, count=1):
        """Seeds for the stateless functions: an int64 Tensor of shape (2, count)."""
        return self.uniform_full_int([2, int(count)], dtype=dtypes.int64)

    def split(self, count=1):
        """``count`` new, independent generators, keyed by draws from this one (which advances)."""
        keys = np.asarray(self.uniform_full_int([int(count)], dtype=dtypes.uint64).value)
        return [Generator(state=[0, 0, int(key)], alg=self._alg) for key in keys]


_GLOBAL = {"generator": None}


def get_global_generator():
    """The process's generator, made from a non-deterministic state on first use (as TensorFlow's)."""
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = Generator.from_non_deterministic_state()
    return _GLOBAL["generator"]


def set_global_generator(generator):
    if not isinstance(generator, Generator):
        raise TypeError(f"tf.random.set_global_generator: expected a tf.random.Generator; received "
                        f"{type(generator).__name__}.")
    _GLOBAL["generator"] = generator


def create_rng_state(seed, alg):
    """The state ``Generator.from_seed(seed, alg)`` starts from (an int64 array of 3)."""
    return np.asarray(Generator.from_seed(seed, alg).state.value).copy()


# ---------------------------------------------------------------- stateless
def _stateless(seed, who):
    words = _words(seed, who)
    if words.size != 2:
        raise ValueError(f"{who}: `seed` must be a pair of integers (shape [2]); received {words.size} numbers.")
    return np.random.Generator(np.random.Philox(key=[int(words[0]), int(words[1])]))


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"):
    _algorithm(alg)
    dtype = _check_float(dtype, "tf.random.stateless_normal")
    return _cast(mean + stddev * _stateless(seed, "tf.random.stateless_normal").standard_normal(_shape(shape)), dtype)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                               alg="auto_select"):
    _algorithm(alg)
    dtype = _check_float(dtype, "tf.random.stateless_truncated_normal")
    rng = _stateless(seed, "tf.random.stateless_truncated_normal")
    return _cast(mean + stddev * _truncated(rng, _shape(shape)), dtype)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None, alg="auto_select"):
    _algorithm(alg)
    who = "tf.random.stateless_uniform"
    if dtypes.as_dtype(dtype).kind in "iu" and (minval is None) != (maxval is None):
        if not (_is_zero(minval) and maxval is None):
            raise ValueError(f"{who}: an integer dtype needs both `minval` and `maxval`, or neither (the full "
                             "range).")
        minval = None
    return Tensor(_uniform(_stateless(seed, who), _shape(shape), minval, maxval, dtype, who))


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    return Tensor(_categorical(_stateless(seed, "tf.random.stateless_categorical"), logits, num_samples, dtype))


def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    rng = _stateless(seed, "tf.random.stateless_binomial")
    counts, probs = np.asarray(_t(counts).value), np.asarray(_t(probs).value)
    return _cast(rng.binomial(counts, probs, _shape(shape)), dtypes.as_dtype(output_dtype))


def stateless_split(seed, num=2, alg="auto_select"):
    """``num`` new seed pairs from ``seed``: an int64 Tensor of shape (num, 2)."""
    _algorithm(alg)
    return Tensor(_full_int(_stateless(seed, "tf.random.experimental.stateless_split"), (int(num), 2), np.int64))


def stateless_fold_in(seed, data, alg="auto_select"):
    """A new seed pair from ``seed`` and the integer ``data`` (a step number, a replica id)."""
    _algorithm(alg)
    words = _words(seed, "tf.random.experimental.stateless_fold_in")
    if words.size != 2:
        raise ValueError("tf.random.experimental.stateless_fold_in: `seed` must be a pair of integers; received "
                         f"{words.size} numbers.")
    data = int(np.asarray(_t(data).value)) & _MASK
    return stateless_split([int(words[0]), int(words[1]) ^ _seed_key(data)], 1)[0]


MEMBERS = dict(Generator=Generator, Algorithm=Algorithm, get_global_generator=get_global_generator,
               set_global_generator=set_global_generator, create_rng_state=create_rng_state,
               stateless_normal=stateless_normal, stateless_truncated_normal=stateless_truncated_normal,
               stateless_uniform=stateless_uniform, stateless_categorical=stateless_categorical,
               stateless_binomial=stateless_binomial, split=stateless_split, fold_in=stateless_fold_in)
EXPERIMENTAL = dict(MEMBERS, stateless_split=stateless_split, stateless_fold_in=stateless_fold_in)
