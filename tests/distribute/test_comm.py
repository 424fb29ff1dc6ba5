"""The world of processes: one process without MPI unless launched by mpiexec (or DENDRITE_MPI=1)."""
import sys

import pytest

from dendrite.distribute import comm


def test_launch_detection(monkeypatch):
    for var in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MV2_COMM_WORLD_SIZE", "DENDRITE_MPI"):
        monkeypatch.delenv(var, raising=False)
    assert not comm.launched_by_mpi()
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "4")  # Open MPI's mpirun
    assert comm.launched_by_mpi()
    monkeypatch.setenv("DENDRITE_MPI", "0")
    assert not comm.launched_by_mpi()
    monkeypatch.delenv("OMPI_COMM_WORLD_SIZE")
    monkeypatch.setenv("DENDRITE_MPI", "1")
    assert comm.launched_by_mpi()


def test_a_plain_process_is_a_world_of_one():
    w = comm.world()
    assert isinstance(w, comm.SelfWorld) and (w.rank, w.size, w.local_rank, w.local_size) == (0, 1, 0, 1)
    assert "mpi4py.MPI" not in sys.modules or comm.launched_by_mpi()  # never imported for nothing


def test_missing_mpi4py_under_mpiexec_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    with pytest.raises(ImportError, match=r'pip install "dendrite\[mpi\]"'):
        comm._mpi4py()
