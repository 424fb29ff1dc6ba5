"""tf.keras 2's ``optimizer.minimize(loss, var_list, tape=None)``, which Keras 3 removed, added to dendrite's
optimizers while the compatibility hooks are installed: the gradients of ``loss`` (a zero-argument callable,
or a Tensor recorded on ``tape``) with respect to ``var_list`` (a list, or a callable giving one) applied in one
step."""
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


def targets():
    """(class, attribute, value) for _patches."""
    from ..optimizers.base import Optimizer
    return [(Optimizer, "minimize", minimize)]
