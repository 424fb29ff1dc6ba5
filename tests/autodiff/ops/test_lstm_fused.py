"""The LSTM op for the common case (tanh / sigmoid, no mask, no dropout): ops.lstm picks it exactly then;
its outputs, final states and gradients equal the general op's (and the NumPy reference's) for every
output option, in training (recording) and inference; check_grads on it directly."""
import itertools

import numpy as np
import pytest

from dendrite.autodiff import ops
from dendrite.autodiff.ops import recurrent as R
from dendrite.autodiff.ops.lstm_fused import FusedLSTMSequence, fusable
from dendrite.testing import check_grads
import reference_rnn as ref

N, T, F, U = 4, 5, 3, 2


def _arrays(dtype, seed=0):
    rs = np.random.default_rng(seed)
    x = rs.standard_normal((N, T, F)).astype(dtype)
    kernel, rk = (rs.standard_normal((F, 4 * U)) * 0.6).astype(dtype), (rs.standard_normal((U, 4 * U)) * 0.6).astype(dtype)
    bias = (rs.standard_normal(4 * U) * 0.3).astype(dtype)
    states = [(rs.standard_normal((N, U)) * 0.5).astype(dtype) for _ in range(2)]
    return x, kernel, rk, bias, states


def test_lstm_takes_the_fused_op_only_for_tanh_sigmoid_without_mask_or_dropout():
    assert fusable("tanh", "sigmoid", None, None, None)
    mask, drop = np.ones((N, T), bool), np.ones((N, F))
    for args in (("relu", "sigmoid", None, None, None), ("tanh", "hard_sigmoid", None, None, None),
                 ("tanh", "sigmoid", mask, None, None), ("tanh", "sigmoid", None, drop, None),
                 ("tanh", "sigmoid", None, None, np.ones((N, U)))):
        assert not fusable(*args)
    x, kernel, rk, bias, _ = _arrays(np.float64)
    calls = []
    original = FusedLSTMSequence.forward
    FusedLSTMSequence.forward = lambda self, *a: calls.append(1) or original(self, *a)
    try:
        out = ops.lstm(x, kernel, rk, bias)
        ops.lstm(x, kernel, rk, bias, mask=mask)  # the general op
    finally:
        FusedLSTMSequence.forward = original
    assert len(calls) == 1
    np.testing.assert_allclose(np.asarray(out.value), ref.run("lstm", x, kernel, rk, bias)[1], rtol=1e-12, atol=1e-12)

@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-13), (np.float32, 2e-6)])
@pytest.mark.parametrize("recording", [True, False])
def test_outputs_and_gradients_equal_the_general_op(dtype, tol, recording):
    for return_sequences, return_state, go_backwards, use_bias in itertools.product([False, True], repeat=4):
        x, kernel, rk, bias, states = _arrays(dtype, seed=int(return_sequences) + 2 * int(go_backwards))
        inputs = [x, kernel, rk] + ([bias] if use_bias else []) + states
        options = dict(go_backwards=go_backwards, return_sequences=return_sequences, return_state=return_state,
                       use_bias=use_bias)
        general, fused = R.LSTMSequence(**options), FusedLSTMSequence(**options)
        general.recording = fused.recording = recording
        expected, got = general.forward(*inputs), fused.forward(*inputs)
        assert got.dtype == dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=str(options))
        if recording:
            grad = np.random.default_rng(3).standard_normal(expected.shape).astype(dtype)
            needed = [True] * len(inputs)
            for a, b in zip(fused.vjp(grad, needed), general.vjp(grad, needed)):
                assert a.shape == b.shape and a.dtype == dtype
                np.testing.assert_allclose(a, b, rtol=10 * tol, atol=10 * tol, err_msg=str(options))


@pytest.mark.parametrize("options", [{}, {"return_sequences": True, "return_state": True},
                                     {"go_backwards": True, "return_state": True}])
def test_gradients(options):
    x, kernel, rk, bias, states = _arrays(np.float64, seed=7)

    def f(x_, k_, rk_, b_, h0, c0):
        out = ops.lstm(x_, k_, rk_, b_, [h0, c0], **options)
        parts = out if isinstance(out, list) else [out]
        return ops.concatenate([ops.reshape(p, (N, -1)) for p in parts], axis=1)

    check_grads(f, [x, kernel, rk, bias] + states)


@pytest.mark.parametrize("return_sequences, return_state", [(False, False), (True, True)])
def test_rows_split_over_threads_in_a_parallel_region_give_the_same_values(monkeypatch, return_sequences,
                                                                           return_state):
    from dendrite import runtime
    before = runtime.num_threads()
    runtime.set_num_threads(2)
    counts = []
    real = runtime.parallel
    monkeypatch.setattr(runtime, "parallel", lambda fn, count: counts.append(count) or real(fn, count))
    try:
        rs = np.random.default_rng(5)
        n, t, f, u = 37, 6, 5, 8  # 37 rows: blocks of 19 and 18, one per thread
        x = rs.standard_normal((n, t, f))
        kernel, rk = rs.standard_normal((f, 4 * u)) * 0.5, rs.standard_normal((u, 4 * u)) * 0.5
        inputs = [x, kernel, rk, rs.standard_normal(4 * u) * 0.3] + [rs.standard_normal((n, u)) for _ in range(2)]
        options = dict(return_sequences=return_sequences, return_state=return_state)
        general, fused = R.LSTMSequence(**options), FusedLSTMSequence(**options)
        general.recording = fused.recording = True
        expected = general.forward(*inputs)
        grad = rs.standard_normal(expected.shape)
        want = general.vjp(grad, [True] * 6)
        with runtime.parallel_region():
            got = fused.forward(*inputs)
            got_grads = fused.vjp(grad, [True] * 6)
        assert counts.count(2) >= 2  # the forward and the backward recurrence each split in two
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
        for a, b in zip(got_grads, want):
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-11)
    finally:
        runtime.set_num_threads(before)
