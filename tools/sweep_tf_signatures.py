"""Signature sweep: TensorFlow's public functions against the ones dendrite's compatibility mode serves under
the same names. Runs outside CI, in two steps:

    /work/bvenv/bin/python tools/sweep_tf_signatures.py dump [FIXTURE]
        (real TensorFlow) writes every public callable's signature, for the namespaces in SPACES, as JSON to
        FIXTURE (default tests/fixtures/tf_signatures/tf_2_21.json).
    PYTHONPATH=. python tools/sweep_tf_signatures.py compare [FIXTURE] [--defaults]
        (dendrite) installs dendrite.compat, looks each recorded name up in its ``tensorflow`` and prints the
        gaps, per namespace:
          (a) keyword parameters TensorFlow has that dendrite's callable neither names nor takes by **kwargs;
          (b) positional parameters dendrite names at another position than TensorFlow (a program passing
              them by position would give them other meanings);
          (c) with --defaults, defaults that differ for parameters both have (a report; only some differ in
              meaning, e.g. "float32" and tf.float32 are the same).
    PYTHONPATH=. python tools/sweep_tf_signatures.py table [FIXTURE]
        (dendrite) rewrites dendrite/compat/tf_signature_table.py: TensorFlow's parameters for every name that
        has a gap of kind (a) or (b), plus the names already there, except NOT_ADAPTED. dendrite.compat.
        tf_arguments gives those names TensorFlow's signature (one mechanism, instead of an edit per function).

tests/compat/test_tf_signatures.py runs ``compare_all`` against the committed fixture (no TensorFlow there)
and asserts no gaps of kinds (a) and (b) beyond its allow-list. A name dendrite does not serve (its
namespace raises NotImplementedError / AttributeError) is not compared.

The fixture records, for each ``namespace.name``, TensorFlow's parameters as ``[name, kind, default]``:
kind is one of P (positional only), PK (positional or keyword), V (*args), K (keyword only), VK (**kwargs);
default is absent when there is none, else a JSON value (dtypes as "dtype:<name>", other objects by repr).
Methods (tf.data.Dataset, tf.Variable, tf.Tensor, ...) are recorded without ``self``.
"""
import inspect
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "tf_signatures" / "tf_2_21.json"

# modules: every public callable in them; classes: their public methods (and classmethods / staticmethods)
MODULES = ("tf", "tf.math", "tf.nn", "tf.io", "tf.image", "tf.strings", "tf.linalg", "tf.random", "tf.signal",
           "tf.sparse", "tf.ragged", "tf.nest", "tf.debugging", "tf.config", "tf.data.experimental",
           "tf.summary", "tf.saved_model")
CLASSES = ("tf.data.Dataset", "tf.train.Checkpoint", "tf.train.CheckpointManager", "tf.Variable", "tf.Tensor",
           "tf.GradientTape", "tf.distribute.Strategy")
_KINDS = {inspect.Parameter.POSITIONAL_ONLY: "P", inspect.Parameter.POSITIONAL_OR_KEYWORD: "PK",
          inspect.Parameter.VAR_POSITIONAL: "V", inspect.Parameter.KEYWORD_ONLY: "K",
          inspect.Parameter.VAR_KEYWORD: "VK"}
_NO_DEFAULT = object()


def _resolve(tf, path):
    obj = tf
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def norm_default(value):
    """A default as JSON: plain values as they are, dtypes as "dtype:<name>", anything else by its repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    kind = type(value).__name__
    if kind in ("DType", "dtype") or (isinstance(value, type) and getattr(value, "__module__", "") == "numpy"):
        try:
            import numpy as np
            return "dtype:" + np.dtype(getattr(value, "as_numpy_dtype", value)).name
        except Exception:  # noqa: BLE001 - a dtype NumPy has no name for (tf.string, tf.variant, ...)
            return "dtype:" + str(getattr(value, "name", value))
    if isinstance(value, (tuple, list)):
        return [norm_default(v) for v in value]
    return repr(value)


def params_of(fn, drop_self=False):
    """``fn``'s parameters as [[name, kind, default?], ...], or None where Python cannot read them."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    out = []
    for i, p in enumerate(sig.parameters.values()):
        if drop_self and i == 0 and p.name in ("self", "cls"):
            continue
        entry = [p.name, _KINDS[p.kind]]
        if p.default is not inspect.Parameter.empty:
            entry.append(norm_default(p.default))
        out.append(entry)
    return out


def _members(obj, is_class):
    names = sorted(n for n in dir(obj) if not n.startswith("_"))
    if is_class:
        names.append("__init__")
    for name in names:
        try:
            value = inspect.getattr_static(obj, name) if is_class else getattr(obj, name)
        except AttributeError:
            continue
        if is_class:
            if isinstance(value, (staticmethod, classmethod)):
                yield name, value.__func__, isinstance(value, classmethod)
            elif inspect.isfunction(value):
                yield name, value, True
        elif callable(value) and not inspect.ismodule(value):
            yield name, value, False


def dump(path=FIXTURE):
    import tensorflow as tf
    record = {}
    for space, is_class in [(m, False) for m in MODULES] + [(c, True) for c in CLASSES]:
        for name, fn, bound in _members(_resolve(tf, space), is_class):
            params = params_of(fn, drop_self=bound)
            if params is not None:
                record[f"{space}.{name}"] = params
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"tensorflow": tf.__version__, "signatures": record}, indent=0, sort_keys=True))
    print(f"wrote {len(record)} signatures to {path}")


def _dendrite_callable(tf, key):
    """dendrite's callable for ``key`` ('tf.io.decode_raw', 'tf.Variable.assign'), and whether it is a method
    (its first parameter, self, dropped); None where dendrite does not serve the name."""
    space, _, name = key.rpartition(".")
    is_class = space in CLASSES
    try:
        owner = _resolve(tf, space)
        if is_class:
            if name == "__init__":
                return owner, False
            value = inspect.getattr_static(owner, name)
            if isinstance(value, staticmethod):
                return value.__func__, False
            if isinstance(value, classmethod):
                return value.__func__, True
            return (value, True) if callable(value) and not isinstance(value, property) else None
        value = getattr(owner, name)
    except (AttributeError, NotImplementedError, ImportError):
        return None
    return (value, False) if callable(value) else None


def _same_default(a, b):
    if a == b:
        return True
    names = [x[6:] if isinstance(x, str) and x.startswith("dtype:") else x for x in (a, b)]
    return names[0] == names[1]


def compare(tf_params, ours):
    """The gaps between TensorFlow's parameters and dendrite's: {'a': [names], 'b': [(name, tf_pos, our_pos)],
    'c': [(name, tf_default, our_default)]}."""
    ours_by_name = {p[0]: p for p in ours}
    var_kw = any(p[1] == "VK" for p in ours)
    var_pos = [i for i, p in enumerate(ours) if p[1] == "V"]
    gaps = {"a": [], "b": [], "c": []}
    positional = [p[0] for p in ours if p[1] in ("P", "PK")]
    for i, (name, kind, *default) in enumerate(p for p in tf_params if p[1] in ("P", "PK")):
        if name in ours_by_name and ours_by_name[name][1] in ("P", "PK"):
            j = positional.index(name)
            if j != i and not (var_pos and var_pos[0] <= j):
                gaps["b"].append((name, i, j))
        elif name in ours_by_name and var_pos and var_pos[0] <= i:
            pass  # dendrite takes the leading arguments through *args: the position is its own reading
        elif name in ours_by_name and ours_by_name[name][1] == "K" and i >= len(positional) and not var_pos:
            gaps["b"].append((name, i, None))  # TensorFlow's positional parameter is keyword-only in dendrite
    for name, kind, *default in tf_params:
        if kind in ("V", "VK"):
            continue
        if name not in ours_by_name:
            if not var_kw:
                gaps["a"].append(name)
            continue
        mine = ours_by_name[name]
        if default and len(mine) > 2 and not _same_default(default[0], mine[2]):
            gaps["c"].append((name, default[0], mine[2]))
    return gaps


def compare_all(signatures, tf):
    """{key: gaps} for every recorded key dendrite serves (keys with no gap left out), and the number served."""
    out, served = {}, 0
    for key, tf_params in sorted(signatures.items()):
        found = _dendrite_callable(tf, key)
        if found is None:
            continue
        ours = params_of(found[0], drop_self=found[1])
        if ours is None:
            continue
        served += 1
        gaps = compare(tf_params, ours)
        if any(gaps.values()):
            out[key] = gaps
    return out, served


# TensorFlow's internal constructors (no program calls them with these parameters): not adapted, and the
# allow-list of tests/compat/test_tf_signatures.py
NOT_ADAPTED = {"tf.DType": "TensorFlow's DType(type_enum, handle_data) is internal; programs use tf.float32 / tf.as_dtype",
               "tf.RaggedTensor": "RaggedTensor(values, row_partition, internal=True) is internal; programs use the "
                                  "from_* constructors",
               "tf.data.Dataset.__init__": "Dataset(variant_tensor) is TensorFlow's abstract base; programs use "
                                           "from_tensor_slices and friends",
               "tf.distribute.Strategy.__init__": "Strategy(extended) is internal; programs construct "
                                                  "MirroredStrategy and friends"}
TABLE = ROOT / "dendrite" / "compat" / "tf_signature_table.py"


def table(path=FIXTURE):
    import pprint
    import dendrite.compat
    from dendrite.compat import tf_signature_table
    dendrite.compat.install()
    import tensorflow as tf
    signatures = json.loads(pathlib.Path(path).read_text())["signatures"]
    gaps, _ = compare_all(signatures, tf)
    keys = sorted((set(k for k, g in gaps.items() if g["a"] or g["b"]) | set(tf_signature_table.SIGNATURES))
                  - set(NOT_ADAPTED))
    body = pprint.pformat({k: signatures[k] for k in keys}, width=116, compact=True)
    TABLE.write_text(f'''"""TensorFlow {json.loads(pathlib.Path(path).read_text())["tensorflow"]}'s parameters for the tf.* names whose dendrite '''
                     f'''function lacks some, names them otherwise,
or orders them otherwise: [name, kind, default], kind P / PK / V / K / VK (positional only, positional or
keyword, *args, keyword only, **kwargs), the default as JSON (dtypes "dtype:<name>"). Written by
``tools/sweep_tf_signatures.py table`` from its fixture; dendrite.compat.tf_arguments reads it."""
SIGNATURES = {body}
''')
    print(f"wrote {len(keys)} signatures to {TABLE}")


def _forwards(tf, key):
    found = _dendrite_callable(tf, key)
    params = found and params_of(found[0], drop_self=found[1])
    return bool(params) and {p[1] for p in params} <= {"V", "VK"} and len(params) == 2


def _namespace(key):
    space, _, _ = key.rpartition(".")
    return space


def report(path=FIXTURE, defaults=False):
    import dendrite.compat
    dendrite.compat.install()
    import tensorflow as tf
    signatures = json.loads(pathlib.Path(path).read_text())["signatures"]
    gaps, served = compare_all(signatures, tf)
    counts = {}
    for key, g in gaps.items():
        row = counts.setdefault(_namespace(key), {"a": 0, "b": 0, "c": 0})
        for kind in row:
            row[kind] += len(g[kind])
    print(f"{len(signatures)} TensorFlow callables recorded, {served} served by dendrite")
    forwarders = [k for k in signatures if _forwards(tf, k)]
    print(f"{len(forwarders)} of them take (*args, **kwargs) only, which the sweep cannot check: "
          + " ".join(sorted(forwarders)))
    print(f"{'namespace':32s} {'(a)':>5s} {'(b)':>5s} {'(c)':>5s}")
    for space, row in sorted(counts.items()):
        print(f"{space:32s} {row['a']:5d} {row['b']:5d} {row['c']:5d}")
    print(f"{'total':32s} " + " ".join(f"{sum(r[k] for r in counts.values()):5d}" for k in "abc"))
    for key, g in gaps.items():
        shown = {k: v for k, v in g.items() if v and (defaults or k != "c")}
        if shown:
            print(key, shown)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args or args[0] not in ("dump", "compare", "table"):
        sys.exit(__doc__)
    target = args[1] if len(args) > 1 else FIXTURE
    if args[0] == "dump":
        dump(target)
    elif args[0] == "table":
        table(target)
    else:
        report(target, defaults="--defaults" in sys.argv)
