"""Where a convolution's windows lie: the ops' stride, dilation and padding arguments checked, output
lengths ('same' padding as TensorFlow: out = ceil(in / stride), pad_total = max((out - 1) * stride +
dilated_k - in, 0), pad_before = pad_total // 2; transposed lengths as Keras), and the zero padding of
the input (split over the batch among the threads of a parallel region)."""
import numpy as np

from .... import runtime
from ....utils.validation import positive_int_tuple


def _pair(value, name, op):
    """A 2-D op's ``name`` argument, an int or a pair, as a pair of positive ints."""
    return positive_int_tuple(op, name, value, 2)


def _single(value, name, op):
    """A 1-D op's ``name`` argument, an int or a tuple of one, as a positive int."""
    return positive_int_tuple(op, name, value, 1)[0]


def _padding_arg(padding, op, allowed=("valid", "same"), explicit=True):
    """``padding`` as one of the ``allowed`` names (in any case) or, where ``explicit``, as
    ((top, bottom), (left, right)) non-negative ints."""
    if isinstance(padding, str):
        p = padding.lower()
        if p in allowed:
            return p
    elif explicit:
        try:
            (t, b), (l, r) = padding
            pads = ((int(t), int(b)), (int(l), int(r)))
            if min(t, b, l, r) >= 0:
                return pads
        except (TypeError, ValueError):
            pass
    names = ", ".join(repr(a) for a in allowed)
    if not explicit:
        raise ValueError(f"{op}: `padding` must be one of {names}; received padding={padding!r}. For other "
                         f"padding, pad the input first (dendrite.ops.pad) and use 'valid'.")
    raise ValueError(f"{op}: `padding` must be one of {names} or explicit ((top, bottom), (left, right)) "
                     f"non-negative ints; received padding={padding!r}.")


def conv_output_length(size, k, stride, dilation, padding):
    """Output length and (pad_before, pad_after) of a convolution along one axis (TensorFlow's rule)."""
    dk = (k - 1) * dilation + 1
    if size is None:
        return None, (0, 0)
    if padding == "same":
        out = -(-size // stride)
        total = max((out - 1) * stride + dk - size, 0)
        return out, (total // 2, total - total // 2)
    if padding == "valid":
        return (size - dk) // stride + 1, (0, 0)
    if padding == "causal":
        return (size - 1) // stride + 1, (dk - 1, 0)
    before, after = padding
    return (size + before + after - dk) // stride + 1, (before, after)


def deconv_output_length(size, k, stride, dilation, padding, output_padding=None):
    """Output length of a transposed convolution along one axis (Keras's rule)."""
    if size is None:
        return None
    dk = (k - 1) * dilation + 1
    if output_padding is None:
        return size * stride + max(dk - stride, 0) if padding == "valid" else size * stride
    pad = dk // 2 if padding == "same" else 0
    return (size - 1) * stride + dk - 2 * pad + output_padding


def _over_batch(n, part, xp, per_image):
    """``part(n0, n1)`` over the batch: split among the threads of a parallel region for NumPy arrays
    (``per_image`` elements written per image), else one call."""
    if xp is np:
        runtime.split(n, part, per_image)
    else:
        part(0, n)


def _pad_into(out, x, pads):
    """out[...] = x padded with zeros as ((top, bottom), (left, right)) on axes 1, 2."""
    (t, b), (l, r) = pads
    h, w = x.shape[1:3]
    out[:, :t] = 0
    out[:, t + h:] = 0
    out[:, t:t + h, :l] = 0
    out[:, t:t + h, l + w:] = 0
    out[:, t:t + h, l:l + w] = x


def _pad(x, pads, xp):
    """x padded with zeros as ((top, bottom), (left, right)) on axes 1, 2; x itself when no padding."""
    (t, b), (l, r) = pads
    if not (t or b or l or r):
        return x
    n, h, w, c = x.shape
    out = xp.empty((n, h + t + b, w + l + r, c), x.dtype)
    # split over the batch among the threads of a parallel region
    _over_batch(n, lambda n0, n1: _pad_into(out[n0:n1], x[n0:n1], pads), xp, out[0].size)
    return out

