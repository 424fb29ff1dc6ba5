"""What ``compile()`` resolves: the optimizer, and for each model output its loss, loss weight and metrics.

A model with one output has one head, and its logs are Keras's plain keys (``loss``, ``accuracy``). A
model with several outputs has a head per output, named after the output's layer, and each of
``loss``, ``loss_weights``, ``metrics`` and ``weighted_metrics`` may be given once for every output, as
a list in the outputs' order, or as a dict keyed by output name. The logs then hold, as Keras 3 writes
them: ``loss`` (the weighted sum), ``<output>_loss`` for each output with a loss (unweighted, when more
than one output has one) and ``<output>_<metric>`` for each metric.

As in Keras, sample weights (and class weights, which become sample weights) weight the loss and the
``weighted_metrics`` only; the plain ``metrics`` see every sample equally.
"""
import warnings

import numpy as np

from .. import activations, losses as losses_mod, metrics as metrics_mod, optimizers
from ..autodiff import ops
from ..layers.activation import Softmax


def _as_specs(metrics):
    return [] if metrics is None else (list(metrics) if isinstance(metrics, (list, tuple)) else [metrics])


def _wrap_loss(loss):
    obj = losses_mod.get(loss)
    if isinstance(obj, losses_mod.Loss):
        return obj
    name = loss if isinstance(loss, str) else getattr(obj, "__name__", "loss")
    return losses_mod.LossFunctionWrapper(obj, name=name)


def _per_output(value, names, what, default=None, each=False):
    """``value`` for each output named in ``names``: one value for all, a list in order, or a dict by name.
    With ``each`` (metrics), a flat list that is not one entry per output goes to every output."""
    n = len(names)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError(f"compile(): `{what}` names {unknown}, which {'is' if len(unknown) == 1 else 'are'} not "
                             f"an output of the model. The outputs are {names}.")
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)) and n > 1:
        if len(value) == n:  # one entry per output (Keras 3), an entry may itself be a list of metrics
            return list(value)
        if each and not any(isinstance(v, (list, tuple, dict)) for v in value):
            return [list(value)] * n  # tf.keras 2: metrics=['acc'] for a model of several outputs scores each
        raise ValueError(f"compile(): the model has {n} outputs {names}, so a list given as `{what}` needs {n} "
                         f"entries, one per output in that order; received {len(value)}. Or pass a dict keyed by "
                         "output name.")
    if isinstance(value, (list, tuple)) and n == 1 and not each:
        if len(value) != 1:
            raise ValueError(f"compile(): the model has one output, so `{what}` must be one value (or a list of "
                             f"one); received a list of {len(value)}.")
        return [value[0]]
    return [value if value is not None else default] * n


class Head:
    """One output's loss (None: the output is not trained), weight and metrics (built from the first batch)."""

    def __init__(self, name, loss, weight, metric_specs, weighted_specs):
        self.name = name
        self.loss_spec = loss
        self.loss = None if loss is None else _wrap_loss(loss)
        self.weight = 1.0 if weight is None else float(weight)
        self.metric_specs, self.weighted_specs = _as_specs(metric_specs), _as_specs(weighted_specs)
        self.metrics = self.weighted = None
        self.loss_tracker = metrics_mod.Mean(name=f"{name}_loss" if name else "loss")

    def build_metrics(self, y_true, y_pred):
        def resolve(specs):
            return [metrics_mod.resolve(m, self.loss_spec, np.shape(y_true), np.shape(y_pred)) for m in specs]
        self.metrics, self.weighted = resolve(self.metric_specs), resolve(self.weighted_specs)


class Compiled:
    """What compile() resolved, and the running loss and metrics of fit / evaluate."""

    def __init__(self, optimizer, loss, metrics, loss_weights, weighted_metrics=None, output_names=None):
        self.optimizer = optimizers.get(optimizer)
        self.loss_spec = loss
        # compile's arguments as given, for a saved model's compile_config
        self.arguments = {"loss": loss, "metrics": metrics, "loss_weights": loss_weights,
                          "weighted_metrics": weighted_metrics}
        names = list(output_names) if output_names and len(output_names) > 1 else [None]
        # one output: its name may key a dict given for it, as in Keras (loss={'out': 'mse'})
        keys = [n for n in names if n is not None] or list(output_names or ["output"])
        losses = _per_output(loss, keys, "loss")
        weights = _per_output(loss_weights, keys, "loss_weights")
        plain = _per_output(metrics, keys, "metrics", each=True)
        weighted = _per_output(weighted_metrics, keys, "weighted_metrics", each=True)
        self.heads = [Head(n, lo, w, m, wm) for n, lo, w, m, wm in zip(names, losses, weights, plain, weighted)]
        self.trained = [h for h in self.heads if h.loss is not None]
        self.loss = self.trained[0].loss if self.trained else None  # (the first) for messages that name it
        self.needs_targets = any(losses_mod.registry.is_builtin(h.loss) for h in self.trained)
        self.named = []  # (logs key, metric): per-output losses, metrics, weighted metrics, once built
        self.loss_tracker = metrics_mod.Mean(name="loss")
        self._built = False

    @property
    def multi(self):
        return self.heads[0].name is not None

    # ------------------------------------------------------------- targets
    def split(self, structure, what, allow_single=False):
        """Targets (or sample weights, or predictions) as one entry per head: a list in the outputs' order or
        a dict keyed by output name for several outputs; one array for one."""
        n = len(self.heads)
        if n == 1:
            if isinstance(structure, (list, tuple)) and len(structure) == 1:
                return [structure[0]]
            if isinstance(structure, dict) and len(structure) == 1:  # keyed by the one output's name
                return list(structure.values())
            return [structure]
        names = [h.name for h in self.heads]
        if structure is None:
            return [None] * n
        if isinstance(structure, dict):
            unknown = [k for k in structure if k not in names]
            if unknown:
                raise ValueError(f"`{what}` names {unknown}, which {'is' if len(unknown) == 1 else 'are'} not an "
                                 f"output of the model. The outputs are {names}.")
            return [structure.get(name) for name in names]
        if isinstance(structure, (list, tuple)):
            if len(structure) != n:
                raise ValueError(f"The model has {n} outputs {names}: `{what}` must hold {n} arrays, one per "
                                 f"output in that order (or be a dict keyed by output name); received "
                                 f"{len(structure)}.")
            return list(structure)
        if allow_single:  # one sample-weight array for every output
            return [structure] * n
        raise ValueError(f"The model has {n} outputs {names}: pass `{what}` as a list of {n} arrays, one per output "
                         "in that order, or as a dict keyed by output name.")

    # --------------------------------------------------------------- steps
    def total_loss(self, y, y_pred, sample_weight, penalties):
        """The loss to minimise: each trained output's loss times its weight, summed, plus the layers'
        penalties; also keeps each output's own loss for the logs."""
        ys, preds = self.split(y, "y"), self.split(y_pred, "the model's outputs")
        weights = self.split(sample_weight, "sample_weight", allow_single=True)
        total, self._head_losses = None, []
        for head, yt, yp, sw in zip(self.heads, ys, preds, weights):
            if head.loss is None:
                continue
            if yt is None and losses_mod.registry.is_builtin(head.loss):
                raise ValueError(f"No target was given for the output '{head.name}', which has the loss "
                                 f"'{head.loss.name}'. Pass its targets in `y`, or compile with no loss for it.")
            value = head.loss(yt, yp, sample_weight=sw)
            self._head_losses.append((head, value))
            weighted = value if head.weight == 1.0 else ops.multiply(value, head.weight)
            total = weighted if total is None else ops.add(total, weighted)
        for penalty in penalties:
            if penalty.ndim:  # a loss per sample from add_loss: summed, as Keras 3 aggregates added losses
                penalty = ops.sum(penalty)
            total = penalty if total is None else ops.add(total, penalty)
        if total is None:
            raise ValueError("No loss to compute: the model was compiled without a loss and none of its layers "
                             "added one with add_loss(). Provide a `loss` argument in compile(), e.g. loss='mse'.")
        return total

    def _build(self, ys, preds):
        for head, yt, yp in zip(self.heads, ys, preds):
            head.build_metrics(yt, yp)
        losses = [(h.loss_tracker.name, h.loss_tracker) for h in self.trained] if len(self.trained) > 1 else []
        metrics = [(self._key(h, m), m) for h in self.heads for m in h.metrics]
        weighted = [(self._key(h, m), m) for h in self.heads for m in h.weighted]
        names = _log_names([k for k, _ in losses], [k for k, _ in metrics], [k for k, _ in weighted])
        self.named = list(zip(names, [m for _, m in losses + metrics + weighted]))
        self._built = True

    def _key(self, head, metric):
        return f"{head.name}_{metric.name}" if head.name else metric.name

    def reset(self):
        self.loss_tracker.reset_state()
        for head in self.heads:
            head.loss_tracker.reset_state()
        for _, m in self.named:
            m.reset_state()

    def update(self, y_true, y_pred, sample_weight, loss_value, n, masks=None):
        """The running loss and metrics after a batch; ``masks``: each output's Keras mask (or None), which
        the metrics take as sample weights, as Keras 3's do."""
        self.loss_tracker.update_state(loss_value, sample_weight=n)
        ys, preds = self.split(y_true, "y"), self.split(y_pred, "the model's outputs")
        if not self._built:
            self._build(ys, preds)
        if len(self.trained) > 1:  # each output's own loss is logged only when there are several
            for head, value in self._head_losses:
                head.loss_tracker.update_state(float(value.value), sample_weight=n)
        self.update_metrics(ys, preds, sample_weight, masks, split=False)

    def update_metrics(self, y_true, y_pred, sample_weight=None, masks=None, split=True):
        """The compiled metrics (not the loss) after a batch: predictions as arrays, each output's mask."""
        ys, preds = (self.split(y_true, "y"), self.split(y_pred, "the model's outputs")) if split else (y_true, y_pred)
        if not self._built:
            self._build(ys, preds)
        weights = self.split(sample_weight, "sample_weight", allow_single=True)
        masks = [None] * len(self.heads) if masks is None else self.split(masks, "masks")
        for head, yt, yp, sw, mask in zip(self.heads, ys, preds, weights, masks):
            plain = None if mask is None else mask.astype(np.float32)
            for m in head.metrics:
                m.update_state(yt, yp, sample_weight=plain)
            if mask is not None and sw is not None:
                sw = np.asarray(sw, np.float32).reshape(np.shape(sw) + (1,) * (mask.ndim - np.ndim(sw))) * plain
            elif mask is not None:
                sw = plain
            for m in head.weighted:
                m.update_state(yt, yp, sample_weight=sw)

    def logs(self):
        out = {"loss": float(self.loss_tracker.result())}
        for name, m in self.named:
            result = m.result()  # a metric of one value per class (F1Score(average=None)) logs its array, as Keras
            out[name] = float(result) if np.ndim(result) == 0 else np.asarray(result)
        return out

    def metric_results(self):
        """The compiled metrics' results by logs key (the per-output losses excluded)."""
        losses = {id(h.loss_tracker) for h in self.heads}
        return {name: m.result() for name, m in self.named if id(m) not in losses}


class CompileMetrics:
    """``model.compiled_metrics`` (and the second entry of ``model.metrics``): the metrics given to compile,
    as one object for a custom train_step, as Keras 3's: ``update_state(y, y_pred, sample_weight=None)``,
    ``result()`` a dict by logs key, ``reset_state()``."""

    name = "compile_metrics"

    def __init__(self, compiled, values, masks):
        self._compiled, self._values, self._masks = compiled, values, masks

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._compiled.update_metrics(y_true, self._values(y_pred), sample_weight, self._masks(y_pred))

    def result(self):
        return self._compiled.metric_results()

    def reset_state(self):
        for _, m in self._compiled.named:
            m.reset_state()


def _log_names(losses, plain, weighted):
    """Keras's keys: a repeated name gets _1, _2, ...; a weighted metric whose name is taken becomes
    weighted_<name> (numbered the same way if that is taken too)."""
    seen, out = {"loss": 1}, []

    def unique(name):
        if name not in seen:
            seen[name] = 1
            return name
        seen[name] += 1
        return f"{name}_{seen[name] - 1}"
    for name in losses + plain:
        out.append(unique(name))
    for name in weighted:
        out.append(unique(name) if name not in seen else unique(f"weighted_{name}"))
    return out


# --------------------------------------------- from_logits against the output layer
# loss function -> (its class, the activation that makes the probabilities it expects with from_logits=False)
_CROSS_ENTROPIES = {losses_mod.binary_crossentropy: ("BinaryCrossentropy", "sigmoid"),
                    losses_mod.categorical_crossentropy: ("CategoricalCrossentropy", "softmax"),
                    losses_mod.sparse_categorical_crossentropy: ("SparseCategoricalCrossentropy", "softmax")}
_ACTIVATION_NAMES = {activations.softmax: "softmax", activations.sigmoid: "sigmoid", activations.linear: "linear"}


def output_layers(model):
    """The layer that makes each of the model's outputs (looking into nested models), or [None] where the
    model cannot tell (a subclassed model, whose call may do anything)."""
    from .sequential import Sequential
    from .training import Model
    try:
        layers = [t.node.layer for t in model.outputs]  # functional models, and a Sequential whose input is known
    except (AttributeError, TypeError):
        layers = [model.layers[-1]] if isinstance(model, Sequential) and model.layers else [None]
    return [output_layers(layer)[0] if isinstance(layer, Model) and len(getattr(layer, "outputs", [])) == 1
            else layer for layer in layers]


def _output_activation(layer):
    """'softmax', 'sigmoid' or 'linear' where the layer ends with one, else None."""
    if type(layer) is Softmax:
        return "softmax"
    return _ACTIVATION_NAMES.get(getattr(layer, "activation", None))


def warn_if_from_logits_contradicts(model, compiled):
    """At compile, as Keras warns where it can tell: a cross-entropy told ``from_logits=True`` on an output
    whose layer applies a softmax / sigmoid (probabilities, not logits), or ``from_logits=False`` on one
    whose layer has no activation (logits, not probabilities)."""
    layers = output_layers(model)
    for head, layer in zip(compiled.heads, layers if len(layers) == len(compiled.heads) else []):
        loss = head.loss
        entry = _CROSS_ENTROPIES.get(getattr(loss, "fn", None))
        activation = _output_activation(layer) if entry is not None else None
        if activation is None:
            continue
        class_name, squash = entry
        name, from_logits = loss.name, bool(getattr(loss, "from_logits", False))
        if from_logits and activation in ("softmax", "sigmoid"):
            warnings.warn(
                f"`{name}` received `from_logits=True`, but the model's output is produced by a "
                f"{activation.capitalize()} activation (output layer {layer.who}) and thus does not represent "
                f"logits. Was this intended? Pass from_logits=False, or remove the activation from the last layer to "
                f"train on logits.", UserWarning, stacklevel=3)
        elif not from_logits and activation == "linear":
            warnings.warn(
                f"`{name}` received `from_logits=False`, but the model's output layer {layer.who} has no "
                f"activation, so it produces logits, not probabilities: the loss would clip them to [1e-7, 1 - 1e-7] "
                f"and learn poorly. Pass loss=keras.losses.{class_name}(from_logits=True), or give the last layer "
                f"activation='{squash}'.", UserWarning, stacklevel=3)
