"""tf.data's Iterator and Optional (dendrite/data/iterator.py)."""
import pytest

from dendrite.data import Dataset, Iterator, Optional


def test_get_next_and_get_next_as_optional_walk_the_elements():
    it = Iterator(iter(Dataset.range(5).batch(2)), Dataset.range(5).batch(2))
    assert it.get_next().tolist() == [0, 1] and next(it).tolist() == [2, 3]
    last = it.get_next_as_optional()
    assert last.has_value() and last.get_value().tolist() == [4]
    empty = it.get_next_as_optional()
    assert not empty.has_value()
    with pytest.raises(ValueError, match="has no value .* Check has_value"):
        empty.get_value()
    with pytest.raises(StopIteration):
        it.get_next()
    assert Optional.from_value(3).get_value() == 3 and not Optional.empty().has_value()

