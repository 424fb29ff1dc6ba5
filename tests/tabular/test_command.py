"""`dendrite train csv` and `dendrite predict --csv` through the CLI: a known linear relation learned to a small
error, red-wine (seed 003's data) as regression and classification, predictions one per row, and each kind of
bad input refused with a clear message and a non-zero exit status."""
import csv
import io
import json
import os
import re

import numpy as np
import pytest

from dendrite import cli


@pytest.fixture
def red_wine():
    folder = os.environ.get("DENDRITE_DATA")
    path = os.path.join(folder, "red-wine.csv") if folder else None
    if not path or not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("red-wine.csv is not in DENDRITE_DATA")
        pytest.skip("red-wine.csv is not in DENDRITE_DATA: run with DENDRITE_DATA=/work/shared/data")
    return path


def linear_csv(path, rows=400, seed=0):
    """y = 2 x1 - 3 x2 + 0.5 x3 + 1, plus 1.5 for group 'a': an exact relation a linear model can learn."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(rows, 3))
    group = rng.choice(["a", "b"], rows)
    y = 2 * x[:, 0] - 3 * x[:, 1] + 0.5 * x[:, 2] + 1 + np.where(group == "a", 1.5, 0)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x1", "x 2", "x3", "group", "y"])
        w.writerows([f"{a:.6f}", f"{b:.6f}", f"{c:.6f}", g, f"{t:.6f}"] for (a, b, c), g, t in zip(x, group, y))
    return x, group, y


def train(args, capsys):
    code = cli.main(["train", "csv", *args, "--quiet"])
    return code, capsys.readouterr()


def predict_rows(model, new_csv, capsys):
    assert cli.main(["predict", str(model), "--csv", str(new_csv)]) == 0
    captured = capsys.readouterr()
    return list(csv.reader(io.StringIO(captured.out))), captured.err


def test_a_linear_relation_is_learned_to_a_small_error(tmp_path, capsys):
    linear_csv(tmp_path / "linear.csv")
    out = tmp_path / "linear-model"
    code, shown = train([str(tmp_path / "linear.csv"), "--target", "y", "--model", "linear", "--loss", "mse",
                         "--learning-rate", "0.05", "--batch-size", "32", "--epochs", "60", "--scaling", "standard",
                         "--out", str(out)], capsys)
    assert code == 0
    assert "280 training rows, 120 validation rows; 3 numeric columns (standard scaling), 1 one-hot" in shown.out
    mae = float(re.search(r"Validation MAE: ([0-9.]+)", shown.out).group(1))
    assert mae < 0.05  # y spans about [-4, 7.5]
    assert sorted(os.listdir(out)) == ["history.csv", "history.png", "model.keras", "model.target.json"]
    info = json.loads((out / "model.target.json").read_text())
    assert info["target"] == "y" and info["task"] == "regression" and info["classes"] is None
    assert info["inputs"]["x_2"] == "x 2" and info["categorical_columns"] == {"group": ["a", "b"]}
    with open(out / "history.csv") as f:
        history = list(csv.DictReader(f))
    assert list(history[0]) == ["epoch", "loss", "mae", "val_loss", "val_mae"]

    # new rows: a fresh sample of the same relation, the columns in another order, the target left out
    x, group, y = linear_csv(tmp_path / "fresh.csv", rows=25, seed=7)
    with open(tmp_path / "new.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "x3", "x 2", "x1", "unused"])
        w.writerows([g, c, b, a, "?"] for (a, b, c), g in zip(x, group))
    rows, err = predict_rows(out / "model.keras", tmp_path / "new.csv", capsys)
    assert rows[0] == ["y"] and len(rows) == 1 + 25
    np.testing.assert_allclose([float(r[0]) for r in rows[1:]], y, atol=0.1)
    assert err == ""


def test_red_wine_regression_out_of_the_box(red_wine, tmp_path, capsys):
    out = tmp_path / "wine"
    code, shown = train([red_wine, "--target", "quality", "--epochs", "10", "--out", str(out)], capsys)
    assert code == 0  # seed 003's network (dense:512,512,512), loss 'mae', batch 256, 70/30 split
    assert "1119 training rows, 480 validation rows; 11 numeric columns (minmax scaling), 0 one-hot; " \
           "target 'quality' (regression)" in shown.out
    assert float(re.search(r"Validation MAE: ([0-9.]+)", shown.out).group(1)) < 0.8  # quality 3..8, mean ~5.6
    with open(out / "history.csv") as f:
        val_loss = [float(r["val_loss"]) for r in csv.DictReader(f)]
    assert len(val_loss) == 10 and val_loss[-1] < val_loss[0] / 3
    rows, err = predict_rows(out / "model.keras", red_wine, capsys)
    assert rows[0] == ["quality"] and len(rows) == 1 + 1599
    assert re.match(r"dendrite predict: 'quality' is in .*red-wine.csv: MAE [0-9.]+ over 1599 rows", err)


def test_red_wine_classification_with_early_stopping(red_wine, tmp_path, capsys):
    out = tmp_path / "wine-classes"
    code, shown = train([red_wine, "--target", "quality", "--task", "classification", "--model", "dense:32",
                         "--epochs", "40", "--early-stopping", "2", "--learning-rate", "0.01", "--out", str(out)],
                        capsys)
    assert code == 0 and "(classification, 6 classes)" in shown.out
    stopped = re.search(r"Early stopping after (\d+) epochs; kept the weights of epoch (\d+)", shown.out)
    assert stopped and int(stopped.group(1)) < 40 and int(stopped.group(2)) == int(stopped.group(1)) - 2
    accuracy = float(re.search(r"Validation accuracy: ([0-9.]+)", shown.out).group(1))
    assert accuracy > 0.5  # the majority class alone is about 0.43
    info = json.loads((out / "model.target.json").read_text())
    assert info["classes"] == ["3", "4", "5", "6", "7", "8"]
    rows, _ = predict_rows(out / "model.keras", red_wine, capsys)
    assert rows[0] == ["quality", "probability"] and len(rows) == 1 + 1599
    assert {r[0] for r in rows[1:]} <= set(info["classes"]) and all(0 < float(r[1]) <= 1 for r in rows[1:])


def test_predict_reports_missing_columns_and_unseen_categories(tmp_path, capsys):
    linear_csv(tmp_path / "linear.csv", rows=60)
    out = tmp_path / "m"
    assert train([str(tmp_path / "linear.csv"), "--target", "y", "--model", "dense:4", "--epochs", "1",
                  "--out", str(out)], capsys)[0] == 0
    (tmp_path / "lacks.csv").write_text("x1,x3,group\n1,2,a\n")
    with pytest.raises(SystemExit) as stop:
        cli.main(["predict", str(out / "model.keras"), "--csv", str(tmp_path / "lacks.csv")])
    assert re.search(r"lacks.csv lacks the columns the model needs: \['x_2'\]", str(stop.value.code))
    (tmp_path / "new.csv").write_text("x1,x 2,x3,group\n1,2,3,c\n0,0,0,a\n")
    rows, err = predict_rows(out / "model.keras", tmp_path / "new.csv", capsys)
    assert len(rows) == 3 and "column 'group' has categories not seen in training: ['c']" in err
    (tmp_path / "gap.csv").write_text("x1,x 2,x3,group\n1,,3,a\n")
    with pytest.raises(SystemExit, match="gap.csv: line 2, column 'x 2' is missing"):
        cli.main(["predict", str(out / "model.keras"), "--csv", str(tmp_path / "gap.csv")])
    with pytest.raises(SystemExit, match="give image files to classify, or --csv NEW.csv"):
        cli.main(["predict", str(out / "model.keras")])


@pytest.mark.parametrize("content, args, message", [
    ("a,b\n1,2\n3,4\n", ["--target", "c"], r"no target column 'c'; the header names \['a', 'b'\]"),
    ("", ["--target", "y"], "the file is empty"),
    ("x,y\n1,2\n3,\n", ["--target", "y"], r"line 3, column 'y' is missing"),
    ("x,y\n1,nan\n3,4\n", ["--target", "y"], r"line 2, column 'y' is missing \(NaN: 'nan'\)"),
    ("x,y\n1,5\n2,5\n3,5\n", ["--target", "y", "--task", "classification"],
     r"the target 'y' has a single class \('5'\)"),
    ("".join(["x,text,y\n"] + [f"{i},free text number {i},{i}\n" for i in range(40)]), ["--target", "y"],
     r"column 'text' is not numeric and has 40 distinct values in 40 rows .* --ignore 'text'"),
    ("x,y\n1,a\n2,b\n", ["--target", "y", "--task", "regression"],
     r"regression needs a numeric target, but column 'y' holds 'a'. Use --task classification"),
    ("x,y\n1,2\n2,3\n", ["--target", "y", "--model", "cnn"], r"--model: expected 'dense:W1,W2,...'"),
    ("x,y\n1,2\n2,3\n", ["--target", "y", "--loss", "nonsense"], r"--loss 'nonsense'"),
])
def test_bad_input_exits_non_zero_with_a_clear_message(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(SystemExit) as stop:
        cli.main(["train", "csv", str(path), *args, "--epochs", "1", "--out", str(tmp_path / "out"), "--quiet"])
    assert stop.value.code not in (0, None)
    assert str(stop.value.code).startswith("dendrite train csv: ") and re.search(message, str(stop.value.code))
    assert not (tmp_path / "out").exists()


def test_train_without_a_dataset_prints_its_help(capsys):
    assert cli.main(["train"]) == 2
    assert "{mnist,csv}" in capsys.readouterr().out


def test_without_h5py_train_csv_stops_before_training(tmp_path, monkeypatch):
    from dendrite.saving import weights_h5

    def no_h5py():
        raise ImportError("Saving and loading .h5 weights needs h5py: pip install 'dendrite[saving]'")
    monkeypatch.setattr(weights_h5, "_h5py", no_h5py)
    (tmp_path / "t.csv").write_text("x,y\n1,2\n2,3\n")
    with pytest.raises(SystemExit, match="dendrite train csv: .*pip install 'dendrite\\[saving\\]'"):
        cli.main(["train", "csv", str(tmp_path / "t.csv"), "--target", "y", "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()


def test_the_default_output_folder_is_named_after_the_file_in_the_working_folder(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    linear_csv(data / "lin.csv", rows=20)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert train([str(data / "lin.csv"), "--target", "y", "--model", "dense:2", "--epochs", "1"], capsys)[0] == 0
    assert (work / "lin-model" / "model.keras").exists() and sorted(os.listdir(data)) == ["lin.csv"]
