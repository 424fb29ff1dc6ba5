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
