"""Programs using make_csv_dataset and TimeseriesGenerator, run through `dendrite run` (the same programs run
under TensorFlow 2.21: csv accuracy 0.962, next value error 0.009)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def run(program, timeout=300):
    env = dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="", DISPLAY="")
    done = subprocess.run([sys.executable, "-m", "dendrite.cli", "run", program], cwd=PROGRAMS, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def test_make_csv_dataset_program_fits_a_model():
    code, out, err = run("tf2_make_csv_dataset.py", timeout=300)
    assert code == 0, err
    assert "columns ['x1', 'x2', 'x3'] label dtype int32" in out
    assert float(out.split("csv accuracy")[1].split()[0]) > 0.9  # a nearly linear rule; chance is about 0.6


def test_timeseries_generator_program_fits_on_the_generator():
    code, out, err = run("keras2_timeseries_generator.py", timeout=300)
    assert code == 0, err
    assert "batches 25 first batch (16, 10, 1) (16, 1)" in out and "losses fall True" in out
    assert float(out.split("next value error")[1].split()[0]) < 0.2  # sin values span [-1, 1]
