"""``RunConfig``: where and how often an Estimator checkpoints, summarizes and logs (tf.estimator's defaults)."""
import numbers


def _optional_positive(name, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Number) or value <= 0):
        raise ValueError(f"RunConfig: {name} must be a positive number or None; received {name}={value!r}.")
    return value


class RunConfig:
    """As tf.estimator.RunConfig: ``save_checkpoints_secs`` 600 unless ``save_checkpoints_steps`` is given (not
    both), ``save_summary_steps`` 100, ``keep_checkpoint_max`` 5, ``log_step_count_steps`` 100. A checkpoint is
    also written at the end of every ``train``. Distribution, session and device settings are not used."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100, save_checkpoints_steps=None,
                 save_checkpoints_secs=None, session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100, train_distribute=None,
                 device_fn=None, protocol=None, eval_distribute=None, experimental_distribute=None,
                 experimental_max_worker_delay_secs=None, session_creation_timeout_secs=7200,
                 checkpoint_save_graph_def=True):
        if save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError("RunConfig: give save_checkpoints_steps or save_checkpoints_secs, not both.")
        if save_checkpoints_steps is None and save_checkpoints_secs is None:
            save_checkpoints_secs = 600
        self.model_dir = model_dir
        self.tf_random_seed = tf_random_seed
        self.save_summary_steps = _optional_positive("save_summary_steps", save_summary_steps)
        self.save_checkpoints_steps = _optional_positive("save_checkpoints_steps", save_checkpoints_steps)
        self.save_checkpoints_secs = _optional_positive("save_checkpoints_secs", save_checkpoints_secs)
        self.keep_checkpoint_max = _optional_positive("keep_checkpoint_max", keep_checkpoint_max)
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.log_step_count_steps = _optional_positive("log_step_count_steps", log_step_count_steps)
        self.session_config, self.train_distribute, self.eval_distribute = session_config, train_distribute, None
        self.num_worker_replicas, self.num_ps_replicas, self.is_chief = 1, 0, True

    def replace(self, **kwargs):
        """A copy with the given settings changed (as tf.estimator.RunConfig.replace)."""
        import inspect
        names = [p for p in inspect.signature(RunConfig.__init__).parameters if p != "self"]
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise ValueError(f"RunConfig.replace: unknown setting(s) {unknown}; known: {names}.")
        current = {n: getattr(self, n, None) for n in names}
        if "save_checkpoints_steps" in kwargs and kwargs["save_checkpoints_steps"] is not None:
            current["save_checkpoints_secs"] = None
        if "save_checkpoints_secs" in kwargs and kwargs["save_checkpoints_secs"] is not None:
            current["save_checkpoints_steps"] = None
        current.update(kwargs)
        return RunConfig(**{n: current[n] for n in names})
