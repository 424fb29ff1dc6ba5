"""``dendrite run program.py [args]`` and ``dendrite run notebook.ipynb``: a program written for TensorFlow,
tf.keras or Keras run with the compatibility hooks installed.

Scripts run as ``__main__`` with their own ``sys.argv`` and ``__file__``; an uncaught error prints a traceback
of the program's own frames (its file names and line numbers) and exits with status 1. Notebooks run their
code cells in order in one namespace: ``!`` and ``%`` lines are skipped with a note on stderr
(``%matplotlib inline`` silently), ``%%time``-style cell magics run the cell, ``%%writefile`` writes it, and
a cell's last expression is printed as Jupyter shows it. ``--max-epochs`` / ``--max-steps`` cap every fit;
``--data-dir`` is where dataset loaders and files opened by URL are found; without a display, ``plt.show()``
saves each figure as a PNG next to the program (or in ``--figures``)."""
import argparse
import ast
import json
import linecache
import os
import re
import sys
import types
import time
import traceback

from ._notes import QUIET_ENV
from .tf_files import localize

_RUNNING = {"figures": None, "stem": "figure", "count": 0}
_CELL_MAGICS_RUN = ("%%time", "%%timeit", "%%capture", "%%prun")


def add_parser(sub):
    run = sub.add_parser("run", help="run a TensorFlow / Keras program or notebook on dendrite")
    run.add_argument("program", help="a Python script (.py) or a Jupyter notebook (.ipynb)")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the program as sys.argv[1:]")
    run.add_argument("--max-epochs", type=int, default=None, help="cap every fit() to N epochs")
    run.add_argument("--max-steps", type=int, default=None, help="cap every epoch to S steps (batches)")
    run.add_argument("--data-dir", default=None, help="where datasets and files the program opens by URL are")
    run.add_argument("--figures", default=None, help="where plt.show() saves figures (default: next to the program)")
    run.add_argument("--quiet-compat", action="store_true", help="no notes about translated legacy spellings")
    return run


def _patch_pandas():
    try:
        import pandas
    except ImportError:
        return
    read_csv = pandas.read_csv
    if getattr(read_csv, "_dendrite_localized", False):
        return

    def localized_read_csv(filepath_or_buffer, *args, **kwargs):
        return read_csv(localize(filepath_or_buffer), *args, **kwargs)
    localized_read_csv._dendrite_localized = True
    pandas.read_csv = localized_read_csv


def _show(*args, **kwargs):
    import matplotlib.pyplot as plt
    folder = _RUNNING["figures"]
    os.makedirs(folder, exist_ok=True)
    for number in plt.get_fignums():
        _RUNNING["count"] += 1
        path = os.path.join(folder, f"{_RUNNING['stem']}_figure_{_RUNNING['count']}.png")
        plt.figure(number).savefig(path)
        print(f"dendrite run: figure saved to {path}", file=sys.stderr)
    plt.close("all")


def _setup_figures(program, figures):
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("darwin", "win32"):
        return
    try:
        import matplotlib
    except ImportError:
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    _RUNNING["figures"] = os.path.abspath(figures or os.path.dirname(os.path.abspath(program)))
    _RUNNING["stem"] = os.path.splitext(os.path.basename(program))[0]
    plt.show = _show


def _program_frames(exc, files):
    """The traceback from the first frame in one of the program's files (the runner's frames cut)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in files:
        tb = tb.tb_next
    return tb or exc.__traceback__


def _report(exc, files):
    traceback.print_exception(type(exc), exc, _program_frames(exc, files))
    return 1


def _run_script(path, args):
    import runpy
    sys.argv = [path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:  # noqa: BLE001 - the program's own error, shown as its traceback
        return _report(e, {path, os.path.abspath(path)})
    return 0


# IPython's help requests: `tf.keras.Input?`, `model.fit??`, `?np.mean`
_HELP = re.compile(r"^(\?{1,2}[A-Za-z_][\w.]*|[A-Za-z_][\w.]*\?{1,2})$")


def _cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_cells(path):
    """The code cells of a notebook as (number, Python source) pairs, magics translated."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f"dendrite run: {path} is not a valid notebook: its JSON does not parse ({e}). "
                         "Open and save it in Jupyter, or export it as a .py script.") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict) and "worksheets" in nb:  # nbformat 3
        cells = [c for w in nb["worksheets"] for c in w.get("cells", [])]
    if not isinstance(cells, list):
        raise ValueError(f"dendrite run: {path} is not a notebook: it has no list of 'cells'.")
    out = []
    for n, cell in enumerate((c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"), 1):
        out.append((n, _translate_cell(n, _cell_source(cell) if "source" in cell else "".join(cell.get("input", [])))))
    return out


def _leading_indent(lines):
    """Jupyter's clean-up of a cell (IPython's leading_empty_lines and leading_indent): blank lines before the
    code dropped, and the first code line's indentation taken off every line that starts with it."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    indent = lines[0][:len(lines[0]) - len(lines[0].lstrip(" \t"))] if lines else ""
    return [line[len(indent):] if line.startswith(indent) else line for line in lines] if indent else lines


def _translate_cell(n, source):
    lines = _leading_indent(source.splitlines())
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first.split()[0]
        if magic in _CELL_MAGICS_RUN:
            lines = lines[1:]
        elif magic == "%%writefile":
            target = first.split(None, 1)[1] if len(first.split()) > 1 else "untitled.txt"
            body = "\n".join(lines[1:]) + "\n"
            return f"with open({target.strip()!r}, 'w') as _writefile:\n    _writefile.write({body!r})\n"
        else:
            print(f"dendrite run: cell {n}: the cell magic {magic} is skipped (not Python).", file=sys.stderr)
            return ""
    kept = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("!", "%")) or _HELP.match(stripped):
            if not stripped.startswith("%matplotlib"):
                print(f"dendrite run: cell {n}: skipped `{stripped}` (a shell command, magic or help request).",
                      file=sys.stderr)
            indent = line[:len(line) - len(line.lstrip())]
            kept.append(f"{indent}pass")
        else:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _display(*objs, **kwargs):
    for obj in objs:
        print(obj)


def _run_notebook(path, args):
    try:
        cells = notebook_cells(path)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    sys.argv = [path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    # the cells run in a module registered as __main__ while they run, as Jupyter's namespace is (so classes
    # the notebook defines are found as __main__.<name>, e.g. by tf.saved_model.load)
    main_module = types.ModuleType("__main__")
    main_module.__dict__.update({"__file__": os.path.abspath(path), "display": _display, "__builtins__": __builtins__})
    namespace = main_module.__dict__
    previous_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main_module
    _console_tqdm()
    try:
        return _run_cells(cells, path, namespace)
    finally:
        if previous_main is not None:
            sys.modules["__main__"] = previous_main


def _console_tqdm():
    """``from tqdm.notebook import tqdm`` in a notebook run outside Jupyter: without ipywidgets, tqdm's notebook
    bar cannot draw (it raises), so the notebook gets tqdm's console bar, as ``tqdm.auto`` would choose."""
    import importlib.util
    if importlib.util.find_spec("tqdm") is None or importlib.util.find_spec("ipywidgets") is not None:
        return
    from tqdm import std
    module = types.ModuleType("tqdm.notebook", "tqdm's console bar, standing in for the notebook bar.")
    module.__dict__.update(tqdm=std.tqdm, trange=std.trange, tqdm_notebook=std.tqdm, tnrange=std.trange)
    sys.modules["tqdm.notebook"] = module


def _run_cells(cells, path, namespace):
    files = set()
    for n, source in cells:
        name = f"{path} [cell {n}]"
        files.add(name)
        linecache.cache[name] = (len(source), None, source.splitlines(True), name)
        try:
            tree = ast.parse(source, name)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, name, "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
                if value is not None:
                    print(repr(value))
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else 0
        except BaseException as e:  # noqa: BLE001
            return _report(e, files)
    return 0


def main(args):
    """The ``dendrite run`` command."""
    from . import _patches, install
    path = args.program
    if not os.path.exists(path):
        print(f"dendrite run: no file at {path}", file=sys.stderr)
        return 2
    if args.quiet_compat:
        os.environ[QUIET_ENV] = "1"
    if args.data_dir:
        os.environ["DENDRITE_DATA"] = os.path.abspath(args.data_dir)
    for flag, value in (("--max-epochs", args.max_epochs), ("--max-steps", args.max_steps)):
        if value is not None and value < 1:
            print(f"dendrite run: {flag} must be a positive integer; received {value}.", file=sys.stderr)
            return 2
    _patches.LIMITS.update(max_epochs=args.max_epochs, max_steps=args.max_steps)
    install()
    _setup_figures(path, args.figures)
    if os.environ.get("DENDRITE_DATA"):
        _patch_pandas()
    start = time.perf_counter()
    runner = _run_notebook if path.endswith(".ipynb") else _run_script
    code = runner(path, args.args)
    sys.stdout.flush()
    if os.environ.get("DENDRITE_RUN_TIMING"):
        print(f"dendrite run: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return code
