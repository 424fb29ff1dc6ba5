"""What each process reads of a dataset under a strategy, by tf.data's auto-shard policies
(``options.experimental_distribute.auto_shard_policy``, dendrite.data.experimental.AutoShardPolicy):

- DATA: every process runs the whole pipeline and keeps its contiguous share of every global batch
  (distribution.ShardedAdapter for fit, ``DistributedDataset`` for a custom loop);
- FILE: each process reads only its files (data/autoshard.py: files rank, rank + N, ...), and every batch its
  pipeline makes is cut into N pieces that are all its own steps: a batch of B becomes steps of B / N, as
  tf.distribute rebatches a global batch into per-replica ones. Too few files for the processes is an error;
- OFF: every process reads the whole dataset, cut into pieces the same way (each sees every sample);
- AUTO (the default): FILE when the dataset reads at least as many files as there are processes, else DATA.

With FILE or OFF the processes may run out of batches at different steps (files of different lengths): each
step they agree whether any still has one, and a process that has run out takes an empty piece (it adds nothing
to the gradient average but takes the update), so every process runs the same steps and all the data is used.
"""
import numpy as np

from ..data.autoshard import AutoShardPolicy, policy_of, shard_files
from . import collectives


def share(n, rank, size):
    """The [lo, hi) of ``n`` samples that process ``rank`` of ``size`` takes (contiguous, sizes differing by 1)."""
    return rank * n // size, (rank + 1) * n // size


def slice_structure(data, lo, hi):
    """Rows [lo, hi) of every array in ``data`` (an array, or a tuple / list / dict of them; None kept)."""
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: slice_structure(v, lo, hi) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(slice_structure(v, lo, hi) for v in data)
    return data[lo:hi]


def batch_size(batch, who):
    """The samples in a batch (its first array's first axis); a dataset of single elements is refused."""
    first = batch
    while isinstance(first, (tuple, list, dict)):
        first = next(iter(first.values())) if isinstance(first, dict) else first[0]
    if np.ndim(first) == 0:
        raise ValueError(f"{who}: the dataset's elements must be batches to share between the processes; received "
                         f"an element whose first component is a single value (a {type(first).__name__} of shape "
                         "()). Batch the dataset with the global batch size first, e.g. dataset.batch(64).")
    return len(first)


def own_input(dataset, rank, size, who):
    """The batches this process reads of ``dataset`` under the FILE or OFF policy (a ``LocalBatches``), or None when every process reads the whole of it and keeps its share of each batch (DATA). Only
    a dendrite.data Dataset carries options; anything else is DATA."""
    from ..data import Dataset
    if size == 1 or not isinstance(dataset, Dataset):
        return None
    policy = policy_of(dataset)
    if policy == AutoShardPolicy.DATA:
        return None
    if policy == AutoShardPolicy.OFF:
        return LocalBatches(dataset, rank, size, who)
    split = shard_files(dataset, size, rank)
    if split is not None and split[1] >= size:
        return LocalBatches(split[0], rank, size, who)
    if policy == AutoShardPolicy.AUTO:
        return None
    found = ("it reads no files (no TFRecordDataset, FixedLengthRecordDataset, TextLineDataset or "
             "Dataset.list_files)") if split is None else \
        f"it reads {split[1]} file{'s' if split[1] != 1 else ''}, fewer than the {size} processes"
    raise ValueError(f"{who}: the dataset's auto_shard_policy is AutoShardPolicy.FILE (each process reads its own "
                     f"files), but {found}. Write the data into at least {size} files, or set "
                     "options.experimental_distribute.auto_shard_policy = AutoShardPolicy.DATA (every process "
                     "reads everything and keeps its share of each batch).")


def agreed(items, who, rank, size):
    """``items`` (batches, or fit's (x, y, sample_weight)) for as many steps as the process with the most has:
    each step the processes agree whether any still has one; one that has run out gets an empty one."""
    last, done, flag = None, False, np.zeros(1)
    items = iter(items)
    while True:
        item = None if done else next(items, None)
        done = item is None
        flag[0] = 0.0 if done else 1.0
        collectives.allreduce_(flag, what=f"{who}: the processes' agreement on the next batch", op="max")
        if flag[0] == 0.0:
            return
        if item is None:
            if last is None:
                raise ValueError(f"{who}: process {rank} of {size} read no batch from its share of the "
                                 "dataset's files while the others did. Check that every file holds records, or "
                                 "use the DATA auto_shard_policy.")
            item = slice_structure(last, 0, 0)
        last = item
        yield item


class LocalBatches:
    """This process's steps of a FILE- or OFF-sharded pipeline: each batch it makes cut into ``size`` pieces,
    all its own; with ``agree``, an empty piece once it has run out while another process has not (fit agrees
    on its prepared batches instead; see ``agreed``)."""

    _dendrite_per_replica = True  # fit must not split these batches again

    def __init__(self, dataset, rank, size, who, agree=True):
        self._dataset, self._rank, self._size, self._who, self._agree = dataset, rank, size, who, agree

    def _pieces(self):
        for batch in self._dataset:
            n = batch_size(batch, self._who)
            for k in range(self._size):
                lo, hi = share(n, k, self._size)
                if hi > lo:
                    yield slice_structure(batch, lo, hi)

    def __iter__(self):
        if self._agree:
            return agreed(self._pieces(), self._who, self._rank, self._size)
        return self._pieces()

    def unagreed(self):
        """The same pieces without the agreement (fit agrees on its prepared batches instead)."""
        return LocalBatches(self._dataset, self._rank, self._size, self._who, agree=False)

    def cardinality(self):
        return -2  # the steps depend on what the processes read

    def options(self):
        return self._dataset.options()


class DistributedDataset:
    """A dataset of global batches as this process sees it (what ``experimental_distribute_dataset`` returns;
    fit takes it without splitting it again): its share of each batch (DATA), or its own files' batches cut into
    per-process pieces (FILE, OFF), by the dataset's auto_shard_policy."""

    _dendrite_per_replica = True

    def __init__(self, dataset, rank, size):
        if not hasattr(dataset, "__iter__"):
            raise TypeError("experimental_distribute_dataset: `dataset` must be a dataset (iterable, yielding "
                            f"batches); received {type(dataset).__name__}.")
        self._dataset, self._rank, self._size = dataset, rank, size
        self.own = own_input(dataset, rank, size, "experimental_distribute_dataset")  # None: DATA

    def __iter__(self):
        """A DistributedIterator (next, get_next, get_next_as_optional) over this process's batches."""
        from ..data import Iterator
        return Iterator(self._batches())

    def _batches(self):
        if self.own is not None:
            yield from self.own
            return
        for batch in self._dataset:
            n = batch_size(batch, "experimental_distribute_dataset")
            yield slice_structure(batch, *share(n, self._rank, self._size))

    @property
    def element_spec(self):
        """The element_spec of the dataset it distributes (each process's batches have its structure)."""
        return self._dataset.element_spec

    def cardinality(self):
        if self.own is not None:
            return self.own.cardinality()
        card = getattr(self._dataset, "cardinality", None)
        return int(card()) if callable(card) else -2
