"""The variables of an Estimator: one store per Estimator, filled by its ``model_fn`` calls.

dendrite runs eagerly, so a ``model_fn`` is called once per batch and builds its layers anew each time, as
TensorFlow 1 built a fresh graph per mode. What makes the weights persist is the store, used as TF1 used
variable names:

- while a ``model_fn`` runs (``store.capturing()``), automatic layer names start afresh (``dense``,
  ``dense_1``, ... in the order the layers are made), so the same code gives the same names on every call;
- every weight a layer creates through ``Layer.add_weight`` is looked up by its path (``dense/kernel``): the
  first call creates it (and the store keeps it), later calls get the same Variable back, its shape checked,
  without running the initializer again;
- a Variable made directly (``Variable(...)``, not through a layer) is not captured: it would be new on each
  call. Use a layer, or name the weight explicitly through ``store.variable(name, shape, initializer)``.

Checkpoints restore by these names (``restore``), also into variables the model_fn has not created yet (they
take the saved value when created). Optimizers and streaming metrics that must outlive one call are kept by
key (``optimizer``, ``metric``). ``current()`` is the store of the model_fn now running (None outside one):
``get_global_step`` reads it.
"""
import contextlib
import threading

import numpy as np

from .. import initializers
from ..autodiff import Variable
from ..layers import base as _layer_base
from ..layers.weight_making import WEIGHT_SCOPE

_ACTIVE = threading.local()


def current():
    """The VariableStore of the model_fn being run in this thread, or None."""
    return getattr(_ACTIVE, "store", None)


class VariableStore:
    def __init__(self, owner="Estimator"):
        self.owner = owner
        self.variables = {}  # path -> Variable, in creation order
        self._pending = {}  # path -> array from a checkpoint, for variables not created yet
        self._restore_slots = True
        self._trainable_only = False  # a warm start: pending values go to trainable variables only
        self._optimizers = {}
        self._metrics = {}
        self._metric_calls = 0
        self.global_step = self.variable("global_step", (), "zeros", trainable=False, dtype="int64")

    # ------------------------------------------------------------- variables
    def variable(self, name, shape, initializer="glorot_uniform", trainable=True, dtype="float32"):
        """The Variable ``name``: created (and restored if a checkpoint holds it) on first use, then reused."""
        shape = tuple(int(d) for d in shape)
        var = self.variables.get(name)
        if var is not None:
            self._check_shape(name, var, shape)
            return var
        value = initializers.get(initializer)(shape, dtype=dtype)
        var = Variable(np.asarray(value, dtype=dtype), trainable=trainable, name=name.rsplit("/", 1)[-1],
                       dtype=dtype)
        var.path = name
        return self._register(var)

    # the hooks Layer.add_weight calls while a model_fn runs (layers/weight_making.py's WEIGHT_SCOPE)
    def shared_weight(self, path, shape):
        """The Variable an earlier call created at ``path`` (its shape checked), or None to create it."""
        var = self.variables.get(path)
        if var is not None:
            self._check_shape(path, var, shape)
        return var

    def register_weight(self, var):
        return self._register(var)

    def _register(self, var):
        self.variables[var.path] = var
        if var.path in self._pending:
            value = self._pending.pop(var.path)
            if var.trainable or not self._trainable_only:
                self._assign(var, value)
        return var

    def _check_shape(self, name, var, shape):
        if tuple(var.value.shape) != tuple(shape):
            raise ValueError(f"{self.owner}: the variable '{name}' was created with shape {tuple(var.value.shape)}; "
                             f"this model_fn call asks for shape {tuple(shape)}. A model_fn must build the same "
                             "layers (same names, same sizes) on every call; give layers explicit names if their "
                             "order changes between modes.")

    def _assign(self, var, value):
        value = np.asarray(value)
        if value.shape != tuple(var.value.shape):
            raise ValueError(f"{self.owner}: the checkpoint holds '{var.path}' with shape {value.shape}; the "
                             f"model_fn makes it with shape {tuple(var.value.shape)}. The model_dir was written "
                             "by a different model: use a new model_dir.")
        var.assign(value.astype(var.value.dtype))

    def restore(self, values, optimizer_state=True, trainable_only=False):
        """Values (path -> array) from a checkpoint, into the variables that exist and those made later (not
        into optimizer state unless ``optimizer_state``: a warm start takes the model's variables only; with
        ``trainable_only``, its trainable ones)."""
        self._pending, self._restore_slots, self._trainable_only = {}, optimizer_state, trainable_only
        for name, value in values.items():
            if name not in self.variables:
                self._pending[name] = value
            elif self.variables[name].trainable or not trainable_only:
                self._assign(self.variables[name], value)
        for optimizer in self._optimizers.values():
            self._restore_optimizer(optimizer)

    def _restore_optimizer(self, optimizer):
        if not self._restore_slots:
            return
        for var in getattr(optimizer, "variables", []):
            if var.path in self._pending:
                self._assign(var, self._pending.pop(var.path))

    def all_variables(self):
        """Path -> Variable for everything a checkpoint holds: the model's variables, then optimizer state."""
        out = dict(self.variables)
        for optimizer in self._optimizers.values():
            for var in getattr(optimizer, "variables", []):
                out.setdefault(var.path, var)
        return out

    def trainable_variables(self):
        return [v for v in self.variables.values() if v.trainable]

    # ------------------------------------------------------------ long-lived state
    def optimizer(self, key, factory):
        """The optimizer kept under ``key`` (made by ``factory()`` the first time), its state restored."""
        if key not in self._optimizers:
            self._optimizers[key] = factory()
        return self._optimizers[key]

    def after_apply(self, optimizer):
        """Called after an optimizer's step: slots made by its first step take the checkpoint's values."""
        if self._pending:
            self._restore_optimizer(optimizer)

    def metric(self, key, factory):
        """The streaming metric kept under ``key`` for the evaluation under way."""
        if key not in self._metrics:
            self._metrics[key] = factory()
        return self._metrics[key]

    def next_key(self, kind):
        """A key for the next optimizer or metric a model_fn call makes: its kind and its order in the call."""
        self._metric_calls += 1
        return f"{kind}#{self._metric_calls}"

    def reset_metrics(self):
        self._metrics = {}

    # ------------------------------------------------------------- capturing
    @contextlib.contextmanager
    def active(self):
        """Make this store ``current()`` (what get_global_step reads) without capturing layer weights: the
        Estimator's session hooks run in it."""
        saved = current()
        _ACTIVE.store = self
        try:
            yield self
        finally:
            _ACTIVE.store = saved

    @contextlib.contextmanager
    def capturing(self):
        """Run a model_fn: fresh automatic layer names, layer weights shared through the store."""
        saved_counts, saved_store = _layer_base._name_counts.copy(), current()
        _layer_base._name_counts.clear()
        self._metric_calls = 0
        _ACTIVE.store = WEIGHT_SCOPE.store = self
        try:
            yield self
        finally:
            _ACTIVE.store = WEIGHT_SCOPE.store = saved_store
            _layer_base._name_counts.clear()
            _layer_base._name_counts.update(saved_counts)
