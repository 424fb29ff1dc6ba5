"""Batches from Python generators and iterators, and from dataset-like objects (anything iterable with a
``cardinality()`` method, as tf.data's Dataset and dendrite.data.Dataset: iterating yields batches, the
cardinality is their number, -1 for infinite, -2 for unknown)."""
from .base import DataAdapter
from .stream_batches import BatchStandardizer

INFINITE, UNKNOWN = -1, -2


class StreamAdapter(DataAdapter):
    """Batches from something iterated, each made (x, y, sample_weight) by a BatchStandardizer."""

    def __init__(self, source, steps=None, owner="", name="x", input_dtypes=None, class_weights=None, finite=()):
        super().__init__(steps, class_weights, name)
        self.source, self.owner = source, owner
        self._standardize = BatchStandardizer(owner, name, self.kind, input_dtypes, finite)

    def _prepare(self, raw, index):
        return self._standardize(raw, index)

    def empty_message(self):
        return (f"{self.owner}: `{self.name}`, a {self.kind}, gave no batches. It must yield at least one batch x, "
                "(x, y) or (x, y, sample_weight); check that it is not already used up (a Python generator can be "
                "iterated only once) or empty.")

    def used_up_message(self):
        return (f"{self.owner}: `{self.name}`, a {self.kind}, has no batches left: a Python generator can be "
                "iterated only once. Pass the number of batches to take each time (validation_steps / steps) from a "
                "generator that loops forever, or a PyDataset or dataset, which is read afresh each time.")


class GeneratorAdapter(StreamAdapter):
    """A Python generator or iterator (one-shot: used up once iterated), or an object iterated afresh each pass
    (``__iter__`` without ``__next__``), of unknown length until a pass ends."""

    kind = "generator"

    def __init__(self, source, **kwargs):
        super().__init__(source, **kwargs)
        self.one_shot = iter(source) is source

    def _open_pass(self):
        return iter(self.source)


class DatasetAdapter(StreamAdapter):
    """A dataset-like object: iterated afresh each pass; its ``cardinality()`` gives the batches of a pass."""

    kind = "dataset"

    def __init__(self, source, steps_name="steps_per_epoch", **kwargs):
        super().__init__(source, **kwargs)
        cardinality = int(source.cardinality())
        if cardinality == INFINITE and self.steps is None:
            raise ValueError(f"{self.owner}: `{self.name}` is an infinite dataset (cardinality -1, e.g. after "
                             f".repeat()), so an epoch has no end: pass `{steps_name}`, the number of batches per "
                             f"epoch, e.g. {steps_name}=len(x_train) // batch_size.")
        if cardinality == 0:
            raise ValueError(self.empty_message() + " Its cardinality() is 0.")
        self._full = cardinality if cardinality >= 0 else None

    def _open_pass(self):
        return iter(self.source)
