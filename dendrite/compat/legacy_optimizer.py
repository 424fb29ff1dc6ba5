"""tf.keras 2's ``optimizer.minimize(loss, var_list, tape=None)``, which Keras 3 removed, and its private
``_decayed_lr(var_dtype)``, added to dendrite's optimizers while the compatibility hooks are installed.
``minimize`` applies, in one step, the gradients of ``loss`` (a zero-argument callable, or a Tensor recorded
on ``tape``) with respect to ``var_list`` (a list, or a callable giving one)."""
from ..autodiff import GradientTape, Tensor


def minimize(self, loss, var_list, tape=None, grad_loss=None, name=None):
    """Minimise ``loss`` over ``var_list`` by one step of this optimizer; returns the step count (a Variable)."""
    if callable(var_list):
        variables = None
    elif isinstance(var_list, Tensor):  # one variable (tf.keras 2 took opt.minimize(cost, w))
        variables = [var_list]
    else:
        variables = list(var_list)
    if callable(loss):
        with GradientTape() as recording:
            if variables is not None:
                for v in variables:
                    recording.watch(v)
            value = loss()
        tape = recording
    elif tape is None:
        raise ValueError("optimizer.minimize: `loss` is a Tensor, so pass the GradientTape that recorded it "
                         "(minimize(loss, var_list, tape=tape)), or pass `loss` as a zero-argument function.")
    else:
        value = loss
    if variables is None:
        variables = list(var_list())
    grads = tape.gradient(value, variables, output_gradients=grad_loss)
    self.apply_gradients(zip(grads, variables))
    return self.iterations


def _decayed_lr(self, var_dtype):
    """tf.keras 2's private ``optimizer._decayed_lr(var_dtype)``, which custom loops of the TF 2.0-2.10 era
    logged: the learning rate of the next step (the schedule's, or Keras 2's ``decay`` applied), as a scalar
    Tensor of ``var_dtype``."""
    import numpy as np
    rate = float(self.learning_rate)
    if self.decay:
        rate = rate / (1.0 + self.decay * int(self.iterations.value))
    return Tensor(np.asarray(rate, dtype=np.dtype(getattr(var_dtype, "as_numpy_dtype", var_dtype))))


def targets():
    """(class, attribute, value) for _patches."""
    from ..optimizers.base import Optimizer
    return [(Optimizer, "minimize", minimize), (Optimizer, "_decayed_lr", _decayed_lr)]
