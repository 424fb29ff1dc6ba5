"""The two halves of conv2d's gradient as ops of their own, so that a gradient of a gradient can pass through a
convolution (WGAN-GP's gradient penalty differentiates a critic's input gradient with respect to its kernels):

``ConvInputGrad(conv)(g, kernel)`` is the input gradient of the convolution ``conv`` (conv2d_transpose with the
convolution's own geometry, so its vjp is conv2d_transpose's), and ``ConvKernelGrad(conv)(x, g)`` is its kernel
gradient, whose vjp is the input gradient (for x) and the convolution itself (for g). Groups of one only."""
from ...tape import Op
from ....backend import get_array_module
from .columns import _ConvCore
from .geometry import _pad
from .input_grad import _input_grad
from .ops import Conv2DTransposeOp


class ConvInputGrad(Conv2DTransposeOp):
    """d(sum(conv(x, kernel) * g)) / dx as an op of (g, kernel): conv2d_transpose with ``conv``'s pads."""

    def __init__(self, conv):
        self.strides, self.dilation, self.pads = conv.strides, conv.dilation, conv.pads
        self.out_hw, self.output_padding = tuple(conv.x_shape[1:3]), None

    def forward(self, g, kernel, bias=None):
        self.x, self.kernel = g, kernel  # (Conv2DTransposeOp's vjp reads its input and kernel as these)
        return _input_grad(g, kernel, self.out_hw, (self.pads[0][0], self.pads[1][0]), self.strides,
                           self.dilation, 1)


class ConvKernelGrad(Op):
    """d(sum(conv(x, kernel) * g)) / dkernel as an op of (x, g), for a kernel of spatial size ``k_hw``."""

    def __init__(self, conv, k_hw):
        self.strides, self.dilation, self.pads = conv.strides, conv.dilation, conv.pads
        self.k_hw = tuple(k_hw)

    def _core(self, x, out_hw):
        return _ConvCore(_pad(x, self.pads, get_array_module(x)), self.k_hw, out_hw, self.strides, self.dilation, 1)

    def forward(self, x, g):
        self.x, self.g = x, g
        core = self._core(x, g.shape[1:3])
        return core.kernel_layout(core.weight_grads(g, None, False, None, keep=False)[0])

    def vjp(self, h, needed):
        gx = gg = None
        if needed[0]:
            gx = _input_grad(self.g, h, self.x.shape[1:3], (self.pads[0][0], self.pads[1][0]), self.strides,
                             self.dilation, 1)
        if needed[1]:
            gg = self._core(self.x, self.g.shape[1:3]).product(h)
        return gx, gg
