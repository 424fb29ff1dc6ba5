"""batch, unbatch, padded_batch, rebatch and bucket_by_sequence_length over elements (the tf.data orders and
remainders are also checked against TensorFlow's own output in test_tf_fixtures.py)."""
import numpy as np
import pytest

from dendrite.data import Dataset, TensorSpec


def ragged(n):
    """Elements [1], [2, 2], [3, 3, 3], ... made by a map (the element path)."""
    return Dataset.range(1, n + 1).map(lambda x: np.full(int(x), x))


def test_batch_remainder_and_drop_remainder():
    ds = Dataset.range(7).map(lambda x: (x, np.ones(2) * x))
    batches = list(ds.batch(3))
    assert [b[0].tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    assert batches[1][1].shape == (3, 2)
    assert [b[0].tolist() for b in ds.batch(3, drop_remainder=True)] == [[0, 1, 2], [3, 4, 5]]
    assert ds.batch(3).cardinality() == 3 and ds.batch(3, drop_remainder=True).cardinality() == 2


def test_batch_of_different_shapes_suggests_padded_batch():
    with pytest.raises(ValueError, match=r"element 0 of the batch has shape \(1,\) but element 1 has shape "
                                         r"\(2,\).*padded_batch"):
        list(ragged(3).batch(3))
    with pytest.raises(ValueError, match="in component 0"):
        list(ragged(3).map(lambda v: (v, 1)).batch(2))
    with pytest.raises(ValueError, match="batch_size` must be a positive integer"):
        Dataset.range(3).batch(0)


def test_batch_of_text_is_an_object_array():
    batch = next(iter(Dataset.from_generator(lambda: iter(["x", "yy"]), output_types="string").batch(2)))
    assert batch.dtype == object and batch.tolist() == [b"x", b"yy"]


def test_padded_batch_shapes_and_values():
    batches = list(ragged(5).padded_batch(2))
    assert [b.tolist() for b in batches] == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]], [[5, 5, 5, 5, 5]]]
    fixed = list(ragged(3).padded_batch(2, padded_shapes=[4], padding_values=-1))
    assert fixed[0].tolist() == [[1, -1, -1, -1], [2, 2, -1, -1]] and fixed[1].shape == (1, 4)
    pairs = ragged(3).map(lambda v: {"seq": v, "label": v[0] % 2})
    out = next(iter(pairs.padded_batch(3, padded_shapes={"seq": [None], "label": []},
                                       padding_values={"seq": 9, "label": 0})))
    assert out["seq"].tolist() == [[1, 9, 9], [2, 2, 9], [3, 3, 3]] and out["label"].tolist() == [1, 0, 1]
    assert ragged(3).padded_batch(2, padded_shapes=[4]).element_spec == TensorSpec((None, 4), "int64")
    with pytest.raises(ValueError, match=r"shape \(3,\), larger than the padded shape \(2,\)"):
        list(ragged(3).padded_batch(3, padded_shapes=[2]))


def test_unbatch_and_rebatch():
    x = np.arange(10)
    ds = Dataset.from_tensor_slices((x, x * 2)).batch(4)
    assert [(int(a), int(b)) for a, b in ds.unbatch()] == [(i, 2 * i) for i in range(10)]
    assert ds.unbatch().element_spec == (TensorSpec((), "int64"), TensorSpec((), "int64"))
    assert [a.tolist() for a, _ in ds.rebatch(3)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [a.tolist() for a, _ in ds.rebatch(3, drop_remainder=True)][-1] == [6, 7, 8]


def test_bucket_by_sequence_length_groups_by_length():
    seqs = Dataset.from_generator(lambda: (np.arange(n) for n in [1, 5, 2, 6, 1, 7, 2]),
                                  output_signature=TensorSpec((None,), "int64"))
    out = list(seqs.bucket_by_sequence_length(lambda s: len(s), [3], [2, 2]))
    assert [b.shape for b in out] == [(2, 2), (2, 6), (2, 2), (1, 7)]
    boundary = list(seqs.bucket_by_sequence_length(lambda s: len(s), [3, 8], [2, 2, 2], pad_to_bucket_boundary=True))
    assert [b.shape for b in boundary] == [(2, 2), (2, 7), (2, 2), (1, 7)]
    with pytest.raises(ValueError, match="one more entry than `bucket_boundaries`"):
        seqs.bucket_by_sequence_length(len, [3], [2])
    with pytest.raises(ValueError, match="cannot batch elements of different shapes"):
        list(seqs.bucket_by_sequence_length(len, [3], [2, 2], no_padding=True))


def test_padded_batch_of_scalar_strings_holds_the_bytes():
    out = next(iter(Dataset.from_tensor_slices(["a", "bb"]).padded_batch(2)))
    assert out.dtype == object and out.tolist() == [b"a", b"bb"]  # TF: [b'a', b'bb']
