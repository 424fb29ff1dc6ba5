"""What each process reads of a dataset under a strategy (tf.data's auto-shard policies): on 2 real MPI
processes over record files the test writes (worker.py's ``files`` scenario), and the policy's choice on one."""
import ast

import numpy as np
import pytest

from dendrite import data, distribute
from dendrite.distribute.input import LocalBatches, own_input

RECORDS = (48, 48, 48, 32)  # rank 0 reads files 0 and 2 (96 records), rank 1 files 1 and 3 (80)
# float32 weights after 24 SGD steps; the processes' shares are the same rows in both runs, but one process sums
# a batch's gradient in another order than two do: a few float32 ulps (~6e-8 seen)
ATOL = 1e-6


def write_records(folder, counts=RECORDS):
    """Record files part-f.bin: float32 rows of 8 features, the label, the file's number, the row's number."""
    rng = np.random.default_rng(0)
    for f, n in enumerate(counts):
        x = rng.normal(size=(n, 8)).astype(np.float32)
        y = (x[:, :3].sum(axis=1) > 0).astype(np.float32) + (x[:, 3] > 1)
        rows = np.concatenate([x, y[:, None], np.full((n, 1), f), np.arange(n)[:, None]], axis=1)
        rows.astype(np.float32).tofile(folder / f"part-{f}.bin")


def _ok(done, what):
    assert done.returncode == 0, f"{what} failed (rc {done.returncode}):\n{done.output[-3000:]}"


def _result(folder, tag, rank):
    return np.load(folder / f"files_{tag}_rank{rank}.npz"), \
        ast.literal_eval((folder / f"files_{tag}_rank{rank}.txt").read_text())


def test_auto_reads_each_file_on_one_process_and_trains_as_the_data_policy(mpirun, tmp_path):
    write_records(tmp_path)
    _ok(mpirun("files_auto", tmp_path), "AUTO (FILE) on 2 processes")
    _ok(mpirun("files_data", tmp_path), "DATA on 2 processes")
    _ok(mpirun("files_data", tmp_path, n=1), "1 process")
    (w0, seen0), (w1, seen1) = _result(tmp_path, "auto2", 0), _result(tmp_path, "auto2", 1)
    # each rank opened only its files, once per epoch, and parsed each of their records once per epoch
    assert seen0["opened"] == ["part-0.bin", "part-2.bin"] * 2
    assert seen1["opened"] == ["part-1.bin", "part-3.bin"] * 2
    assert seen0["records"] == [(f, i) for f in (0, 2) for i in range(RECORDS[f])] and seen0["parsed"] == 2 * 96
    assert seen1["records"] == [(f, i) for f in (1, 3) for i in range(RECORDS[f])] and seen1["parsed"] == 2 * 80
    # batch(16) on each process cut into pieces of 8: rank 0 has 12 steps an epoch, rank 1 10 and 2 empty ones
    assert int(w0["steps"]) == int(w1["steps"]) == 24
    # experimental_distribute_dataset gives a custom loop the same steps
    assert seen0["pieces"] == [8] * 12 and seen1["pieces"] == [8] * 10 + [0, 0]
    assert seen0["evaluate_again"] == seen1["evaluate_again"] == [0.0, 0.0]
    data2, data1 = _result(tmp_path, "data2", 0)[0], _result(tmp_path, "data1", 0)[0]
    for key in data1.files:  # evaluate too: the loss and accuracy of every record, on both ranks
        np.testing.assert_array_equal(w0[key], w1[key], err_msg=key)  # the same update on both ranks
        np.testing.assert_allclose(w0[key], data2[key], atol=ATOL, rtol=0, err_msg=key)
        np.testing.assert_allclose(w0[key], data1[key], atol=ATOL, rtol=0, err_msg=key)
    assert w0["loss"][-1] < w0["loss"][0]


def test_off_gives_every_process_the_whole_dataset(mpirun, tmp_path):
    write_records(tmp_path)
    _ok(mpirun("files_off", tmp_path), "OFF on 2 processes")
    for rank in (0, 1):
        weights, seen = _result(tmp_path, "off2", rank)
        assert sorted(seen["opened"]) == sorted(f"part-{f}.bin" for f in range(4) for _ in range(2))
        assert len(seen["records"]) == sum(RECORDS) and seen["parsed"] == 2 * sum(RECORDS)
        assert int(weights["steps"]) == 2 * 2 * 11  # 11 batches of 16 an epoch, each cut into 2 steps of 8


def test_file_policy_with_fewer_files_than_processes_is_refused(mpirun, tmp_path):
    write_records(tmp_path, counts=(48,))
    done = mpirun("files_file", tmp_path, timeout=90)
    assert done.returncode != 0
    assert "auto_shard_policy is AutoShardPolicy.FILE" in done.output
    assert "it reads 1 file, fewer than the 2 processes" in done.output, done.output[-3000:]


def _options(policy):
    options = data.Options()
    options.experimental_distribute.auto_shard_policy = policy
    return options


def test_which_policy_applies(tmp_path):
    """own_input for rank 1 of 2 (deciding needs no other process; the pieces are read without agreeing)."""
    write_records(tmp_path)
    Policy = data.experimental.AutoShardPolicy
    files = data.FixedLengthRecordDataset(data.Dataset.list_files(str(tmp_path / "*.bin")), 44).map(
        lambda r: np.frombuffer(r, np.float32)[9:]).batch(8)
    arrays = data.Dataset.from_tensor_slices(np.arange(12.0)).batch(6)
    assert own_input(arrays, 1, 2, "fit") is None  # AUTO without files: DATA
    assert own_input(files.with_options(_options(Policy.DATA)), 1, 2, "fit") is None
    assert own_input(files, 1, 1, "fit") is None  # one process reads everything
    own = own_input(files, 1, 2, "fit")  # AUTO with 4 files: FILE
    assert isinstance(own, LocalBatches) and own.cardinality() == -2
    pieces = list(own.unagreed())
    assert [len(p) for p in pieces] == [4] * 20  # files 1 and 3 (80 records) in batches of 8, each cut in 2
    assert sorted({int(f) for p in pieces for f in p[:, 0]}) == [1, 3]
    off = list(own_input(arrays.with_options(_options(Policy.OFF)), 1, 2, "fit").unagreed())
    assert [p.tolist() for p in off] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]
    few = data.TextLineDataset(str(tmp_path / "part-0.bin"))
    assert own_input(few, 0, 2, "fit") is None  # AUTO with 1 file for 2 processes: DATA
    with pytest.raises(ValueError, match="it reads no files"):
        own_input(arrays.with_options(_options(Policy.FILE)), 0, 2, "fit()")
    unbatched = own_input(data.TextLineDataset(sorted(str(p) for p in tmp_path.glob("*.bin"))), 0, 2, "fit()")
    with pytest.raises(ValueError, match=r"fit\(\): the dataset's elements must be batches .* dataset.batch\(64\)"):
        list(unbatched.unagreed())


def test_distribute_dataset_on_one_process_reads_everything(tmp_path):
    write_records(tmp_path)
    ds = data.FixedLengthRecordDataset(data.Dataset.list_files(str(tmp_path / "*.bin"), shuffle=False), 44).batch(16)
    dist = distribute.MultiWorkerMirroredStrategy().experimental_distribute_dataset(ds)
    assert sum(len(b) for b in dist) == sum(RECORDS) and dist.cardinality() == ds.cardinality()
