"""shuffle(): tf.data's buffer shuffle. A buffer holds ``buffer_size`` elements; each step emits a random
one and puts the next input element in its place; when the input ends the buffer is emitted in random
order. So an element moves by about ``buffer_size`` positions at most on its way out (``buffer_size=1`` is
the identity), and it is a uniform permutation only when the buffer holds the whole dataset.

The same routine orders the index plans of the array path (arrays.PlanShuffle) and plain elements.
"""
import itertools

import numpy as np

from .. import backend
from .dataset import Dataset
from ..random import check_seed
from ..utils.validation import is_int

DRAWS = 8192
BLOCK = 64  # elements read at a time by the shuffle of elements that are not index plans


def check_buffer_size(buffer_size):
    if hasattr(buffer_size, "numpy") and not isinstance(buffer_size, np.ndarray):
        buffer_size = buffer_size.numpy()
    if not is_int(buffer_size) or buffer_size < 1:
        raise ValueError(f"Dataset.shuffle: `buffer_size` must be a positive integer (the number of elements "
                         f"the shuffle buffer holds). Received: buffer_size={buffer_size!r}. For a full "
                         "shuffle pass a size at least the dataset's length.")
    return int(buffer_size)


def epoch_rng(seed, reshuffle_each_iteration, who):
    """A function giving the generator for the next pass: a new order on every pass unless
    ``reshuffle_each_iteration`` is False (then the same one). Without a seed, the starting point is
    drawn from dendrite's global generator when the dataset is built (utils.set_random_seed repeats it)."""
    seed = check_seed(seed, f"Dataset.{who}")
    base = seed if seed is not None else int(backend.rng().integers(2 ** 63))
    reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
    passes = itertools.count()

    def next_rng():
        return np.random.default_rng([base, next(passes)] if reshuffle else base)

    return next_rng


def shuffle_blocks(blocks, buffer_size, rng):
    """The buffer shuffle over an iterator of 1-d arrays (of indices, or an object array of elements),
    yielding 1-d arrays. Each block is done at once: with ``r`` the slots drawn for its items, the item
    emitted at step t is the one last written to slot r[t] (the previous item with the same draw, or the
    buffer's content from before the block), found with one stable sort of ``r``."""
    blocks = iter(blocks)
    filled, have, rest = [], 0, None
    for block in blocks:
        need = buffer_size - have
        if len(block) <= need:
            filled.append(block)
            have += len(block)
            continue
        filled.append(block[:need])
        rest = block[need:]
        break
    buf = np.concatenate(filled) if filled else np.zeros((0,), np.int64)
    if rest is None:  # the whole input fits in the buffer
        yield buf[rng.permutation(len(buf))]
        return
    for block in itertools.chain([rest], blocks):
        n = len(block)
        if not n:
            continue
        r = rng.integers(0, buffer_size, n)
        order = np.argsort(r, kind="stable")
        sorted_r = r[order]
        repeat = sorted_r[1:] == sorted_r[:-1]  # order[k + 1] follows order[k] in the same slot
        prev = np.full(n, -1, dtype=np.int64)
        prev[order[1:][repeat]] = order[:-1][repeat]
        out = buf[r]
        written = prev >= 0
        out[written] = block[prev[written]]
        last = np.ones(n, dtype=bool)
        last[:-1] = ~repeat
        buf[sorted_r[last]] = block[order[last]]
        yield out
    yield buf[rng.permutation(len(buf))]


def buffer_shuffle_indices(chunks, buffer_size, rng, piece=DRAWS):
    """The buffer shuffle of a stream of int index chunks, as a stream of index chunks."""
    def pieces():
        for chunk in chunks:
            for s in range(0, len(chunk), piece):
                yield chunk[s:s + piece]

    for out in shuffle_blocks(pieces(), buffer_size, rng):
        if len(out):
            yield out


def element_blocks(elements):
    """Elements read ``BLOCK`` at a time, each block an object array."""
    while True:
        items = list(itertools.islice(elements, BLOCK))
        if not items:
            return
        yield object_array(items)


def object_array(items):
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


class Shuffle(Dataset):
    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=None):
        self._input = input_dataset
        self._buffer = check_buffer_size(buffer_size)
        self._rng = epoch_rng(seed, reshuffle_each_iteration, "shuffle")

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        return self._input._cardinality()

    def _spec(self):
        return self._input.element_spec

    def _index_pass(self):
        """Over a stacked cache: the same buffer shuffle over index chunks. Its order depends only on the
        stream of slot draws, and NumPy's int64 draws are the same however a stream is split into calls,
        so this is the order of the element path (tests/data/test_rows.py holds it to that)."""
        from .rows import IndexPass
        index_pass = self._input._index_pass()
        if index_pass is None:
            return None
        return IndexPass(index_pass.plan, buffer_shuffle_indices(index_pass.chunks, self._buffer, self._rng()))

    def _iterate(self):
        index_pass = self._index_pass()
        if index_pass is not None:
            yield from index_pass.elements()
            return
        for out in shuffle_blocks(element_blocks(self._input._iterate()), self._buffer, self._rng()):
            yield from out.tolist()
