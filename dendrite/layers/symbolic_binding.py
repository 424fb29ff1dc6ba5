"""Symbolic tensors bound to the values of one forward pass: how a Keras 2 loss that closes over a model's
own layer outputs runs.

Keras 2 built a model's loss as a graph, so a loss function could use any symbolic tensor of the model, not only
``y_true`` and ``y_pred``: the VAE of Keras 2's examples and of many books defines
``def vae_loss(x, x_decoded): ... K.square(z_mean) ... K.exp(z_log_var) ...`` over the encoder's outputs and
compiles it with ``model.compile(loss=vae_loss)``. Keras 3 (and tf.keras 2 in eager mode) refuse it.

dendrite runs it as Keras 2 meant it. ``compile`` finds the KerasTensors such a loss function reaches (its default
arguments, its closure and the global names its code reads: ``closes_over_symbolic``); the model's training and
evaluation steps then run inside ``binding()``: the forward pass records the value of every symbolic tensor it
computes (functional models run node by node), and any operation on a KerasTensor made inside the binding (an
operator, a backend or tf function, a loss function) runs at once on the recorded values, on the gradient tape.
A KerasTensor that the forward pass did not compute raises a clear error.
"""
import contextlib
import types

BOUND = [None]  # the current binding: id(KerasTensor) -> (KerasTensor, value), or None outside one


@contextlib.contextmanager
def binding():
    """Record symbolic tensors' values during the forward pass inside, and compute with them."""
    outer = BOUND[0]
    BOUND[0] = {}
    try:
        yield
    finally:
        BOUND[0] = outer


def active():
    return BOUND[0] is not None


def record(tensor, value):
    BOUND[0][id(tensor)] = (tensor, value)


def value_of(tensor, owner):
    """The value recorded for ``tensor`` in this forward pass; a clear error if it has none."""
    found = BOUND[0].get(id(tensor))
    if found is None or found[0] is not tensor:
        raise ValueError(
            f"{owner}: the loss uses the symbolic tensor {tensor!r}, which this model's forward pass does not "
            "compute. A loss function may use the model's own layer outputs (as Keras 2 allowed); a symbolic "
            "tensor of another model has no value here. Compute that value inside the model and add it with "
            "model.add_loss(...), or write a custom train_step.")
    return found[1]


def _symbolic_leaves(value, found, depth=0):
    from .node import KerasTensor
    if isinstance(value, KerasTensor):
        found.append(value)
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value:
            _symbolic_leaves(item, found, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            _symbolic_leaves(item, found, depth + 1)
    return found


def closes_over_symbolic(spec):
    """Whether a Python function in ``spec`` (a compile() loss or metrics argument: a function, or lists and dicts
    of them) reaches a KerasTensor through its default arguments, its closure or the global names its code reads
    (its nested functions' too)."""
    if isinstance(spec, dict):
        return any(closes_over_symbolic(value) for value in spec.values())
    if isinstance(spec, (list, tuple)):
        return any(closes_over_symbolic(value) for value in spec)
    fn = getattr(spec, "__func__", spec)
    if not isinstance(fn, types.FunctionType):
        return False
    found = []
    for value in list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values()):
        _symbolic_leaves(value, found)
    for cell in fn.__closure__ or ():
        try:
            _symbolic_leaves(cell.cell_contents, found)
        except ValueError:  # an empty cell
            continue
    codes, names = [fn.__code__], set()
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    for name in names:
        if name in fn.__globals__:
            _symbolic_leaves(fn.__globals__[name], found)
    return bool(found)
