"""Test helpers that are part of the public API, so that custom ops and layers can use them too.

:func:`check_grads` is the one gradient checker: it runs a function in float64,
takes the tape's gradient of a random projection of its output, and compares
it with central finite differences along a random direction (plus element by
element for small inputs).
"""
import contextlib

import numpy as np

from . import backend
from .autodiff import GradientTape, Tensor
from .layers.base import no_autocast


@contextlib.contextmanager
def _float64(params):
    old_floatx = backend.floatx()
    old_values = [p.value for p in params]
    backend.set_floatx("float64")
    for p in params:
        p.value = p.value.astype(np.float64)
    try:
        with no_autocast():  # layers built in float32 compute on the float64 values as given
            yield
    finally:
        backend.set_floatx(old_floatx)
        for p, v in zip(params, old_values):
            v[...] = p.value
            p.value = v


def check_grads(f, inputs, params=(), eps=1e-6, atol=1e-6, rtol=1e-5, elementwise_limit=50, seed=0):
    """Check the tape's gradients of ``f(*inputs)`` against central differences, in float64.

    ``inputs``: arrays (float ones are differentiated; integer ones, such as class
    labels, are passed through unchanged). ``params``: Variables that ``f`` uses
    (layer weights), differentiated too. The random generator of dendrite is
    reseeded before every evaluation, so dropout masks are the same each time.
    Raises AssertionError with the numeric and analytic values on mismatch.
    """
    params = list(params)
    rs = np.random.default_rng(seed)
    with _float64(params):
        arrays = [np.array(x, dtype=np.float64) if np.asarray(x).dtype.kind == "f" else np.asarray(x)
                  for x in inputs]
        diff_idx = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]

        def run(values):
            backend.seed(seed)
            ts = [Tensor(v) if i in diff_idx else v for i, v in enumerate(values)]
            return ts, f(*ts)

        _, first = run(arrays)
        if not isinstance(first, Tensor):
            raise TypeError(f"check_grads: f must return a Tensor, returned {type(first).__name__}.")
        weights = rs.standard_normal(first.shape)
        with GradientTape() as tape:
            ts = [Tensor(v) if i in diff_idx else v for i, v in enumerate(arrays)]
            for i in diff_idx:
                tape.watch(ts[i])
            backend.seed(seed)
            out = f(*ts)
            proj = _project(out, weights)
        loss = float(proj.value)
        sources = [ts[i] for i in diff_idx] + params
        grads = tape.gradient(proj, sources)
        grads = [np.zeros(s.shape) if g is None else np.asarray(g, dtype=np.float64) for g, s in zip(grads, sources)]

        def objective(in_vals, param_vals):
            for p, v in zip(params, param_vals):
                p.value = v
            _, o = run(in_vals)
            return float((np.asarray(o.value, dtype=np.float64) * weights).sum())

        base_in = [a.copy() for a in arrays]
        base_p = [p.value.copy() for p in params]
        directions = [rs.standard_normal(s.shape) for s in sources]
        norm = np.sqrt(sum(float((d * d).sum()) for d in directions)) or 1.0
        directions = [d / norm for d in directions]

        def shifted(sign, which=None, index=None):
            ins = [a.copy() for a in base_in]
            ps = [v.copy() for v in base_p]
            for k, d in enumerate(directions):
                step = np.zeros_like(d)
                if which is None:
                    step = d * eps * sign
                elif k == which:
                    step[index] = eps * sign
                else:
                    continue
                if k < len(diff_idx):
                    ins[diff_idx[k]] = ins[diff_idx[k]] + step
                else:
                    ps[k - len(diff_idx)] = ps[k - len(diff_idx)] + step
            return objective(ins, ps)

        numeric = (shifted(+1) - shifted(-1)) / (2 * eps)
        analytic = sum(float((g * d).sum()) for g, d in zip(grads, directions))
        for p, v in zip(params, base_p):
            p.value = v
        if not np.isfinite(loss) or abs(numeric - analytic) > atol + rtol * abs(numeric):
            raise AssertionError(
                "check_grads: directional derivative mismatch\n"
                f"  numeric  = {numeric!r}\n  analytic = {analytic!r}\n"
                f"  input shapes = {[a.shape for a in arrays]}, param shapes = {[p.shape for p in params]}"
            )
        for k, (g, s) in enumerate(zip(grads, sources)):
            if g.size > elementwise_limit:
                continue
            for index in np.ndindex(g.shape):
                num = (shifted(+1, k, index) - shifted(-1, k, index)) / (2 * eps)
                if abs(num - g[index]) > atol + rtol * abs(num):
                    name = f"input {diff_idx[k]}" if k < len(diff_idx) else f"param '{params[k - len(diff_idx)].name}'"
                    raise AssertionError(
                        f"check_grads: gradient of {name} at {index} differs\n"
                        f"  numeric  = {num!r}\n  analytic = {g[index]!r}\n  inputs = {base_in!r}"
                    )
        for p, v in zip(params, base_p):
            p.value = v
    return True


def _project(out, weights):
    from .autodiff import ops
    return ops.sum(ops.multiply(out, weights))


def run_layer_test(layer_cls, init_kwargs, input_shape, expected_output_shape, expected_num_trainable_weights=0,
                   expected_num_non_trainable_weights=0, training=True, check_gradients=True, input_data=None,
                   seed=0):
    """The standard checks for a layer: config round-trip, build, output shape against
    ``compute_output_shape`` and the expected shape, weight counts, and a gradient check
    of the output with respect to the input and the trainable weights. Returns the layer."""
    layer = layer_cls(**init_kwargs)
    clone = layer_cls.from_config(layer.get_config())
    if clone.get_config() != layer.get_config():
        raise AssertionError(f"{layer_cls.__name__}: get_config / from_config round-trip changed the config:\n"
                             f"  {layer.get_config()}\n  {clone.get_config()}")
    x = input_data if input_data is not None else np.random.default_rng(seed).uniform(-1, 1, input_shape)
    out = layer(x, training=training)
    if tuple(out.shape) != tuple(expected_output_shape):
        raise AssertionError(f"{layer_cls.__name__}: output shape {out.shape}, expected {expected_output_shape}")
    symbolic = layer.compute_output_shape((None,) + tuple(input_shape[1:]))
    if tuple(symbolic[1:]) != tuple(expected_output_shape[1:]):
        raise AssertionError(f"{layer_cls.__name__}: compute_output_shape gives {symbolic}, "
                             f"expected (None,) + {tuple(expected_output_shape[1:])}")
    counts = (len(layer.trainable_weights), len(layer.non_trainable_weights))
    if counts != (expected_num_trainable_weights, expected_num_non_trainable_weights):
        raise AssertionError(f"{layer_cls.__name__}: (trainable, non-trainable) weight counts {counts}, expected "
                             f"{(expected_num_trainable_weights, expected_num_non_trainable_weights)}")
    if check_gradients and np.asarray(x).dtype.kind == "f":
        check_grads(lambda t: layer(t, training=training), [x], params=layer.trainable_weights, seed=seed)
    return layer
