"""tf.RaggedTensor and tf.ragged (dendrite.compat.tf_ragged, tf_ragged_ops): construction, the row partition,
conversions, printing, indexing, arithmetic, reductions, concat, and ragged results of tf.strings."""
import numpy as np
import pytest


def test_constant_partition_shape_and_printing(tf):
    rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6]])
    assert isinstance(rt, tf.RaggedTensor) and not isinstance(tf.constant([1]), tf.RaggedTensor)
    assert repr(rt) == str(rt) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6]]>"
    assert rt.shape == (4, None) and rt.shape.as_list() == [4, None] and rt.ragged_rank == 1
    assert rt.dtype == tf.int32
    np.testing.assert_array_equal(rt.row_splits.numpy(), [0, 4, 4, 7, 8])
    assert rt.row_splits.dtype == tf.int64
    np.testing.assert_array_equal(rt.row_lengths().numpy(), [4, 0, 3, 1])
    np.testing.assert_array_equal(rt.values.numpy(), [3, 1, 4, 1, 5, 9, 2, 6])
    np.testing.assert_array_equal(rt.flat_values.numpy(), rt.values.numpy())
    np.testing.assert_array_equal(rt.value_rowids().numpy(), [0, 0, 0, 0, 2, 2, 2, 3])
    assert int(rt.nrows()) == 4 and rt.to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [6]]
    rows = rt.numpy()
    assert rows.dtype == object and rows.shape == (4,)
    np.testing.assert_array_equal(rows[2], np.array([5, 9, 2], np.int32)) and rows[1].size == 0
    np.testing.assert_array_equal(rt.to_tensor().numpy(), [[3, 1, 4, 1], [0, 0, 0, 0], [5, 9, 2, 0], [6, 0, 0, 0]])
    np.testing.assert_array_equal(rt.to_tensor(default_value=-1).numpy()[1], [-1, -1, -1, -1])
    floats = tf.ragged.constant([[1.5], [2.0, 3.0]])
    assert floats.dtype == tf.float32 and floats.to_list() == [[1.5], [2.0, 3.0]]
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert deep.ragged_rank == 2 and deep.shape == (2, None, None)
    assert [s.numpy().tolist() for s in deep.nested_row_splits] == [[0, 2, 3], [0, 2, 3, 4]]
    uniform_inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert uniform_inner.shape == (2, None, 2) and uniform_inner.flat_values.shape == (3, 2)


def test_factory_methods_agree(tf):
    values = [3, 1, 4, 1, 5, 9, 2]
    expected = [[3, 1, 4, 1], [], [5, 9, 2]]
    assert tf.RaggedTensor.from_row_splits(values, [0, 4, 4, 7]).to_list() == expected
    assert tf.RaggedTensor.from_row_lengths(values, [4, 0, 3]).to_list() == expected
    assert tf.RaggedTensor.from_value_rowids(values, [0, 0, 0, 0, 2, 2, 2], nrows=3).to_list() == expected
    assert tf.RaggedTensor.from_row_starts(values, [0, 4, 4]).to_list() == expected
    assert tf.RaggedTensor.from_row_limits(values, [4, 4, 7]).to_list() == expected
    nested = tf.RaggedTensor.from_nested_row_splits([1, 2, 3, 4], ([0, 2, 3], [0, 2, 3, 4]))
    assert nested.to_list() == [[[1, 2], [3]], [[4]]]
    assert tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], padding=0).to_list() == [[1, 2], [3]]
    assert tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], lengths=[3, 1]).to_list() == [[1, 2, 0], [3]]
    assert tf.ragged.range([1, 4], [3, 6]).to_list() == [[1, 2], [4, 5]]
    with pytest.raises(ValueError, match="last row split .* must equal the number of values"):
        tf.RaggedTensor.from_row_splits(values, [0, 4, 9])
    with pytest.raises(ValueError, match="start at 0 and never decrease"):
        tf.RaggedTensor.from_row_splits(values, [0, 5, 4, 7])


def test_indexing_and_iteration(tf):
    rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6]])
    assert rt[0].numpy().tolist() == [3, 1, 4, 1] and isinstance(rt[0], tf.Tensor)
    assert rt[-1].numpy().tolist() == [6]
    assert int(rt[2, 1]) == 9
    assert rt[1:3].to_list() == [[], [5, 9, 2]] and rt[::2].to_list() == [[3, 1, 4, 1], [5, 9, 2]]
    assert rt[:, :2].to_list() == [[3, 1], [], [5, 9], [6]]
    assert [row.numpy().tolist() for row in rt] == rt.to_list()
    with pytest.raises(IndexError, match="row 4 is out of range for 4 rows"):
        rt[4]
    with pytest.raises(TypeError, match="use rt.to_tensor"):
        np.asarray(rt)


def test_elementwise_arithmetic_and_map_flat_values(tf):
    rt = tf.ragged.constant([[1.0, 2.0], [3.0], []])
    assert (rt * 2 + 1).to_list() == [[3.0, 5.0], [7.0], []]
    assert (10 - rt).to_list() == [[9.0, 8.0], [7.0], []]
    assert (rt + rt).to_list() == [[2.0, 4.0], [6.0], []]
    assert (-rt).to_list() == [[-1.0, -2.0], [-3.0], []]
    assert (rt + tf.constant([[10.0], [20.0], [30.0]])).to_list() == [[11.0, 12.0], [23.0], []]
    assert tf.add(rt, 1.0).to_list() == [[2.0, 3.0], [4.0], []]
    assert tf.math.square(rt).to_list() == [[1.0, 4.0], [9.0], []]
    assert tf.cast(rt, tf.int32).dtype == tf.int32
    assert tf.ragged.map_flat_values(tf.multiply, rt, 3.0).to_list() == [[3.0, 6.0], [9.0], []]
    assert (rt > 1.5).to_list() == [[False, True], [True], []]
    with pytest.raises(ValueError, match="different row partitions"):
        rt + tf.ragged.constant([[1.0], [2.0, 3.0], []])
    with pytest.raises(ValueError, match="does not broadcast against the ragged shape"):
        rt + tf.constant([1.0, 2.0])


def test_reductions_along_each_axis(tf):
    rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6]])
    assert int(tf.reduce_sum(rt)) == 31
    np.testing.assert_array_equal(tf.reduce_sum(rt, axis=1).numpy(), [9, 0, 16, 6])
    np.testing.assert_array_equal(tf.reduce_sum(rt, axis=0).numpy(), [14, 10, 6, 1])
    np.testing.assert_array_equal(tf.reduce_max(rt, axis=1).numpy()[[0, 2, 3]], [4, 9, 6])
    assert tf.reduce_max(rt, axis=1).numpy()[1] == np.iinfo(np.int32).min  # an empty row: the lowest value
    np.testing.assert_array_equal(tf.reduce_min(rt, axis=-1).numpy()[[0, 2, 3]], [1, 2, 6])
    floats = tf.ragged.constant([[1.0, 3.0], [], [4.0]])
    mean = tf.reduce_mean(floats, axis=1).numpy()
    np.testing.assert_allclose(mean[[0, 2]], [2.0, 4.0]) and np.isnan(mean[1])
    np.testing.assert_allclose(tf.reduce_mean(floats, axis=0).numpy(), [2.5, 3.0])
    np.testing.assert_allclose(tf.math.reduce_prod(floats, axis=1).numpy(), [3.0, 1.0, 4.0])
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert tf.reduce_sum(inner, axis=2).to_list() == [[3, 7], [11]]
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert tf.reduce_sum(deep, axis=2).to_list() == [[3, 3], [4]]
    with pytest.raises(NotImplementedError, match="axis 0 of a RaggedTensor with ragged_rank 2"):
        tf.reduce_sum(deep, axis=0)


def test_concat_along_rows_and_within_rows(tf):
    a = tf.ragged.constant([[1, 2], [3]])
    b = tf.ragged.constant([[4], [], [5, 6]])
    assert tf.concat([a, b], axis=0).to_list() == [[1, 2], [3], [4], [], [5, 6]]
    c = tf.ragged.constant([[7], [8, 9]])
    assert tf.concat([a, c], axis=1).to_list() == [[1, 2, 7], [3, 8, 9]]
    assert tf.concat([a, tf.constant([[0], [0]])], axis=1).to_list() == [[1, 2, 0], [3, 0]]
    deep = tf.ragged.constant([[[1], [2, 3]], [[4]]])
    assert tf.concat([deep, deep], axis=0).to_list() == [[[1], [2, 3]], [[4]], [[1], [2, 3]], [[4]]]
    assert tf.concat([deep, deep], axis=2).to_list() == [[[1, 1], [2, 3, 2, 3]], [[4, 4]]]
    with pytest.raises(ValueError, match="same number of rows"):
        tf.concat([a, b], axis=1)
    np.testing.assert_array_equal(tf.concat([[1], [2]], axis=0).numpy(), [1, 2])  # dense tensors as before


def test_strings_give_ragged_results(tf):
    words = tf.strings.split(tf.constant(["Gray wolf", "Quick brown fox"]))
    assert isinstance(words, tf.RaggedTensor)
    assert repr(words) == "<tf.RaggedTensor [[b'Gray', b'wolf'], [b'Quick', b'brown', b'fox']]>"
    one = tf.strings.split(tf.constant("a b c"), sep=" ")
    assert isinstance(one, tf.Tensor) and one.numpy().tolist() == [b"a", b"b", b"c"]
    np.testing.assert_allclose(tf.strings.to_number(tf.strings.split(tf.constant("1 10 100"), " ")).numpy(),
                               [1, 10, 100])
    assert tf.strings.length(words).to_list() == [[4, 4], [5, 5, 3]]
    assert tf.strings.bytes_split(tf.constant("Duck")).numpy().tolist() == [b"D", b"u", b"c", b"k"]
    chars = tf.strings.unicode_split(tf.constant("アヒル 🦆"), "UTF-8").numpy().tolist()
    assert chars == [c.encode() for c in "アヒル 🦆"]
    points = tf.strings.unicode_decode(tf.constant("アヒル 🦆"), "UTF-8")
    assert points.dtype == tf.int32 and points.numpy().tolist() == [ord(c) for c in "アヒル 🦆"]
    batch = tf.strings.unicode_decode(tf.constant(["hé", "x"]), "UTF-8")
    assert isinstance(batch, tf.RaggedTensor) and batch.to_list() == [[104, 233], [120]]
    assert tf.strings.unicode_encode(batch, "UTF-8").numpy().tolist() == ["hé".encode(), b"x"]
    np.testing.assert_array_equal(tf.io.decode_raw(tf.constant("Duck"), tf.uint8).numpy(), [68, 117, 99, 107])


def test_a_keras_layer_refuses_a_ragged_tensor_clearly(tf):
    layer = tf.keras.layers.Dense(2)
    with pytest.raises(TypeError, match="RaggedTensor cannot be converted.*to_tensor"):
        layer(tf.ragged.constant([[1.0, 2.0], [3.0]]))


def test_from_sparse_gives_the_rows_of_a_right_ragged_sparse_tensor(tf):
    sp = tf.SparseTensor([[0, 0], [0, 1], [0, 2], [2, 0]], [b"a", b"b", b"c", b"d"], [4, 3])
    rt = tf.RaggedTensor.from_sparse(sp)
    assert rt.to_list() == [[b"a", b"b", b"c"], [], [b"d"], []]  # empty rows kept, as TensorFlow
    assert rt.row_splits.numpy().tolist() == [0, 3, 3, 4, 4] and rt.row_splits.dtype == np.int64
    floats = tf.RaggedTensor.from_sparse(tf.SparseTensor([[1, 0], [1, 1]], [1., 2.], [4, 2]))
    assert floats.to_list() == [[], [1.0, 2.0], [], []] and floats.dtype == np.float32
    assert tf.RaggedTensor.from_sparse(tf.SparseTensor(np.zeros((0, 2), np.int64), tf.constant([], tf.int32),
                                                       [0, 5])).to_list() == []


def test_from_sparse_refuses_what_tensorflow_refuses(tf):
    with pytest.raises(TypeError, match="`st_input` must be of type SparseTensor, but is of type Tensor"):
        tf.RaggedTensor.from_sparse(tf.constant([[1]]))
    with pytest.raises(ValueError, match=r"rank\(st_input\) must be 2"):
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 0, 0]], [1], [1, 2, 2]))
    with pytest.raises(ValueError, match="not right-ragged"):  # a gap at column 0
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 1]], [1], [1, 2]))
    with pytest.raises(ValueError, match="not right-ragged.*tf.sparse.reorder"):  # rows out of order
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [3, 2]))


def test_text_vectorization_ragged_gives_a_ragged_tensor(tf):
    """Hands-On ML chapter 13's cell: TextVectorization(ragged=True) in a TensorFlow program (values from TF 2.21)."""
    layer = tf.keras.layers.TextVectorization(ragged=True)
    layer.adapt(["To be", "!(to be)", "That's the question", "Be, be, be."])
    out = layer(["Be good!", "Question: be or be?"])
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[2, 1], [6, 2, 1, 2]]
    assert repr(out) == "<tf.RaggedTensor [[2, 1], [6, 2, 1, 2]]>"


def test_ragged_tile_and_integer_mean_as_tensorflow_gives_them(tf):
    # the TF 2 ragged-tensor guide's digits; expected values are what TensorFlow 2.21 prints
    digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    assert tf.tile(digits, [1, 2]).to_list() == [[3, 1, 4, 1, 3, 1, 4, 1], [], [5, 9, 2, 5, 9, 2], [6, 6], []]
    assert tf.tile(digits, [2, 1]).to_list() == digits.to_list() * 2
    inner = tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    assert tf.tile(inner, [1, 2, 2]).to_list() == [[[1, 2, 1, 2], [1, 2, 1, 2]],
                                                   [[3, 4, 3, 4], [5, 6, 5, 6], [3, 4, 3, 4], [5, 6, 5, 6]]]
    with pytest.raises(ValueError, match="one entry per dimension"):
        tf.tile(digits, [2])
    mean = tf.reduce_mean(digits, axis=1)
    assert mean.dtype == np.float64
    np.testing.assert_allclose(mean.numpy(), [2.25, np.nan, 16 / 3, 6.0, np.nan])
    assert float(tf.reduce_mean(digits)) == 3.875
