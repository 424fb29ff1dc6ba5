"""tf.data's iterator and optional: ``iter(dataset)`` in TensorFlow gives an Iterator with ``get_next()`` and
``get_next_as_optional()`` besides ``next()``; an Optional holds the next element or nothing (``has_value()``,
``get_value()``). At the end ``get_next()`` raises StopIteration, which compatibility mode names
``tf.errors.OutOfRangeError``."""


class Optional:
    """``tf.experimental.Optional``: a value or none (``Optional.from_value(v)``, ``Optional.empty(spec)``)."""

    def __init__(self, value=None, has_value=False, element_spec=None):
        self._value, self._has_value, self.element_spec = value, bool(has_value), element_spec

    @classmethod
    def from_value(cls, value):
        return cls(value, True)

    @classmethod
    def empty(cls, element_spec=None):
        return cls(None, False, element_spec)

    def has_value(self, name=None):
        return self._has_value

    def get_value(self, name=None):
        if not self._has_value:
            raise ValueError("Optional.get_value: the optional has no value (the iterator had reached its end). "
                             "Check has_value() first.")
        return self._value


class Iterator:
    """What ``iter()`` of a dataset gives (``tf.data.Iterator``; also a distributed dataset's
    ``tf.distribute.DistributedIterator``): ``next(it)``, ``it.get_next()``, ``it.get_next_as_optional()``."""

    def __init__(self, elements, dataset=None):
        self._elements = iter(elements)
        self._dataset = dataset

    @property
    def element_spec(self):
        """The dataset's element_spec (None when the iterator was not made from a dataset)."""
        return None if self._dataset is None else self._dataset.element_spec

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._elements)

    def get_next(self, name=None):
        """The next element; StopIteration (``tf.errors.OutOfRangeError``) at the end."""
        return next(self._elements)

    def get_next_as_optional(self):
        """An Optional holding the next element, or an empty one at the end."""
        for element in self._elements:
            return Optional.from_value(element)
        return Optional.empty()
