"""EinsumDense: a dense layer whose product with the kernel is an einsum equation, as Keras 3 has it.

The equation is ``input,kernel->output`` in one of three forms: plain letters (``abc,cd->abd``: the batch axis
is the first letter), an ellipsis in front (``...x,xy->...y``: the leading axes, batch included, pass through)
or an ellipsis behind (``ab...,bc->ac...``: the trailing axes pass through). ``output_shape`` gives the output's
sizes after the batch axis and outside the ellipsis (None where the input decides). The kernel has one axis
per letter of its subscripts, sized from the output where the letter is an output axis and from the input
otherwise; the bias spans the output from its first ``bias_axes`` letter on, with size 1 on the letters not in
``bias_axes`` (and on the axes a trailing ellipsis covers), so it broadcasts against the output. A
VarianceScaling kernel initializer (glorot_uniform, the default) counts its fans over the kernel's input and
output axes, as Keras's does.
"""
import re

from .. import activations, initializers, regularizers
from ..autodiff import ops
from ..autodiff.ops.einsum import einsum
from .base import Layer
from .core import refuse_lora_and_quantization
from .input_spec import InputSpec

_FORMS = (  # (pattern, where the ellipsis is)
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), None),
    (re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)"), "left"),
    (re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\."), "right"),
)


def split_equation(equation, who):
    """``(input, kernel, output subscripts, ellipsis side)`` of an EinsumDense equation, or a clear error."""
    if isinstance(equation, str):
        for pattern, side in _FORMS:
            found = pattern.fullmatch(equation.replace(" ", ""))
            if found:
                return found.group(1), found.group(2), found.group(3), side
    raise ValueError(f"{who}: `equation` must read 'input,kernel->output' in one of the forms 'ab,bc->ac', "
                     f"'...ab,bc->...ac' or 'ab...,bc->ac...' (letters only, one kernel); received "
                     f"equation={equation!r}.")


def einsum_shapes(equation, bias_axes, input_shape, output_shape, who):
    """``(kernel shape, bias shape or None, full output shape, kernel input axes, kernel output axes)`` for an
    input of ``input_shape`` (batch axis included)."""
    sub_in, sub_kernel, sub_out, side = split_equation(equation, who)
    input_shape = tuple(input_shape)
    extra = len(input_shape) - len(sub_in)  # the axes the ellipsis covers
    if extra < 0 or (extra and side is None):
        raise ValueError(f"{who}: the equation {equation!r} names {len(sub_in)} input axes, but the input has "
                         f"shape {input_shape} ({len(input_shape)} axes). Give an input of that rank"
                         f"{'' if side else ', or put ... in the equation for the axes that pass through'}.")
    partial = list(output_shape)
    if side == "left":  # the leading axes pass through, then the output letters, all in output_shape
        full = list(input_shape[:extra]) + partial
        in_pos = {c: extra + i for i, c in enumerate(sub_in)}
        out_pos = {c: extra + i for i, c in enumerate(sub_out)}
    else:  # the output letters (batch first, not in output_shape), then any trailing input axes
        full = [input_shape[0]] + partial + list(input_shape[len(sub_in):])
        in_pos = {c: i for i, c in enumerate(sub_in)}
        out_pos = {c: i for i, c in enumerate(sub_out)}
    expected = len(sub_out) - (0 if side == "left" else 1)
    if len(partial) != expected:
        raise ValueError(f"{who}: `output_shape` must give {expected} size(s), one per output axis "
                         f"{'of' if side == 'left' else 'after the batch axis in'} {sub_out!r}; received "
                         f"output_shape={tuple(output_shape)}.")
    for c in sub_out:
        if c not in sub_in and c not in sub_kernel:
            raise ValueError(f"{who}: the output axis {c!r} of {equation!r} appears in neither the input "
                             f"subscripts {sub_in!r} nor the kernel's {sub_kernel!r}.")
        if c in sub_in:
            given, have = full[out_pos[c]], input_shape[in_pos[c]]
            if given is not None and have is not None and given != have:
                raise ValueError(f"{who}: the axis {c!r} is shared by input and output, but the input has size "
                                 f"{have} there and output_shape asks for {given}. Set that entry of "
                                 "output_shape to None or to the input's size.")
            if given is None:
                full[out_pos[c]] = have
    kernel, input_axes, output_axes = [], [], []
    for i, c in enumerate(sub_kernel):
        if c in out_pos:
            kernel.append(full[out_pos[c]])
            output_axes.append(i)
        elif c in in_pos:
            kernel.append(input_shape[in_pos[c]])
            input_axes.append(i)
        else:
            raise ValueError(f"{who}: the kernel axis {c!r} of {equation!r} appears in neither the input "
                             f"subscripts {sub_in!r} nor the output's {sub_out!r}, so its size is unknown.")
        if kernel[-1] is None:
            raise ValueError(f"{who}: the kernel axis {c!r} would have an unknown size: give it in output_shape "
                             f"or give the input a known size there (input shape {input_shape}).")
    bias = None
    if bias_axes is not None:
        missing = [c for c in bias_axes if c not in sub_out]
        if missing or not bias_axes:
            raise ValueError(f"{who}: `bias_axes` must name output axes of {equation!r} (letters of {sub_out!r}); "
                             f"received bias_axes={bias_axes!r}.")
        first = min(sub_out.index(c) for c in bias_axes)
        bias = [full[out_pos[c]] if c in bias_axes else 1 for c in sub_out[first:]]
        if side == "right":
            bias += [1] * extra
    return kernel, bias, tuple(full), input_axes, output_axes


class EinsumDense(Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``; see the module's docstring for the equation."""

    supports_masking = False

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        refuse_lora_and_quantization(self.who, lora_rank=lora_rank, lora_alpha=lora_alpha,
                                     gptq_unpacked_column_size=gptq_unpacked_column_size,
                                     quantization_config=quantization_config)
        split_equation(equation, self.who)
        self.equation = equation
        if isinstance(output_shape, int) and not isinstance(output_shape, bool):
            output_shape = (output_shape,)
        if not isinstance(output_shape, (list, tuple)) or not all(
                d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in output_shape):
            raise ValueError(f"{self.who}: `output_shape` must be an int or a tuple of positive ints and None (the "
                             f"output's sizes after the batch axis); received output_shape={output_shape!r}.")
        self.partial_output_shape = tuple(output_shape)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise ValueError(f"{self.who}: `bias_axes` must be None or a string of output letters, such as 'd'; "
                             f"received bias_axes={bias_axes!r}.")
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)

    def build(self, input_shape):
        kernel, bias, _, input_axes, output_axes = einsum_shapes(self.equation, self.bias_axes, input_shape,
                                                                  self.partial_output_shape, self.who)
        self.input_spec = InputSpec(ndim=len(input_shape))
        init = self.kernel_initializer
        if isinstance(init, initializers.VarianceScaling) and (init.input_axes is None or init.output_axes is None):
            # fans over the kernel's input and output axes (a copy, so that the layer's config is unchanged)
            init = type(init).from_config({**init.get_config(), "input_axes": input_axes,
                                           "output_axes": output_axes})
        self.kernel = self.add_weight("kernel", tuple(kernel), init, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self._add_weight_for("bias", tuple(bias)) if bias is not None else None

    def call(self, inputs, training=None):
        out = einsum(self.equation, inputs, self.kernel, optimize=True)
        if self.bias is not None:
            out = ops.add(out, self.bias)
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        return einsum_shapes(self.equation, self.bias_axes, input_shape, self.partial_output_shape, self.who)[2]

    def get_config(self):
        return {**super().get_config(), "output_shape": self.partial_output_shape, "equation": self.equation,
                "activation": activations.serialize(self.activation), "bias_axes": self.bias_axes,
                **self._weight_config("kernel", "bias"),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "quantization_config": None}
