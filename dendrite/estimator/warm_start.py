"""``WarmStartSettings``: where an Estimator's variables start from when its model_dir has no checkpoint."""


class WarmStartSettings:
    """``ckpt_to_initialize_from``: a model_dir or checkpoint prefix whose variables (all but the global step)
    seed the new Estimator's, matched by name. ``vars_to_warm_start`` is a regex of names to take (default all)."""

    def __init__(self, ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
                 var_name_to_prev_var_name=None):
        if var_name_to_vocab_info or var_name_to_prev_var_name:
            raise NotImplementedError("WarmStartSettings: var_name_to_vocab_info and var_name_to_prev_var_name are "
                                      "not supported; the variables are matched by name.")
        self.ckpt_to_initialize_from = str(ckpt_to_initialize_from)
        self.vars_to_warm_start = vars_to_warm_start
