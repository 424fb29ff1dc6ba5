"""The convolution ops (forward and VJP) and their functions: conv2d (grouped, dilated, strided, with a fused
bias and relu), depthwise_conv2d, conv2d_transpose, and the 1-D forms conv1d, depthwise_conv1d and
conv1d_transpose (the 2-D ops on inputs one row high). Each op picks its path here; the paths are the
package's other modules."""
from ...tape import Op
from ..activation import fused_relu, masked
from ..shape import reshape
from .... import runtime
from ....backend import get_array_module
from .columns import _ConvCore, _add_bias, _bias_grad
from .depthwise import _Taps
from .geometry import _pad, _padding_arg, _pair, _single, conv_output_length, deconv_output_length
from .input_grad import _grad_phases, _input_grad
from .space_to_depth import _s2d_core, _s2d_kernel_back


class Conv2DOp(Op):
    """NHWC convolution with a (kh, kw, in/groups, out) kernel and an optional fused bias."""

    def __init__(self, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1, activation=None):
        self.strides = _pair(strides, "strides", "conv2d")
        self.dilation = _pair(dilation, "dilation_rate", "conv2d")
        self.padding = _padding_arg(padding, "conv2d", ("valid", "same"))
        self.groups = int(groups)
        self.relu = fused_relu(activation, "conv2d")

    def forward(self, x, kernel, bias=None):
        n, h, w, c = x.shape
        kh, kw, cg, o = kernel.shape
        if cg * self.groups != c or o % self.groups:
            raise ValueError(
                f"conv2d: input has {c} channels and groups={self.groups}, so the kernel must have shape "
                f"(kh, kw, {c // max(self.groups, 1)}, filters) with filters divisible by {self.groups}; "
                f"received kernel shape {kernel.shape} for input shape {x.shape}.")
        geo = [conv_output_length(size, k, s, d, self.padding if isinstance(self.padding, str) else self.padding[ax])
               for ax, (size, k, s, d) in enumerate(zip((h, w), (kh, kw), self.strides, self.dilation))]
        out_hw = (geo[0][0], geo[1][0])
        if min(out_hw) < 1:
            raise ValueError(
                f"conv2d: the dilated kernel {((kh - 1) * self.dilation[0] + 1, (kw - 1) * self.dilation[1] + 1)} "
                f"is larger than the padded input {(h + sum(geo[0][1]), w + sum(geo[1][1]))} "
                f"(input shape {x.shape}). Use padding='same' or a larger input.")
        self.pads = (geo[0][1], geo[1][1])
        self.x_shape = x.shape
        self.kernel = kernel
        xp = get_array_module(x)
        s2d = _s2d_core(x, kernel, (self.pads[0][0], self.pads[1][0]), out_hw, self.strides, self.dilation,
                        self.groups, xp)
        self.s2d = s2d is not None
        if self.s2d:
            self.core, kernel = s2d
        else:
            self.core = _ConvCore(_pad(x, self.pads, xp), (kh, kw), out_hw, self.strides, self.dilation,
                                  self.groups)
        self.mask = xp.empty((n, *out_hw, o), bool) if self.relu and self.recording else None
        return self.core.product(kernel, bias, self.mask, relu=self.relu)

    def vjp(self, g, needed):
        gx = gk = gb = None
        want_bias = len(needed) > 2 and needed[2]
        pads_before = (self.pads[0][0], self.pads[1][0])
        if needed[1]:  # first: it applies the relu mask and sums the bias gradient on the way
            # the input gradient by phases (None: by col2im, below, or not wanted) in the same pass over the batch
            phases = _grad_phases(g.shape, self.kernel, self.x_shape[1:3], pads_before, self.strides,
                                  self.dilation, self.groups) if needed[0] else None
            gk, gb, g = self.core.weight_grads(g, self.mask if self.relu else None, want_bias, phases,
                                               keep=needed[0])
            if phases is not None:
                gx, g = g, None
            gk = self.core.kernel_layout(gk)
            if self.s2d:
                gk = _s2d_kernel_back(gk, self.strides)
        elif self.relu:
            g = masked(g, self.mask)
        if needed[0] and gx is None:
            gx = _input_grad(g, self.kernel, self.x_shape[1:3], pads_before, self.strides, self.dilation,
                             self.groups)
        if want_bias and gb is None:
            gb = _bias_grad(g)
        return gx, gk, gb


class Conv2DTransposeOp(Op):
    """The transpose (input gradient) of conv2d: kernel (kh, kw, out_channels, in_channels), as Keras stores it."""

    def __init__(self, strides=(1, 1), padding="valid", output_padding=None, dilation=(1, 1)):
        self.strides = _pair(strides, "strides", "conv2d_transpose")
        self.dilation = _pair(dilation, "dilation_rate", "conv2d_transpose")
        self.padding = _padding_arg(padding, "conv2d_transpose", explicit=False)
        if output_padding is not None:
            output_padding = tuple(int(v) for v in ((output_padding,) * 2 if isinstance(output_padding, int)
                                                    else output_padding))
            if any(p < 0 or p >= s for p, s in zip(output_padding, self.strides)):
                raise ValueError(f"conv2d_transpose: `output_padding` must be smaller than the strides "
                                 f"{self.strides}; received output_padding={output_padding}.")
        self.output_padding = output_padding

    def forward(self, x, kernel, bias=None):
        n, h, w, c = x.shape
        kh, kw, f, ck = kernel.shape
        if ck != c:
            raise ValueError(f"conv2d_transpose: the kernel must have shape (kh, kw, filters, {c}) for an input "
                             f"with {c} channels; received kernel shape {kernel.shape} for input shape {x.shape}.")
        op = self.output_padding or (None, None)
        out_hw, pads = [], []
        for ax, (size, k) in enumerate(((h, kh), (w, kw))):
            s, d = self.strides[ax], self.dilation[ax]
            length = deconv_output_length(size, k, s, d, self.padding, op[ax])
            dk = (k - 1) * d + 1
            before = max((size - 1) * s + dk - length, 0) // 2 if self.padding == "same" else 0
            out_hw.append(length)
            pads.append((before, max((size - 1) * s + dk - length - before, 0)))
        self.x, self.kernel, self.pads, self.out_hw = x, kernel, tuple(pads), tuple(out_hw)
        out = _input_grad(x, kernel, self.out_hw, (pads[0][0], pads[1][0]), self.strides, self.dilation, 1)
        return out if bias is None else _add_bias(out, bias)

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0] or needed[1]:
            xp = get_array_module(g)
            core = _ConvCore(_pad(g, self.pads, xp), self.kernel.shape[:2], self.x.shape[1:3], self.strides,
                             self.dilation, 1)
            kernel = self.kernel
            w2 = kernel.reshape(1, -1, kernel.shape[-1])
            if needed[0]:
                gx = xp.empty((g.shape[0], *self.x.shape[1:3], kernel.shape[-1]), xp.result_type(g, kernel))

            def chunk(n0, n1, cols):  # one gather serves both gradients
                if needed[0]:
                    xp.matmul(cols, w2, out=gx[n0:n1].reshape(1, -1, kernel.shape[-1]))
                if needed[1]:
                    return core.weight_grad(self.x, cols, n0, n1)
            parts = core.each(chunk)
            if needed[1]:
                gk = core.kernel_layout(runtime.sum_in_order(parts))
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


class DepthwiseConv2DOp(Op):
    """Per-channel convolution, kernel (kh, kw, C, multiplier), output channel c * multiplier + j: a loop
    over the kernel taps (see depthwise._Taps)."""

    def __init__(self, strides=(1, 1), padding="valid", dilation=(1, 1)):
        self.strides = _pair(strides, "strides", "depthwise_conv2d")
        self.dilation = _pair(dilation, "dilation_rate", "depthwise_conv2d")
        self.padding = _padding_arg(padding, "depthwise_conv2d", explicit=False)

    def forward(self, x, kernel, bias=None):
        xp = get_array_module(x, kernel)
        n, h, w, c = x.shape
        kh, kw, kc, m = kernel.shape
        if kc != c:
            raise ValueError(f"depthwise_conv2d: the kernel must have shape (kh, kw, {c}, depth_multiplier) for "
                             f"an input with {c} channels; received kernel shape {kernel.shape} for input shape "
                             f"{x.shape}.")
        geo = [conv_output_length(size, k, s, d, self.padding)
               for size, k, s, d in zip((h, w), (kh, kw), self.strides, self.dilation)]
        out_hw = (geo[0][0], geo[1][0])
        if min(out_hw) < 1:
            raise ValueError(f"depthwise_conv2d: the dilated kernel is larger than the input (input shape {x.shape}, "
                             f"kernel shape {kernel.shape}, dilation_rate {self.dilation}). Use padding='same'.")
        self.pads, self.x_shape = (geo[0][1], geo[1][1]), x.shape
        self.taps = _Taps(_pad(x, self.pads, xp), kernel, self.strides, self.dilation, out_hw)
        out = self.taps.forward()
        return out if bias is None else _add_bias(out, bias)

    def vjp(self, g, needed):
        gx = gb = None
        dxpad, gk = self.taps.backward(g, needed[0], needed[1])
        if needed[0]:
            (t, _), (l, _) = self.pads
            gx = dxpad[:, t:t + self.x_shape[1], l:l + self.x_shape[2]]
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


# ----------------------------------------------------------------- functions
def _call(op, x, kernel, bias):
    return op(x, kernel) if bias is None else op(x, kernel, bias)


def conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, activation=None):
    """2-D convolution of NHWC ``x`` with a (kh, kw, in/groups, out) kernel, plus ``bias`` if given;
    ``activation='relu'`` applies max(., 0) inside the op (one op instead of two, no extra pass over the
    output; the gradient is masked by the kept output)."""
    return _call(Conv2DOp(strides, padding, dilation_rate, groups, activation), x, kernel, bias)


def _one_row(op2d, x, kernel, strides, dilation_rate, name, *args, **kwargs):
    """A 1-D op as its 2-D form on images one row high: (N, L, C) -> (N, 1, L, C), kernel (k, ...) ->
    (1, k, ...), strides and dilation (1, s); ``args`` / ``kwargs`` pass through. Returns (N, L', C')."""
    stride, dil = _single(strides, "strides", name), _single(dilation_rate, "dilation_rate", name)
    n, length, c = x.shape
    x4 = reshape(x, (n, 1, length, c))
    k4 = reshape(kernel, (1,) + tuple(kernel.shape))
    out = op2d(x4, k4, *args, strides=(1, stride), dilation_rate=(1, dil), **kwargs)
    return reshape(out, (n, out.shape[2], out.shape[3]))


def conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, activation=None):
    """1-D convolution of (N, L, C) ``x`` with a (k, in/groups, out) kernel; padding also 'causal';
    ``activation`` as for conv2d."""
    pad = _padding_arg(padding, "conv1d", ("valid", "same", "causal"))
    if pad == "causal":
        pad = ((0, 0), ((kernel.shape[0] - 1) * _single(dilation_rate, "dilation_rate", "conv1d"), 0))
    return _one_row(conv2d, x, kernel, strides, dilation_rate, "conv1d", bias, padding=pad, groups=groups,
                    activation=activation)


def depthwise_conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise 1-D convolution of (N, L, C) ``x``: kernel (k, C, depth_multiplier)."""
    return _one_row(depthwise_conv2d, x, kernel, strides, dilation_rate, "depthwise_conv1d", bias, padding=padding)


def conv1d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 1-D convolution of (N, L, C) ``x``: kernel (k, out_channels, C), Keras's output length."""
    if output_padding is not None:
        output_padding = (0, output_padding if isinstance(output_padding, int) else int(output_padding[0]))
    return _one_row(conv2d_transpose, x, kernel, strides, dilation_rate, "conv1d_transpose", bias, padding=padding,
                    output_padding=output_padding)


def depthwise_conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise convolution: kernel (kh, kw, C, depth_multiplier); output channel c*multiplier + j."""
    return _call(DepthwiseConv2DOp(strides, padding, dilation_rate), x, kernel, bias)


def conv2d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its input), Keras's output shape."""
    return _call(Conv2DTransposeOp(strides, padding, output_padding, dilation_rate), x, kernel, bias)
