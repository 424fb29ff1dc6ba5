"""Convolution ops: outputs against direct loop references written here, gradients through check_grads."""
import numpy as np
import pytest

from dendrite.autodiff import GradientTape, Tensor
from dendrite.autodiff.ops import conv as C
from dendrite.autodiff.ops.conv import columns, input_grad, space_to_depth
from dendrite.testing import check_grads
from reference import ref_conv2d

rs = np.random.default_rng(0)


# ------------------------------------------------------------ references


def ref_conv2d_transpose(x, w, b=None, strides=(1, 1), padding="valid", output_padding=None, dilation=(1, 1)):
    """Scatter every input pixel through the kernel (w: kh, kw, filters, in), then crop as TensorFlow does."""
    n, h, wd, c = x.shape
    kh, kw, f, _ = w.shape
    lengths, before = [], []
    for size, k, s, d, ax in ((h, kh, strides[0], dilation[0], 0), (wd, kw, strides[1], dilation[1], 1)):
        dk = (k - 1) * d + 1
        if output_padding is None:
            length = size * s + max(dk - s, 0) if padding == "valid" else size * s
        else:
            length = (size - 1) * s + dk - 2 * (dk // 2 if padding == "same" else 0) + output_padding[ax]
        lengths.append(length)
        before.append(max((size - 1) * s + dk - length, 0) // 2 if padding == "same" else 0)
    big = np.zeros((n, lengths[0] + before[0] + kh * dilation[0] + h * strides[0],
                    lengths[1] + before[1] + kw * dilation[1] + wd * strides[1], f))
    for a in range(h):
        for bb in range(wd):
            for i in range(kh):
                for j in range(kw):
                    r, q = a * strides[0] + i * dilation[0], bb * strides[1] + j * dilation[1]
                    big[:, r, q] += x[:, a, bb] @ w[i, j].T
    y = big[:, before[0]:before[0] + lengths[0], before[1]:before[1] + lengths[1]]
    return y if b is None else y + b


@pytest.fixture(params=["phase", "col2im"])
def input_grad_method(request, monkeypatch):
    """Run a test through each of the two input-gradient methods (input_grad._use_col2im picks one by channels)."""
    monkeypatch.setattr(input_grad, "_use_col2im", lambda cg, og: request.param == "col2im")
    return request.param


# --------------------------------------------------------------- conv2d
# (input shape, kernel hw, strides, padding, dilation, groups): odd/even kernels, strides 1/2/3, odd sizes.
CONV2D_CASES = [
    ((2, 7, 7, 3), (3, 3), (1, 1), "valid", (1, 1), 1),
    ((2, 7, 7, 3), (3, 3), (2, 2), "same", (1, 1), 1),
    ((2, 7, 6, 3), (2, 2), (2, 2), "same", (1, 1), 1),
    ((2, 8, 7, 3), (4, 3), (3, 3), "same", (1, 1), 1),
    ((2, 7, 7, 3), (3, 2), (3, 3), "valid", (1, 1), 1),
    ((2, 7, 7, 3), (3, 3), (1, 1), "same", (2, 2), 1),
    ((2, 9, 8, 2), (2, 3), (1, 1), "valid", (3, 2), 1),
    ((2, 7, 7, 4), (3, 3), (2, 2), "same", (1, 1), 2),
    ((2, 6, 5, 6), (1, 1), (1, 1), "valid", (1, 1), 3),
    ((2, 7, 6, 3), (3, 2), (2, 1), "same", (1, 1), 3),  # one channel per group: transposed columns
    ((1, 5, 5, 2), (5, 5), (1, 1), "valid", (1, 1), 1),
    ((2, 5, 5, 1), (6, 6), (2, 2), "same", (1, 1), 1),
    ((2, 7, 9, 3), (3, 4), (1, 2), "same", (1, 1), 1),
    ((2, 9, 9, 2), (4, 4), (2, 2), "valid", (1, 1), 1),
    ((2, 8, 9, 3), (5, 5), (2, 2), "same", (1, 1), 1),  # odd pad_before on one axis (phase realignment)
    ((2, 9, 8, 3), (3, 3), (2, 1), "same", (1, 2), 1),  # stride on one axis, dilation on the other
    ((2, 9, 9, 6), (2, 3), (2, 2), "valid", (2, 2), 1),  # both > 1: the op allows it (Keras layers do not)
]


def _case_id(case):
    shape, k, s, p, d, g = case
    return f"{shape[1]}x{shape[2]}x{shape[3]}-k{k[0]}{k[1]}-s{s[0]}{s[1]}-{p}-d{d[0]}{d[1]}-g{g}"


def _conv_inputs(case, out_channels=4):
    shape, k, s, p, d, g = case
    x = rs.standard_normal(shape).astype(np.float32)
    w = rs.standard_normal((*k, shape[3] // g, out_channels if g == 1 else 2 * g)).astype(np.float32)
    b = rs.standard_normal(w.shape[-1]).astype(np.float32)
    return x, w, b


@pytest.mark.parametrize("case", CONV2D_CASES, ids=_case_id)
def test_conv2d_matches_direct_loop(case):
    shape, k, s, p, d, g = case
    x, w, b = _conv_inputs(case)
    y = C.conv2d(Tensor(x), Tensor(w), Tensor(b), strides=s, padding=p, dilation_rate=d, groups=g)
    expected = ref_conv2d(x.astype(np.float64), w.astype(np.float64), b, s, p, d, g)
    assert y.dtype == np.float32
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", CONV2D_CASES, ids=_case_id)
def test_conv2d_gradients(case, input_grad_method):
    shape, k, s, p, d, g = case
    x, w, b = _conv_inputs(case)
    check_grads(lambda x_, w_, b_: C.conv2d(x_, w_, b_, s, p, d, g), [x, w, b])


def test_conv2d_without_bias_and_only_some_gradients():
    x, w, _ = _conv_inputs(CONV2D_CASES[1])
    xt, wt = Tensor(x), Tensor(w)
    with GradientTape() as tape:
        tape.watch(wt)
        y = C.conv2d(xt, wt, strides=2, padding="same")
    gw = tape.gradient(y, wt)
    assert gw.shape == w.shape and gw.dtype == np.float32
    check_grads(lambda w_: C.conv2d(Tensor(x.astype(np.float64)), w_, strides=2, padding="same"), [w])


def test_conv2d_output_shapes_follow_tensorflow():
    x = np.zeros((1, 28, 28, 1), np.float32)
    w6, w5 = np.zeros((6, 6, 1, 2), np.float32), np.zeros((5, 5, 1, 2), np.float32)
    assert C.conv2d(x, w6, strides=2, padding="same").shape == (1, 14, 14, 2)
    assert C.conv2d(x, w5).shape == (1, 24, 24, 2)
    assert C.conv_output_length(28, 6, 2, 1, "same") == (14, (2, 2))
    assert C.conv_output_length(7, 2, 2, 1, "same") == (4, (0, 1))  # pad_before = pad_total // 2
    assert C.conv_output_length(7, 4, 3, 1, "same") == (3, (1, 2))


def test_conv2d_chunked_batch_matches_unchunked(monkeypatch, input_grad_method):
    case = CONV2D_CASES[3]
    x, w, b = _conv_inputs(case)
    _, _, s, p, d, g = case
    g_out = rs.standard_normal(ref_conv2d(x, w, b, s, p, d, g).shape).astype(np.float32)

    def run():
        xt, wt, bt = Tensor(x), Tensor(w), Tensor(b)
        with GradientTape() as tape:
            tape.watch([xt, wt, bt])
            y = C.conv2d(xt, wt, bt, s, p, d, g)
        return [y.value] + tape.gradient(y, [xt, wt, bt], output_gradients=g_out)

    monkeypatch.setattr(columns, "_CHUNK_BYTES", 2 ** 40)  # the whole batch at once
    full = run()
    monkeypatch.setattr(columns, "_CHUNK_BYTES", 1)  # one image per chunk
    for a, b_ in zip(full, run()):
        np.testing.assert_allclose(a, b_, rtol=1e-5, atol=1e-5)


def test_conv2d_rejects_kernel_larger_than_valid_input():
    with pytest.raises(ValueError, match=r"conv2d: the dilated kernel \(5, 5\) is larger than the padded input "
                                         r"\(4, 4\)"):
        C.conv2d(np.zeros((1, 4, 4, 1), np.float32), np.zeros((3, 3, 1, 1), np.float32), dilation_rate=2)


def test_conv2d_rejects_mismatched_kernel_channels():
    with pytest.raises(ValueError, match=r"conv2d: input has 3 channels.*kernel shape \(3, 3, 2, 4\)"):
        C.conv2d(np.zeros((1, 5, 5, 3), np.float32), np.zeros((3, 3, 2, 4), np.float32))


def test_conv2d_rejects_bad_arguments():
    with pytest.raises(ValueError, match="`strides` must be a positive int"):
        C.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), strides=0)
    with pytest.raises(ValueError, match="`padding` must be one of 'valid', 'same'"):
        C.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), padding="full")


# --------------------------------------------------------------- conv1d
@pytest.mark.parametrize("k, s, p, d", [(3, 1, "valid", 1), (2, 2, "same", 1), (3, 1, "causal", 2), (4, 3, "same", 1)])
def test_conv1d_matches_direct_loop_and_gradients(k, s, p, d, input_grad_method):
    x = rs.standard_normal((2, 9, 3)).astype(np.float32)
    w = rs.standard_normal((k, 3, 4)).astype(np.float32)
    b = rs.standard_normal(4).astype(np.float32)
    if p == "causal":  # left padding by the dilated kernel size - 1, then 'valid'
        xe = np.concatenate([np.zeros((2, (k - 1) * d, 3)), x], axis=1)
        expected = ref_conv2d(xe[:, None], w[None], b, (1, s), "valid", (1, d))[:, 0]
    else:
        expected = ref_conv2d(x[:, None].astype(np.float64), w[None], b, (1, s), p, (1, d))[:, 0]
    y = C.conv1d(Tensor(x), Tensor(w), Tensor(b), s, p, d)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_, w_, b_: C.conv1d(x_, w_, b_, s, p, d), [x, w, b])


# ----------------------------------------------------- depthwise_conv2d
@pytest.mark.parametrize("s, p, d, m", [((1, 1), "valid", (1, 1), 1), ((2, 2), "same", (1, 1), 2),
                                        ((1, 1), "same", (2, 2), 3), ((3, 2), "valid", (1, 1), 1)])
def test_depthwise_conv2d_matches_per_channel_loop_and_gradients(s, p, d, m):
    x = rs.standard_normal((2, 7, 8, 3)).astype(np.float32)
    w = rs.standard_normal((3, 2, 3, m)).astype(np.float32)
    b = rs.standard_normal(3 * m).astype(np.float32)
    expected = np.concatenate([ref_conv2d(x[..., c:c + 1], w[:, :, c:c + 1, :], None, s, p, d) for c in range(3)],
                              axis=-1) + b  # output channel c * m + j
    y = C.depthwise_conv2d(Tensor(x), Tensor(w), Tensor(b), s, p, d)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_, w_, b_: C.depthwise_conv2d(x_, w_, b_, s, p, d), [x, w, b])


# ----------------------------------------------------- conv2d_transpose
TRANSPOSE_CASES = [
    ((2, 4, 4, 3), (3, 3), (2, 2), "same", None, (1, 1)),
    ((2, 4, 5, 3), (3, 3), (2, 2), "valid", None, (1, 1)),
    ((2, 3, 3, 2), (2, 2), (2, 2), "same", None, (1, 1)),
    ((2, 3, 4, 2), (4, 3), (3, 3), "same", (1, 2), (1, 1)),
    ((2, 3, 3, 2), (3, 3), (2, 2), "valid", (1, 0), (1, 1)),
    ((2, 4, 4, 2), (3, 3), (1, 1), "same", None, (2, 2)),
    ((2, 3, 3, 2), (1, 1), (2, 2), "valid", None, (1, 1)),
    ((2, 5, 5, 2), (5, 4), (1, 1), "same", None, (1, 1)),
]


@pytest.mark.parametrize("case", TRANSPOSE_CASES)
def test_conv2d_transpose_matches_scatter_loop_and_gradients(case, input_grad_method):
    shape, k, s, p, op, d = case
    x = rs.standard_normal(shape).astype(np.float32)
    w = rs.standard_normal((*k, 3, shape[3])).astype(np.float32)
    b = rs.standard_normal(3).astype(np.float32)
    y = C.conv2d_transpose(Tensor(x), Tensor(w), Tensor(b), s, p, op, d)
    expected = ref_conv2d_transpose(x.astype(np.float64), w.astype(np.float64), b, s, p, op, d)
    assert y.dtype == np.float32
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_, w_, b_: C.conv2d_transpose(x_, w_, b_, s, p, op, d), [x, w, b])


def test_conv2d_transpose_output_shapes_follow_keras():
    x = np.zeros((1, 7, 7, 2), np.float32)
    assert C.conv2d_transpose(x, np.zeros((3, 3, 4, 2), np.float32), strides=2, padding="same").shape == (1, 14, 14, 4)
    assert C.conv2d_transpose(x, np.zeros((3, 3, 4, 2), np.float32), strides=2).shape == (1, 15, 15, 4)
    assert C.conv2d_transpose(x, np.zeros((1, 1, 4, 2), np.float32), strides=2).shape == (1, 14, 14, 4)
    assert C.conv2d_transpose(x, np.zeros((3, 3, 4, 2), np.float32), strides=2, padding="same",
                              output_padding=(1, 0)).shape == (1, 14, 13, 4)
    with pytest.raises(ValueError, match="`output_padding` must be smaller than the strides"):
        C.conv2d_transpose(x, np.zeros((3, 3, 4, 2), np.float32), strides=2, output_padding=2)


def test_conv2d_transpose_is_the_adjoint_of_conv2d(input_grad_method):
    # <conv2d(x, w), y> == <x, conv2d_transpose(y, w)> for the same strides, padding and kernel: the
    # (kh, kw, in, out) conv kernel is the (kh, kw, filters, in) kernel of the transpose as it stands.
    x = rs.standard_normal((2, 14, 14, 3))
    w = rs.standard_normal((5, 5, 3, 4))
    y = rs.standard_normal((2, 7, 7, 4))
    lhs = (C.conv2d(x, w, strides=2, padding="same").value * y).sum()
    rhs = (x * C.conv2d_transpose(y, w, strides=2, padding="same").value).sum()
    assert np.isclose(lhs, rhs)


def test_float32_in_float32_out_for_all_ops():
    x = np.ones((1, 6, 6, 2), np.float32)
    k = np.ones((3, 3, 2, 2), np.float32)
    for y in (C.conv2d(x, k), C.depthwise_conv2d(x, k[..., :1]), C.conv2d_transpose(x, k), C.conv1d(x[:, 0], k[0])):
        assert y.dtype == np.float32


# ------------------------------------------------- space-to-depth path for strided convolutions
# (input shape, kernel hw, strides, padding): kernels that are multiples of the strides, so _use_s2d picks them.
S2D_CASES = [
    ((2, 8, 8, 3), (6, 6), (2, 2), "same"),  # the codelab's layers: pads aligned with the stride
    ((2, 7, 7, 3), (4, 4), (2, 2), "same"),  # odd pad_before: head, body and tail blocks
    ((2, 9, 9, 2), (4, 4), (2, 2), "valid"),  # the last input row is never read
    ((2, 10, 11, 2), (6, 3), (3, 3), "same"),
    ((2, 7, 9, 3), (3, 4), (1, 2), "same"),  # stride on one axis only
    ((2, 5, 5, 1), (6, 6), (2, 2), "same"),  # kernel larger than the input, one channel
    ((1, 3, 5, 2), (4, 2), (2, 2), "same"),
]


def _s2d_id(case):
    shape, k, s, p = case
    return f"{shape[1]}x{shape[2]}x{shape[3]}-k{k[0]}{k[1]}-s{s[0]}{s[1]}-{p}"


@pytest.mark.parametrize("case", S2D_CASES, ids=_s2d_id)
def test_space_to_depth_path_matches_direct_loop_gradients_and_plain_path(case, monkeypatch):
    shape, k, s, p = case
    assert space_to_depth._use_s2d(k, s, (1, 1), 1)
    x, w, b = _conv_inputs((shape, k, s, p, (1, 1), 1))
    y = C.conv2d(Tensor(x), Tensor(w), Tensor(b), strides=s, padding=p)
    expected = ref_conv2d(x.astype(np.float64), w.astype(np.float64), b, s, p)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_, w_, b_: C.conv2d(x_, w_, b_, s, p), [x, w, b])

    g_out = rs.standard_normal(expected.shape).astype(np.float32)

    def run():
        xt, wt, bt = Tensor(x), Tensor(w), Tensor(b)
        with GradientTape() as tape:
            tape.watch([xt, wt, bt])
            y_ = C.conv2d(xt, wt, bt, s, p)
        return [y_.value] + tape.gradient(y_, [xt, wt, bt], output_gradients=g_out)

    s2d = run()
    monkeypatch.setattr(space_to_depth, "_use_s2d", lambda *a: False)
    for a, b_ in zip(s2d, run()):
        np.testing.assert_allclose(a, b_, rtol=1e-5, atol=1e-5)


def test_space_to_depth_is_only_used_where_the_kernel_is_a_multiple_of_the_stride():
    assert space_to_depth._use_s2d((6, 6), (2, 2), (1, 1), 1) and space_to_depth._use_s2d((4, 3), (2, 1), (1, 1), 1)
    assert not space_to_depth._use_s2d((5, 5), (2, 2), (1, 1), 1)  # would add zero taps
    assert not space_to_depth._use_s2d((6, 6), (1, 1), (1, 1), 1)  # stride 1: nothing to gain
    assert not space_to_depth._use_s2d((6, 6), (2, 2), (1, 1), 2)  # groups: the channel blocks would interleave
    assert not space_to_depth._use_s2d((4, 4), (2, 2), (2, 2), 1)
    assert space_to_depth._use_s2d((6, 6), (2, 2), (1, 1), 1, 6 * 12 * 4)
    assert not space_to_depth._use_s2d((4, 4), (2, 2), (1, 1), 1, 4 * 48 * 4)


@pytest.mark.parametrize("h, w, pads, strides, out_hw, kq", [
    (8, 8, (2, 2), (2, 2), (4, 4), (3, 3)),
    (7, 7, (1, 1), (2, 2), (4, 4), (2, 2)),
    (9, 9, (0, 0), (2, 2), (3, 3), (2, 2)),  # 'valid': the last row is left out
    (5, 5, (3, 2), (2, 2), (3, 3), (3, 3)),  # padding larger than the stride
    (2, 3, (5, 4), (3, 2), (2, 2), (4, 3)),  # the input sits inside one block
    (10, 11, (1, 2), (3, 3), (4, 4), (2, 1)),
])
def test_space_to_depth_matches_rearranged_padded_input(h, w, pads, strides, out_hw, kq):
    x = rs.standard_normal((2, h, w, 3)).astype(np.float32)
    # NaN where _space_to_depth leaves a value unwritten
    nan_np = type("NanNumpy", (), {"empty": staticmethod(lambda shape, dtype: np.full(shape, np.nan, dtype))})
    z = space_to_depth._space_to_depth(x, pads, out_hw, kq, strides, nan_np)
    (sh, sw), (t, l) = strides, pads
    hs, ws = out_hw[0] + kq[0] - 1, out_hw[1] + kq[1] - 1
    big = np.zeros((2, max(hs * sh, t + h), max(ws * sw, l + w), 3), np.float32)
    big[:, t:t + h, l:l + w] = x
    expected = big[:, :hs * sh, :ws * sw].reshape(2, hs, sh, ws, sw, 3).transpose(0, 1, 3, 2, 4, 5)
    np.testing.assert_array_equal(z, expected.reshape(2, hs, ws, sh * sw * 3))


def test_s2d_kernel_round_trip():
    k = rs.standard_normal((6, 4, 3, 5)).astype(np.float32)
    k2 = space_to_depth._s2d_kernel(k, (3, 2))
    assert k2.shape == (2, 2, 18, 5)
    assert k2[1, 0, (2 * 2 + 1) * 3 + 2, 4] == k[1 * 3 + 2, 0 * 2 + 1, 2, 4]
    np.testing.assert_array_equal(space_to_depth._s2d_kernel_back(k2, (3, 2)), k)


# ------------------------------------------------------ relu fused into conv2d
@pytest.mark.parametrize("case", [CONV2D_CASES[i] for i in (0, 1, 7, 9, 11)] +
                         [S2D_CASES[1] + ((1, 1), 1)], ids=_case_id)
@pytest.mark.parametrize("use_bias", [True, False])
def test_conv2d_fused_relu_matches_relu_of_convolution(case, use_bias):
    shape, k, s, p, d, g = case
    x, w, b = _conv_inputs(case)
    b = b if use_bias else None
    y = C.conv2d(x, w, b, s, p, d, g, activation="relu")
    expected = np.maximum(ref_conv2d(x.astype(np.float64), w.astype(np.float64), b, s, p, d, g), 0)
    assert y.dtype == np.float32 and (expected == 0).any()
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    with GradientTape():  # recording: the relu mask is kept for the backward; the same output
        np.testing.assert_array_equal(C.conv2d(x, w, b, s, p, d, g, activation="relu").value, y.value)
    args = [x, w] + ([b] if use_bias else [])
    check_grads(lambda x_, w_, *b_: C.conv2d(x_, w_, b_[0] if b_ else None, s, p, d, g, activation="relu"), args)


def test_conv1d_fused_relu_and_bad_activation():
    x = rs.standard_normal((2, 9, 3)).astype(np.float32)
    w = rs.standard_normal((3, 3, 4)).astype(np.float32)
    y = C.conv1d(x, w, strides=2, padding="same", activation="relu")
    np.testing.assert_allclose(y.value, np.maximum(C.conv1d(x, w, strides=2, padding="same").value, 0))
    check_grads(lambda x_, w_: C.conv1d(x_, w_, strides=2, padding="same", activation="relu"), [x, w])
    with pytest.raises(ValueError, match="conv2d: `activation` must be None or 'relu'"):
        C.conv2d(x[:, None], w[None], activation="tanh")


# ------------------------------------------------------ the other 1-D forms
@pytest.mark.parametrize("s, p, d", [(1, "same", 1), (2, "valid", 1), (1, "valid", 2)])
def test_depthwise_conv1d_and_conv1d_transpose_are_the_2d_ops_on_one_row(s, p, d):
    x = rs.standard_normal((2, 9, 3)).astype(np.float32)
    kd = rs.standard_normal((3, 3, 2)).astype(np.float32)  # (k, channels, depth_multiplier)
    kt = rs.standard_normal((3, 4, 3)).astype(np.float32)  # (k, out_channels, in_channels)
    b = rs.standard_normal(6).astype(np.float32)
    y = C.depthwise_conv1d(x, kd, b, s, p, d)
    np.testing.assert_allclose(y.value, C.depthwise_conv2d(x[:, None], kd[None], b, (1, s), p, (1, d)).value[:, 0])
    check_grads(lambda x_, k_, b_: C.depthwise_conv1d(x_, k_, b_, s, p, d), [x, kd, b])
    op = 1 if s == 2 else None
    y = C.conv1d_transpose(x, kt, None, s, p, op, d)
    ref = C.conv2d_transpose(x[:, None], kt[None], None, (1, s), p, None if op is None else (0, op), (1, d))
    np.testing.assert_allclose(y.value, ref.value[:, 0])
    check_grads(lambda x_, k_: C.conv1d_transpose(x_, k_, None, s, p, op, d), [x, kt])


@pytest.mark.parametrize("chunk_bytes", [1, 2 ** 40])  # one image per chunk; the whole batch at once
def test_conv2d_relu_kernel_gradient_without_input_gradient(chunk_bytes, monkeypatch):
    """A first layer (its input not differentiated) with a fused relu makes each chunk's masked gradient in
    cache and keeps none: the same kernel and bias gradients as when the input gradient is wanted too."""
    monkeypatch.setattr(columns, "_CHUNK_BYTES", chunk_bytes)
    x = rs.standard_normal((3, 9, 9, 1)).astype(np.float32)
    w = rs.standard_normal((3, 3, 1, 5)).astype(np.float32)
    b = rs.standard_normal(5).astype(np.float32)
    g_out = rs.standard_normal((3, 9, 9, 5)).astype(np.float32)

    def grads(watch_x):
        xt, wt, bt = Tensor(x), Tensor(w), Tensor(b)
        with GradientTape() as tape:
            tape.watch([wt, bt] + ([xt] if watch_x else []))
            y = C.conv2d(xt, wt, bt, padding="same", activation="relu")
        return tape.gradient(y, [wt, bt], output_gradients=g_out)
    for a, b_ in zip(grads(False), grads(True)):
        np.testing.assert_allclose(a, b_, rtol=1e-6, atol=1e-6)
    check_grads(lambda w_, b_: C.conv2d(Tensor(x.astype(np.float64)), w_, b_, padding="same", activation="relu"),
                [w, b])


@pytest.mark.parametrize("fn", [C.conv1d, C.depthwise_conv1d, C.conv1d_transpose])
def test_one_dimensional_ops_take_one_stride(fn):
    x = rs.standard_normal((1, 6, 2)).astype(np.float32)
    k = rs.standard_normal((3, 2, 2)).astype(np.float32)
    assert fn(x, k, strides=(2,)).shape == fn(x, k, strides=2).shape
    with pytest.raises(ValueError, match=rf"{fn.__name__}: `strides` must be a positive integer \(or a tuple of one\)\. "
                                         r"Received: strides=\(2, 2\)"):
        fn(x, k, strides=(2, 2))


# ------------------------------------------------------ gradients of some of the arguments only
# The ops compute only the gradients asked for (a frozen layer's kernel, a bias alone): each subset
# against finite differences, the other arguments held constant.
SUBSETS = [(0,), (1,), (2,), (0, 2), (1, 2)]


def _check_grads_of(which, op, args, **kwargs):
    """check_grads of op(*args, **kwargs) in the arguments ``which`` only, the others held constant."""
    def f(*var):
        full = list(args)
        for i, v in zip(which, var):
            full[i] = v
        return op(*full, **kwargs)
    check_grads(f, [args[i] for i in which])


@pytest.mark.parametrize("which", SUBSETS, ids=str)
@pytest.mark.parametrize("activation", [None, "relu"])
def test_conv2d_gradients_of_some_arguments(which, activation, input_grad_method):
    _, _, s, p, d, g = case = CONV2D_CASES[1]
    _check_grads_of(which, C.conv2d, [a.astype(np.float64) for a in _conv_inputs(case)], strides=s, padding=p,
                    dilation_rate=d, groups=g, activation=activation)


@pytest.mark.parametrize("which", SUBSETS, ids=str)
def test_conv2d_transpose_gradients_of_some_arguments(which, input_grad_method):
    args = [rs.standard_normal((2, 4, 5, 3)), rs.standard_normal((3, 3, 2, 3)), rs.standard_normal(2)]
    _check_grads_of(which, C.conv2d_transpose, args, strides=2, padding="same")


@pytest.mark.parametrize("which", SUBSETS, ids=str)
def test_depthwise_conv2d_gradients_of_some_arguments(which):
    args = [rs.standard_normal((2, 7, 6, 3)), rs.standard_normal((3, 2, 3, 2)), rs.standard_normal(6)]
    _check_grads_of(which, C.depthwise_conv2d, args, strides=2, padding="same")


def test_conv2d_transpose_of_an_empty_batch():
    # few filters: the col2im method, which has no chunk to run for an empty batch
    x = np.zeros((0, 3, 3, 4), np.float32)
    w = rs.standard_normal((3, 3, 2, 4)).astype(np.float32)
    y = C.conv2d_transpose(x, w, strides=2)
    assert y.shape == (0, 7, 7, 2) and y.dtype == np.float32


def test_conv_ops_reject_bad_kernels_and_arguments():
    x = np.zeros((1, 5, 5, 3), np.float32)
    with pytest.raises(ValueError, match=r"conv2d_transpose: the kernel must have shape \(kh, kw, filters, 3\) for "
                                         r"an input with 3 channels; received kernel shape \(3, 3, 4, 2\)"):
        C.conv2d_transpose(x, np.zeros((3, 3, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"depthwise_conv2d: the kernel must have shape \(kh, kw, 3, "
                                         r"depth_multiplier\) .* received kernel shape \(3, 3, 2, 1\)"):
        C.depthwise_conv2d(x, np.zeros((3, 3, 2, 1), np.float32))
    with pytest.raises(ValueError, match=r"depthwise_conv2d: the dilated kernel is larger than the input .*"
                                         r"dilation_rate \(3, 3\)\)\. Use padding='same'"):
        C.depthwise_conv2d(x, np.zeros((3, 3, 3, 1), np.float32), dilation_rate=3)
    with pytest.raises(ValueError, match=r"conv2d: `strides` must be a positive integer or a tuple of 2 positive integers\. "
                                         r"Received: strides=1\.5"):
        C.conv2d(x, np.zeros((3, 3, 3, 1), np.float32), strides=1.5)
    for bad in (((1, -1), (0, 0)), 5, ((1, 1),)):
        with pytest.raises(ValueError, match=r"conv2d: `padding` must be one of 'valid', 'same' or explicit "
                                             r"\(\(top, bottom\), \(left, right\)\) non-negative ints; received"):
            C.conv2d(x, np.zeros((3, 3, 3, 1), np.float32), padding=bad)


@pytest.mark.parametrize("op, kernel", [(C.depthwise_conv2d, (3, 3, 3, 1)), (C.conv2d_transpose, (3, 3, 2, 3))])
def test_depthwise_and_transpose_take_only_valid_or_same_padding(op, kernel):
    # explicit pads, which conv2d takes, are refused: they were mis-read (a TypeError, or ignored)
    with pytest.raises(ValueError, match=rf"{op.__name__}: `padding` must be one of 'valid', 'same'; received "
                                         r"padding=\(\(1, 1\), \(1, 1\)\)\. For other padding, pad the input first"):
        op(np.zeros((1, 5, 5, 3), np.float32), np.zeros(kernel, np.float32), padding=((1, 1), (1, 1)))


def test_conv2d_explicit_padding_matches_padding_the_input():
    x, w, b = _conv_inputs(CONV2D_CASES[0])
    pads = ((2, 0), (1, 3))
    y = C.conv2d(x, w, b, strides=2, padding=pads)
    expected = ref_conv2d(np.pad(x, ((0, 0),) + pads + ((0, 0),)).astype(np.float64), w.astype(np.float64), b, (2, 2))
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_, w_: C.conv2d(x_, w_, strides=2, padding=pads), [x, w])
