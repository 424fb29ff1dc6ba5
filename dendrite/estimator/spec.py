"""``ModeKeys`` and ``EstimatorSpec``: what a model_fn is told and what it returns, as in tf.estimator."""


class ModeKeys:
    """The three modes a model_fn is called in (the strings TensorFlow uses)."""
    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_MODES = (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT)


class EstimatorSpec:
    """What a model_fn returns for one mode.

    TRAIN needs ``loss`` and ``train_op`` (from ``optimizer.minimize(loss, global_step)``, see
    dendrite.estimator.v1, or a canned head); EVAL needs ``loss`` and may give ``eval_metric_ops`` (name ->
    ``(value, update_op)`` from ``v1.metrics``, or a dendrite Metric kept across calls); PREDICT needs
    ``predictions`` (a Tensor/array, or a dict of them, batch first). ``training_hooks`` (with
    ``training_chief_hooks``), ``evaluation_hooks`` and ``prediction_hooks`` are run by the Estimator: those of
    the first model_fn call of each train/evaluate/predict serve that whole call (see
    dendrite.estimator.estimator).
    ``export_outputs`` and ``scaffold`` are accepted and kept, not used.
    """

    def __init__(self, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None, export_outputs=None,
                 training_chief_hooks=None, training_hooks=None, scaffold=None, evaluation_hooks=None,
                 prediction_hooks=None):
        if mode not in _MODES:
            raise ValueError(f"EstimatorSpec: mode must be one of ModeKeys.TRAIN ('train'), ModeKeys.EVAL ('eval') "
                             f"or ModeKeys.PREDICT ('infer'); received mode={mode!r}.")
        if mode == ModeKeys.TRAIN and loss is None:
            raise ValueError("EstimatorSpec: mode TRAIN needs a `loss`; the model_fn returned loss=None. Compute "
                             "the loss when mode is TRAIN or EVAL and pass EstimatorSpec(mode, loss=..., train_op=...).")
        if mode == ModeKeys.TRAIN and train_op is None:
            raise ValueError("EstimatorSpec: mode TRAIN needs a `train_op`; the model_fn returned train_op=None. "
                             "Pass train_op=optimizer.minimize(loss, global_step=get_global_step()).")
        if mode == ModeKeys.EVAL and loss is None:
            raise ValueError("EstimatorSpec: mode EVAL needs a `loss`; the model_fn returned loss=None.")
        if mode == ModeKeys.PREDICT and predictions is None:
            raise ValueError("EstimatorSpec: mode PREDICT needs `predictions` (a tensor or a dict of tensors); the "
                             "model_fn returned predictions=None.")
        if eval_metric_ops is not None and not isinstance(eval_metric_ops, dict):
            raise TypeError("EstimatorSpec: eval_metric_ops must be a dict name -> (value, update_op) or Metric; "
                            f"received {type(eval_metric_ops).__name__}.")
        self.mode, self.predictions, self.loss, self.train_op = mode, predictions, loss, train_op
        self.eval_metric_ops = dict(eval_metric_ops or {})
        self.export_outputs, self.scaffold = export_outputs, scaffold
        self.training_hooks = list(training_hooks or ()) + list(training_chief_hooks or ())
        self.evaluation_hooks, self.prediction_hooks = list(evaluation_hooks or ()), list(prediction_hooks or ())

    def __repr__(self):
        return f"EstimatorSpec(mode={self.mode!r}, loss={self.loss!r})"
