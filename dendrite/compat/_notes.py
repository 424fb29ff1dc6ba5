"""The compatibility layer's two voices: a one-time note on stderr when a program uses an old spelling that
dendrite translates, and the NotImplementedError for an API that the compatibility mode does not cover.

Notes are silenced by ``dendrite run --quiet-compat`` or the environment variable ``DENDRITE_QUIET_COMPAT=1``.
"""
import os
import sys

QUIET_ENV = "DENDRITE_QUIET_COMPAT"
TABLE = "docs/compat.md"
_seen = set()


def note(key, message):
    """Print ``message`` on stderr once per process for ``key`` (unless notes are silenced)."""
    if key in _seen:
        return
    _seen.add(key)
    if os.environ.get(QUIET_ENV, "") not in ("", "0"):
        return
    print(f"dendrite compat: {message}", file=sys.stderr)


def renamed(owner, old, new, era="Keras 2"):
    """The note for a legacy argument that dendrite reads under its new name."""
    note((owner, old), f"{owner}: `{old}` is the {era} spelling of `{new}`; dendrite reads it as `{new}`.")


def unsupported(api, hint=None):
    """The error for an API outside the compatibility table (docs/compat.md)."""
    extra = f" {hint}" if hint else ""
    return NotImplementedError(
        f"{api} is not supported by dendrite's compatibility mode.{extra} The table of what is supported, era "
        f"by era, is in {TABLE} (dendrite's documentation).")


class UnsupportedModule(ModuleNotFoundError, NotImplementedError):
    """A module path outside the table: an ImportError, so that ``try: import ... except ImportError`` falls
    back and ``find_spec`` probes see a missing module, and the NotImplementedError every unsupported API
    raises."""


def unsupported_module(fullname, hint=None):
    """The error for importing a module outside the compatibility table."""
    return UnsupportedModule(str(unsupported(f"the module `{fullname}`", hint)), name=fullname)


def translate(owner, kwargs, mapping, era="Keras 2"):
    """Rename legacy keyword arguments in ``kwargs`` (in place) by ``mapping``: old name -> new name, or old
    name -> a function of the value returning a dict of new arguments. A legacy name given together with its
    new name is an error naming both."""
    for old, new in mapping.items():
        if old not in kwargs:
            continue
        value = kwargs.pop(old)
        if callable(new):
            updates = new(value)
            label = ", ".join(f"`{k}`" for k in updates)
        else:
            updates = {new: value}
            label = f"`{new}`"
        for key in updates:
            if key in kwargs:
                raise TypeError(f"{owner}: both `{old}` (the {era} spelling) and `{key}` were given. "
                                f"Pass only `{key}`.")
        note((owner, old), f"{owner}: `{old}` is the {era} spelling; dendrite reads it as {label}.")
        kwargs.update(updates)
    return kwargs
