"""Model: compile, fit, evaluate, predict and the *_on_batch methods.

One loop, split as data adapter (models/data_adapters/, which every entry point asks
for its batches) -> epoch loop here -> callbacks. Sequential and the functional Model are subclasses that only define
how ``call`` runs their layers.
"""
import warnings

import numpy as np

from .. import optimizers, runtime
from ..autodiff import GradientTape, array_of
from ..callbacks import CallbackList
from ..distribute import distribution as _distribution
from ..layers import layer_metrics, symbolic_binding
from ..layers.base import Layer
from ..utils.data_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from ..utils.validation import is_int, non_negative_int, positive_int
from . import data_adapters as da
from .data_adapters.base import RAN_OUT
from .compile_utils import CompileMetrics, Compiled, warn_if_from_logits_contradicts
from .layer_lookup import LayerLookup
from .model_introspection import ModelIntrospection
from .model_saving import ModelSaving
from .subclass_build import SubclassBuild


_VALIDATION_NAMES = ("validation_data[0]", "validation_data[1]", "validation_data[2]")


def resolve_verbose(verbose):
    if verbose == "auto":  # as Keras: the bar, redrawn in a terminal or Jupyter, else printed once per epoch
        return 1
    if not isinstance(verbose, bool) and not is_int(verbose):
        raise ValueError(f"`verbose` must be 'auto', 0 (silent), 1 (progress bar) or 2 (one line per epoch); "
                         f"received verbose={verbose!r}.")
    return int(verbose)  # as Keras, another int prints only the 'Epoch i/N' lines


def _counts(owner, **counts):
    """Batch sizes and step counts as fit / evaluate / predict take them: each a positive int or None."""
    return [positive_int(owner, name, value, allow_none=True) for name, value in counts.items()]


def _masks(out):
    """The Keras masks riding on a model's output tensors (None where there is none), or None when none has one."""
    tensors = list(out.values()) if isinstance(out, dict) else out if isinstance(out, (list, tuple)) else [out]
    masks = [getattr(t, "_keras_mask", None) for t in tensors]
    if all(m is None for m in masks):
        return None
    return dict(zip(out, masks)) if isinstance(out, dict) else masks if isinstance(out, (list, tuple)) else masks[0]


def _values(out):
    """The arrays of a model's output: one Tensor, or a list or dict of them."""
    if isinstance(out, dict):
        return {key: array_of(value) for key, value in out.items()}
    if isinstance(out, (list, tuple)):
        return [array_of(value) for value in out]
    return array_of(out)


def _logs_of(out):
    """What a custom train_step / test_step returned as logs: a dict (nested dicts flattened, as Keras 3 does
    with compiled_metrics' result) of Python numbers, or {'loss': value} for a single value."""
    if not isinstance(out, dict):
        return {"loss": float(array_of(out))}
    logs = {}
    for key, value in out.items():
        if isinstance(value, dict):
            logs.update(_logs_of(value))
        else:
            value = np.asarray(array_of(value))
            logs[key] = float(value) if value.ndim == 0 else value
    return logs


def _overrides(model, name):
    """Whether the model's class defines its own ``name`` step (a subclass customising fit, as in Keras)."""
    return getattr(type(model), name) is not getattr(Model, name)


class Model(ModelSaving, LayerLookup, ModelIntrospection, SubclassBuild, Layer):
    """Base of Sequential and the functional Model: training and inference for any graph of layers."""

    _masks_from_inside = True
    _structured_inputs = True  # called on a dict / list of arrays, call() gets that structure (layers/base.py)
    _distribution = None  # what fit consults when compiled in a strategy's scope over several processes
    _binds_symbolic = False  # a compiled loss or metric reads the model's own symbolic tensors (Keras 2)

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from .functional import Functional
            return super().__new__(Functional)  # Python then runs Functional.__init__ once
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        from .functional import become_functional, functional_arguments
        if functional_arguments(args, kwargs):  # MyModel(inputs, outputs): a functional model with MyModel's methods
            become_functional(self, args, kwargs)
            return
        self._init_model(*args, **kwargs)

    def _init_model(self, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._compiled = None
        self.stop_training = False
        self.history = None

    # ----------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, weighted_metrics=None,
                run_eagerly=None, steps_per_execution=None, jit_compile=None, **kwargs):
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}.")
        names = getattr(self, "output_names", None) if getattr(self, "outputs", None) else None
        if names is None and isinstance(loss, (list, tuple)) and len(loss) > 1:
            # a subclassed model whose call returns several outputs: one loss per output, in order
            names = [f"output_{i}" for i in range(1, len(loss) + 1)]
        self._compiled = Compiled(optimizer, loss, metrics, loss_weights, weighted_metrics, names)
        self.run_eagerly, self.jit_compile = bool(run_eagerly), jit_compile  # (kept: dendrite runs eagerly)
        self.__dict__.pop("_own_optimizer", None)
        self.__dict__.pop("_own_loss", None)
        self._distribution = _distribution.current()  # compiled in a strategy's scope over several processes
        warn_if_from_logits_contradicts(self, self._compiled)
        # Keras 2's loss over the model's own layer outputs (def vae_loss(x, x_hat): ... z_mean ...): the steps
        # compute it on the forward pass's values (layers/symbolic_binding.py)
        self._binds_symbolic = symbolic_binding.closes_over_symbolic((loss, metrics))

    # Keras keeps ``model.optimizer`` and ``model.loss`` as plain attributes that compile() sets: a subclass may
    # assign its own (``self.optimizer = Adam()`` for a custom loop, ``self.loss = []`` to collect losses).
    @property
    def optimizer(self):
        own = self.__dict__.get("_own_optimizer")
        if own is None:  # (one written straight into the instance's dict, self.__dict__.update(kwargs), as Keras reads it)
            own = self.__dict__.get("optimizer")
        if own is not None:
            return own
        return None if self._compiled is None else self._compiled.optimizer

    @optimizer.setter
    def optimizer(self, value):
        if self._compiled is not None and value is not None:
            self._compiled.optimizer = optimizers.get(value)  # what fit trains with from now on, as in Keras
            self.__dict__.pop("_own_optimizer", None)
        else:
            self.__dict__["_own_optimizer"] = value

    @property
    def loss(self):
        for key in ("_own_loss", "loss"):  # (set, or written straight into the instance's dict)
            if key in self.__dict__:
                return self.__dict__[key]
        return None if self._compiled is None else self._compiled.loss_spec

    @loss.setter
    def loss(self, value):
        self.__dict__["_own_loss"] = value  # (compile() sets the loss fit uses, and drops this value)

    @property
    def metrics_names(self):
        if self._compiled is None:
            return []
        return ["loss"] + [name for name, _ in self._compiled.named] + [m.name for m in self._logged_metrics()]

    def _logged_metric(self, name):
        """The compiled metric whose logs key is ``name`` (without 'val_'), or None (callbacks read its
        direction)."""
        return None if self._compiled is None else dict(self._compiled.named).get(name)

    def _require_compiled(self, what):
        if self._compiled is None:
            raise RuntimeError(
                f"You must call compile() before {what}(). For example: "
                "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])."
            )
        # a model compiled without a loss trains on the losses its layers add (add_loss); total_loss refuses
        # a step with no loss at all

    def _require_targets(self, y, owner, name="y", kind=None):
        c = self._compiled
        if y is None and c.needs_targets and kind is not None:
            raise ValueError(
                f"{owner}: the batches of `{name}` (a {kind}) have no targets, but the loss '{c.loss.name}' needs "
                "them: it compares the model's output with them. Make it yield (x, y) or (x, y, sample_weight).")
        if y is None and c.needs_targets:
            raise ValueError(
                f"{owner}: `{name}` is None, but the loss '{c.loss.name}' needs targets: it compares the model's "
                f"output with them. Pass the targets as `{name}` (for example model.fit(x, y))."
            )

    def _num_classes(self, x):
        """The classes of the model's output: its last axis's size, or 2 for a single (sigmoid) unit."""
        try:
            shape = tuple(self.outputs[0].shape)
        except (AttributeError, IndexError, TypeError):
            shape = (None,)
        if len(shape) < 2 or shape[-1] is None:
            with np.errstate(all="ignore"):
                shape = self(da.first_samples(x), training=False).shape
        width = shape[-1] if len(shape) > 1 else 1
        return width if width > 1 else 2

    def _input_dtypes(self):
        """The model's inputs as (name, dtype) pairs, the keys a dict of inputs uses; None before they are known.
        'raw' for the one input of a model whose first layer takes text or ids as they are (TextVectorization,
        the lookups, Hashing) unless an integer or string Input says otherwise: its data is passed as given.
        A model that takes a dict of named features gives a dict name -> dtype instead: a functional model on a
        dict of Inputs, or a Sequential whose first layer declares the features it reads (DenseFeatures's
        ``_feature_dtypes``, 'raw' for those it reads as given)."""
        features = getattr(self, "_feature_dtypes", None)
        if features:
            return dict(features)
        inputs = getattr(self, "inputs", None)
        raw = getattr(self, "_raw_inputs", False)
        if not inputs:
            return [("input", "raw")] if raw else None
        struct = getattr(self, "_inputs_struct", None)
        names = list(struct) if isinstance(struct, dict) else getattr(self, "input_names", None)
        dtypes = [str(t.dtype) for t in inputs]
        if raw and len(dtypes) == 1 and not dtypes[0].startswith(("int", "uint", "string")):
            dtypes = ["raw"]
        pairs = list(zip(names or [t.name for t in inputs], dtypes))
        return dict(pairs) if isinstance(struct, dict) else pairs

    @property
    def _autocast(self):
        """Integer data for an integer model input (Input(dtype='int32')) stays integer, as Keras 3 keeps it; other
        data becomes the model's float dtype, as for any layer."""
        dtypes = self._input_dtypes()
        dtypes = dtypes.values() if isinstance(dtypes, dict) else [d for _, d in dtypes or ()]
        return not any(str(d).startswith(("int", "uint")) for d in dtypes)

    def _adapter(self, x, y, sample_weight, owner, class_weight=None, **kwargs):
        """The data adapter for this model's data (its input dtypes; class weights by its output's classes)."""
        if class_weight is not None and self._compiled is not None and self._compiled.multi:
            raise ValueError(f"{owner}: `class_weight` is only supported for models with one output, as in Keras; "
                             f"this model has {len(self._compiled.heads)}. Pass per-output `sample_weight` instead.")
        adapter = da.get_data_adapter(x, y, sample_weight, class_weight=class_weight, owner=owner,
                                      input_dtypes=self._input_dtypes(), num_classes=self._num_classes, **kwargs)
        return adapter if self._distribution is None or kwargs.get("arrays_only") else \
            self._distribution.shard(adapter)

    def _start(self, adapter, owner, targets=True):
        """The first batch: the targets the loss needs are there, and the model is built from it."""
        x, y, _ = adapter.first_batch()
        if targets:
            arrays = adapter.kind == "arrays"
            self._require_targets(y, owner, adapter.names[1] if arrays else adapter.name, None if arrays else adapter.kind)
        self._ensure_built(x)
        return x

    def _begin(self, adapter, owner, callbacks, verbose, targets=True):
        """_start; under a strategy, the processes also check they run alike and take rank 0's weights, and
        only rank 0 keeps the callbacks that print or write files. Returns the callbacks and verbosity."""
        self._start(adapter, owner, targets)
        if self._distribution is None:
            return callbacks, verbose
        self._distribution.start(self, adapter, owner)
        return self._distribution.for_this_rank(callbacks, verbose)

    def _ensure_built(self, x):
        """Build all weights before training collects them: a model whose layers only build when
        called (a subclassed Model) runs the first batch through itself first."""
        if type(self).call is Model.call and type(self).__call__ is Model.__call__:
            return  # no forward pass of its own (trained by its own train_step): its parts build when used
        if not self.built or not self.weights:
            with np.errstate(all="ignore"):
                self(x, training=False)

    # ------------------------------------------------------------- steps
    def _loss_value(self, y, y_pred, sample_weight):
        return self._compiled.total_loss(y, y_pred, sample_weight, self.losses)

    # The steps run inside a parallel region (runtime.step_region, whose first also tunes the allocator): the ops
    # split their work over dendrite's threads; callbacks and user code between steps see NumPy's usual threading.
    def _train_step(self, x, y, sample_weight, variables):
        if self._binds_symbolic and not symbolic_binding.active():
            with symbolic_binding.binding():
                return self._train_step(x, y, sample_weight, variables)
        if self._idle(x):  # this process's share of a short last batch is empty: it only takes the update
            return self._distribution.idle_step(self, variables)
        dist = self._distribution
        with runtime.step_region():
            optimizer = self._compiled.optimizer
            with GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self._loss_value(y, y_pred, sample_weight)
                # the loss times the optimizer's loss scale (LossScaleOptimizer, loss_scale_factor), as Keras 3
                scaled = optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, variables)
            if dist is not None:  # averaged over the processes' samples
                grads = dist.reduce_gradients(grads, da.num_samples(x))
            optimizer.apply(grads, variables)  # and the variables' constraints
        loss_value = float(loss.value)
        self._compiled.update(y, _values(y_pred), sample_weight, loss_value, da.num_samples(x), _masks(y_pred))
        return loss_value

    def _logs(self):
        """The running loss and metrics (over every process's samples under a strategy)."""
        if self._distribution is not None:
            return self._distribution.logs(self)
        logs = self._compiled.logs()
        known = self.__dict__.get("_logged_metrics_cache")  # (no call per batch when no layer holds a metric)
        return logs if known is not None and not known[1] and known[0] == layer_metrics.GENERATION[0] \
            else self._with_metrics(logs)

    def _idle(self, x):
        """Under a strategy, whether this process's share of the batch ``x`` is empty."""
        return self._distribution is not None and da.num_samples(x) == 0

    def _predict_step(self, x):
        if self._idle(x):
            return None
        with runtime.step_region():
            return _values(self(x, training=False))

    def _test_step(self, x, y, sample_weight):
        if self._binds_symbolic and not symbolic_binding.active():
            with symbolic_binding.binding():
                return self._test_step(x, y, sample_weight)
        if self._idle(x):
            return
        with runtime.step_region():
            y_pred = self(x, training=False)
            loss = self._loss_value(y, y_pred, sample_weight)
        self._compiled.update(y, _values(y_pred), sample_weight, float(loss.value), da.num_samples(x),
                              _masks(y_pred))

    # ------------------------------------------- the steps a subclass may override
    def train_step(self, data):
        """One training step on a batch ``data`` ((x, y) or (x, y, sample_weight)); returns the logs. Override
        it to customise what fit does (Keras 3): compute the loss with self.compute_loss, apply the gradients
        with self.optimizer, update self.metrics and return {name: result}."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        self._train_step(x, y, sample_weight, self.trainable_weights)
        return self._with_metrics(self._compiled.logs())

    def test_step(self, data):
        """One evaluation step on a batch; override it to customise evaluate (and fit's validation)."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        self._test_step(x, y, sample_weight)
        return self._with_metrics(self._compiled.logs())

    def predict_step(self, data):
        """The predictions for a batch ``data`` ((x,) or x); override it to customise predict."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _custom_step(self, step, x, y, sample_weight):
        """An overridden train_step / test_step on one batch, its returned logs as Python numbers."""
        with runtime.step_region():
            return _logs_of(step(pack_x_y_sample_weight(x, y, sample_weight)))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The loss compile() set up for ``y`` and ``y_pred``, plus the layers' penalties (Keras 3)."""
        self._require_compiled("compute_loss")
        return self._compiled.total_loss(y, y_pred, sample_weight, self.losses)

    def compiled_loss(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        """tf.keras 2's spelling: the compiled loss, plus ``regularization_losses`` (e.g. self.losses)."""
        self._require_compiled("compiled_loss")
        total = self._compiled.total_loss(y_true, y_pred, sample_weight, regularization_losses or [])
        # as tf.keras 2's compiled loss, it also feeds the 'loss' a custom train_step reports from self.metrics
        first = y_pred
        while isinstance(first, (list, tuple, dict)):
            first = next(iter(first.values() if isinstance(first, dict) else first))
        shape = np.shape(array_of(first))
        self._compiled.loss_tracker.update_state(float(total.value), sample_weight=shape[0] if shape else 1)
        return total

    @property
    def compiled_metrics(self):
        """The metrics given to compile, as one object: update_state(y, y_pred), result(), reset_state()."""
        if self._compiled is None:
            return None
        return CompileMetrics(self._compiled, _values, _masks)

    @property
    def metrics(self):
        """The loss tracker ('loss') and compiled_metrics once compiled, then the metrics assigned to the model's
        attributes and its layers' metrics (Keras 3): what fit resets at each epoch and logs, and what a custom
        train_step updates."""
        out = [] if self._compiled is None else [self._compiled.loss_tracker, self.compiled_metrics]
        return out + self._own_metrics()

    def _own_metrics(self):
        """The metrics assigned to the model's attributes (in that order), then its layers' (LayerMetrics)."""
        tracked = list(self.__dict__.get("_tracked_metrics", ()))
        seen = {id(m) for m in tracked}
        return tracked + [m for m in super().metrics if id(m) not in seen]

    def reset_metrics(self):
        if self._compiled is not None:
            self._compiled.reset()
        for m in self._logged_metrics(refresh=True):
            m.reset_state()

    def _logged_metrics(self, refresh=False):
        """The metrics fit and evaluate log besides the compiled ones: the model's own and its layers' (found
        again at each reset, and when add_metric has made a new one)."""
        known = self.__dict__.get("_logged_metrics_cache")
        if refresh or known is None or known[0] != layer_metrics.GENERATION[0]:
            known = self.__dict__["_logged_metrics_cache"] = (layer_metrics.GENERATION[0], self._own_metrics())
        return known[1]

    def _with_metrics(self, logs):
        """``logs`` and the results of the model's own and its layers' metrics."""
        for m in self._logged_metrics():
            result = m.result()
            if isinstance(result, dict):
                logs.update((k, float(v)) for k, v in result.items())
            else:
                logs[m.name] = float(result) if np.ndim(result) == 0 else np.asarray(result)
        return logs

    def __setattr__(self, name, value):
        # a metric assigned to an attribute (self.loss_tracker = keras.metrics.Mean(...)) is the model's,
        # reset with the others at each epoch (as Keras 3 tracks them)
        if not name.startswith("_") and hasattr(value, "update_state") and hasattr(value, "reset_state") \
                and hasattr(value, "result"):
            tracked = self.__dict__.setdefault("_tracked_metrics", [])
            if not any(m is value for m in tracked):
                tracked.append(value)
        super().__setattr__(name, value)

    # --------------------------------------------------------------- fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None,
            initial_epoch=0, steps_per_epoch=None, validation_steps=None, validation_batch_size=None,
            validation_freq=1, **kwargs):
        if "nb_epoch" in kwargs:
            epochs = kwargs.pop("nb_epoch")
        owner = f"{self.who}.fit()"
        workers = non_negative_int(owner, "workers", kwargs.pop("workers", None), allow_none=True)
        max_queue_size = positive_int(owner, "max_queue_size", kwargs.pop("max_queue_size", None), allow_none=True)
        use_multiprocessing = kwargs.pop("use_multiprocessing", None)
        if kwargs:
            raise TypeError(f"fit() got unexpected keyword argument(s) {sorted(kwargs)}.")
        self._require_compiled("fit")
        verbose = resolve_verbose(verbose)
        epochs = non_negative_int(owner, "epochs", epochs, hint="It is the number of passes over the data.")
        initial_epoch = non_negative_int(owner, "initial_epoch", initial_epoch)
        validation_freq = positive_int(owner, "validation_freq", validation_freq)
        batch_size, steps_per_epoch, validation_steps, validation_batch_size = _counts(
            owner, batch_size=batch_size, steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
            validation_batch_size=validation_batch_size)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = da.split_validation(x, y, sample_weight, validation_split,
                                                                         owner, da.data_kind(x))
        adapter = self._adapter(x, y, sample_weight, owner, class_weight or None, batch_size=batch_size,
                                steps_per_epoch=steps_per_epoch, shuffle=shuffle, finite=("x", "y"), workers=workers,
                                use_multiprocessing=use_multiprocessing, max_queue_size=max_queue_size)
        val_adapter = None
        try:
            callbacks, verbose = self._begin(adapter, owner, callbacks, verbose)
            if validation_data is not None:
                val_adapter = self._validation_adapter(validation_data, owner, batch_size, validation_batch_size,
                                                       validation_steps)
            self.stop_training = False
            cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self, verbose=verbose,
                               epochs=epochs, steps=adapter.num_batches)
            variables = self.trainable_weights
            with np.errstate(all="ignore"):  # a diverging run shows NaN in its logs (TerminateOnNaN), not warnings
                self._fit_loop(adapter, val_adapter, cbs, callbacks, variables, initial_epoch, epochs,
                               validation_freq)
        finally:
            for each in (adapter, val_adapter):
                if each is not None:
                    each.close()
        self.history = cbs.history
        return self.history

    def _fit_loop(self, adapter, val_adapter, cbs, callbacks, variables, initial_epoch, epochs, validation_freq):
        logs = {}
        custom = _overrides(self, "train_step")
        self._resume_epoch, self._resume_step = None, 0
        self._train_adapter = adapter  # BackupAndRestore saves and restores its position
        cbs.on_train_begin()
        if self._resume_epoch is not None:  # BackupAndRestore restored a run killed in (or after) that epoch
            initial_epoch = max(initial_epoch, self._resume_epoch)
        for epoch in range(initial_epoch, epochs):
            if not adapter.has_data():  # a generator used up (Keras 2 warns and stops the same way)
                warnings.warn(f"{RAN_OUT} (`{adapter.name}`, a {adapter.kind}, has no batches left for epoch "
                              f"{epoch + 1}: a Python generator can be iterated only once.)", stacklevel=3)
                break
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            adapter.on_epoch_begin()
            for step, (xb, yb, swb) in enumerate(adapter.batches(epoch)):
                if step < self._resume_step:  # trained before the run was killed: the same batches, not again
                    continue
                cbs.on_train_batch_begin(step)
                if custom:
                    logs = self._custom_step(self.train_step, xb, yb, swb)
                else:
                    self._train_step(xb, yb, swb, variables)
                    logs = self._logs()
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            adapter.on_epoch_end()
            self._resume_step = 0
            epoch_logs = dict(logs)
            if val_adapter is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_adapter(val_adapter, CallbackList(callbacks, model=self))
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self._distribution is not None:  # stopped on every process when on any
                self.stop_training = self._distribution.agree(self.stop_training)
            if self.stop_training:
                break
        if epochs > initial_epoch:
            self._compiled.optimizer.finalize_variable_values(self.trainable_weights)  # use_ema: the averages, as Keras 3
        cbs.on_train_end(logs)

    def _validation_adapter(self, data, owner, batch_size, validation_batch_size, steps):
        """validation_data's adapter: a tuple of arrays (x_val, y_val[, val_sample_weight]), or a generator,
        dataset or PyDataset, as x takes them."""
        counts = dict(steps_per_epoch=steps, steps_name="validation_steps", batch_size_name="validation_batch_size")
        if isinstance(data, (tuple, list)) and len(data) in (1, 2, 3) and da.data_kind(data[0]) is None:
            adapter = self._adapter(data[0], data[1] if len(data) > 1 else None, data[2] if len(data) == 3 else None,
                                    owner,
                                    names=_VALIDATION_NAMES, batch_size=validation_batch_size or batch_size, **counts)
        elif da.data_kind(data) is not None:
            adapter = self._adapter(data, None, None, owner, names=("validation_data", "y", "sample_weight"),
                                    batch_size=validation_batch_size, **counts)
        else:
            raise ValueError(
                f"{owner}: `validation_data` must be a tuple (x_val, y_val), (x_val, y_val, val_sample_weight) or (x_val,) "
                f"of arrays, or a generator, dataset or PyDataset yielding such batches; received "
                f"{type(data).__name__}."
            )
        self._start(adapter, owner)
        return adapter

    # ----------------------------------------------------- evaluate/predict
    def _evaluate_adapter(self, adapter, cbs):
        self.reset_metrics()
        custom = _overrides(self, "test_step")
        adapter.reset()  # validation starts from the first batch every epoch
        if not adapter.has_data():
            raise ValueError(adapter.used_up_message())
        cbs.on_test_begin()
        adapter.on_epoch_begin()
        logs = {}
        for step, (xb, yb, swb) in enumerate(adapter.batches()):
            cbs.on_test_batch_begin(step)
            if custom:
                logs = self._custom_step(self.test_step, xb, yb, swb)
            else:
                self._test_step(xb, yb, swb)
                logs = self._logs()
            cbs.on_test_batch_end(step, logs)
        adapter.on_epoch_end()
        cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        self._require_compiled("evaluate")
        owner = f"{self.who}.evaluate()"
        verbose = resolve_verbose(verbose)
        batch_size, steps = _counts(owner, batch_size=batch_size, steps=steps)
        adapter = self._adapter(x, y, sample_weight, owner, batch_size=batch_size, steps_per_epoch=steps,
                                steps_name="steps", finite=("x",))
        try:
            callbacks, verbose = self._begin(adapter, owner, callbacks, verbose)
            cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                               steps=adapter.num_batches)
            logs = self._evaluate_adapter(adapter, cbs)
        finally:
            adapter.close()
        return self._format_results(logs, return_dict)

    @staticmethod
    def _format_results(logs, return_dict):
        if return_dict:
            return dict(logs)
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        owner = f"{self.who}.predict()"
        verbose = resolve_verbose(verbose)
        batch_size, steps = _counts(owner, batch_size=batch_size, steps=steps)
        adapter = self._adapter(x, None, None, owner, batch_size=batch_size, steps_per_epoch=steps,
                                steps_name="steps")
        dist = self._distribution
        try:
            callbacks, verbose = self._begin(adapter, owner, callbacks, verbose, targets=False)
            cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                               steps=adapter.num_batches)
            outputs = []
            cbs.on_predict_begin()
            adapter.on_epoch_begin()
            custom = _overrides(self, "predict_step")
            for step, (xb, _, _) in enumerate(adapter.batches()):
                cbs.on_predict_batch_begin(step)
                if custom:
                    with runtime.step_region():
                        out = _values(self.predict_step((xb,)))
                else:
                    out = self._predict_step(xb)
                outputs.append(out)
                cbs.on_predict_batch_end(step, {"outputs": out})
            adapter.on_epoch_end()
            cbs.on_predict_end()
        finally:
            adapter.close()
        return da.concatenate_batches(outputs if dist is None else dist.gather_batches(outputs))

    def _one_batch(self, method, x, y=None, sample_weight=None, class_weight=None):
        """The *_on_batch methods' batch, through the adapters' conversions (one batch of all the samples)."""
        owner = f"{self.who}.{method}()"
        adapter = self._adapter(x, y, sample_weight, owner, class_weight, steps_per_epoch=1, arrays_only=True)
        self._start(adapter, owner, targets=method != "predict_on_batch")
        return next(adapter.batches())

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                       return_dict=False):
        self._require_compiled("train_on_batch")
        x, y, sample_weight = self._one_batch("train_on_batch", x, y, sample_weight, class_weight or None)
        if reset_metrics:
            self._compiled.reset()
        self._train_step(x, y, sample_weight, self.trainable_weights)
        return self._format_results(self._with_metrics(self._compiled.logs()), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        self._require_compiled("test_on_batch")
        x, y, sample_weight = self._one_batch("test_on_batch", x, y, sample_weight)
        if reset_metrics:
            self._compiled.reset()
        self._test_step(x, y, sample_weight)
        return self._format_results(self._with_metrics(self._compiled.logs()), return_dict)

    def predict_on_batch(self, x):
        return self._predict_step(self._one_batch("predict_on_batch", x)[0])

    def call(self, inputs, training=None):
        # as Keras, a subclass without call() may be built (a holder of sub-models used in a custom loop, a GAN
        # trained by its train_step): it is refused when called
        raise NotImplementedError(
            f"{type(self).__name__} defines no call(): a subclass of Model computes its output in "
            "call(self, inputs, training=None). Or use Sequential([...]) / Model(inputs, outputs).")

    @property
    def layers(self):
        return list(self._layers)

    # ---------------------------------------------------------- display
    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        from .summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """As Keras: Model.from_config rebuilds a functional model (its layer classes by name: dendrite's, the
        registered ones and ``custom_objects``); a subclass is made from its own config."""
        from ..saving import custom_object_scope
        from .functional import Functional, revives_as_functional
        from .functional_config import functional_from_config
        with custom_object_scope(custom_objects):
            if cls is Model or revives_as_functional(cls, config):  # (a subclass made as MyModel(inputs, outputs))
                return functional_from_config(Functional if cls is Model else cls, config)
            return super().from_config(config)

