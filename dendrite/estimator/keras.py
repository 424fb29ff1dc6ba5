"""``model_to_estimator``: a compiled dendrite (Keras) model as an Estimator.

The model's weights join the Estimator's variable store under their paths (``dense/kernel``), so they are
checkpointed in model_dir and restored as any Estimator's. Features are the model's input (an array, or a dict
keyed by the model's input names); TRAIN applies the compiled optimizer to the compiled loss; EVAL reports the
compiled metrics (as named in compile: 'accuracy' resolved by the loss, as Keras does) and ``loss``; PREDICT
gives a dict output name -> prediction. Single-output models only.
"""
import numpy as np

from .. import metrics as _metrics
from ..autodiff import Tensor, array_of
from .estimator import Estimator
from .spec import EstimatorSpec, ModeKeys
from .v1 import keras_train_op
from .variables import current


def model_to_estimator(keras_model=None, keras_model_path=None, custom_objects=None, model_dir=None, config=None,
                       checkpoint_format="checkpoint", metric_names_map=None, export_outputs=None):
    if keras_model is None and keras_model_path is not None:
        from ..saving import load_model
        keras_model = load_model(keras_model_path, custom_objects=custom_objects)
    if keras_model is None:
        raise ValueError("model_to_estimator: give keras_model (a compiled model) or keras_model_path.")
    compiled = getattr(keras_model, "_compiled", None)
    if compiled is None or compiled.loss is None:
        raise ValueError("model_to_estimator: the model must be compiled with a loss and an optimizer first "
                         "(model.compile(optimizer=..., loss=...)).")
    if len(compiled.heads) != 1:
        raise NotImplementedError("model_to_estimator: only single-output models are supported.")
    head = compiled.heads[0]
    output_name = (getattr(keras_model, "output_names", None) or [keras_model.name])[0]

    def model_fn(features, labels, mode):
        store = current()
        if not store.variables.keys() - {"global_step"}:
            if not keras_model.built:
                keras_model(_input(keras_model, features), training=False)
            for weight in keras_model.weights:
                store._register(weight)
        outputs = keras_model(_input(keras_model, features), training=mode == ModeKeys.TRAIN)
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions={output_name: outputs})
        y = np.asarray(array_of(labels))
        loss = head.loss(Tensor(y), outputs)
        if mode == ModeKeys.TRAIN:
            return EstimatorSpec(mode, loss=loss, train_op=keras_train_op(compiled.optimizer, loss, store.global_step))
        metric_ops = {}
        for spec in head.metric_specs:
            name = spec if isinstance(spec, str) else getattr(spec, "name", str(spec))
            metric = store.metric(name, lambda s=spec: _metrics.resolve(s, head.loss_spec, y.shape,
                                                                         outputs.shape))
            metric.update_state(y, np.asarray(outputs.value))
            metric_ops[(metric_names_map or {}).get(name, name)] = metric
        return EstimatorSpec(mode, loss=loss, eval_metric_ops=metric_ops)

    return Estimator(model_fn, model_dir=model_dir, config=config)


def _input(model, features):
    dtypes = model._input_dtypes()
    if not isinstance(features, dict) or isinstance(dtypes, dict):  # a model on a dict of features takes it whole
        return features
    names = [name for name, _ in (dtypes or [])]
    if len(features) == 1:
        return next(iter(features.values()))
    missing = [n for n in names if n not in features]
    if missing:
        raise ValueError(f"model_to_estimator: the model's inputs {names} are not all among the features "
                         f"{sorted(features)}; missing {missing}.")
    return [features[n] for n in names]
