"""How a layer call's extra arguments reach ``call()``: ``layer(x, True)``, ``layer(x, mask)`` and ``layer(a, b)``
bind by position to call()'s parameters after the inputs, as tf.keras 2 bound them; a call given no
``training`` (and inside no other call) takes call()'s default, as Keras 3 resolves it."""
import inspect

_SIGNATURES = {}


def signature(cls):
    """(the names of ``cls.call``'s positional parameters after the inputs, the default of its ``training``
    parameter, None when it has none), looked up once per class."""
    found = _SIGNATURES.get(cls)
    if found is None:
        params = list(inspect.signature(cls.call).parameters.values())[2:]  # after self and the inputs
        names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        training = next((p.default for p in params if p.name == "training"), None)
        found = _SIGNATURES[cls] = (names, None if training is inspect.Parameter.empty else training)
    return found


def bind_positional(layer, args, kwargs, training):
    """Put ``args`` (the positional arguments after the inputs) into ``kwargs`` under call()'s parameter names;
    returns ``training`` (set when one of them is call()'s training)."""
    names = signature(type(layer))[0]
    if len(args) > len(names):
        raise TypeError(f"{layer.who}: called with {1 + len(args)} positional arguments, but its call() takes "
                        f"{1 + len(names)} ({', '.join(['inputs'] + names)}). Pass the other arguments by name.")
    for name, value in zip(names, args):
        if name == "training":
            if training is not None:
                raise TypeError(f"{layer.who}: `training` was given both by position and by name.")
            training = value
        elif name in kwargs:
            raise TypeError(f"{layer.who}: `{name}` was given both by position and by name.")
        else:
            kwargs[name] = value
    return training
