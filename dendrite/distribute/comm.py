"""The processes of a job: the one place dendrite looks up mpi4py.

Under ``mpiexec`` (or ``dendrite launch``) every process gets the MPI world: its rank, the number of processes,
its rank on its machine, and the buffer collectives the rest of dendrite.distribute builds on. A process started
without MPI (plain ``python train.py``) gets a world of one, whose collectives give their input back, so a
script runs unchanged on one process without mpi4py installed. ``DENDRITE_MPI=1`` asks for mpi4py even outside
mpiexec (a singleton MPI process); ``DENDRITE_MPI=0`` never imports it.

A process of a job of several installs an excepthook: an uncaught exception on any rank prints the rank and the
error and aborts the whole job (MPI_Abort), so the other ranks do not wait for it in a collective.
"""
import os
import sys
import time
import traceback

_ABORT_GRACE_S = 0.5  # seconds between writing an abort's message and ending the job

# what the MPI launchers put in each process's environment: MPICH/Hydra (and Intel MPI), Open MPI, MVAPICH
_LAUNCHED_BY = ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MV2_COMM_WORLD_SIZE")

_WORLD = None


def launched_by_mpi():
    """Whether this process was started by an MPI launcher (mpiexec / mpirun / srun), or DENDRITE_MPI=1."""
    flag = os.environ.get("DENDRITE_MPI", "").strip()
    if flag in ("0", "1"):
        return flag == "1"
    return any(var in os.environ for var in _LAUNCHED_BY)


def _mpi4py():
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            "dendrite.distribute: this process was started by an MPI launcher (mpiexec), but mpi4py cannot be "
            f"imported ({error}). Install it with `pip install \"dendrite[mpi]\"` (mpi4py and an MPI wheel), or "
            "run the script without mpiexec (one process), or set DENDRITE_MPI=0.") from error
    return MPI


class SelfWorld:
    """One process without MPI: rank 0 of 1; every collective gives its input back."""

    rank, size, local_rank, local_size = 0, 1, 0, 1
    mpi = None

    def abort(self, message, code=1):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        os._exit(code)

    def __repr__(self):
        return "<dendrite.distribute world: one process, no MPI>"


class MPIWorld:
    """The MPI processes of the job (COMM_WORLD, duplicated so that dendrite's messages never meet the user's)."""

    def __init__(self, MPI):
        self.mpi = MPI
        self.comm = MPI.COMM_WORLD.Dup()
        self.rank, self.size = self.comm.Get_rank(), self.comm.Get_size()
        node = self.comm.Split_type(MPI.COMM_TYPE_SHARED, key=self.rank)
        self.local_rank, self.local_size = node.Get_rank(), node.Get_size()
        node.Free()
        if self.size > 1:
            _install_excepthook(self)

    def abort(self, message, code=1):
        """Print ``message`` (prefixed with this rank) and end every process of the job."""
        sys.stderr.write(f"dendrite.distribute [rank {self.rank} of {self.size}]: {message}\n")
        sys.stderr.flush()
        # MPI_Abort kills every process at once, the launcher's output forwarding included: give it a moment to
        # pass the message on first (without it the message was sometimes lost)
        time.sleep(_ABORT_GRACE_S)
        self.mpi.COMM_WORLD.Abort(code)

    def __repr__(self):
        return f"<dendrite.distribute world: rank {self.rank} of {self.size} (MPI)>"


def _install_excepthook(world):
    previous = sys.excepthook

    def abort_job(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            return previous(kind, value, tb)
        sys.stderr.write("".join(traceback.format_exception(kind, value, tb)))
        world.abort(f"uncaught {kind.__name__}: {str(value).rstrip('.')}. Aborting all {world.size} processes of the job.")

    sys.excepthook = abort_job


def world():
    """This process's world: the MPI processes under mpiexec, else a world of one (mpi4py never imported)."""
    global _WORLD
    if _WORLD is None:
        _WORLD = MPIWorld(_mpi4py()) if launched_by_mpi() else SelfWorld()
    return _WORLD
