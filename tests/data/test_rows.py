"""A completed in-memory cache of fixed-shape elements is served as stacked arrays: the later passes of
cache -> shuffle -> repeat -> batch gather whole batches, and give exactly the elements and batches the
element path gives for the same seed (the reference pipelines below have no cache, so they are the element
path on every pass)."""
import collections
import struct

import numpy as np

from dendrite import data, io, ops
from dendrite.data import Dataset


class Source:
    """A generator function of fixed-shape numeric elements that counts its passes."""

    def __init__(self, n=50, make=None, spec=None):
        self.n, self.calls, self.spec = n, 0, spec
        self.make = make or (lambda i: (np.arange(3, dtype=np.float32) + i, np.int64(i % 4)))

    def __call__(self):
        self.calls += 1
        for i in range(self.n):
            yield self.make(i)

    def dataset(self):
        first = self.make(0)
        return Dataset.from_generator(self, output_signature=self.spec or signature(first))


def signature(x):
    if isinstance(x, tuple):
        return type(x)(*[signature(v) for v in x]) if hasattr(x, "_fields") else tuple(signature(v) for v in x)
    if isinstance(x, dict):
        return {k: signature(v) for k, v in x.items()}
    return data.TensorSpec.from_value(x)


def flat(batches):
    """Batches (tuples, dicts or arrays) as nested lists, for exact comparison."""
    def one(x):
        if isinstance(x, tuple):
            return [type(x).__name__] + [one(v) for v in x]
        if isinstance(x, dict):
            return {k: one(v) for k, v in x.items()}
        return (np.asarray(x).dtype.str, np.asarray(x).shape, np.asarray(x).tolist())
    return [one(b) for b in batches]


def test_cached_shuffle_repeat_batch_equals_the_element_path_for_a_seed():
    source = Source(150)  # more than the 64 elements the element path's shuffle reads at a time
    cached = source.dataset().cache().shuffle(16, seed=3).repeat(4).batch(7)
    reference = Source(150).dataset().shuffle(16, seed=3).repeat(4).batch(7)
    got, want = list(cached), list(reference)
    assert len(got) == len(want) == -(-600 // 7)
    assert flat(got) == flat(want)
    assert source.calls == 1
    # each pass a new order (reshuffle_each_iteration defaults to True), the same multiset of elements
    firsts = [np.concatenate([b[1] for b in got])[k * 150:(k + 1) * 150] for k in range(4)]
    assert all(sorted(f.tolist()) == sorted(firsts[0].tolist()) for f in firsts)
    assert any(f.tolist() != firsts[0].tolist() for f in firsts[1:])
    # a second iteration of the same pipeline carries on the pass count as the element path does
    assert flat(cached) == flat(reference)


def test_later_passes_are_rows_of_one_stacked_array():
    ds = Source(6).dataset().cache()
    first = list(ds)
    second = list(ds)
    assert flat(first) == flat(second)
    assert not np.shares_memory(first[0][0], first[1][0])
    assert second[0][0].base is not None and second[0][0].base is second[1][0].base  # rows of one array
    assert type(second[0][1]) is np.int64 and second[0][0].dtype == np.float32


def test_reshuffle_false_keeps_one_order_on_the_rows_path():
    ds = Source(40).dataset().cache().shuffle(8, seed=11, reshuffle_each_iteration=False)
    passes = [[int(y) for _, y in ds] for _ in range(3)]
    reference = Source(40).dataset().shuffle(8, seed=11, reshuffle_each_iteration=False)
    assert passes[0] == passes[1] == passes[2] == [int(y) for _, y in reference]


def test_dicts_namedtuples_and_drop_remainder_keep_their_structure():
    Pair = collections.namedtuple("Pair", "image label")

    def make(i):
        return {"x": Pair(np.full((2, 2), i, np.int32), np.float32(i) / 2), "w": np.float64(i)}

    cached = Source(23, make).dataset().cache().shuffle(5, seed=1).repeat(3).batch(4, drop_remainder=True)
    reference = Source(23, make).dataset().shuffle(5, seed=1).repeat(3).batch(4, drop_remainder=True)
    got = list(cached)
    assert flat(got) == flat(reference) and len(got) == 69 // 4
    assert isinstance(got[-1]["x"], Pair) and got[-1]["x"].image.shape == (4, 2, 2)


def test_elements_that_do_not_stack_stay_on_the_element_path():
    vector = (data.TensorSpec((None,), "float32"),)
    ragged = Source(12, lambda i: (np.arange(i % 3 + 1, dtype=np.float32),), vector)
    text = Source(12, lambda i: (np.float32(i), f"row {i}".encode()))
    for source, reference in ((ragged, Source(12, ragged.make, vector)), (text, Source(12, text.make))):
        ds = source.dataset().cache().shuffle(4, seed=2).repeat(2)
        want = list(reference.dataset().shuffle(4, seed=2).repeat(2))
        assert flat(ds) == flat(want) and source.calls == 1
    padded = ragged.dataset().cache().padded_batch(5)
    assert [b[0].shape for b in padded] == [(5, 3), (5, 3), (2, 3)]


def test_the_codelab_pipeline_gives_the_same_batches_with_and_without_cache(tmp_path):
    rng = np.random.default_rng(0)
    images, labels = rng.integers(0, 256, (300, 4, 4), dtype=np.uint8), rng.integers(0, 10, 300, dtype=np.uint8)
    image_file, label_file = tmp_path / "images", tmp_path / "labels"
    image_file.write_bytes(struct.pack(">iiii", 2051, 300, 4, 4) + images.tobytes())
    label_file.write_bytes(struct.pack(">ii", 2049, 300) + labels.tobytes())

    def pipeline(cache):
        x = data.FixedLengthRecordDataset(str(image_file), 16, header_bytes=16).map(
            lambda r: ops.reshape(ops.cast(io.decode_raw(r, "uint8"), "float32") / 255.0, [16]),
            num_parallel_calls=data.AUTOTUNE)
        y = data.FixedLengthRecordDataset(str(label_file), 1, header_bytes=8).map(
            lambda r: ops.one_hot(ops.reshape(io.decode_raw(r, "uint8"), []), 10))
        ds = Dataset.zip((x, y))
        ds = ds.cache() if cache else ds
        return ds.shuffle(100, seed=5, reshuffle_each_iteration=True).repeat().batch(32, drop_remainder=True) \
            .prefetch(data.AUTOTUNE)

    def take(ds, n):
        it = iter(ds)
        return [next(it) for _ in range(n)]

    got, want = take(pipeline(True), 40), take(pipeline(False), 40)  # four passes and a bit
    assert flat(got) == flat(want)
    rows = {r.tobytes() for r in images.reshape(300, 16).astype(np.float32) / 255.0}
    served = [r.tobytes() for b in got for r in b[0]]
    assert set(served) <= rows and len(set(served[:288])) == 288  # the first nine batches: distinct rows
