"""Programs in each era's style run through `dendrite run` in a subprocess, asserting on what they print."""
import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def run(*args, cwd=None, timeout=120):
    env = dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="", DISPLAY="")
    env.setdefault("DENDRITE_DATA", "/work/shared/data")
    done = subprocess.run([sys.executable, "-m", "dendrite.cli", "run", *args], cwd=cwd or PROGRAMS, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def test_keras2_mnist_with_np_utils_lr_decay_and_removed_methods():
    code, out, err = run("--max-epochs", "2", "keras2_mnist_np_utils.py", "a", "b")
    assert code == 0, err
    assert "epochs run: 2 ['acc', 'loss', 'val_acc', 'val_loss']" in out
    assert "lr now 0.05 0.05" in out
    assert "argv ['a', 'b'] __main__" in out and "proba (2, 10)" in out
    accuracy = float(out.split("Test accuracy:")[1].split()[0])
    # nothing seeds dendrite in the child (np.random.seed does not): 2 epochs measured 0.674-0.75 over 12 runs;
    # chance is 0.1
    assert accuracy > 0.4
    assert "`output_dim` is the Keras 1 spelling" in err and "predict_classes() was removed" in err


def test_quiet_compat_silences_the_notes():
    code, out, err = run("--quiet-compat", "--max-epochs", "1", "keras2_mnist_np_utils.py")
    assert code == 0, err
    assert "dendrite compat:" not in err


def test_keras1_convolution_merge_and_generators():
    code, out, err = run("keras1_conv.py")
    assert code == 0, err
    assert "kernel (3, 3) padding same" in out
    assert "epochs 3" in out and "generator epochs 2" in out and "evaluate_generator 2" in out
    assert "merged (2, 6)" in out


def test_tf2_fashion_mnist_checkpoint_with_period_and_val_acc(tmp_path):
    code, out, err = run("--max-epochs", "4", "tf2_fashion_checkpoint.py", str(tmp_path))
    assert code == 0, err
    assert "epochs 4 True" in out  # capped from 5; history answers 'val_acc' and 'val_accuracy'
    assert "eager True True" in out
    # 300 test images, chance 0.1, nothing seeds the child: after 2 epochs the accuracy was measured anywhere from
    # 0.44 to 0.70 (12 runs), after 3 from 0.537 to 0.72 (10), after 4 from 0.633 to 0.74 (8)
    assert float(out.split("test accuracy ")[1].split()[0]) > 0.35
    saved = sorted(f for f in os.listdir(tmp_path) if f.startswith("singlenn_01-"))
    assert saved and saved[0].endswith(".weights.h5")


def test_keras3_red_wine_early_stopping():
    code, out, err = run("keras3_redwine.py", timeout=200)
    assert code == 0, err
    epochs = int(out.split("epochs run ")[1].split()[0])
    assert 5 < epochs < 500  # EarlyStopping(patience=5) stops it long before 500
    # unseeded: measured 21-43 epochs and a min val_loss (MAE of the scaled quality) of 0.0963-0.1036 over 12 runs;
    # a constant prediction (the training median) scores 0.133, so the bound sits between the two
    assert float(out.split("min val_loss ")[1].split()[0]) < 0.12
    assert "patience 5 min_delta -0.001" in out  # Keras stores min_delta negated in 'min' mode


def test_tf_low_level_gradient_tape_function_device_strategy():
    code, out, err = run("tf_low_level.py")
    assert code == 0, err
    assert "w 3.00 b 2.00 loss<1e-3 True" in out
    assert "devices ['CPU']" in out and "argmax [1, 1] shape (2, 2) dtype ok True" in out
    assert "replicas 1" in out


def test_tf1_graph_mode_program_trains_saves_and_restores(tmp_path):
    import shutil
    shutil.copy(os.path.join(PROGRAMS, "tf1_graph_mnist.py"), tmp_path)
    code, out, err = run("tf1_graph_mnist.py", cwd=str(tmp_path))
    assert code == 0, err
    assert "eager False" in out and "logits [None, 10] hidden/W:0" in out and "steps 300 loss fell True" in out
    # 300 Adam steps of 64 on 6,000 images: TF 2.21 measured 0.881 on these 1,000 test images; chance is 0.1
    assert float(out.split("test accuracy")[1].split()[0]) > 0.8
    assert "saved ./tf1_model.ckpt-300" in out and "fresh below True" in out and "restored same True" in out


def test_notebook_cells_magics_and_figures(tmp_path):
    code, out, err = run("--figures", str(tmp_path), "tf2_notebook.ipynb")
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "50"  # the last cell's expression, shown as Jupyter shows it
    assert "skipped `!pip install tensorflow`" in err and "%matplotlib" not in err
    assert os.listdir(tmp_path) == ["tf2_notebook_figure_1.png"]


def test_a_script_that_raises_shows_its_own_traceback():
    code, out, err = run("raises.py")
    assert code == 1 and out == "before\n"
    assert 'File "raises.py", line 9, in <module>' in err and 'File "raises.py", line 5, in broken' in err
    assert "ValueError: the program's own error" in err and "runpy" not in err


def test_an_api_outside_the_table_is_a_clear_not_implemented_error():
    code, out, err = run("unsupported_api.py")
    assert code == 1
    assert "NotImplementedError: `tensorflow.placeholder` is not supported" in err and "docs/compat.md" in err


def test_an_invalid_notebook_is_refused_clearly(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text('{"cells": [')
    code, out, err = run(str(bad))
    assert code == 2
    assert "is not a valid notebook: its JSON does not parse" in err


def test_a_missing_program_and_a_bad_cap(tmp_path):
    assert run(str(tmp_path / "none.py"))[0] == 2
    code, _, err = run("--max-epochs", "0", "raises.py")
    assert code == 2 and "--max-epochs must be a positive integer" in err


def test_notebook_writefile_and_cell_magics(tmp_path):
    nb = {"nbformat": 4, "cells": [
        {"cell_type": "code", "source": ["%%writefile helper.py\n", "VALUE = 41\n"]},
        {"cell_type": "code", "source": ["%%bash\n", "echo hi\n"]},
        {"cell_type": "code", "source": ["import helper\n", "for i in range(1):\n", "    %time x = 1\n",
                                         "helper?\n", "?helper.VALUE\n", "print(helper.VALUE + 1)\n"]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    code, out, err = run(str(path), cwd=str(tmp_path))
    assert code == 0, err
    assert out == "42\n" and "%%bash is skipped" in err and "skipped `helper?` (a shell command, magic or help" in err


def test_notebook_cells_indented_as_a_whole_run_as_jupyter_runs_them(tmp_path):
    """Jupyter (IPython's leading_indent) takes the first code line's indentation off the cell's lines, so a
    cell pasted with an indent runs (two notebooks of the PKU course notes and of Applied Deep Learning)."""
    nb = {"nbformat": 4, "cells": [
        {"cell_type": "code", "source": ["\n", "    import numpy as np\n", "    x = np.arange(3)\n",
                                         "    for v in x:\n", "        print(int(v) * 2)\n"]},
        {"cell_type": "code", "source": ["\tprint('tab', x.sum())\n"]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    code, out, err = run(str(path), cwd=str(tmp_path))
    assert code == 0, err
    assert out == "0\n2\n4\ntab 3\n"


@pytest.mark.parametrize("name", ["tensorflow", "keras"])
def test_install_refuses_when_a_real_package_is_imported(name, tmp_path):
    script = tmp_path / "fake.py"
    script.write_text(f"import sys, types\nsys.modules['{name}'] = types.ModuleType('{name}')\n"
                      "import dendrite.compat\ndendrite.compat.install()\n")
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert f"a real `{name}` is already imported" in done.stderr


def test_tf_module_models_list_their_variables_and_train():
    code, out, err = run("tf2_module_training.py")
    assert code == 0, err[-3000:]
    assert "name mlp submodules 2" in out
    # attribute order (layers before step), each Dense's b before w (names sorted), the step not trainable
    assert "variables [(16,), (4, 16), (1,), (16, 1), ()]" in out
    assert "trainable 4" in out
    first, last, steps = re.search(r"first loss ([0-9.]+) last loss ([0-9.]+) steps (\d+)", out).groups()
    assert int(steps) == 60 and float(last) < 0.2 * float(first)


def _code_notebook(path, cells):
    """A notebook at ``path`` of the code cells ``cells`` (strings)."""
    path.write_text(json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": [c]} for c in cells]}))
    return path


def test_a_notebooks_classes_are_found_as_main(tmp_path):
    """The cells run in a module registered as __main__ (as Jupyter's namespace), so tf.saved_model.load finds a
    tf.Module class the notebook defined and the loaded module's methods run (TF's SavedModel guide)."""
    cells = ["import sys, tensorflow as tf\n"
             "class Scale(tf.Module):\n"
             "    def __init__(self):\n"
             "        super().__init__()\n"
             "        self.v = tf.Variable(1.)\n"
             "    @tf.function\n"
             "    def __call__(self, x):\n"
             "        return x * self.v\n"
             "    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])\n"
             "    def mutate(self, new_v):\n"
             "        self.v.assign(new_v)\n",
             "m = Scale()\n"
             "tf.saved_model.save(m, 'saved')\n"
             "loaded = tf.saved_model.load('saved')\n"
             "loaded.mutate(tf.constant(2.))\n"
             "print(sys.modules['__main__'].Scale is Scale, type(loaded).__name__, float(loaded(tf.constant(3.))),"
             " len(loaded.signatures))\n"]
    path = _code_notebook(tmp_path / "nb.ipynb", cells)
    code, out, err = run(str(path), cwd=str(tmp_path))
    assert code == 0, err
    # mutate has an input_signature but no outputs: as in TensorFlow it is no serving signature
    assert out == "True Scale 6.0 0\n"


def test_a_notebooks_tqdm_notebook_bar_draws_on_the_console(tmp_path):
    """Outside Jupyter (no ipywidgets) tqdm's notebook bar raises; the notebook gets the console bar instead."""
    import importlib.util
    if not os.environ.get("CI"):  # (the dev extra installs tqdm, so CI always runs this)
        pytest.importorskip("tqdm")
    cells = ["from tqdm.notebook import tqdm, trange\n"
             "total = sum(i for i in tqdm(range(4), desc='steps'))\n"
             "print('total', total, len(list(trange(3))))\n"]
    path = _code_notebook(tmp_path / "bar.ipynb", cells)
    code, out, err = run(str(path), cwd=str(tmp_path))
    assert code == 0, err
    assert "total 6 3" in out
    if importlib.util.find_spec("ipywidgets") is None:
        assert "steps: 100%" in err  # tqdm's console bar
