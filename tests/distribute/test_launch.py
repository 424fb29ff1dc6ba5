"""``dendrite launch`` and ``dendrite train mnist --workers N``: the mpiexec command line, and real runs."""
import os
import sys

import pytest

from dendrite import cli
from dendrite.distribute import launch


def test_command_line(tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("localhost:2\n")
    assert launch.command(2, ["train.py", "--epochs", "3"], mpiexec="/x/mpiexec") == [
        "/x/mpiexec", "-n", "2", sys.executable, "train.py", "--epochs", "3"]
    assert launch.command(4, ["-m", "pkg.train"], hostfile=str(hosts), mpiexec="mpiexec") == [
        "mpiexec", "-n", "4", "-hostfile", str(hosts), sys.executable, "-m", "pkg.train"]
    with pytest.raises(ValueError, match=r"number of processes \(-n\) must be a positive integer; received 0"):
        launch.command(0, ["train.py"], mpiexec="mpiexec")
    with pytest.raises(ValueError, match="name the script to run"):
        launch.command(2, [], mpiexec="mpiexec")
    with pytest.raises(FileNotFoundError, match="hostfile .*nowhere does not exist"):
        launch.command(2, ["t.py"], hostfile=str(tmp_path / "nowhere"), mpiexec="mpiexec")


def test_no_mpiexec_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(FileNotFoundError, match=r'pip install "dendrite\[mpi\]"'):
        launch.find_mpiexec()


def _clean_env(monkeypatch):
    for var in ("PMI_SIZE", "PMI_RANK", "PMI_FD", "OMPI_COMM_WORLD_SIZE", "DENDRITE_MPI"):
        monkeypatch.delenv(var, raising=False)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    monkeypatch.setenv("PYTHONPATH", root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.setenv("DENDRITE_NUM_THREADS", "1")


def test_launch_runs_the_script_on_each_process(mpirun, monkeypatch, tmp_path):
    _clean_env(monkeypatch)
    script = tmp_path / "job.py"
    script.write_text("import sys, os\nfrom dendrite import distribute\n"
                      "open(os.path.join(sys.argv[1], f'rank{distribute.rank()}of{distribute.size()}'), 'w').close()\n")
    assert cli.main(["launch", "-n", "2", str(script), str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("rank")) == ["rank0of2", "rank1of2"]


def test_train_mnist_on_two_workers(mpirun, monkeypatch, tmp_path, capfd):
    _clean_env(monkeypatch)
    out = tmp_path / "w.npz"
    assert cli.main(["train", "mnist", "--workers", "2", "--limit", "512", "--epochs", "1", "--quiet",
                     "--seed", "0", "--output", str(out)]) == 0
    printed = capfd.readouterr().out
    assert printed.count("Test accuracy") == 1  # rank 0 alone reports and saves
    assert out.exists()
