"""from_generator (signatures, args, errors), range, zip stopping at the shortest, sample_from_datasets."""
import numpy as np
import pytest

from dendrite.data import Dataset, TensorSpec


def test_from_generator_with_signature_and_args():
    def gen(n, scale):
        for i in range(int(n)):
            yield np.full((2,), i * scale), i

    ds = Dataset.from_generator(gen, args=(3, 0.5), output_signature=(TensorSpec((2,), "float32"),
                                                                      TensorSpec((), "int64")))
    out = list(ds)
    assert len(out) == 3 and out[2][0].tolist() == [1.0, 1.0] and out[2][0].dtype == np.float32
    assert out[1][1] == 1 and out[1][1].dtype == np.int64
    assert ds.cardinality() == -2 and ds.element_spec[0] == TensorSpec((2,), "float32")
    assert [a.tolist() for a, _ in ds] == [a.tolist() for a, _ in out]  # the generator called afresh
    typed = Dataset.from_generator(lambda: iter([[1, 2], [3]]), output_types="int32", output_shapes=[None])
    assert [v.tolist() for v in typed] == [[1, 2], [3]]
    assert typed.element_spec == TensorSpec((None,), "int32")


def test_from_generator_with_one_spec_reads_a_yielded_tuple_as_that_tensor():
    """As TensorFlow: with one TensorSpec, a generator yielding ``(i,)`` gives tensors of shape (1,)
    (codebasics' prefetch/caching notebook)."""
    def samples(n):
        for i in range(int(n)):
            yield (i,)

    ds = Dataset.from_generator(samples, output_signature=TensorSpec((1,), "int64"), args=(3,))
    out = list(ds)
    assert [v.tolist() for v in out] == [[0], [1], [2]] and out[0].dtype == np.int64
    pairs = Dataset.from_generator(lambda: iter([([1.0, 2.0], [3.0])]), output_signature=TensorSpec((None,), "float32"))
    with pytest.raises(TypeError, match=r"element 0 .* has the structure \(\., \.\), but output_signature expects \."):
        list(pairs)


def test_from_generator_errors_name_the_element():
    def shapes():
        yield np.zeros(3)
        yield np.zeros(4)

    ds = Dataset.from_generator(shapes, output_signature=TensorSpec((3,), "float32"))
    with pytest.raises(ValueError, match=r"element 1 yielded by the generator has shape \(4,\), but "
                                         r"output_signature declares shape \(3,\)"):
        list(ds)
    pairs = Dataset.from_generator(lambda: iter([(1, 2), 3]), output_signature=(TensorSpec((), "int32"),) * 2)
    with pytest.raises(TypeError, match=r"element 1 .* has the structure \., but output_signature expects \(\., \.\)"):
        list(pairs)
    text = Dataset.from_generator(lambda: iter(["x"]), output_signature=TensorSpec((), "float32"))
    with pytest.raises(TypeError, match="element 0 yielded by the generator could not be converted to float32"):
        list(text)
    with pytest.raises(TypeError, match="`generator` must be a callable"):
        Dataset.from_generator(iter([1]), output_types="int32")
    with pytest.raises(TypeError, match="output_signature"):
        Dataset.from_generator(lambda: iter([1]))


def test_range_forms_and_dtype():
    assert [int(v) for v in Dataset.range(2, 9, 3)] == [2, 5, 8]
    assert Dataset.range(5, output_type="int32").element_spec == TensorSpec((), "int32")
    assert next(iter(Dataset.range(10).shuffle(10).batch(10))).dtype == np.int64
    with pytest.raises(ValueError, match="step` must not be 0"):
        Dataset.range(1, 5, 0)


def test_zip_stops_at_the_shortest():
    pulled = []

    def gen():
        for i in range(100):
            pulled.append(i)
            yield i

    long = Dataset.from_generator(gen, output_types="int64")
    out = list(Dataset.zip(Dataset.range(3), long))
    assert [(int(a), int(b)) for a, b in out] == [(0, 0), (1, 1), (2, 2)] and len(pulled) == 3


def test_sample_from_datasets_draws_from_each():
    a, b = Dataset.from_tensors(np.int64(0)).repeat(200), Dataset.from_tensors(np.int64(1)).repeat(200)
    out = [int(v) for v in Dataset.sample_from_datasets([a, b], weights=[0.8, 0.2], seed=1).take(200)]
    assert 0.7 < out.count(0) / 200 < 0.9
