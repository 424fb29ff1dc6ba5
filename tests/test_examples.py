"""The scripts in examples/ run end to end: each with --quick (a slice of the data, a few seconds) in a child
process of its own, which must exit 0 and print its final accuracy line."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_S = 120
# Every example seeds itself (keras.utils.set_random_seed), so its accuracy does not vary from run to run: 8 runs
# each printed the same value every time (mnist_lstm 0.33, two_inputs_two_outputs 0.88, text_classifier 0.77,
# codelab_pipeline 0.9206), well above the floors below.


def run_example(name, *args):
    """stdout of ``python examples/<name> --quick`` run with this checkout's dendrite; the child is killed
    when it runs past TIMEOUT_S."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        done = subprocess.run([sys.executable, os.path.join(ROOT, "examples", name), "--quick", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as e:  # subprocess.run has killed and reaped the child
        pytest.fail(f"examples/{name} --quick ran past {TIMEOUT_S} s; its output so far:\n{e.stdout}")
    assert done.returncode == 0, f"examples/{name} --quick failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def final_accuracy(out):
    last = out.strip().splitlines()[-1]
    found = re.match(r"Test accuracy: ([0-9.]+)", last)
    assert found, f"the last line is not the accuracy line: {last!r}"
    return float(found.group(1))


def test_mnist_lstm_trains_above_chance_and_prints_the_lstm_summary():
    out = run_example("mnist_lstm.py")
    assert re.search(r"lstm \(LSTM\)\s+\(None, 128\)\s+80384", out)  # 4 * (28 + 128 + 1) * 128 weights
    assert "epoch 1: test accuracy" in out
    assert final_accuracy(out) > 0.2  # 10 classes: chance is 0.1


def test_two_inputs_two_outputs_shows_the_graph_and_the_per_output_logs():
    out = run_example("two_inputs_two_outputs.py")
    assert "Connected to" in out and re.search(r"concatenate \(Concatenate\).*dense\[0\]\[0\]\s*\n\s+measurements\[0\]"
                                               r"\[0\]", out)
    assert ("history keys: ['loss', 'digit_loss', 'score_loss', 'digit_accuracy', 'score_mae', 'val_loss', "
            "'val_digit_loss', 'val_score_loss', 'val_digit_accuracy', 'val_score_mae']") in out
    assert final_accuracy(out) > 0.5


def test_text_classifier_runs_embedding_and_bidirectional_lstm():
    out = run_example("text_classifier.py")
    assert "embedding (Embedding)" in out and "bidirectional" in out
    assert final_accuracy(out) > 0.6  # two balanced classes: chance is 0.5


def test_codelab_pipeline_reads_the_idx_files_through_the_dataset_and_fits(tmp_path):
    out = run_example("codelab_pipeline.py", "--data-dir", str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                                            "train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
    assert "element_spec: (TensorSpec(shape=(128, 784), dtype=float32" in out
    assert out.count("50/50 - ") == 2  # steps_per_epoch batches from the repeated dataset, each epoch
    assert float(out.rsplit("final validation accuracy: ", 1)[1].split()[0]) > 0.8


def test_seed002_grid_search_prints_the_best_parameters_and_the_results_table():
    out = run_example("seed002_grid_search.py")
    assert "16 combinations x 2 folds on 1000 images" in out
    best = re.search(r"Best: ([0-9.]+) using (\{.*\})", out)
    assert best and float(best.group(1)) > 0.2 and "'model__hidden'" in best.group(2)
    assert re.search(r"optimizer\s+optimizer__learning_rate\s+batch_size\s+model__hidden\s+mean_test_score", out)
    table = out.split("rank_test_score", 1)[1].strip().splitlines()[:16]
    assert len(table) == 16 and table[0].split()[-1] == "1"  # sorted by rank
    assert final_accuracy(out) > 0.5


def test_image_folder_classifier_writes_pngs_and_trains_from_the_folder(tmp_path):
    out = run_example("image_folder_classifier.py", "--data-dir", str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == [str(d) for d in range(10)]
    assert sum(len(os.listdir(tmp_path / str(d))) for d in range(10)) == 600
    assert "Found 600 files belonging to 10 classes." in out
    assert "Using 480 files for training." in out and "Using 120 files for validation." in out
    assert "class names: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']" in out
    assert "random_rotation (RandomRota" in out and "random_zoom (RandomZoom)" in out
    assert final_accuracy(out) > 0.4  # ten classes: chance is 0.1


def test_text_folder_classifier_writes_text_files_and_trains_from_the_folder(tmp_path):
    out = run_example("text_folder_classifier.py", "--data-dir", str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["cooking", "football", "space"]
    assert "Found 600 files belonging to 3 classes." in out
    assert "class names: ['cooking', 'football', 'space']" in out
    assert "vocabulary size: " in out and "global_average_pooling1d (G" in out
    assert final_accuracy(out) > 0.6  # three balanced classes: chance is 1/3


def test_seed001_estimators_trains_the_premade_and_the_custom_estimator():
    out = run_example("seed001_estimators.py")
    assert "DNNClassifier: 60 steps" in out
    custom = float(out.rsplit("custom Estimator test accuracy: ", 1)[1].split()[0])
    assert custom > 0.5 and final_accuracy(out) > 0.5  # 10 classes: chance is 0.1
