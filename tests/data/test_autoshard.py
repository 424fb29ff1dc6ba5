"""The FILE auto-shard hook (data.autoshard): a pipeline split by file between processes, and the policy read
from the dataset's options."""
import numpy as np
import pytest

from dendrite import data
from dendrite.data import Dataset, FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from dendrite.data.autoshard import AutoShardPolicy, policy_of, shard_files
from dendrite.io import TFRecordWriter


def _text_files(folder, count, lines=3):
    names = []
    for f in range(count):
        path = folder / f"part-{f}.txt"
        path.write_text("".join(f"file{f} line{i}\n" for i in range(lines)))
        names.append(str(path))
    return names


def _records(ds):
    return sorted(bytes(r).decode() for r in ds)


def test_policy_values_are_tensorflows():
    assert {p.name: int(p) for p in AutoShardPolicy} == {"OFF": -1, "AUTO": 0, "FILE": 1, "DATA": 2}
    assert data.experimental.AutoShardPolicy is AutoShardPolicy


def test_policy_from_the_options():
    ds = Dataset.range(4)
    assert policy_of(ds) is AutoShardPolicy.AUTO  # the default
    options = data.Options()
    options.experimental_distribute.auto_shard_policy = data.experimental.AutoShardPolicy.DATA
    assert policy_of(ds.map(lambda v: v).with_options(options).batch(2)) is AutoShardPolicy.DATA
    options.experimental_distribute.auto_shard_policy = 1
    assert policy_of(ds.with_options(options)) is AutoShardPolicy.FILE
    options.experimental_distribute.auto_shard_policy = "off"
    assert policy_of(ds.with_options(options)) is AutoShardPolicy.OFF
    options.experimental_distribute.auto_shard_policy = 7
    with pytest.raises(ValueError, match=r"auto_shard_policy must be one of AutoShardPolicy.OFF, AutoShardPolicy.AUTO"
                                         r", AutoShardPolicy.FILE, AutoShardPolicy.DATA .*received 7"):
        policy_of(ds.with_options(options))


def test_a_list_of_files_is_split_by_file(tmp_path):
    names = _text_files(tmp_path, 5)
    ds = TextLineDataset(names).map(lambda line: line).batch(2)
    whole = [r for b in ds for r in b]
    parts = []
    for index in range(2):
        split, files = shard_files(ds, 2, index)
        assert files == 5
        parts.append([r for b in split for r in b])
        assert {bytes(r).decode().split()[0] for r in parts[-1]} == {f"file{f}" for f in range(index, 5, 2)}
    assert sorted(parts[0] + parts[1]) == sorted(whole)  # disjoint, and together everything
    assert [r for b in ds for r in b] == whole  # the dataset given is left as it was


def test_list_files_is_split_before_its_shuffle(tmp_path):
    """Each process takes files index, index + N, ... of the sorted names, whatever order its shuffle draws."""
    for f in range(4):
        np.full(3, f, np.int32).tofile(tmp_path / f"part-{f}.bin")
    ds = FixedLengthRecordDataset(Dataset.list_files(str(tmp_path / "*.bin")), 4).map(
        lambda r: np.frombuffer(r, np.int32)[0])
    for index in range(2):
        split, files = shard_files(ds, 2, index)
        assert files == 4
        assert sorted(int(v) for v in split) == [f for f in range(index, 4, 2) for _ in range(3)]


def test_list_files_feeding_interleave_and_a_zip_of_readers(tmp_path):
    names = _text_files(tmp_path, 4)
    ds = Dataset.list_files(str(tmp_path / "*.txt"), shuffle=False).interleave(TextLineDataset, cycle_length=2)
    split, files = shard_files(ds, 2, 1)
    assert files == 4 and {r.split()[0] for r in _records(split)} == {"file1", "file3"}
    tf_names = []
    for f in range(3):
        path = str(tmp_path / f"r{f}.tfrecord")
        with TFRecordWriter(path) as writer:
            for i in range(3):
                writer.write(f"record{f}.{i}".encode())
        tf_names.append(path)
    zipped = Dataset.zip((TextLineDataset(names), TFRecordDataset(Dataset.from_tensor_slices(tf_names))))
    split, files = shard_files(zipped, 2, 0)
    assert files == 3  # the fewest files a source has
    pairs = [(bytes(a).decode().split()[0], bytes(b).decode().split(".")[0]) for a, b in split]
    assert {p[0] for p in pairs} == {"file0", "file2"} and {p[1] for p in pairs} == {"record0", "record2"}


def test_a_cache_above_the_files_keeps_only_the_split(tmp_path):
    ds = TextLineDataset(_text_files(tmp_path, 2)).cache()
    assert len(list(ds)) == 6  # the cache now holds every line
    split, _ = shard_files(ds, 2, 0)
    assert _records(split) == [f"file0 line{i}" for i in range(3)]
    assert len(list(ds)) == 6


def test_datasets_without_files_are_not_split():
    assert shard_files(Dataset.from_tensor_slices(np.arange(10)).shuffle(10).batch(2), 2, 0) is None
    assert shard_files(Dataset.range(5).map(lambda v: v * 2), 3, 1) is None
