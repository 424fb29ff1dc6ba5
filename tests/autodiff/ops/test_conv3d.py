"""3-D convolution ops: outputs against a direct loop reference, the transposed op as the adjoint of conv3d,
gradients through check_grads, errors."""
import itertools

import numpy as np
import pytest

from dendrite.autodiff.ops.conv3d import conv3d, conv3d_transpose
from dendrite.testing import check_grads
from reference import ref_conv2d

rs = np.random.default_rng(0)


def ref_conv3d(x, w, strides, padding, dilation, groups):
    """Direct convolution: loops over output cells and kernel taps, TensorFlow's 'same' padding."""
    n, *size, c = x.shape
    *k, cg, o = w.shape
    og = o // groups
    out, before = [], []
    for a in range(3):
        dk = (k[a] - 1) * dilation[a] + 1
        length = -(-size[a] // strides[a]) if padding == "same" else (size[a] - dk) // strides[a] + 1
        out.append(length)
        before.append(max((length - 1) * strides[a] + dk - size[a], 0) // 2 if padding == "same" else 0)
    y = np.zeros((n, *out, o))
    for cell in itertools.product(*map(range, out)):
        for tap in itertools.product(*map(range, k)):
            pos = [cell[a] * strides[a] + tap[a] * dilation[a] - before[a] for a in range(3)]
            if all(0 <= p < s for p, s in zip(pos, size)):
                for g in range(groups):
                    y[(slice(None), *cell, slice(g * og, (g + 1) * og))] += \
                        x[(slice(None), *pos, slice(g * cg, (g + 1) * cg))] @ w[tap][:, g * og:(g + 1) * og]
    return y


CASES = [  # input shape, kernel shape, strides, padding, dilation, groups
    ((2, 5, 6, 4, 3), (3, 2, 3, 3, 4), (1, 1, 1), "valid", (1, 1, 1), 1),
    ((2, 5, 6, 7, 4), (3, 3, 2, 2, 6), (2, 1, 3), "same", (1, 1, 1), 2),
    ((1, 7, 6, 5, 2), (2, 3, 2, 2, 3), (1, 1, 1), "same", (2, 1, 3), 1),
    ((2, 4, 5, 6, 3), (2, 2, 2, 1, 3), (2, 2, 2), "valid", (1, 1, 1), 3),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation, groups", CASES)
def test_conv3d_matches_direct_loop_and_gradients(x_shape, k_shape, strides, padding, dilation, groups):
    x, k, b = rs.standard_normal(x_shape), rs.standard_normal(k_shape), rs.standard_normal(k_shape[-1])
    y = conv3d(x, k, b, strides, padding, dilation, groups).value
    np.testing.assert_allclose(y, ref_conv3d(x, k, strides, padding, dilation, groups) + b, atol=1e-12)
    check_grads(lambda x_, k_, b_: conv3d(x_, k_, b_, strides, padding, dilation, groups), [x, k, b])


def test_conv3d_of_one_deep_volume_is_conv2d():
    x, k = rs.standard_normal((2, 1, 6, 7, 3)), rs.standard_normal((1, 3, 2, 3, 4))
    y = conv3d(x, k, strides=(1, 2, 1), padding="same").value
    np.testing.assert_allclose(y[:, 0], ref_conv2d(x[:, 0], k[0], None, (2, 1), "same"), atol=1e-12)


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, output_padding, dilation", [
    ((2, 3, 4, 2, 3), (3, 2, 3, 4, 3), (2, 1, 2), "same", None, (1, 1, 1)),
    ((1, 3, 3, 2, 2), (2, 3, 2, 3, 2), (2, 3, 1), "valid", (1, 2, 0), (1, 1, 1)),
    ((1, 3, 3, 2, 2), (3, 3, 3, 3, 2), (2, 2, 2), "same", (1, 1, 1), (1, 1, 1)),
    ((1, 4, 3, 3, 2), (3, 2, 2, 2, 2), (1, 1, 1), "same", None, (2, 1, 2)),
])
def test_conv3d_transpose_is_the_adjoint_of_conv3d_and_gradients(x_shape, k_shape, strides, padding,
                                                                   output_padding, dilation):
    x, k = rs.standard_normal(x_shape), rs.standard_normal(k_shape)
    y = conv3d_transpose(x, k, None, strides, padding, output_padding, dilation).value
    # <conv3d_transpose(x), z> == <x, conv3d(z)>: conv3d of the output's shape gives back the input's shape
    z = rs.standard_normal(y.shape)
    back = conv3d(z, k, None, strides, padding, dilation).value
    assert back.shape == x.shape
    np.testing.assert_allclose((y * z).sum(), (x * back).sum(), rtol=1e-10)
    b = rs.standard_normal(k_shape[-2])
    check_grads(lambda x_, k_, b_: conv3d_transpose(x_, k_, b_, strides, padding, output_padding, dilation),
                [x, k, b])


def test_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"conv3d: expected a 5-D input \(batch, depth, height, width, channels\); "
                                         r"received an input of shape \(2, 4, 4, 3\)"):
        conv3d(np.zeros((2, 4, 4, 3)), np.zeros((2, 2, 2, 3, 1)))
    with pytest.raises(ValueError, match=r"an input with 4 channels and groups=2 needs a kernel of shape "
                                         r"\(kd, kh, kw, 2, filters\)"):
        conv3d(np.zeros((1, 3, 3, 3, 4)), np.zeros((2, 2, 2, 4, 2)), groups=2)
    with pytest.raises(ValueError, match=r"the dilated kernel \(3, 3, 3\) is larger than the input's spatial size "
                                         r"\(2, 3, 3\)"):
        conv3d(np.zeros((1, 2, 3, 3, 1)), np.zeros((3, 3, 3, 1, 1)))
    with pytest.raises(ValueError, match=r"conv3d_transpose: the kernel must have shape \(kd, kh, kw, filters, 3\)"):
        conv3d_transpose(np.zeros((1, 2, 2, 2, 3)), np.zeros((2, 2, 2, 4, 2)))
    with pytest.raises(ValueError, match="`padding` must be 'valid' or 'same'"):
        conv3d(np.zeros((1, 3, 3, 3, 1)), np.zeros((2, 2, 2, 1, 1)), padding="causal")
