"""3-D convolution layers: Conv3D and Conv3DTranspose, over volumes (batch, depth, height, width, channels)
or channels_first.

They are the 2-D layers (convolutional.py: argument checks, input checks with messages that name the layer,
data formats, output shapes, config) with three spatial axes and the 3-D ops (autodiff/ops/conv3d.py).
Kernel layouts are Keras's: Conv3D (kd, kh, kw, in/groups, filters), Conv3DTranspose (kd, kh, kw, filters, in).
"""
from ..autodiff.ops.conv3d import conv3d, conv3d_transpose
from .convolutional import Conv2D, Conv2DTranspose


class Conv3D(Conv2D):
    """3-D convolution: ``activation(conv(inputs, kernel) + bias)``, kernel (kd, kh, kw, in/groups, filters)."""

    rank = 3
    fuses_relu = False

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, **kwargs)

    def _convolve(self, x):
        return conv3d(x, self.kernel, self.bias, self.strides, self.padding, self.dilation_rate, self.groups)


class Conv3DTranspose(Conv2DTranspose):
    """Transposed 3-D convolution (the gradient of Conv3D); kernel (kd, kh, kw, filters, in), Keras's output
    shape."""

    rank = 3

    # (Keras's order: data_format before output_padding here, unlike Conv2DTranspose's)
    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate, **kwargs)

    def _convolve(self, x):
        return conv3d_transpose(x, self.kernel, self.bias, self.strides, self.padding, self.output_padding,
                                self.dilation_rate)


# Keras's aliases
Convolution3D, Convolution3DTranspose = Conv3D, Conv3DTranspose

__all__ = ["Conv3D", "Conv3DTranspose", "Convolution3D", "Convolution3DTranspose"]
