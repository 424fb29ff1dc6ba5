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
    ``tf.distribute.DistributedIterator``): ``next(it)``, ``it.get_next()``, ``it.get_next_as_optional()``.

    Given ``restart`` (a function making a fresh pass over the elements), the iterator can be checkpointed, as
    TensorFlow's: ``tf.train.Checkpoint(iterator=it)`` saves how many elements it has given (``variables``),
    and after a restore the next element is the one that followed the saved position. A dataset that
    reshuffles on every pass then continues in a new order, not the saved one."""

    def __init__(self, elements, dataset=None, restart=None):
        self._elements = iter(elements)
        self._dataset, self._restart = dataset, restart
        self._given = 0
        self._position = None

    @property
    def element_spec(self):
        """The dataset's element_spec (None when the iterator was not made from a dataset)."""
        return None if self._dataset is None else self._dataset.element_spec

    @property
    def variables(self):
        """The position (elements given so far) as an int64 Variable, what a checkpoint saves; only for an
        iterator that can restart its pass."""
        if self._restart is None:
            return []
        if self._position is None:
            import numpy as np

            from ..autodiff import Variable
            self._position = Variable(np.array(self._given, np.int64), trainable=False, name="iterator_position")
        return [self._position]

    def _next(self):
        if self._position is not None:
            saved = int(self._position.value)
            if saved != self._given:  # a checkpoint restored another position: replay the pass up to it
                self._elements = iter(self._restart())
                for _ in range(saved):
                    next(self._elements)
                self._given = saved
        element = next(self._elements)
        self._given += 1
        if self._position is not None:
            self._position.value[...] = self._given
        return element

    def __iter__(self):
        return self

    def __next__(self):
        return self._next()

    def get_next(self, name=None):
        """The next element; StopIteration (``tf.errors.OutOfRangeError``) at the end."""
        return self._next()

    def get_next_as_optional(self):
        """An Optional holding the next element, or an empty one at the end."""
        try:
            return Optional.from_value(self._next())
        except StopIteration:
            return Optional.empty()
