"""An Estimator's checkpoints in its model_dir: ``model.ckpt-<global step>`` prefixes in dendrite's TensorFlow-style
checkpoint format (dendrite.saving.checkpoint: ``.index`` + ``.data-00000-of-00001`` + the ``checkpoint`` state
file), the newest ``keep_checkpoint_max`` kept, the state file listing them all as TensorFlow's does."""
import json
import os

import numpy as np

from ..autodiff import Variable
from ..saving import checkpoint as _ckpt
from ..saving.weights_h5 import _atomic

latest_checkpoint = _ckpt.latest_checkpoint


class _Weights:
    """What dendrite.saving.checkpoint reads and writes: an object with ``weights``."""

    def __init__(self, weights):
        self.weights = weights


def save(model_dir, variables, step, keep_checkpoint_max=5, basename="model.ckpt"):
    """Write ``variables`` (path -> Variable) as ``model_dir/<basename>-<step>``; returns the prefix."""
    os.makedirs(model_dir, exist_ok=True)
    prefix = os.path.join(model_dir, f"{basename}-{int(step)}")
    earlier = all_checkpoints(model_dir)  # (save_checkpoint rewrites the state file with the newest only)
    _ckpt.save_checkpoint(_Weights(list(variables.values())), prefix)
    kept = [p for p in earlier if p != os.path.basename(prefix)] + [os.path.basename(prefix)]
    if keep_checkpoint_max:
        for old in kept[:-int(keep_checkpoint_max)]:
            for suffix in (".index", ".data-00000-of-00001"):
                try:
                    os.remove(os.path.join(model_dir, old + suffix))
                except FileNotFoundError:
                    pass
        kept = kept[-int(keep_checkpoint_max):]

    def write_state(tmp):
        with open(tmp, "w") as f:
            f.write(f'model_checkpoint_path: "{kept[-1]}"\n')
            f.writelines(f'all_model_checkpoint_paths: "{name}"\n' for name in kept)
    _atomic(os.path.join(model_dir, "checkpoint"), write_state)
    return prefix


def all_checkpoints(model_dir):
    """The prefixes (relative names) the state file lists, oldest first."""
    names = []
    try:
        with open(os.path.join(model_dir, "checkpoint")) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "all_model_checkpoint_paths":
                    names.append(value.strip().strip('"'))
    except FileNotFoundError:
        pass
    return names


def read(prefix):
    """Path -> array of every variable in the checkpoint ``prefix`` (checked as dendrite.saving.checkpoint does)."""
    try:
        with open(prefix + ".index") as f:
            entries = json.load(f).get("weights", [])
    except (OSError, ValueError, AttributeError) as e:
        raise ValueError(f"{prefix}.index: not a readable dendrite checkpoint ({e}).") from None
    holders = [Variable(np.zeros(e["shape"], e["dtype"]), trainable=False, name=e["path"]) for e in entries]
    for holder, entry in zip(holders, entries):
        holder.path = entry["path"]
    _ckpt.load_checkpoint(_Weights(holders), prefix)
    return {h.path: h.value for h in holders}
