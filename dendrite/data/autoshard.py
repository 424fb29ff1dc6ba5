"""Splitting a pipeline between the processes of a distributed job by file, as tf.data's auto-shard FILE policy
does: process ``index`` of ``num_shards`` reads only files index, index + num_shards, ... of every file source.

A file source is a TFRecordDataset, FixedLengthRecordDataset or TextLineDataset (its file list, or the sources of
its dataset of file names), or a ``Dataset.list_files`` anywhere in the pipeline (e.g. feeding ``interleave``).
The names are split where they come from, before any shuffle of them, so the processes read disjoint files
whatever their random seeds. The stages above are copied with their inputs replaced; the dataset given is left
as it is. ``AutoShardPolicy`` names the policies; dendrite.distribute decides which applies (distribute/input.py).
"""
import copy
import enum

from .dataset import Dataset
from .files import _FileDataset


class AutoShardPolicy(enum.IntEnum):
    """tf.data.experimental.AutoShardPolicy (the same values), set as
    ``options.experimental_distribute.auto_shard_policy``: how a strategy splits a dataset between processes."""

    OFF = -1  # no split: every process reads the whole dataset
    AUTO = 0  # FILE when the dataset reads at least as many files as there are processes, else DATA
    FILE = 1  # each process reads its own files
    DATA = 2  # each process reads everything and keeps its share of every batch


def policy_of(dataset):
    """The AutoShardPolicy set in ``dataset``'s options (AUTO when none is)."""
    value = dataset.options().experimental_distribute._get("auto_shard_policy", AutoShardPolicy.AUTO)
    if isinstance(value, str) and value.upper() in AutoShardPolicy.__members__:
        return AutoShardPolicy[value.upper()]
    if not isinstance(value, bool):
        try:
            return AutoShardPolicy(value)
        except (ValueError, TypeError):
            pass
    raise ValueError("options.experimental_distribute.auto_shard_policy must be one of "
                     f"{', '.join(f'AutoShardPolicy.{p.name}' for p in AutoShardPolicy)} "
                     f"(data.experimental.AutoShardPolicy); received {value!r}.")


def shard_files(dataset, num_shards, index):
    """``(pipeline, files)``: ``dataset`` reading only files index, index + num_shards, ... of each of its file
    sources, and the fewest files a source has; None when the dataset reads no files."""
    files, memo = [], {}
    out = _rewrite(dataset, num_shards, index, files, memo, names=False)
    return (out, min(files)) if files else None


def _count(dataset):
    n = int(dataset.cardinality())
    return n if n >= 0 else sum(1 for _ in dataset)


def _rewrite(stage, num_shards, index, files, memo, names):
    """``stage`` with its file sources split (itself when nothing under it reads files). ``names``: ``stage``
    gives a file reader its names, so its sources are the file lists."""
    if id(stage) in memo:
        return memo[id(stage)]
    inputs = stage._inputs()
    if isinstance(stage, _FileDataset):
        given = stage._filenames
        if isinstance(given, Dataset):
            split = _rewrite(given, num_shards, index, files, memo, names=True)
        else:
            listed = stage._names()
            files.append(len(listed))
            split = listed[index::num_shards]
        out = copy.copy(stage)
        out._read_from(split)
    elif getattr(stage, "_file_names", False) or (names and not inputs):
        files.append(_count(stage))
        out = stage.shard(num_shards, index)
    else:
        swap = {id(d): _rewrite(d, num_shards, index, files, memo, names) for d in inputs}
        out = stage
        if any(swap[id(d)] is not d for d in inputs):
            out = copy.copy(stage)
            for attr, value in vars(out).items():
                if attr != "_source":  # an index plan's arrays, not an input
                    setattr(out, attr, _swapped(value, swap))
            for kept in ("_kept", "_plan"):  # a cache's elements are those of the whole input: not kept
                if kept in vars(out):
                    setattr(out, kept, None)
    memo[id(stage)] = out
    return out


def _swapped(value, swap):
    """``value`` with the datasets in ``swap`` replaced, inside tuples, lists and dicts too."""
    if isinstance(value, Dataset):
        return swap.get(id(value), value)
    if isinstance(value, (tuple, list)):
        items = [_swapped(v, swap) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else type(value)(items)
    if isinstance(value, dict):
        items = {k: _swapped(v, swap) for k, v in value.items()}
        return value if all(items[k] is value[k] for k in value) else items
    return value
