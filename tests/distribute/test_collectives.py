"""The collectives on known values over 2 real processes (buckets of 16 floats, so arrays are split across
buckets), and their checks on one process."""
import ast

import numpy as np
import pytest

from dendrite.distribute import collectives


def test_collectives_on_two_processes(mpirun, tmp_path):
    done = mpirun("collectives", tmp_path)
    assert done.returncode == 0, done.output[-3000:]
    for rank in (0, 1):
        got = ast.literal_eval((tmp_path / f"collectives{rank}.txt").read_text())
        # allreduce_arrays(scale=2): 2 * (1 + 2) everywhere, arange * 2 * (1 + 2), ones * 2 * 2
        assert got["sum"][0] == [[6.0] * 7] * 5 and got["sum"][1] == [0.0, 6.0, 12.0] and got["sum"][2] == [4.0] * 40
        assert got["extra"] == [3.0]  # the extra numbers are summed, unscaled
        assert got["hvd_mean"] == [1.5] * 3 and got["hvd_sum"] == [3.0] * 3  # Horovod averages by default
        assert got["bcast"] == [6.0, 6.0]  # rank 1's value (5 + 1)
        assert got["gather"] == [[0, 0], [1, 1], [1, 1]]  # rank order, first sizes differ
        assert got["reduce_mean_axis"] == 4.0  # mean of 0..3 and 4..8: over all 9 elements, not of the 2 means
        assert got["reduce_sum"] == 3.0
        assert got["local"] == [rank, 2]
    # experimental_distribute_dataset: each batch of 4 split in two contiguous halves, the last (of 2) too
    assert ast.literal_eval((tmp_path / "collectives0.txt").read_text())["shares"] == [[0.0, 1.0], [4.0, 5.0], [8.0]]
    assert ast.literal_eval((tmp_path / "collectives1.txt").read_text())["shares"] == [[2.0, 3.0], [6.0, 7.0], [9.0]]


def test_one_process_gives_the_input_back():
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.ones(2, np.float32)]
    out, extra = collectives.allreduce_arrays(arrays, scale=0.5, extra=[7])
    np.testing.assert_array_equal(out[0], arrays[0] * 0.5)
    assert out[0] is not arrays[0] and extra.tolist() == [7.0]
    assert collectives.allgather_objects({"a": 1}) == [{"a": 1}]
    assert collectives.broadcast_object([1, 2]) == [1, 2]


def test_timeout_setting(monkeypatch):
    monkeypatch.setenv("DENDRITE_COLLECTIVE_TIMEOUT", "12.5")
    assert collectives.timeout() == 12.5
    collectives.set_timeout(3)
    try:
        assert collectives.timeout() == 3.0
    finally:
        collectives.set_timeout(None)
    assert collectives.timeout() == 12.5
    monkeypatch.setenv("DENDRITE_COLLECTIVE_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="DENDRITE_COLLECTIVE_TIMEOUT must be a number of seconds; received 'soon'"):
        collectives.timeout()
    for bad in (0, -1, True, "10"):
        with pytest.raises(ValueError, match="positive number of seconds"):
            collectives.set_timeout(bad)
