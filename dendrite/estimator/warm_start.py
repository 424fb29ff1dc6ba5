"""``WarmStartSettings``: where an Estimator's variables start from when its model_dir has no checkpoint."""


class WarmStartSettings:
    """``ckpt_to_initialize_from``: a model_dir (its newest checkpoint) or a checkpoint prefix whose variables
    seed the new Estimator's when it first trains, matched by name (not the global step, not optimizer state).
    ``vars_to_warm_start``, as TensorFlow reads it: a regex matched from the start of the names of the trainable
    variables (default '.*': all of them); a list of regexes, matched against all the model's variables (batch
    normalization statistics too); None: none."""

    def __init__(self, ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
                 var_name_to_prev_var_name=None):
        if var_name_to_vocab_info or var_name_to_prev_var_name:
            raise NotImplementedError("WarmStartSettings: var_name_to_vocab_info and var_name_to_prev_var_name are "
                                      "not supported; the variables are matched by name.")
        self.ckpt_to_initialize_from = str(ckpt_to_initialize_from)
        self.vars_to_warm_start = vars_to_warm_start
