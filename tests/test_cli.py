import re

import numpy as np
import pytest

from dendrite import cli


def test_train_mnist_dense_prints_accuracy_and_saves_weights(tmp_path, capsys):
    out = tmp_path / "w.npz"
    assert cli.main(["train", "mnist", "--limit", "3000", "--epochs", "2", "--seed", "1", "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert 'Model: "mnist_dense"' in text and "Total params: 169,670" in text
    assert re.search(r"24/24 \[=+\] - .* - loss: .* - accuracy: .* - val_loss: .* - val_accuracy: ", text)
    acc = float(re.search(r"Test accuracy: ([0-9.]+)", text).group(1))
    assert acc > 0.85
    with np.load(out, allow_pickle=False) as saved:
        shapes = [saved[k].shape for k in sorted(saved.files)]
    assert shapes == [(784, 200), (200,), (200, 60), (60,), (60, 10), (10,)]


def test_cli_without_a_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert "train" in capsys.readouterr().out


def test_cli_refuses_a_non_positive_epochs_batch_size_or_limit(capsys):
    for flag, value in (("--epochs", "0"), ("--batch-size", "-3"), ("--limit", "2.5")):
        with pytest.raises(SystemExit) as stop:
            cli.main(["train", "mnist", flag, value])
        assert stop.value.code == 2
        shown = repr(int(value)) if value.lstrip("-").isdigit() else f"{value!r} (type str)"
        assert f"argument {flag}: `{flag}` must be a positive integer. Received: {flag}={shown}." \
            in capsys.readouterr().err


def test_train_saves_a_keras_file_that_predict_and_summary_read(tmp_path, capsys, mnist):
    from PIL import Image

    model_path = tmp_path / "mnist-dense.keras"
    assert cli.main(["train", "mnist", "--limit", "3000", "--epochs", "2", "--seed", "1", "--quiet",
                     "--output", str(model_path)]) == 0
    assert "Model saved to" in capsys.readouterr().out
    (_, _), (x_test, y_test) = mnist
    paths = []
    for i in range(4):
        digit = x_test[i]
        # as a user's file: bigger, dark ink on white paper
        Image.fromarray(255 - digit).resize((56, 56)).save(tmp_path / f"digit{i}.png")
        paths.append(str(tmp_path / f"digit{i}.png"))
    assert cli.main(["predict", str(model_path), *paths, "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(len(re.findall(r"\d \(0\.\d{3}\)", line)) == 2 for line in lines)
    predicted = [int(re.search(r": (\d) ", line).group(1)) for line in lines]
    assert sum(p == t for p, t in zip(predicted, y_test[:4])) >= 3
    assert cli.main(["summary", str(model_path)]) == 0
    assert "Total params: 169,670" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="no model file"):
        cli.main(["summary", str(tmp_path / "missing.keras")])


def test_without_h5py_train_saves_the_weights_as_npz(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_has_h5py", lambda: False)
    out = tmp_path / "mnist-dense.keras"
    assert cli.main(["train", "mnist", "--limit", "600", "--epochs", "1", "--quiet", "--output", str(out)]) == 0
    assert "pip install 'dendrite[saving]'" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnist-dense.weights.npz"]
