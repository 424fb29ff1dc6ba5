"""The fused recurrent ops (simple_rnn, lstm, gru): outputs and final states against the step-by-step
NumPy references of Keras's cells (tests/reference_rnn.py), and their hand-written backward passes
through check_grads, over masks, go_backwards, return_sequences / return_state, initial states and
dropout masks (shared or one per gate)."""
import numpy as np
import pytest

from dendrite.autodiff import ops
from dendrite.autodiff.ops import recurrent as R
from dendrite.testing import check_grads
import reference_rnn as ref

N, T, F, U = 3, 4, 2, 3
GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3, "gru_before": 3}
MASK = np.array([[1, 1, 0, 1], [0, 1, 1, 0], [0, 0, 0, 0]], bool)  # a gap, leading/trailing gaps, all masked


def _weights(kind, seed=0, use_bias=True):
    rs = np.random.default_rng(seed)
    g = GATES[kind]
    kernel, rk = rs.standard_normal((F, g * U)) * 0.6, rs.standard_normal((U, g * U)) * 0.6
    bias = None
    if use_bias:
        bias = rs.standard_normal((2, g * U) if kind == "gru" else (g * U,)) * 0.3
    return kernel, rk, bias


def _call(kind, x, kernel, rk, bias, states=None, **kwargs):
    if kind.startswith("gru"):
        return ops.gru(x, kernel, rk, bias, states, reset_after=kind == "gru", **kwargs)
    return getattr(ops, kind)(x, kernel, rk, bias, states, **kwargs)


def _reference(kind, x, kernel, rk, bias, states=None, **kwargs):
    step_kind = "gru" if kind.startswith("gru") else kind
    if step_kind == "gru":
        kwargs["reset_after"] = kind == "gru"
    return ref.run(step_kind, x, kernel, rk, bias, states, **kwargs)


def _states(kind, seed=5):
    rs = np.random.default_rng(seed)
    return [rs.standard_normal((N, U)) * 0.5 for _ in range(2 if kind == "lstm" else 1)]


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("mask", [None, MASK])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_outputs_and_states_match_the_reference(kind, mask, go_backwards, zero_output):
    x = np.random.default_rng(1).standard_normal((N, T, F))
    kernel, rk, bias = _weights(kind)
    h0 = _states(kind)
    seq, last, final = _reference(kind, x, kernel, rk, bias, h0, mask=mask, go_backwards=go_backwards,
                                  zero_output_for_mask=zero_output)
    got = _call(kind, x, kernel, rk, bias, h0, mask=mask, go_backwards=go_backwards, return_sequences=True,
                return_state=True, zero_output_for_mask=zero_output)
    assert len(got) == 1 + len(final)
    np.testing.assert_allclose(got[0].value, seq, rtol=1e-10, atol=1e-12)
    for a, b in zip(got[1:], final):
        np.testing.assert_allclose(a.value, b, rtol=1e-10, atol=1e-12)
    only_last = _call(kind, x, kernel, rk, bias, h0, mask=mask, go_backwards=go_backwards,
                      zero_output_for_mask=zero_output)
    np.testing.assert_allclose(only_last.value, last, rtol=1e-10, atol=1e-12)


def test_masked_steps_keep_the_state_and_repeat_the_output():
    x = np.random.default_rng(2).standard_normal((N, T, F))
    kernel, rk, bias = _weights("lstm")
    seq, h, c = _call("lstm", x, kernel, rk, bias, mask=MASK, return_sequences=True, return_state=True)
    seq = seq.value
    np.testing.assert_array_equal(seq[0, 2], seq[0, 1])  # a gap repeats the previous output
    np.testing.assert_array_equal(seq[1, 0], 0)  # before the first unmasked step: zeros
    np.testing.assert_array_equal(seq[2], 0)  # nothing unmasked: zeros and initial (zero) states
    np.testing.assert_array_equal(h.value[2], 0)
    np.testing.assert_array_equal(c.value[2], 0)
    np.testing.assert_array_equal(h.value[1], seq[1, 2])  # the state after the last unmasked step


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("per_gate", [False, True])
def test_dropout_masks_match_the_reference(kind, per_gate):
    rs = np.random.default_rng(3)
    x = rs.standard_normal((N, T, F))
    kernel, rk, bias = _weights(kind)
    g = GATES[kind] if per_gate and kind != "simple_rnn" else None
    lead = () if g is None else (g,)
    dmask = (rs.random(lead + (N, F)) > 0.4) / 0.6
    rmask = (rs.random(lead + (N, U)) > 0.4) / 0.6
    seq, _, final = _reference(kind, x, kernel, rk, bias, mask=MASK, dmask=dmask, rmask=rmask)
    got = _call(kind, x, kernel, rk, bias, mask=MASK, return_sequences=True, return_state=True, dropout_mask=dmask,
                recurrent_dropout_mask=rmask)
    np.testing.assert_allclose(got[0].value, seq, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got[1].value, final[0], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind", ["lstm", "gru", "gru_before"])
@pytest.mark.parametrize("act, ract", [("relu", "hard_sigmoid"), ("linear", "sigmoid"), ("sigmoid", "tanh")])
def test_other_activations_match_the_reference(kind, act, ract):
    fns = {"relu": lambda a: np.maximum(a, 0), "hard_sigmoid": lambda a: np.clip(a / 6 + 0.5, 0, 1),
           "linear": lambda a: a, "sigmoid": ref.sigmoid, "tanh": np.tanh}
    x = np.random.default_rng(4).standard_normal((N, T, F)) * 3
    kernel, rk, bias = _weights(kind)
    seq, _, _ = _reference(kind, x, kernel, rk, bias, act=fns[act], ract=fns[ract])
    got = _call(kind, x, kernel, rk, bias, activation=act, recurrent_activation=ract, return_sequences=True)
    np.testing.assert_allclose(got.value, seq, rtol=1e-10, atol=1e-12)


def test_float32_by_default_and_no_bias():
    x = np.random.default_rng(5).standard_normal((N, T, F)).astype(np.float32)
    kernel, rk = (w.astype(np.float32) for w in _weights("gru_before", use_bias=False)[:2])
    out, h = ops.gru(x, kernel, rk, reset_after=False, return_sequences=True, return_state=True)
    assert out.dtype == np.float32 and h.dtype == np.float32 and out.shape == (N, T, U) and h.shape == (N, U)
    seq, _, _ = ref.run("gru", x, kernel.astype(np.float64), rk.astype(np.float64), reset_after=False)
    np.testing.assert_allclose(out.value, seq, rtol=1e-5, atol=1e-6)


# -------------------------------------------------------------------- gradients
def _flat_outputs(result):
    parts = result if isinstance(result, list) else [result]
    return ops.concatenate([ops.reshape(p, (p.shape[0], -1)) for p in parts], axis=1)


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("options", [
    {},
    {"return_sequences": True, "return_state": True},
    {"mask": MASK, "return_sequences": True, "return_state": True},
    {"mask": MASK, "go_backwards": True, "zero_output_for_mask": True, "return_sequences": True},
    {"mask": MASK, "go_backwards": True, "return_state": True},
])
def test_gradients(kind, options):
    rs = np.random.default_rng(6)
    x = rs.standard_normal((N, T, F))
    kernel, rk, bias = _weights(kind, seed=7)
    h0 = _states(kind, seed=8)

    def f(x_, k_, rk_, b_, *states):
        return _flat_outputs(_call(kind, x_, k_, rk_, b_, list(states), **options))
    # element by element for one case, along random directions for all (each fails on any wrong part)
    elementwise = options.get("return_state") and "mask" in options
    check_grads(f, [x, kernel, rk, bias] + h0, elementwise_limit=50 if elementwise else 0)
    if not options:  # and without given initial states (zeros) or bias
        check_grads(lambda x_, k_, rk_: _flat_outputs(_call(kind, x_, k_, rk_, None, **options)), [x, kernel, rk])


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("per_gate", [False, True])
def test_gradients_with_dropout_masks(kind, per_gate):
    rs = np.random.default_rng(9)
    x = rs.standard_normal((N, T, F))
    kernel, rk, bias = _weights(kind, seed=10)
    lead = (GATES[kind],) if per_gate else ()
    dmask = (rs.random(lead + (N, F)) > 0.3) / 0.7
    rmask = (rs.random(lead + (N, U)) > 0.3) / 0.7

    def f(x_, k_, rk_, b_):
        return _flat_outputs(_call(kind, x_, k_, rk_, b_, mask=MASK, return_sequences=True, return_state=True,
                                   dropout_mask=dmask, recurrent_dropout_mask=rmask))
    check_grads(f, [x, kernel, rk, bias], elementwise_limit=50 if per_gate else 0)


# ----------------------------------------------------------------------- errors
def test_shape_errors_name_the_argument_and_the_shapes():
    x = np.zeros((N, T, F))
    kernel, rk, bias = _weights("lstm")
    with pytest.raises(ValueError, match=r"lstm: `kernel` must have shape \(2, 12\).*received shape \(3, 12\)"):
        ops.lstm(x, np.zeros((3, 12)), rk, bias)
    with pytest.raises(ValueError, match=r"lstm: `x` must have shape \(batch, timesteps, features\).*\(3, 2\)"):
        ops.lstm(np.zeros((N, F)), kernel, rk, bias)
    with pytest.raises(ValueError, match=r"lstm: `mask` must have shape \(3, 4\).*received shape \(3, 5\)"):
        ops.lstm(x, kernel, rk, bias, mask=np.ones((N, 5), bool))
    with pytest.raises(ValueError, match=r"gru: `bias` must have shape \(2, 9\)"):
        ops.gru(x, *_weights("gru_before"))
    with pytest.raises(ValueError, match=r"lstm: `initial_state` must hold 2 arrays"):
        ops.lstm(x, kernel, rk, bias, [np.zeros((N, U))])
    with pytest.raises(ValueError, match=r"`recurrent_dropout_mask` must have shape \(4, 3, 3\)"):
        ops.lstm(x, kernel, rk, bias, recurrent_dropout_mask=np.ones((2, N, U)))
    with pytest.raises(ValueError, match=r"`activation` must be one of .*received activation='softsign'"):
        R.SimpleRNNSequence(activation="softsign")


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru", "gru_before"])
@pytest.mark.parametrize("per_gate", [False, True])
def test_rows_split_over_threads_in_a_parallel_region_give_the_same_values_and_gradients(kind, per_gate,
                                                                                        monkeypatch):
    """In a parallel region each thread runs the recurrence for its own block of batch rows: masks, dropout
    masks, final states and every gradient come out as on one thread (37 rows: blocks of 19 and 18)."""
    from dendrite import runtime
    from dendrite.autodiff import tape
    n, t = 37, 5
    rs = np.random.default_rng(11)
    kernel, rk, bias = _weights(kind, seed=3)
    x = rs.standard_normal((n, t, F))
    mask = rs.random((n, t)) > 0.3
    g = GATES[kind]
    drop = (rs.random((g, n, F) if per_gate else (n, F)) > 0.2) / 0.8
    rdrop = (rs.random((g, n, U) if per_gate else (n, U)) > 0.2) / 0.8
    states = [rs.standard_normal((n, U)) for _ in range(2 if kind == "lstm" else 1)]

    def run():
        variables = [tape.Variable(a) for a in (x, kernel, rk, bias, *states)]
        with tape.GradientTape() as gt:
            out = _call(kind, variables[0], *variables[1:4], variables[4:], mask=mask, return_sequences=True,
                        return_state=True, zero_output_for_mask=True, dropout_mask=drop,
                        recurrent_dropout_mask=rdrop)
            total = ops.sum(ops.concatenate([ops.reshape(o, (n, -1)) for o in out], axis=1) * 0.7)
        return [np.asarray(o.value) for o in out], [np.asarray(d) for d in gt.gradient(total, variables)]

    want_out, want_grads = run()
    counts = []
    real = runtime.parallel
    monkeypatch.setattr(runtime, "parallel", lambda fn, count: counts.append(count) or real(fn, count))
    before = runtime.num_threads()
    runtime.set_num_threads(2)
    try:
        with runtime.parallel_region():
            got_out, got_grads = run()
    finally:
        runtime.set_num_threads(before)
    assert counts.count(2) >= 2  # the forward and the backward recurrence each split in two
    for a, b in zip(got_out + got_grads, want_out + want_grads):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
