"""Convolutions: conv2d (grouped, dilated, strided), depthwise_conv2d and conv2d_transpose, and their 1-D forms
conv1d, depthwise_conv1d and conv1d_transpose (the 2-D ops on inputs one row high).

Layout is Keras's: images NHWC, kernels (kh, kw, in_channels / groups, out_channels).
One module per idea:

- geometry: the arguments, output lengths ('same' padding as TensorFlow) and zero padding;
- columns: the forward as im2col gathers and one matmul, a few images at a time (cache-sized chunks dealt
  out among the threads), bias and relu fused; the weight gradient from the same gathers;
- space_to_depth: strided convolutions whose kernel is a multiple of the stride, run as stride-1 ones;
- input_grad: the input gradient (and conv2d_transpose's forward), by sub-pixel phases or col2im;
- depthwise: the depthwise convolution's loop over the kernel taps;
- ops: the op classes, which pick among those paths, and the public functions.

Scratch buffers come from dendrite.runtime's pool, threads from its parallel regions.
"""
from .geometry import conv_output_length, deconv_output_length
from .ops import (Conv2DOp, Conv2DTransposeOp, DepthwiseConv2DOp, conv1d, conv1d_transpose, conv2d, conv2d_transpose,
                  depthwise_conv1d, depthwise_conv2d)

__all__ = ["conv2d", "conv1d", "depthwise_conv2d", "conv2d_transpose", "depthwise_conv1d", "conv1d_transpose",
           "Conv2DOp", "Conv2DTransposeOp", "DepthwiseConv2DOp", "conv_output_length", "deconv_output_length"]
