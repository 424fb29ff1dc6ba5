"""Fuzzing the loaders: thousands of mutated ``.keras``, ``.h5``, ``.weights.h5`` and checkpoint files, made
deterministically (seeded) from small files dendrite writes and from the committed Keras-written fixtures,
each fed to ``load_model`` or ``load_weights``. Every case must end in a working model (which then predicts on
a small input) or in dendrite's own ``WeightsFileError`` naming the file; never in another exception, a hang,
code from the file running (a sentinel module, bytecode and ``os.system`` / ``subprocess`` / pickle / marshal
are watched) or a file written anywhere but the case file. A failed ``load_weights`` must leave the model's
weights as they were.

``run_fuzz(folder)`` runs every case and returns the counts per mutation family; tools/fuzz_saving.py prints
them as a table (``python -m pytest tests/saving/test_fuzz.py -s`` prints the same table).
"""
import base64
import builtins
import collections
import io
import json
import marshal
import math
import os
import pickle
import random
import signal
import subprocess
import sys
import time
import types
import warnings
import zipfile

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.saving import WeightsFileError

if not os.environ.get("CI"):  # the saving extra: always there in CI (the dev extra installs it)
    pytest.importorskip("h5py")
import h5py  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KERAS_FIXTURES = os.path.join(HERE, "..", "fixtures", "keras_weights")
# a case running longer is a hang (an alarm interrupts it). The slowest case, near 5 s on a busy machine, is a bit
# flip in the length of a variable-length string attribute (model_config): libhdf5 itself allocates the 2 GB it
# then declares and only then finds the heap object shorter; dendrite cannot look before it does
CASE_LIMIT_S = 20.0
SENTINEL_MODULE = "dendrite_fuzz_sentinel"

Case = collections.namedtuple("Case", "family name files target loader")
# files: {file name: bytes} written into the case folder; target: the name passed to the loader; loader: "model"
# (load_model) or the name of a model whose load_weights reads the file


# ------------------------------------------------------------------ the valid files mutations start from
def _sequential():
    return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.BatchNormalization(),
                             layers.Dense(2, activation="softmax")], name="seq")


def _functional():
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    h = layers.concatenate([layers.Dense(3, activation="tanh")(a), b])
    return keras.Model([a, b], layers.Dense(2)(layers.Dropout(0.2)(h)), name="fun")


def _dense_stack():  # the architecture of the Keras-written fixtures dense_stack.*
    return keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dropout(0.1),
                             layers.Dense(8, activation="tanh"), layers.Dense(3, activation="softmax")])


BUILDERS = {"seq": _sequential, "fun": _functional, "dense_stack": _dense_stack}


def _base_files(folder):
    """{name: bytes} of the files mutations start from: dendrite's own (trained a step, so that optimizer state
    is saved) and Keras's fixtures."""
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(7)
    seq, fun = _sequential(), _functional()
    x = rng.standard_normal((16, 4)).astype("float32")
    seq.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    seq.fit(x, rng.integers(0, 2, 16), epochs=1, batch_size=8, verbose=0)
    fun.compile(keras.optimizers.SGD(0.1, momentum=0.9), "mse")
    fun.fit([x, x[:, :2]], rng.standard_normal((16, 2)), epochs=1, batch_size=8, verbose=0)
    out = {}
    for name, model in (("seq", seq), ("fun", fun)):
        for suffix in (".keras", ".h5"):
            model.save(os.path.join(folder, name + suffix))
        model.save_weights(os.path.join(folder, name + ".weights.h5"))
        model.save_weights(os.path.join(folder, name + "_legacy.h5"))
        model.save_weights(os.path.join(folder, name + "_ckpt"))
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = f.read()
    for suffix in (".keras", ".h5", ".weights.h5"):
        with open(os.path.join(KERAS_FIXTURES, "dense_stack" + suffix), "rb") as f:
            out["dense_stack" + suffix] = f.read()
    return out


# ------------------------------------------------------------------ byte-level mutations
def _flip(data, rng, flips):
    """``data`` with ``flips`` bits flipped: anywhere, or in the first or last KB (headers, the zip directory)."""
    data = bytearray(data)
    for _ in range(flips):
        where = rng.random()
        if where < 0.5:
            i = rng.randrange(len(data))
        elif where < 0.75:
            i = rng.randrange(min(1024, len(data)))
        else:
            i = len(data) - 1 - rng.randrange(min(1024, len(data)))
        data[i] ^= 1 << rng.randrange(8)
    return bytes(data)


def _cuts(size, rng, n):
    """``n`` truncation lengths: evenly spread, near the start and near the end."""
    cuts = {0, 1, 8, 100, size - 1, size - 22}
    cuts.update(size * k // (n // 2) for k in range(n // 2))
    while len(cuts) < n:
        cuts.add(rng.choice([rng.randrange(size), size - 1 - rng.randrange(min(200, size))]))
    return sorted(c for c in cuts if 0 <= c < size)[:n]


# ------------------------------------------------------------------ zip archives
def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def _zip(members, compression=zipfile.ZIP_STORED):
    """An archive of ``members`` ([(name or ZipInfo, bytes)]), duplicates allowed."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicated names, which are the point here
        with zipfile.ZipFile(buffer, "w", compression) as z:
            for name, data in members:
                z.writestr(name, data)
    return buffer.getvalue()


def _replace_member(members, name, data):
    return [(n, data if n == name else d) for n, d in members]


def _patch_central_size(data, member, size):
    """The archive with ``member``'s uncompressed size in the central directory set to ``size`` (a lie)."""
    data = bytearray(data)
    i = data.find(b"PK\x01\x02")
    while i != -1:
        name_len = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + name_len] == member.encode():
            data[i + 24:i + 28] = size.to_bytes(4, "little")
            break
        i = data.find(b"PK\x01\x02", i + 4)
    return bytes(data)


def _zip_cases(name, data, other_weights, folder_files):
    """Missing, swapped, duplicated, renamed, hostile-named and oddly compressed members of one .keras file."""
    members = dict(_members(data))
    config, weights, metadata = members["config.json"], members["model.weights.h5"], members["metadata.json"]
    cases = []
    order = list(members)
    for missing in order:
        cases.append((f"without {missing}", _zip([(n, members[n]) for n in order if n != missing])))
    pairs = [("config.json", "model.weights.h5"), ("config.json", "metadata.json"),
             ("metadata.json", "model.weights.h5")]
    for a, b in pairs:
        swapped = {**members, a: members[b], b: members[a]}
        cases.append((f"{a} and {b} swapped", _zip(list(swapped.items()))))
    for dup in order:
        for first in (True, False):
            extra = [(dup, b"{}" if dup.endswith(".json") else b"\x89HDF\r\n\x1a\n")]
            items = list(members.items())
            cases.append((f"{dup} twice ({'bad first' if first else 'bad last'})",
                          _zip(extra + items if first else items + extra)))
    cases.append(("weights of the other model", _zip(list({**members, "model.weights.h5": other_weights}.items()))))
    cases.append(("a legacy .h5 as its weights", _zip(list({**members, "model.weights.h5":
                                                            folder_files["seq_legacy.h5"]}.items()))))
    cases.append(("config.json is the weights of a .h5 model", _zip(list({**members, "config.json":
                                                                          folder_files["seq.h5"]}.items()))))
    hostile_names = ["../evil.txt", "../../evil.txt", "/tmp/dendrite_fuzz_abs_evil.txt", "..\\evil.txt",
                     "a/../../evil.txt", "C:/evil.txt", "./config.json", "config.json/", "Config.json",
                     "model.weights.h5/../config.json", "config.json\x00.evil", "assets/../../evil.txt",
                     "model.weights.npz", "assets/vocabulary.txt"]
    for hostile in hostile_names:
        cases.append((f"extra member {hostile!r}", _zip(list(members.items()) + [(hostile, b"pwned")])))
        cases.append((f"config.json named {hostile!r}",
                      _zip([(hostile if n == "config.json" else n, d) for n, d in members.items()])))
    link = zipfile.ZipInfo("config.json")
    link.external_attr = (0o120777 << 16)  # a symbolic link to another file
    cases.append(("config.json a symlink", _zip([("metadata.json", metadata), (link, b"/etc/passwd"),
                                                  ("model.weights.h5", weights)])))
    folder = zipfile.ZipInfo("config.json/")
    cases.append(("config.json a directory entry", _zip([("metadata.json", metadata), (folder, b""),
                                                          ("model.weights.h5", weights)])))
    for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        cases.append((f"compressed ({method})", _zip(list(members.items()), compression=method)))
    unknown = _zip(list(members.items()))
    i = unknown.find(b"PK\x01\x02")
    unknown = unknown[:i + 10] + (99).to_bytes(2, "little") + unknown[i + 12:]  # method 99 (AES) for a member
    cases.append(("a member with an unknown compression method", unknown))
    encrypted = bytearray(_zip(list(members.items())))
    i = encrypted.find(b"PK\x01\x02")
    encrypted[i + 8] |= 1  # the 'encrypted' flag
    cases.append(("a member marked encrypted", bytes(encrypted)))
    for member, size in (("config.json", 2 ** 32 - 1), ("model.weights.h5", 2 ** 32 - 1), ("config.json", 3),
                         ("model.weights.h5", 10), ("metadata.json", 2 ** 31)):
        cases.append((f"{member} declares {size} bytes", _patch_central_size(_zip(list(members.items())), member,
                                                                            size)))
    if name.startswith("seq"):
        bomb = b" " * (65 * 2 ** 20) + config  # 65 MB of blanks before the config: a 65 KB deflated member
        cases.append(("config.json a 65 MB deflate bomb", _zip([("metadata.json", metadata), ("config.json", bomb),
                                                                ("model.weights.h5", weights)], zipfile.ZIP_DEFLATED)))
    cases.append(("an archive inside the archive", _zip([("config.json", data)])))
    cases.append(("empty archive", _zip([])))
    for meta in (b"{", b"[]", b'{"keras_version": 5}', b'{"keras_version": "99.0.0"}',
                 b'{"keras_version": "dendrite-99.0"}', b'{"keras_version": "x.y"}', b"\xff\xfe"):
        cases.append((f"metadata.json {meta[:30]!r}", _zip(list({**members, "metadata.json": meta}.items()))))
    return [(f"{name}: {label}", mutated) for label, mutated in cases]


# ------------------------------------------------------------------ config (JSON) mutations
def _sentinel_source(folder):
    return (f"import pathlib\n"
            f"pathlib.Path({folder!r}, 'IMPORTED').write_text('the file made dendrite import this module')\n"
            f"def boom(*args, **kwargs):\n"
            f"    pathlib.Path({folder!r}, 'CALLED').write_text('called')\n"
            f"class Boom:\n"
            f"    def __init__(self, *args, **kwargs):\n"
            f"        boom()\n"
            f"    @classmethod\n"
            f"    def from_config(cls, config):\n"
            f"        return cls()\n")


def _bytecode(folder):
    """A function's bytecode as Keras stores a lambda (base64 of marshal): running it writes a sentinel file."""
    source = f"lambda x: (__import__('pathlib').Path({folder!r}, 'BYTECODE').write_text('ran'), x)[1]"
    return base64.b64encode(marshal.dumps(eval(source).__code__)).decode()


def _hostile_values(folder):
    deep = []
    for _ in range(60):
        deep = [deep]
    return [None, True, -1, 0, 2 ** 33, 10 ** 12, -10 ** 12, 0.5, float("nan"), float("inf"), "abc", "", [],
            [3, "x"], {}, {"a": 1}, deep, "x" * 5000,
            {"module": SENTINEL_MODULE, "class_name": "Boom", "config": {}, "registered_name": None},
            {"module": "os", "class_name": "function", "config": "system", "registered_name": "function"},
            {"class_name": "__lambda__", "config": {"code": _bytecode(folder), "defaults": None, "closure": None}}]


def _paths(tree, prefix=()):
    yield prefix
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _paths(value, prefix + (i,))


def _copy(tree):
    return json.loads(json.dumps(tree))


def _set(tree, path, value):
    tree = _copy(tree)
    if not path:
        return value
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


def _delete(tree, path):
    tree = _copy(tree)
    node = tree
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return tree


def _layer_entries(config):
    """The paths of the layer entries of a model's config."""
    return [("config", "layers", i) for i in range(len(config["config"]["layers"]))]


def _targeted_configs(config, folder):
    """(label, config): classes and functions naming modules that run code, lambdas as bytecode, huge and
    negative sizes, deep nesting."""
    code = _bytecode(folder)
    out = []
    for path in _layer_entries(config):
        entry = _copy(config)
        for key in path:
            entry = entry[key]
        where = f"layer {path[-1]} ({entry['class_name']})"
        for class_name in ("Boom", "system", "eval", "__import__", "Lambda", "Sequential", "Layer"):
            out.append((f"{where} class_name {class_name}", _set(config, path + ("class_name",), class_name)))
        for module in ("os", "subprocess", "builtins", SENTINEL_MODULE):
            changed = _set(config, path + ("module",), module)
            out.append((f"{where} module {module}", changed))
            out.append((f"{where} module {module}, class Boom", _set(changed, path + ("class_name",), "Boom")))
        out.append((f"{where} registered as {SENTINEL_MODULE}>Boom",
                    _set(config, path + ("registered_name",), f"{SENTINEL_MODULE}>Boom")))
        lambda3 = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                   "config": {"name": "lam", "function": {"class_name": "__lambda__", "config": {
                       "code": code, "defaults": None, "closure": None}}, "arguments": {}}}
        lambda2 = {"class_name": "Lambda", "config": {"name": "lam2", "function": [code, None, None],
                                                      "function_type": "lambda", "module": "__main__",
                                                      "output_shape": None, "arguments": {}}}
        named = {"class_name": "Lambda", "config": {"name": "lam3", "function": "boom", "function_type": "function",
                                                    "module": SENTINEL_MODULE, "arguments": {}}}
        for label, layer in (("Keras 3 lambda", lambda3), ("Keras 2 lambda", lambda2),
                             ("Lambda naming a module's function", named)):
            changed = _copy(config)
            changed["config"]["layers"].insert(path[-1], layer)
            out.append((f"{label} at {path[-1]}", changed))
        inner = entry.get("config", {})
        for key in [k for k in ("units", "rate", "axis", "momentum", "epsilon") if k in inner]:
            for value in (10 ** 12, 2 ** 62, 2 ** 33, -5, 0, 1e300, "7", [4]):
                out.append((f"{where} {key}={value!r}", _set(config, path + ("config", key), value)))
        for key in [k for k in ("activation",) if k in inner]:
            for value in ("system", "eval", {"module": "os", "class_name": "function", "config": "system",
                                             "registered_name": "function"},
                          {"module": SENTINEL_MODULE, "class_name": "function", "config": "boom",
                           "registered_name": "function"},
                          {"class_name": "__lambda__", "config": {"code": code}}):
                out.append((f"{where} activation {str(value)[:40]}", _set(config, path + ("config", key), value)))
        for key in ("batch_shape",):
            if key in inner:
                for value in ([None, 10 ** 12], [None, -1], [None, 0], [10 ** 9, 4], [None, 4, 4, 4, 4, 4],
                              [None], [], [None, "4"], [None, 4.5]):
                    out.append((f"{where} {key}={value}", _set(config, path + ("config", key), value)))
        if "build_config" in entry:
            for value in ([None, 10 ** 12], [None, -4], [None, 7], "x", [[None, 4], [None, 4]]):
                out.append((f"{where} build shape {value}",
                            _set(config, path + ("build_config", "input_shape"), value)))
    nested = _copy(config)
    for depth in (30, 200):
        wrapped = _copy(config)
        for _ in range(depth):
            wrapped = {"module": "keras", "class_name": "Sequential", "registered_name": None,
                       "config": {"name": "s", "layers": [wrapped]}}
        out.append((f"the model inside {depth} Sequentials", wrapped))
    out.append(("a config nested 100,000 lists deep", "[" * 100000 + "]" * 100000))
    out.append(("a config nested 100,000 dicts deep", '{"a":' * 100000 + "1" + "}" * 100000))
    out.append(("config of 300 nested class configs", _set(nested, ("config", "name"), _deep_object(300))))
    for key in ("compile_config",):
        if key in config:
            for sub, value in (("optimizer", "system"), ("optimizer", {"module": "os", "class_name": "system",
                                                                       "config": {}}),
                               ("optimizer", {"class_name": "Adam", "config": {"learning_rate": "fast"}}),
                               ("optimizer", {"class_name": "Adam", "config": {"learning_rate": {
                                   "class_name": "Boom", "module": SENTINEL_MODULE, "config": {}}}}),
                               ("loss", "system"), ("loss", {"class_name": "__lambda__", "config": {"code": code}}),
                               ("metrics", [{"module": SENTINEL_MODULE, "class_name": "Boom", "config": {}}]),
                               ("loss_weights", "x"), ("loss_weights", [1e300, "a"]), ("metrics", 5)):
                out.append((f"compile_config {sub}={str(value)[:40]}", _set(config, (key, sub), value)))
    return out


def _deep_object(depth):
    value = {}
    for _ in range(depth):
        value = {"class_name": "Boom", "module": SENTINEL_MODULE, "config": {"inner": value}}
    return value


def _sampled_configs(config, values, rng, n):
    """``n`` configs with one node replaced by a hostile value, or deleted."""
    paths = list(_paths(config))[1:]
    out = []
    for _ in range(n):
        path = rng.choice(paths)
        if rng.random() < 0.1:
            out.append((f"{'/'.join(map(str, path))} deleted", _delete(config, path)))
        else:
            value = rng.choice(values)
            out.append((f"{'/'.join(map(str, path))}={str(value)[:30]}", _set(config, path, value)))
    return out


def _dumps(config):
    return config.encode() if isinstance(config, str) else json.dumps(config).encode()


def _with_h5_attrs(data, attrs):
    """An HDF5 file's bytes with root attributes changed (None deletes one)."""
    buffer = io.BytesIO(data)
    with h5py.File(buffer, "r+") as f:
        for key, value in attrs.items():
            if value is None:
                if key in f.attrs:
                    del f.attrs[key]
            else:
                f.attrs[key] = value
    return buffer.getvalue()


# ------------------------------------------------------------------ HDF5 structure
def _h5_edit(data, edit):
    buffer = io.BytesIO(data)
    with h5py.File(buffer, "r+") as f:
        edit(f)
    return buffer.getvalue()


def _datasets(data):
    names = []
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return names


def _dataset_edits(name, outside):
    """(label, edit(file)) replacing the dataset ``name`` by something hostile or wrong."""
    def replace(**kwargs):
        def edit(f):
            del f[name]
            f.create_dataset(name, **kwargs)
        return edit

    def group(f):
        del f[name]
        f.create_group(name)

    def soft(f):
        del f[name]
        f[name] = h5py.SoftLink("/" + name)  # a link to itself

    def external_link(f):
        del f[name]
        f[name] = h5py.ExternalLink(outside, "/data")

    def external_storage(f):
        shape, dtype = f[name].shape, f[name].dtype
        del f[name]
        f.create_dataset(name, shape=shape, dtype=dtype, external=[(outside, 0, h5py.h5f.UNLIMITED)])

    def transposed(f):
        data = f[name][()]
        del f[name]
        f.create_dataset(name, data=np.atleast_2d(data).T.copy() if np.ndim(data) == 1 else data.T.copy())

    def grown(f):
        data = f[name][()]
        del f[name]
        f.create_dataset(name, data=np.concatenate([np.ravel(data), [1.0]]))

    def as_dtype(dtype):
        def edit(f):
            shape = f[name].shape
            del f[name]
            if dtype == "str":
                f.create_dataset(name, shape=shape, dtype=h5py.string_dtype())
            elif dtype == "compound":
                f.create_dataset(name, shape=shape, dtype=np.dtype([("a", "f4"), ("b", "i4")]))
            else:
                f.create_dataset(name, shape=shape, dtype=dtype)
        return edit

    def nan(f):
        f[name][...] = np.nan if f[name].dtype.kind == "f" else -1

    return [("declared 10^12 numbers", replace(shape=(10 ** 6, 10 ** 6), dtype="f4")),
            ("declared 2^40 numbers, chunked", replace(shape=(2 ** 20, 2 ** 20), dtype="f8", chunks=(64, 64))),
            ("scalar", replace(data=1.0)), ("empty", replace(shape=(0,), dtype="f4")),
            ("transposed", transposed), ("one longer", grown), ("a group", group), ("a soft link to itself", soft),
            ("an external link", external_link), ("external storage", external_storage),
            ("strings", as_dtype("str")), ("compound", as_dtype("compound")), ("complex", as_dtype("c8")),
            ("int8", as_dtype("i1")), ("bool", as_dtype("?")), ("float16", as_dtype("f2")),
            ("NaN (-1 if integer)", nan)]


def _h5_structure_cases(name, data, outside, rng, per_file):
    names = _datasets(data)
    edits = [(f"{ds}: {label}", edit) for ds in names for label, edit in _dataset_edits(ds, outside)]
    rng.shuffle(edits)
    out = []
    for label, edit in edits[:per_file]:
        out.append((f"{name}: {label}", _h5_edit(data, edit)))

    def extra_dataset(f):
        first = names[0].rsplit("/", 1)[0]
        f.create_dataset(first + "/99", data=np.zeros(3))

    def deleted_group(f):
        del f[names[0].rsplit("/", 1)[0]]

    def renamed_key(f):
        f.move(names[0], names[0].rsplit("/", 1)[0] + "/x")

    def linked_sibling(f):
        group = names[0].rsplit("/", 2)[0]
        parent = group.rsplit("/", 1)[0] if "/" in group else "/"
        f[f"{parent}/linked".replace("//", "/")] = h5py.ExternalLink(outside, "/")

    for label, edit in (("an extra weight", extra_dataset), ("a vars group deleted", deleted_group),
                        ("a weight renamed to a non-number", renamed_key),
                        ("an external link beside the layers", linked_sibling)):
        out.append((f"{name}: {label}", _h5_edit(data, edit)))
    return out


def _legacy_attr_cases(name, data, group):
    """tf.keras 2 layout: hostile layer_names / weight_names attributes."""
    def attr(path, key, value):
        def edit(f):
            f[path].attrs[key] = value
        return edit

    with h5py.File(io.BytesIO(data), "r") as f:
        layer_names = [n.decode() for n in f[group].attrs["layer_names"]]
    first = f"{group}/{layer_names[0]}".replace("//", "/")
    values = [np.array([b"nope"]), np.array([], dtype="S1"), 5, np.array([b"../x"]), np.array([b"/"]),
              np.array([b"x"] * 5000), np.array([n.encode() for n in reversed(layer_names)]), "text",
              np.array([b"\xff\xfe"]), np.array([1, 2, 3])]
    out = []
    for value in values:
        out.append((f"{name}: layer_names={str(value)[:30]}", _h5_edit(data, attr(group, "layer_names",
                                                                                  value))))
        out.append((f"{name}: weight_names={str(value)[:30]}", _h5_edit(data, attr(first, "weight_names", value))))
    return out


# ------------------------------------------------------------------ the cases
def generate_cases(base, folder):
    """Every case, deterministically (seeded): a list of Case."""
    rng = random.Random(18)
    outside = os.path.join(folder, "outside.h5")
    cases = []

    def add(family, name, data, suffix, loader):
        cases.append(Case(family, name, {"case" + suffix: data}, "case" + suffix, loader))

    model_files = [("seq.keras", "model"), ("fun.keras", "model"), ("dense_stack.keras", "model"),
                   ("seq.h5", "model"), ("fun.h5", "model"), ("dense_stack.h5", "model")]
    weight_files = [("seq.weights.h5", "seq"), ("fun.weights.h5", "fun"), ("dense_stack.weights.h5", "dense_stack"),
                    ("seq_legacy.h5", "seq"), ("fun_legacy.h5", "fun")]
    suffix_of = {name: (".keras" if name.endswith(".keras") else ".weights.h5" if name.endswith(".weights.h5")
                        else ".h5") for name, _ in model_files + weight_files}

    for name, loader in model_files + weight_files:  # bit flips and truncations of whole files
        data = base[name]
        for i in range(32):
            add("bit flips", f"{name} #{i}", _flip(data, rng, rng.choice([1, 1, 2, 4, 16])), suffix_of[name], loader)
        for cut in _cuts(len(data), rng, 16):
            add("truncations", f"{name} cut at {cut}", data[:cut], suffix_of[name], loader)

    for name in ("seq.keras", "fun.keras"):  # the same inside the archive, re-zipped with good checksums
        members = dict(_members(base[name]))
        for member in ("model.weights.h5", "config.json"):
            for i in range(24):
                mutated = _flip(members[member], rng, rng.choice([1, 2, 8]))
                add("bit flips", f"{name} {member} #{i}", _zip(list({**members, member: mutated}.items())),
                    ".keras", "model")
            for cut in _cuts(len(members[member]), rng, 8):
                add("truncations", f"{name} {member} cut at {cut}",
                    _zip(list({**members, member: members[member][:cut]}.items())), ".keras", "model")

    for name, other in (("seq.keras", "fun.keras"), ("fun.keras", "seq.keras"), ("dense_stack.keras", "seq.keras")):
        for label, data in _zip_cases(name, base[name], dict(_members(base[other]))["model.weights.h5"], base):
            add("zip members & names", label, data, ".keras", "model")

    values = _hostile_values(folder)
    for name in ("seq.keras", "fun.keras", "dense_stack.keras", "fun.h5"):
        if name.endswith(".keras"):
            members = dict(_members(base[name]))
            config = json.loads(members["config.json"])

            def pack(mutated, members=members):
                return _zip(list({**members, "config.json": _dumps(mutated)}.items()))
        else:
            with h5py.File(io.BytesIO(base[name]), "r") as f:
                config = json.loads(f.attrs["model_config"])
                training = json.loads(f.attrs["training_config"])
            config = {**config, "compile_config": {**training, "optimizer": training["optimizer_config"]}}

            def pack(mutated, data=base[name]):
                if isinstance(mutated, dict) and "compile_config" in mutated:
                    compile_config = dict(mutated.pop("compile_config"))
                    compile_config["optimizer_config"] = compile_config.pop("optimizer", None)
                    return _with_h5_attrs(data, {"model_config": json.dumps(mutated),
                                                 "training_config": json.dumps(compile_config)})
                return _with_h5_attrs(data, {"model_config": _dumps(mutated).decode()})
        suffix = suffix_of[name]
        for label, mutated in _targeted_configs(config, folder):
            family = ("deep nesting" if "nested" in label or "inside" in label else
                      "huge & negative sizes" if any(k in label for k in ("units", "shape", "rate", "axis",
                                                                            "momentum", "epsilon")) else
                      "hostile configs: code & modules")
            add(family, f"{name}: {label}", pack(mutated), suffix, "model")
        for label, mutated in _sampled_configs(config, values, rng, 75):
            add("hostile configs: values", f"{name}: {label}", pack(mutated), suffix, "model")
    for label, attrs in (("model_config not JSON", {"model_config": "{"}), ("model_config an int", {"model_config": 5}),
                         ("model_config bytes not UTF-8", {"model_config": b"\xff\xfe{}"}),
                         ("model_config opaque bytes", {"model_config": np.void(b"\xff\xfe")}),
                         ("model_config an array", {"model_config": np.array([1, 2])}),
                         ("model_config a list", {"model_config": "[1, 2]"}),
                         ("training_config not JSON", {"training_config": "{"}),
                         ("training_config a list", {"training_config": "[]"}),
                         ("no model_config", {"model_config": None})):
        add("hostile configs: values", f"seq.h5: {label}", _with_h5_attrs(base["seq.h5"], attrs), ".h5", "model")

    per_file = 32
    for name, loader in (("seq.weights.h5", "seq"), ("fun.weights.h5", "fun"), ("seq_legacy.h5", "seq"),
                         ("fun_legacy.h5", "fun"), ("seq.h5", "model"), ("fun.h5", "model")):
        for label, data in _h5_structure_cases(name, base[name], outside, rng, per_file):
            add("HDF5: huge shapes, wrong weights, links", label, data, suffix_of[name], loader)
    for name in ("seq.keras", "fun.keras"):
        members = dict(_members(base[name]))
        for label, data in _h5_structure_cases(name, members["model.weights.h5"], outside, rng, 25):
            add("HDF5: huge shapes, wrong weights, links", label,
                _zip(list({**members, "model.weights.h5": data}.items())), ".keras", "model")
    for name, loader, group in (("seq_legacy.h5", "seq", "/"), ("fun.h5", "model", "model_weights")):
        for label, data in _legacy_attr_cases(name, base[name], group):
            add("HDF5: huge shapes, wrong weights, links", label, data, suffix_of[name], loader)

    for name in ("seq_ckpt", "fun_ckpt"):  # checkpoint prefixes: the index (JSON) and the data (.npz)
        index, data = base[name + ".index"], base[name + ".data-00000-of-00001"]
        loader = name.split("_")[0]

        def add_ckpt(label, index_bytes, data_bytes):
            cases.append(Case("checkpoints", f"{name}: {label}", {"case.index": index_bytes,
                                                                  "case.data-00000-of-00001": data_bytes},
                              "case", loader))
        parsed = json.loads(index)
        for label, mutated in _sampled_configs(parsed, values, rng, 20):
            add_ckpt(f"index {label}", _dumps(mutated), data)
        for i in range(20):
            add_ckpt(f"data flips #{i}", index, _flip(data, rng, rng.choice([1, 4])))
        for cut in _cuts(len(data), rng, 8):
            add_ckpt(f"data cut at {cut}", index, data[:cut])
        for cut in _cuts(len(index), rng, 5):
            add_ckpt(f"index cut at {cut}", index[:cut], data)
        other = base[("fun" if loader == "seq" else "seq") + "_ckpt.data-00000-of-00001"]
        add_ckpt("the other model's data", index, other)
        add_ckpt("a pickle as data", index, pickle.dumps({"w0": np.zeros(3)}))
        arrays = dict(np.load(io.BytesIO(data), allow_pickle=False))
        buffer = io.BytesIO()
        np.savez(buffer, **{**arrays, "w0": np.zeros((3, 3, 3))})
        add_ckpt("a weight of another shape in the data", index, buffer.getvalue())
        buffer = io.BytesIO()
        np.savez(buffer, **{**arrays, "w0": np.array([{"a": 1}], dtype=object)})
        add_ckpt("an object array in the data", index, buffer.getvalue())
    return cases


# ------------------------------------------------------------------ running them
class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _inputs(model):
    """A batch of 2 for each of the model's inputs (None when one would be over a million numbers: a declared
    input of 10^9 features is a valid model, but not one to feed here)."""
    rng = np.random.default_rng(0)
    shapes = [(2,) + tuple(2 if d is None else d for d in t.shape[1:]) for t in model.inputs]
    if any(math.prod(s) > 10 ** 6 for s in shapes):
        return None
    arrays = [rng.standard_normal(s).astype("float32") for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def _watch_calls():
    """Replace the functions loading must never call with recorders; returns (calls, restore)."""
    calls = []
    targets = [(os, "system"), (os, "popen"), (os, "execv"), (os, "execve"), (subprocess, "Popen"),
               (pickle, "loads"), (pickle, "load"), (marshal, "loads")]
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr in targets]

    def recorder(label, original):
        def record(*args, **kwargs):
            calls.append(label)
            return None
        return record
    for owner, attr, original in saved:
        setattr(owner, attr, recorder(f"{owner.__name__}.{attr}", original))

    def restore():
        for owner, attr, original in saved:
            setattr(owner, attr, original)
    return calls, restore


def _tree(folder):
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            found[path] = os.path.getsize(path)
    return found


def run_fuzz(folder):
    """Every case under ``folder`` (made empty for it); returns a report dict: per family, the count of cases
    that loaded (and predicted), that ended in WeightsFileError, and the failures (anything else)."""
    base_dir, case_dir, cwd = (os.path.join(folder, sub) for sub in ("base", "cases", "cwd"))
    for sub in (base_dir, case_dir, cwd):
        os.makedirs(sub)
    with open(os.path.join(folder, SENTINEL_MODULE + ".py"), "w") as f:
        f.write(_sentinel_source(folder))
    with h5py.File(os.path.join(folder, "outside.h5"), "w") as f:
        f.create_dataset("data", data=np.zeros(64))
    base = _base_files(base_dir)
    cases = generate_cases(base, folder)
    targets = {name: build() for name, build in BUILDERS.items()}
    report = {"families": collections.defaultdict(collections.Counter), "failures": [], "times": [],
              "cases": len(cases), "calls": []}
    before = _tree(folder)
    old_cwd, old_path = os.getcwd(), list(sys.path)
    calls, restore = _watch_calls()
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    try:
        os.chdir(cwd)
        sys.path.insert(0, folder)
        for case in cases:
            outcome, detail, seconds = _attempt(case, case_dir, targets)
            report["families"][case.family][outcome] += 1
            report["times"].append((seconds, case.name))
            if outcome not in ("model", "error"):
                report["failures"].append((case.family, case.name, outcome, detail))
            for name in case.files:
                os.remove(os.path.join(case_dir, name))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        restore()
        os.chdir(old_cwd)
        sys.path[:] = old_path
        sys.modules.pop(SENTINEL_MODULE, None)
    report["seconds"] = time.perf_counter() - started
    report["calls"] = sorted(set(calls))
    after = _tree(folder)
    report["new_files"] = sorted(set(after) - set(before))
    report["changed_files"] = sorted(p for p in before if p in after and after[p] != before[p])
    report["removed_files"] = sorted(set(before) - set(after))
    report["outside"] = [p for p in ("/tmp/dendrite_fuzz_abs_evil.txt", os.path.join(folder, "..", "evil.txt"),
                                     os.path.join(folder, "..", "..", "evil.txt")) if os.path.exists(p)]
    return report


def _attempt(case, case_dir, targets):
    for name, data in case.files.items():
        with open(os.path.join(case_dir, name), "wb") as f:
            f.write(data)
    path = os.path.join(case_dir, case.target)
    model = None if case.loader == "model" else targets[case.loader]
    weights = None if model is None else model.get_weights()
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, CASE_LIMIT_S)
    try:
        with warnings.catch_warnings(record=True), np.errstate(all="ignore"):
            warnings.simplefilter("always")
            try:
                if model is None:
                    model = keras.models.load_model(path)
                else:
                    model.load_weights(path)
            except WeightsFileError as e:
                if case.target not in str(e):
                    return "unnamed", f"the error does not name the file: {e}", time.perf_counter() - start
                if weights is not None and not all(np.array_equal(a, b, equal_nan=True) for a, b in
                                                   zip(weights, model.get_weights())):
                    return "partial", f"a failed load changed weights: {e}", time.perf_counter() - start
                return "error", str(e), time.perf_counter() - start
            x = _inputs(model)
            if x is None:
                return "model", "too large to feed", time.perf_counter() - start
            out = model.predict(x, verbose=0)
            first = out[0] if isinstance(out, list) else out
            if np.shape(first)[0] != 2:
                return "predict", f"predicted shape {np.shape(first)}", time.perf_counter() - start
            return "model", None, time.perf_counter() - start
    except _Hang:
        return "hang", f"over {CASE_LIMIT_S} s", time.perf_counter() - start
    except Exception as e:  # noqa: BLE001 -- anything but WeightsFileError is what the fuzzing looks for
        return "crash", f"{type(e).__name__}: {str(e)[:300]}", time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def format_report(report):
    lines = [f"{'family':42} {'cases':>6} {'models':>7} {'errors':>7} {'other':>6}"]
    total = collections.Counter()
    for family, counts in sorted(report["families"].items()):
        n = sum(counts.values())
        other = n - counts["model"] - counts["error"]
        lines.append(f"{family:42} {n:6d} {counts['model']:7d} {counts['error']:7d} {other:6d}")
        total.update(counts)
        total["cases"] += n
    lines.append(f"{'total':42} {total['cases']:6d} {total['model']:7d} {total['error']:7d} "
                 f"{total['cases'] - total['model'] - total['error']:6d}")
    lines.append(f"{report['seconds']:.1f} s in all; cases over a second:")
    lines += [f"  {seconds:.1f} s  {name}" for seconds, name in sorted(report["times"], reverse=True) if seconds > 1]
    return "\n".join(lines)


# ------------------------------------------------------------------ tests
def test_the_sentinels_would_see_code_from_a_file_run(tmp_path):
    """The detectors are live: importing the sentinel module and running the stored bytecode write their files."""
    (tmp_path / f"{SENTINEL_MODULE}.py").write_text(_sentinel_source(str(tmp_path)))
    sys.path.insert(0, str(tmp_path))
    try:
        __import__(SENTINEL_MODULE)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(SENTINEL_MODULE, None)
    assert (tmp_path / "IMPORTED").exists()
    function = types.FunctionType(marshal.loads(base64.b64decode(_bytecode(str(tmp_path)))), {"__builtins__": builtins})
    assert function(3) == 3 and (tmp_path / "BYTECODE").read_text() == "ran"


def test_fuzzed_files_load_as_models_or_fail_with_dendrites_error(tmp_path):
    report = run_fuzz(str(tmp_path))
    print("\n" + format_report(report))
    failures = report["failures"]
    assert not failures, f"{len(failures)} case(s) ended otherwise:\n" + "\n".join(
        f"[{family}] {name}: {outcome}: {detail}" for family, name, outcome, detail in failures[:25])
    assert report["cases"] >= 2000
    assert all(counts["error"] > 0 for counts in report["families"].values())
    assert sum(counts["model"] for counts in report["families"].values()) > 100  # mutations that still load
    for marker in ("IMPORTED", "CALLED", "BYTECODE"):
        assert not (tmp_path / marker).exists(), f"code from a fuzzed file ran ({marker})"
    assert report["calls"] == [], f"loading called {report['calls']}"
    assert report["outside"] == [] and report["new_files"] == [] and report["removed_files"] == []
    assert report["changed_files"] == []
    assert max(report["times"])[0] < CASE_LIMIT_S
