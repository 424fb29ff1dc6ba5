"""Routed parameters, as scikeras names them: ``model__units`` goes to the model-building function,
``optimizer__learning_rate`` to the optimizer, ``fit__validation_split`` to ``Model.fit``,
``predict__batch_size`` to ``Model.predict``, ``callbacks__0__patience`` to the first callback.

``route`` picks one destination's parameters out of ``get_params()``; ``instantiate`` turns a class (or a list
or dict of classes) into objects with the parameters routed to it; ``call_with`` calls the model-building
function with the arguments it takes and names the one it does not.
"""
import inspect

_DIGITS = frozenset("0123456789")


def route(params, destination, plain=(), strict=False):
    """The parameters for ``destination``: the plain (unprefixed) ones named in ``plain``, and every
    ``destination__name`` as ``name``. With ``strict``, ``destination__a__b`` (meant for something inside
    ``a``) is left out."""
    out = {k: v for k, v in params.items() if "__" not in k and k in plain}
    prefix = destination + "__"
    for key, value in params.items():
        if key.startswith(prefix):
            name = key[len(prefix):]
            if not (strict and "__" in name):
                out[name] = value
    return out


def parameters(fn):
    """(names of the keyword arguments ``fn`` takes, whether it takes **kwargs)."""
    sig = inspect.signature(fn)
    names = {p.name for p in sig.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return names, any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())


def takes(fn, name):
    names, var_kw = parameters(fn)
    return name in names or var_kw


def _describe(fn):
    return getattr(fn, "__name__", None) or type(fn).__name__


def call_with(fn, routed, optional, who):
    """``fn(**arguments)``: every routed argument (``{name: (parameter it came from, value)}``) must be one
    ``fn`` takes, else a ValueError names the parameter; ``optional`` ones (meta, compile_kwargs, params: each
    a function that makes the value) are passed only where ``fn`` takes them."""
    names, var_kw = parameters(fn)
    args = {}
    for name, (source, value) in routed.items():
        if name not in names and not var_kw:
            raise ValueError(f"{who}: the parameter `{source}={value!r}` is routed to the model-building function "
                             f"{_describe(fn)}(), which takes no argument `{name}`; its arguments are "
                             f"{sorted(names) or 'none'}. Add `{name}` to its signature, or drop `{source}`.")
        args[name] = value
    for name, make in optional.items():
        if (name in names or var_kw) and name not in args:
            args[name] = make()
    return fn(**args)


def instantiate(items, params, what, base=None):
    """``items`` with the routed ``params`` applied: a class is called with its parameters (``0``, ``1``, ...
    positionally), a list / tuple or dict is done item by item (``0__x`` or ``key__x`` goes to one item, a
    plain ``x`` to every item), an object or name is returned as it is, and refuses parameters."""
    plain = {k: v for k, v in params.items() if "__" not in k}
    base = dict(base or {})
    if inspect.isclass(items):
        arguments = {**base, **plain}
        for name in list(arguments):
            arguments[name] = instantiate(arguments[name], route(params, name), f"{what}__{name}")
        kwargs = {k: v for k, v in arguments.items() if k[0] not in _DIGITS}
        args = [v for _, v in sorted((int(k), v) for k, v in arguments.items() if k[0] in _DIGITS)]
        try:
            return items(*args, **kwargs)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{what}: {items.__name__} could not be made from the routed parameters "
                             f"{sorted(arguments)}: {e} Check the names after `{what}__`.") from None
    if isinstance(items, (list, tuple)):
        return type(items)(instantiate(item, route(params, str(i)), f"{what}__{i}", base=plain)
                           for i, item in enumerate(items))
    if isinstance(items, dict):
        return {key: instantiate(item, route(params, str(key)), f"{what}__{key}", base=plain)
                for key, item in items.items()}
    given = {**base, **plain}
    if given:
        raise ValueError(f"{what}: routed parameters {sorted(given)} were given, but {items!r} is "
                         f"{'a name' if isinstance(items, str) else 'an object'}, not a class, so it takes none. "
                         f"Pass the class instead (e.g. optimizer=dendrite.optimizers.Adam), or drop them.")
    return items
