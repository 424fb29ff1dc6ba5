"""Keras 2 methods of models and layers that Keras 3 removed, added to dendrite's Model and Layer while the
compatibility hooks are installed (``install()`` adds them, ``uninstall()`` takes them away again): ``predict_classes``,
``predict_proba``, ``fit_generator``, ``evaluate_generator``, ``predict_generator``, ``reset_states``, the layers'
``get_output_at`` and its kin; Keras 1's ``Model(input=, output=)``. ``fit`` keeps its
history's Keras 2 keys: ``history.history['acc']`` finds 'accuracy' ('lr' finds 'learning_rate') and the other way
round."""
import math

from ._notes import note


class KeyAliases(dict):
    """A logs or history dict where 'acc' and 'accuracy' (and their 'val_' forms), and Keras 2's 'lr' and
    Keras 3's 'learning_rate' (what the learning-rate callbacks log), find each other, so a program written for
    either Keras era reads the key it expects."""

    _PAIRS = {"acc": "accuracy", "accuracy": "acc", "val_acc": "val_accuracy", "val_accuracy": "val_acc",
              "lr": "learning_rate", "learning_rate": "lr"}

    def __missing__(self, key):
        other = self._PAIRS.get(key)
        if other is not None and dict.__contains__(self, other):
            return dict.__getitem__(self, other)
        raise KeyError(key)

    def __contains__(self, key):
        return dict.__contains__(self, key) or dict.__contains__(self, self._PAIRS.get(key, object()))

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


def _removed(name, instead):
    note(("model", name), f"model.{name}() was removed in Keras 3 ({instead}); dendrite runs it as Keras 2 did.")


def predict_classes(self, x, batch_size=32, verbose=0):
    """Keras 2: the class index of each prediction (argmax; for one sigmoid output, p > 0.5)."""
    _removed("predict_classes", "use np.argmax(model.predict(x), axis=-1)")
    proba = self.predict(x, batch_size=batch_size, verbose=verbose)
    if proba.shape[-1] > 1:
        return proba.argmax(axis=-1)
    return (proba > 0.5).astype("int32")


def predict_proba(self, x, batch_size=32, verbose=0):
    """Keras 2: ``predict``, checked to lie in [0, 1] (the probabilities of a softmax or sigmoid output)."""
    _removed("predict_proba", "use model.predict(x)")
    proba = self.predict(x, batch_size=batch_size, verbose=verbose)
    if proba.size and (proba.min() < 0 or proba.max() > 1):
        note(("model", "predict_proba_range"), "predict_proba: the network's outputs are not probabilities (outside "
                                               "[0, 1]); they are returned as they are, as Keras 2 did.")
    return proba


def _via_fit(owner):
    note(("model", owner), f"model.{owner}() was removed in Keras 3; dendrite passes the generator to the matching "
                           "method, as Keras 2.2 did.")


def _steps(value):
    """A step count as Keras 2's generator loops read it: they ran while ``step < steps``, so a float count
    (``60000 / 128``) runs its ceiling; Keras 3's methods take integers only."""
    if isinstance(value, float) and value > 0:
        return math.ceil(value)
    return value


def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                  validation_data=None, validation_steps=None, class_weight=None, max_queue_size=10, workers=1,
                  use_multiprocessing=False, shuffle=True, initial_epoch=0, **kwargs):
    """Keras 2: ``fit`` on a generator or Sequence (Keras 1's ``nb_epoch`` read as epochs; its
    ``samples_per_epoch`` dropped, the generator's length or ``steps_per_epoch`` counting the batches)."""
    _via_fit("fit_generator")
    if "nb_epoch" in kwargs:
        epochs = kwargs.pop("nb_epoch")
    kwargs.pop("samples_per_epoch", None)
    return self.fit(generator, steps_per_epoch=_steps(steps_per_epoch), epochs=epochs, verbose=verbose,
                    callbacks=callbacks, validation_data=validation_data, validation_steps=_steps(validation_steps),
                    class_weight=class_weight,
                    max_queue_size=max_queue_size, workers=workers, use_multiprocessing=use_multiprocessing,
                    initial_epoch=initial_epoch)


def evaluate_generator(self, generator, steps=None, max_queue_size=10, workers=1, use_multiprocessing=False,
                       verbose=0, **kwargs):
    _via_fit("evaluate_generator")
    return self.evaluate(generator, steps=_steps(steps), verbose=verbose)


def predict_generator(self, generator, steps=None, max_queue_size=10, workers=1, use_multiprocessing=False,
                      verbose=0, **kwargs):
    _via_fit("predict_generator")
    return self.predict(generator, steps=_steps(steps), verbose=verbose)


def reset_states(self):
    """Keras 2: zero the states of every stateful recurrent layer of the model (``layer.reset_states()``)."""
    def walk(layer):
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
            layer.reset_state()
            return
        for sub in layer._sublayers():
            walk(sub)
    for layer in self._sublayers():
        walk(layer)


def _make_predict_function(self):
    """Keras 2.0-2.2's step that built the graph's predict function before serving from threads (Flask
    tutorials call it after loading a model): nothing to build here, as dendrite runs eagerly."""


def _make_train_function(self):
    """Keras 2.0-2.2's, as _make_predict_function: nothing to build."""


def _make_test_function(self):
    """Keras 2.0-2.2's, as _make_predict_function: nothing to build."""


def _keras1_io(kwargs):
    """Keras 1's ``Model(input=..., output=...)`` as ``Model(inputs=..., outputs=...)`` (Keras 2.0-2.2 took it too,
    with a warning); other keyword arguments as given."""
    if "input" in kwargs and "output" in kwargs and "inputs" not in kwargs and "outputs" not in kwargs:
        note(("Model", "input"), "Model(input=..., output=...) is the Keras 1 spelling of "
                                 "Model(inputs=..., outputs=...).")
        kwargs = dict(kwargs)
        kwargs["inputs"], kwargs["outputs"] = kwargs.pop("input"), kwargs.pop("output")
    return kwargs


def _node_attribute(layer, index, attribute, method):
    nodes = layer._inbound_nodes
    if not isinstance(index, int) or not 0 <= index < len(nodes):
        raise ValueError(f"{method}: asked for node {index!r}, but layer '{layer.name}' has been called "
                         f"{len(nodes)} time(s) on symbolic tensors (nodes 0 to {len(nodes) - 1}).")
    values = getattr(nodes[index], attribute)
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    return values[0] if len(values) == 1 else values


def get_input_at(self, node_index):
    """Keras 2: the input tensor(s) of the layer's call number ``node_index`` on symbolic tensors."""
    return _node_attribute(self, node_index, "inputs", "get_input_at")


def get_output_at(self, node_index):
    """Keras 2: the output tensor(s) of the layer's call number ``node_index``."""
    return _node_attribute(self, node_index, "outputs", "get_output_at")


def get_input_shape_at(self, node_index):
    out = get_input_at(self, node_index)
    return [tuple(t.shape) for t in out] if isinstance(out, list) else tuple(out.shape)


def get_output_shape_at(self, node_index):
    out = get_output_at(self, node_index)
    return [tuple(t.shape) for t in out] if isinstance(out, list) else tuple(out.shape)


def to_yaml(self, **kwargs):
    raise RuntimeError("Method `model.to_yaml()` has been removed due to security risk of arbitrary code execution. "
                       "Please use `model.to_json()` instead.")  # tf.keras 2.6+'s words


METHODS = {f.__name__: f for f in (predict_classes, predict_proba, fit_generator, evaluate_generator,
                                   predict_generator, reset_states, _make_predict_function, _make_train_function,
                                   _make_test_function, to_yaml)}
LAYER_METHODS = {f.__name__: f for f in (get_input_at, get_output_at, get_input_shape_at, get_output_shape_at)}


def model_targets():
    """(class, attribute, value) for _patches: Model's and Functional's constructors take Keras 1's names."""
    from ..models.functional import Functional
    from ..models.training import Model
    new, init = Model.__dict__["__new__"], Functional.__dict__["__init__"]

    def model_new(cls, *args, **kwargs):
        return new(cls, *args, **_keras1_io(kwargs))

    def functional_init(self, *args, **kwargs):
        init(self, *args, **_keras1_io(kwargs))
    from ..layers.base import Layer
    return [(Model, "__new__", staticmethod(model_new)), (Functional, "__init__", functional_init)] + [
        (Layer, name, method) for name, method in LAYER_METHODS.items()]
