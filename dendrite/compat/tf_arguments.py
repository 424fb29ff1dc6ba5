"""TensorFlow's signatures on dendrite's tf.* functions: one mechanism for the parameters a dendrite function
lacks, names otherwise or orders otherwise (found by tools/sweep_tf_signatures.py, listed with TensorFlow's
parameters in tf_signature_table).

``adapt(key, fn)`` gives ``fn`` TensorFlow's signature for ``key`` ('tf.io.decode_raw'): a call binds to
TensorFlow's parameters (a wrong call raises TypeError in TensorFlow's names), then reaches ``fn`` with

- each parameter both have, by dendrite's name (so TensorFlow's positional order holds whatever dendrite's);
- a parameter TensorFlow names otherwise at the same position (``tf.add(x=, y=)``, ``tf.nn.relu(features=)``)
  under dendrite's name;
- ``name`` (TensorFlow's op name) and the hints that do not change results (IGNORED) dropped;
- any other parameter dendrite does not have dropped when given TensorFlow's default, and refused with a
  NotImplementedError naming the function and the parameter for any other value.

``adapt_namespace`` does this for the members of a namespace (``tf``, ``tf.math``, ``tf.io``, ...),
``targets`` for the methods and constructors of dendrite's classes (``Dataset.map``, ``Variable``,
``TFRecordOptions``, ...), patched while the compatibility hooks are installed.
"""
import functools
import importlib
import inspect

import numpy as np

from ._notes import unsupported
from .tf_signature_table import SIGNATURES

# parameters whose value does not change a result dendrite computes: TensorFlow's op name, performance hints,
# names used only in error messages
IGNORED = {"name", "synchronous", "use_unbounded_threadpool", "example_names", "dct_method", "flush_mode",
           "input_buffer_size", "output_buffer_size", "experimental_relax_shapes", "reduce_retracing"}

# the classes whose methods / constructors the table lists, and where dendrite keeps them
CLASSES = {"tf.data.Dataset": "dendrite.data.dataset:Dataset", "tf.Variable": "dendrite.compat.tensor_api:Variable",
           "tf.train.CheckpointManager": "dendrite.saving.object_checkpoint:CheckpointManager",
           "tf.distribute.Strategy": "dendrite.distribute.strategy:Strategy",
           "tf.io.TFRecordOptions": "dendrite.io.tfrecord:TFRecordOptions",
           "tf.saved_model.SaveOptions": "dendrite.compat.tf_saved_model:SaveOptions",
           "tf.GradientTape": "dendrite.compat.tf_tape:GradientTape"}
_KINDS = {"P": inspect.Parameter.POSITIONAL_ONLY, "PK": inspect.Parameter.POSITIONAL_OR_KEYWORD,
          "V": inspect.Parameter.VAR_POSITIONAL, "K": inspect.Parameter.KEYWORD_ONLY,
          "VK": inspect.Parameter.VAR_KEYWORD}


def _norm(value):
    """A value as the table writes defaults: plain values as they are, dtypes as "dtype:<name>", else repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value).__name__ in ("DType", "dtype") or (isinstance(value, type) and issubclass(value, np.generic)):
        try:
            return "dtype:" + np.dtype(getattr(value, "as_numpy_dtype", value)).name
        except TypeError:
            return "dtype:" + str(getattr(value, "name", value))
    if isinstance(value, (tuple, list)):
        return [_norm(v) for v in value]
    return repr(value)


def _is_default(value, default):
    value = _norm(value)
    if value == default:
        return True
    strip = [x[6:] if isinstance(x, str) and x.startswith("dtype:") else x for x in (value, default)]
    return strip[0] == strip[1]


def tf_signature(params, method=False, extra=()):
    """An inspect.Signature of the table's ``params`` (with ``self`` first for a method), and after them the
    ``extra`` inspect.Parameters (dendrite's own, keyword-only)."""
    out = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] if method else []
    for name, kind, *default in params:
        out.append(inspect.Parameter(name, _KINDS[kind], default=default[0] if default else inspect.Parameter.empty))
    tail = [p for p in out if p.kind == p.VAR_KEYWORD]
    return inspect.Signature([p for p in out if p.kind != p.VAR_KEYWORD] + list(extra) + tail)


def adapt(key, fn, method=False):
    """``fn`` taking TensorFlow's parameters for ``key`` (see the module's doc); ``fn`` itself where the table
    has no entry or Python cannot read ``fn``'s parameters. ``method``: ``fn`` takes ``self`` first."""
    params = SIGNATURES.get(key)
    try:
        ours = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn
    if params is None or any(p[1] == "V" for p in params):  # (TensorFlow's *args: its own positional reading)
        return fn
    if method:
        ours = ours[1:]
    names = {p.name: p for p in ours}
    var_kw = any(p.kind == p.VAR_KEYWORD for p in ours)
    cut = next((i for i, p in enumerate(ours) if p.kind in (p.VAR_POSITIONAL, p.KEYWORD_ONLY, p.VAR_KEYWORD)),
               len(ours))
    var_pos = any(p.kind == p.VAR_POSITIONAL for p in ours)
    positional = [p.name for p in ours[:cut]]
    tf_positional = [p[0] for p in params if p[1] in ("P", "PK")]
    tf_names = {p[0] for p in params}
    rename, missing, defaults = {}, set(), {p[0]: p[2] for p in params if len(p) > 2}
    for i, name in enumerate(tf_positional):
        if name not in names and i < len(positional) and positional[i] not in tf_names:
            rename[name] = positional[i]
    for name, kind, *_ in params:
        # dendrite's **kwargs take it, or its *args take TensorFlow's required positional ones (tf.add(x=, y=))
        taken = var_kw or (var_pos and kind in ("P", "PK") and name not in defaults)
        if kind not in ("V", "VK") and name not in names and name not in rename and not taken:
            missing.add(name)
    # dendrite's own parameters TensorFlow lacks (TensorFlow 1's spellings, ...) stay reachable by keyword
    extra = [p.replace(kind=p.KEYWORD_ONLY, default=None if p.default is p.empty else p.default) for p in ours
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
             and p.name not in tf_names and p.name not in rename.values()]
    if var_kw and not any(p[1] == "VK" for p in params):
        extra.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD))
    sig = tf_signature(params, method, extra)
    order = positional + ([n for n in tf_positional if n not in names and n not in rename and n not in missing]
                          if var_pos else [])
    same = 0  # how many leading positional arguments mean the same to both: passed straight on
    while (same < len(tf_positional) and same < len(order) and tf_positional[same] not in missing
           and rename.get(tf_positional[same], tf_positional[same]) == order[same]):
        same += 1
    api = key

    def call(*args, **kwargs):
        body = args[1:] if method else args
        if not kwargs and len(body) <= same:
            return fn(*args)
        bound = sig.bind(*args, **kwargs).arguments
        passed = bound.pop(next((p.name for p in sig.parameters.values() if p.kind == p.VAR_KEYWORD), None),
                           None) or {}
        if method:
            bound.pop("self")
        values = {}
        for name, value in bound.items():
            if name in missing:
                if name in IGNORED or _is_default(value, defaults.get(name, inspect.Parameter.empty)):
                    continue
                raise unsupported(f"`{api}` with {name}={value!r}",
                                  f"dendrite's {api} has no `{name}` parameter; leave it at TensorFlow's default "
                                  f"({defaults.get(name)!r}).")
            values[rename.get(name, name)] = value
        values.update(passed)
        head = [args[0]] if method else []
        for name in order:
            if name not in values:
                break
            head.append(values.pop(name))
        return fn(*head, **values)

    call = functools.wraps(fn)(call)
    call.__signature__, call._tf_adapted = sig, True
    del call.__wrapped__  # inspect.signature reads __signature__ (TensorFlow's), not the function underneath
    return call


def adapt_tree(tf):
    """Adapt ``tf`` and its namespaces (``tf.math``, ...; the lazy ones, ``tf.io``, ``tf.data``, ... when first
    used) as adapt_namespace does."""
    adapt_namespace(tf, "tf")
    tops = {key.split(".")[1] for key in SIGNATURES if key.count(".") > 1}
    for top in sorted(tops):
        if top in tf._lazy:
            tf._lazy[top] = functools.partial(_adapted_load, tf._lazy[top], "tf." + top)
        elif top in vars(tf):
            _adapt_below(vars(tf)[top], "tf." + top)
    return tf


def _adapted_load(load, space):
    return _adapt_below(load(), space)


def _adapt_below(ns, space):
    """adapt_namespace on ``ns`` (standing for ``space``) and on its namespaces the table lists names in."""
    adapt_namespace(ns, space)
    subs = {key.rpartition(".")[0] for key in SIGNATURES} - set(CLASSES)
    for sub in sorted(s for s in subs if s.startswith(space + ".")):
        target = ns
        try:
            for part in sub[len(space) + 1:].split("."):
                target = getattr(target, part)
        except (AttributeError, NotImplementedError, ImportError):
            continue
        adapt_namespace(target, sub)
    return ns


def adapt_namespace(ns, prefix):
    """Give the members of ``ns`` (a Namespace standing for ``prefix``, e.g. 'tf.io') TensorFlow's signatures
    where the table lists them; classes are left to ``targets``. Returns ``ns``."""
    for key in SIGNATURES:
        space, _, member = key.rpartition(".")
        if space != prefix or key in CLASSES:
            continue
        try:
            value = getattr(ns, member)
        except (AttributeError, NotImplementedError, ImportError):
            continue
        if inspect.isfunction(value) and not getattr(value, "_tf_adapted", False):
            setattr(ns, member, adapt(key, value))
    return ns


def _home(path):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def targets():
    """(class, attribute, value) for the methods and constructors the table lists, for _patches.apply."""
    out = []
    for space, path in CLASSES.items():
        cls = _home(path)
        for key in SIGNATURES:
            owner, _, member = key.rpartition(".")
            if key == space:
                owner, member = space, "__init__"
            if owner != space:
                continue
            try:
                value = inspect.getattr_static(cls, member)
            except AttributeError:
                continue
            if isinstance(value, staticmethod):
                out.append((cls, member, staticmethod(adapt(key, value.__func__))))
            elif isinstance(value, classmethod):
                out.append((cls, member, classmethod(adapt(key, value.__func__, method=True))))
            elif inspect.isfunction(value):
                out.append((cls, member, adapt(key, value, method=True)))
    return out
