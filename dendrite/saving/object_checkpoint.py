"""``tf.train.Checkpoint`` and ``tf.train.CheckpointManager``: the state of named objects (Variables, layers and
models, optimizers, metrics, nested checkpoints, lists and dicts of them) saved to and restored from a checkpoint
prefix in dendrite's checkpoint format (dendrite.saving.checkpoint: ``<prefix>.index`` + ``<prefix>.data-...``,
and the folder's ``checkpoint`` file that ``latest_checkpoint`` reads).

Each variable is stored under the attribute path that reaches it (``model/3``: the model's fourth weight,
``optimizer/0``: its iteration count), so a checkpoint restores into a fresh copy of the same objects, whatever
their layers are named, as TensorFlow matches by object graph rather than by name. Unlike TensorFlow, restoring
is immediate: a variable that does not exist yet (an optimizer's slots before its first step) is not restored
later when it is made; ``restore(...).assert_consumed()`` reports such entries."""
import json
import os

import numpy as np

from ..autodiff import Variable
from .checkpoint import _DATA, WeightsFileError, latest_checkpoint, save_checkpoint


def _variables_of(obj, path, out, who):
    """(path, Variable) pairs for everything ``obj`` holds, in a fixed order."""
    if isinstance(obj, Variable):
        out.append((path, obj))
    elif isinstance(obj, Checkpoint):
        for name, child in obj._objects.items():
            _variables_of(child, f"{path}/{name}", out, who)
    elif isinstance(obj, dict):
        for name, child in obj.items():
            _variables_of(child, f"{path}/{name}", out, who)
    elif isinstance(obj, (list, tuple)):
        for i, child in enumerate(obj):
            _variables_of(child, f"{path}/{i}", out, who)
    elif hasattr(obj, "weights") and not callable(obj.weights):  # layers and models
        out.extend((f"{path}/{i}", w) for i, w in enumerate(obj.weights))
    elif hasattr(obj, "variables") and not callable(obj.variables):  # optimizers, metrics
        out.extend((f"{path}/{i}", v) for i, v in enumerate(obj.variables))
    elif not isinstance(obj, (int, float, str, type(None))):
        raise ValueError(f"{who}: `{path}` is a {type(obj).__name__}, which holds no state a checkpoint can save. "
                         "Give tf.Variables, layers or models, optimizers, metrics, or other Checkpoints.")


class _Weights:
    """What save_checkpoint writes: the variables, each with its attribute path as ``path``."""

    def __init__(self, pairs):
        self.weights = [_Named(path, v) for path, v in pairs]


class _Named:
    def __init__(self, path, variable):
        self.path, self.name, self.value = path, path, np.asarray(variable.value)


class LoadStatus:
    """What ``Checkpoint.restore`` returns: which saved values found an object, and which did not."""

    def __init__(self, unused, unmatched):
        self._unused, self._unmatched = unused, unmatched

    def assert_consumed(self):
        if self._unused or self._unmatched:
            raise AssertionError(
                "Checkpoint.restore: not everything matched. "
                + (f"Saved values with no object to restore into: {self._unused[:10]}. " if self._unused else "")
                + (f"Objects the checkpoint has no value for: {self._unmatched[:10]}. " if self._unmatched else "")
                + "Create the same objects (an optimizer's slots exist after its first step) before restoring, "
                "or call expect_partial().")
        return self

    def assert_existing_objects_matched(self):
        if self._unmatched:
            raise AssertionError(f"Checkpoint.restore: these objects have no value in the checkpoint: "
                                 f"{self._unmatched[:10]}.")
        return self

    def assert_nontrivial_match(self):
        return self

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        return None

    def initialize_or_restore(self, session=None):
        return None


class Checkpoint:
    """``tf.train.Checkpoint(model=model, optimizer=optimizer, step=tf.Variable(0))``: ``save(prefix)`` writes
    ``prefix-N`` (N counts the saves) and returns it; ``write(path)`` writes exactly ``path``; ``restore(path)``
    and ``read(path)`` load the values back (``restore(None)`` does nothing, as when no checkpoint exists yet)."""

    def __init__(self, root=None, **kwargs):
        objects = dict(kwargs)
        if root is not None:
            objects["root"] = root
        for name, obj in objects.items():
            _variables_of(obj, name, [], "tf.train.Checkpoint")  # refuse what holds no state now, not at save
        self._objects = objects
        self.save_counter = Variable(np.array(0, dtype=np.int64), trainable=False, name="save_counter")

    def __getattr__(self, name):
        objects = self.__dict__.get("_objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    def _pairs(self):
        pairs = []
        for name, obj in self._objects.items():
            _variables_of(obj, name, pairs, "tf.train.Checkpoint")
        return pairs + [("save_counter", self.save_counter)]

    def write(self, file_prefix, options=None):
        folder = os.path.dirname(os.path.abspath(file_prefix))
        os.makedirs(folder, exist_ok=True)
        save_checkpoint(_Weights(self._pairs()), os.fspath(file_prefix))
        return os.fspath(file_prefix)

    def save(self, file_prefix, options=None):
        self.save_counter.assign_add(1)
        return self.write(f"{os.fspath(file_prefix)}-{int(self.save_counter.value)}")

    def read(self, save_path, options=None):
        return self.restore(save_path)

    def restore(self, save_path, options=None):
        if save_path is None:
            return LoadStatus([], [])
        save_path = os.fspath(save_path)
        if os.path.isdir(save_path):
            save_path = latest_checkpoint(save_path) or save_path
        try:
            with open(save_path + ".index") as f:
                index = json.load(f)
        except FileNotFoundError:
            raise FileNotFoundError(f"tf.train.Checkpoint.restore: no checkpoint at {save_path} (no "
                                    f"{save_path}.index). Give the prefix save() returned, or "
                                    "tf.train.latest_checkpoint(folder).") from None
        except ValueError as e:
            raise WeightsFileError(f"{save_path}.index: not a dendrite checkpoint index ({e}).") from None
        entries = index.get("weights") if isinstance(index, dict) else None
        if not isinstance(entries, list):
            raise WeightsFileError(f"{save_path}.index: not a dendrite checkpoint index.")
        saved = {e.get("path"): (i, e) for i, e in enumerate(entries) if isinstance(e, dict)}
        current = dict(self._pairs())
        with np.load(save_path + _DATA, allow_pickle=False) as archive:
            for path, variable in current.items():
                if path not in saved:
                    continue
                i, entry = saved[path]
                if list(entry.get("shape", [])) != list(variable.value.shape):
                    raise WeightsFileError(f"{save_path}: `{path}` has shape {tuple(variable.value.shape)}; the "
                                           f"checkpoint holds shape {tuple(entry.get('shape', []))}. It was saved "
                                           "from different objects.")
                variable.assign(np.asarray(archive[f"w{i}"], dtype=variable.value.dtype))
        unused = [p for p in saved if p not in current]
        unmatched = [p for p in current if p not in saved]
        return LoadStatus(unused, unmatched)


class CheckpointManager:
    """``tf.train.CheckpointManager(checkpoint, directory, max_to_keep)``: ``save()`` writes
    ``directory/ckpt-N``, keeps the newest ``max_to_keep`` (None: all) and names them in the folder's
    ``checkpoint`` file; ``latest_checkpoint`` and ``checkpoints`` list what is there."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None, init_fn=None):
        if not isinstance(checkpoint, Checkpoint):
            raise TypeError(f"tf.train.CheckpointManager: expected a tf.train.Checkpoint, received "
                            f"{type(checkpoint).__name__}. Wrap the objects: tf.train.Checkpoint(model=model).")
        if max_to_keep is not None and max_to_keep < 1:
            raise ValueError(f"tf.train.CheckpointManager: max_to_keep must be a positive integer or None; "
                             f"received {max_to_keep!r}.")
        self._checkpoint, self._directory = checkpoint, os.fspath(directory)
        self._max_to_keep, self._name = max_to_keep, checkpoint_name
        self._init_fn = init_fn
        self._kept = self._listed()

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoints(self):
        return list(self._kept)

    @property
    def latest_checkpoint(self):
        return self._kept[-1] if self._kept else None

    def _listed(self):
        state = os.path.join(self._directory, "checkpoint")
        kept = []
        if os.path.exists(state):
            with open(state) as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key.strip() == "all_model_checkpoint_paths":
                        name = value.strip().strip('"')
                        path = name if os.path.isabs(name) else os.path.join(self._directory, name)
                        if os.path.exists(path + ".index"):
                            kept.append(path)
        return kept

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        os.makedirs(self._directory, exist_ok=True)
        if checkpoint_number is None:
            self._checkpoint.save_counter.assign_add(1)
            number = int(self._checkpoint.save_counter.value)
        else:
            number = int(checkpoint_number)
        path = self._checkpoint.write(os.path.join(self._directory, f"{self._name}-{number}"))
        self._kept = [p for p in self._kept if p != path] + [path]
        if self._max_to_keep is not None:
            while len(self._kept) > self._max_to_keep:
                old = self._kept.pop(0)
                for suffix in (".index", _DATA):
                    if os.path.exists(old + suffix):
                        os.remove(old + suffix)
        with open(os.path.join(self._directory, "checkpoint"), "w") as f:
            f.write(f'model_checkpoint_path: "{os.path.basename(path)}"\n')
            for kept in self._kept:
                f.write(f'all_model_checkpoint_paths: "{os.path.basename(kept)}"\n')
        return path

    def restore_or_initialize(self):
        if self.latest_checkpoint is not None:
            self._checkpoint.restore(self.latest_checkpoint)
            return self.latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None
