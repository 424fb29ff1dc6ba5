"""tf.strings.ngrams and the hash-bucket functions, values from TF 2.21."""
import pytest


def test_ngrams_of_tokens_dense_and_ragged(tf):
    assert tf.strings.ngrams(tf.constant(["a", "b", "c", "d"]), 2).numpy().tolist() == [b"a b", b"b c", b"c d"]
    assert tf.strings.ngrams(tf.constant([["a", "b", "c"], ["d", "e", "f"]]), [1, 2]).numpy().tolist() == [
        [b"a", b"b", b"c", b"a b", b"b c"], [b"d", b"e", b"f", b"d e", b"e f"]]
    ragged = tf.ragged.constant([["a", "b", "c"], ["d"]])
    assert tf.strings.ngrams(ragged, 2).to_list() == [[b"a b", b"b c"], []]
    assert tf.strings.ngrams(ragged, 2, preserve_short_sequences=True).to_list() == [[b"a b", b"b c"], [b"d"]]
    assert tf.strings.ngrams(tf.constant(["a", "b", "c"]), 3, pad_values=("<s>", "</s>"),
                             separator="_").numpy().tolist() == [
        b"<s>_<s>_a", b"<s>_a_b", b"a_b_c", b"b_c_</s>", b"c_</s>_</s>"]
    assert tf.strings.ngrams(tf.constant(["a", "b"]), 2, pad_values="#", padding_width=1).numpy().tolist() == [
        b"# a", b"a b", b"b #"]
    with pytest.raises(ValueError, match="`ngram_width` must be positive"):
        tf.strings.ngrams(tf.constant(["a"]), 0)


def test_hash_buckets_are_tensorflows(tf):
    assert tf.strings.to_hash_bucket_fast(["hello", "world"], 10).numpy().tolist() == [6, 8]
    assert tf.strings.to_hash_bucket_strong(["hello"], 10, [1, 2]).numpy().tolist() == [2]
    assert tf.strings.to_hash_bucket_fast(["hello", "world"], 10).dtype == tf.int64
    with pytest.raises(ValueError, match="`key` must be a list of two integers"):
        tf.strings.to_hash_bucket_strong(["hello"], 10, [1])
    assert tf.as_string(tf.constant([1.5, 2.0])).numpy().tolist() == [b"1.500000", b"2.000000"]
