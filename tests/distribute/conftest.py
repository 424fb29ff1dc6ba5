"""``mpirun(scenario, tmp_path, n=2)``: tests/distribute/worker.py's scenario under a real ``mpiexec -n n``
(n=1: a plain process), ended (its whole process group) if it outlives its timeout. Skipped, with the reason,
when mpi4py or mpiexec is missing outside CI (CI installs the mpi extra)."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKER = os.path.join(ROOT, "tests", "distribute", "worker.py")


def _missing():
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return "mpi4py is not installed (pip install 'dendrite[mpi]')"
    if shutil.which("mpiexec") is None:
        return "mpiexec is not on PATH (pip install 'dendrite[mpi]' brings the mpich wheel)"
    return None


class Finished:
    def __init__(self, returncode, output, seconds):
        self.returncode, self.output, self.seconds = returncode, output, seconds


@pytest.fixture
def mpirun():
    reason = _missing()
    if reason is not None and not os.environ.get("CI"):
        pytest.skip(f"the MPI tests need a real mpiexec: {reason}")

    def run(scenario, out, n=2, timeout=120):
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   DENDRITE_NUM_THREADS="1", OMP_NUM_THREADS="1")
        for var in ("PMI_SIZE", "PMI_RANK", "PMI_FD", "OMPI_COMM_WORLD_SIZE", "DENDRITE_MPI"):
            env.pop(var, None)
        command = [sys.executable, WORKER, scenario, str(out)]
        if n > 1:
            command = [shutil.which("mpiexec"), "-n", str(n)] + command
        start = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            pytest.fail(f"`{' '.join(command)}` hung: still running after {timeout} s:\n{output.decode()[-3000:]}")
        return Finished(proc.returncode, output.decode(errors="replace"), time.monotonic() - start)

    return run
