"""Gradients of gradients: the backward walk run with differentiable ops, so that another tape records it.

A tape's ``gradient`` normally runs each op's ``vjp`` on plain arrays. When some other tape is recording
(``with tf.GradientTape() as outer: with tf.GradientTape() as inner: ...; g = inner.gradient(y, x)``), or a
persistent tape's ``gradient`` is called inside its own context, TensorFlow records the gradient computation
too, so that the gradient can be differentiated again (Hessian-vector products, WGAN-GP's gradient penalty).
:func:`backward` is that walk: for each recorded op whose incoming gradient or inputs the recording tapes
follow, the op's rule in :data:`RULES` builds its input gradients from dendrite's ops (so they are recorded
in turn); an op the recording tapes do not follow takes its plain ``vjp`` (a constant to them). An op without
a rule gives its plain gradient wrapped in :class:`NoSecondOrder`, whose own gradient raises naming the op,
so only a gradient that really needs the missing rule fails. The plain walk (no other tape recording) is
untouched: tape.py calls :func:`backward` only when another tape records.
"""
import numpy as np

from .tape import Op, _tapes, unbroadcast
from .tensor import Tensor, array_of
from . import ops
from .ops import activation, elementwise, einsum as einsum_ops, linalg, loss, normalization, random, reduction, shape
from .ops.conv import ops as conv_ops, second_order as conv_second_order

RULES = {}  # op class -> rule(op, g, needed, inputs, out) -> one input gradient per input (None where not needed)


def rule(*classes):
    """Register a differentiable vjp for ``classes`` (the decorator other modules use for their ops too)."""
    def register(fn):
        for cls in classes:
            RULES[cls] = fn
        return fn
    return register


class NoSecondOrder(Op):
    """The gradient of an op that has no differentiable rule: its value is the plain vjp's, and
    differentiating it again raises naming the op."""

    def __init__(self, value, name):
        self.value, self.name = value, name

    def forward(self, *arrays):
        return self.value

    def vjp(self, g, needed):
        raise NotImplementedError(
            f"GradientTape: a gradient of a gradient through the op '{self.name}' is not supported: dendrite "
            "differentiates the gradients of the elementwise, matmul / dense / einsum, reduction, shape, "
            "activation, cross-entropy, conv2d and normalization ops a second time, not this one. Compute the "
            "inner gradient outside the outer tape (or with tf.stop_gradient) if its derivative is not needed.")


def backward(tape, targets, seeds, keep_ids, recorders):
    """``tape._backward`` with every gradient a Tensor that the ``recorders`` (recording tapes) follow."""
    def followed(x):
        return isinstance(x, Tensor) and any(r._is_tracked(x) for r in recorders)

    grads = {}
    for i, target in enumerate(targets):
        if seeds is None:
            seed = np.ones_like(target.value)
        else:
            seed = seeds[i]
            if np.shape(array_of(seed)) != target.value.shape:
                raise ValueError(f"GradientTape.gradient: output_gradients[{i}] has shape {np.shape(array_of(seed))}, "
                                 f"but its target has shape {target.value.shape}; they must match.")
        grads[id(target)] = _accumulate(grads.get(id(target)), seed)
    for op, inputs, needed, out in list(reversed(tape._nodes)):
        key = id(out)
        g = grads.get(key) if key in keep_ids else grads.pop(key, None)
        if g is None:
            continue
        if followed(g) or any(followed(x) for x in inputs):
            in_grads = _differentiable_vjp(op, g, needed, inputs, out)
        else:
            in_grads = op.vjp(array_of(g), needed)
        for x, need, gx in zip(inputs, needed, in_grads):
            if not need or gx is None:
                continue
            gx = _unbroadcast(gx, x.value.shape)
            grads[id(x)] = _accumulate(grads.get(id(x)), gx)
    return grads


def _differentiable_vjp(op, g, needed, inputs, out):
    fn = RULES.get(type(op))
    if fn is not None:
        grads = fn(op, g if isinstance(g, Tensor) else Tensor(g), needed, inputs, out)
        if grads is not NotImplemented:  # (a rule may cover only some of its op's settings)
            return grads
    plain = op.vjp(array_of(g), needed)
    sources = [x for x in (g, *inputs) if isinstance(x, Tensor)]
    name = getattr(op, "name", None) or type(op).__name__
    return tuple(None if gx is None else NoSecondOrder(gx, name)(*sources) for gx in plain)


def _accumulate(prev, g):
    if prev is None:
        return g
    if isinstance(prev, Tensor) or isinstance(g, Tensor):
        return ops.add(prev, g)
    return prev + g


def _unbroadcast(g, shp):
    if not isinstance(g, Tensor):
        return unbroadcast(g, shp)
    if g.shape == shp:
        return g
    extra = g.ndim - len(shp)
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shp) if n == 1 and g.shape[extra + i] != 1)
    return ops.reshape(ops.sum(g, axis=axes) if axes else g, shp)


def paused(tape):
    """The context that keeps ``tape`` from recording (a non-persistent tape asked for its gradient inside its
    own context records nothing, as in TensorFlow)."""
    class _Paused:
        def __enter__(self):
            self.at = next((i for i, t in enumerate(_tapes.active) if t is tape), None)
            if self.at is not None:
                del _tapes.active[self.at]

        def __exit__(self, *exc):
            if self.at is not None:
                _tapes.active.insert(min(self.at, len(_tapes.active)), tape)
            return False
    return _Paused()


# ------------------------------------------------------------------------------------------- the rules
@rule(elementwise.Add)
def _add(op, g, needed, inputs, out):
    return g, g


@rule(elementwise.Subtract)
def _subtract(op, g, needed, inputs, out):
    return g, (ops.negative(g) if needed[1] else None)


@rule(elementwise.Multiply)
def _multiply(op, g, needed, inputs, out):
    a, b = inputs
    return (ops.multiply(g, b) if needed[0] else None, ops.multiply(g, a) if needed[1] else None)


@rule(elementwise.Divide)
def _divide(op, g, needed, inputs, out):
    a, b = inputs
    return (ops.divide(g, b) if needed[0] else None,
            ops.negative(ops.divide(ops.multiply(g, out), b)) if needed[1] else None)


@rule(elementwise.Negative)
def _negative(op, g, needed, inputs, out):
    return (ops.negative(g),)


@rule(elementwise.Power)
def _power(op, g, needed, inputs, out):
    a, b = inputs
    ga = gb = None
    if needed[0]:
        lower = ops.subtract(b, 1) if isinstance(b, Tensor) else array_of(b) - 1
        ga = ops.multiply(ops.multiply(g, b), ops.power(a, lower))
    if needed[1]:
        safe = ops.where(op.a > 0, a, 1)
        gb = ops.multiply(ops.multiply(g, out), ops.log(safe))
    return ga, gb


@rule(elementwise.Exp)
def _exp(op, g, needed, inputs, out):
    return (ops.multiply(g, out),)


@rule(elementwise.Log)
def _log(op, g, needed, inputs, out):
    return (ops.divide(g, inputs[0]),)


@rule(elementwise.Sqrt)
def _sqrt(op, g, needed, inputs, out):
    return (ops.divide(ops.multiply(g, g.dtype.type(0.5)), out),)


@rule(elementwise.Square)
def _square(op, g, needed, inputs, out):
    return (ops.multiply(ops.multiply(g, g.dtype.type(2)), inputs[0]),)


@rule(elementwise.Abs)
def _abs(op, g, needed, inputs, out):
    return (ops.multiply(g, np.sign(op.a).astype(g.dtype)),)


@rule(elementwise.Clip)
def _clip(op, g, needed, inputs, out):
    return (ops.multiply(g, ((op.a >= op.lo) & (op.a <= op.hi)).astype(g.dtype)),)


@rule(elementwise.Where)
def _where(op, g, needed, inputs, out):
    zero = g.dtype.type(0)
    return (ops.where(op.cond, g, zero) if needed[0] else None, ops.where(op.cond, zero, g) if needed[1] else None)


@rule(elementwise.Maximum, elementwise.Minimum)
def _extremum(op, g, needed, inputs, out):
    first = op.mask.astype(g.dtype)
    return (ops.multiply(g, first) if needed[0] else None, ops.multiply(g, 1 - first) if needed[1] else None)


@rule(elementwise.Cast)
def _cast(op, g, needed, inputs, out):
    return (ops.cast(g, op.src),)


def _kept_shape(g, axes, full):
    """The reduced gradient reshaped to broadcast against the input's shape ``full``."""
    if g.ndim != len(full):
        g = ops.reshape(g, [1 if i in axes else n for i, n in enumerate(full)])
    return g


@rule(reduction.Sum)
def _sum(op, g, needed, inputs, out):
    return (ops.broadcast_to(_kept_shape(g, op.axes, op.shape), op.shape),)


@rule(reduction.Mean)
def _mean(op, g, needed, inputs, out):
    return (ops.broadcast_to(ops.divide(_kept_shape(g, op.axes, op.shape), g.dtype.type(op.n)), op.shape),)


@rule(reduction.Max, reduction.Min)
def _extreme(op, g, needed, inputs, out):
    mask = op.a == op.out
    share = (mask / mask.sum(axis=op.axes, keepdims=True)).astype(g.dtype)
    return (ops.multiply(_kept_shape(g, op.axes, op.a.shape), share),)


@rule(reduction.LogSumExp)
def _logsumexp(op, g, needed, inputs, out):
    softmax = ops.exp(ops.subtract(inputs[0], _kept_shape(out, op.axes, op.shape)))
    return (ops.multiply(_kept_shape(g, op.axes, op.shape), softmax),)


@rule(shape.Reshape)
def _reshape(op, g, needed, inputs, out):
    return (ops.reshape(g, op.in_shape),)


@rule(shape.Transpose)
def _transpose(op, g, needed, inputs, out):
    return (ops.transpose(g, None if op.axes is None else tuple(int(i) for i in np.argsort(op.axes))),)


@rule(shape.GetItem)
def _getitem(op, g, needed, inputs, out):
    return (shape.ScatterAdd(op.index, op.shape)(g),)


@rule(shape.Take)
def _take(op, g, needed, inputs, out):
    return (shape.ScatterAdd((slice(None),) * op.axis + (op.indices,), op.shape)(g),)


@rule(shape.ScatterAdd)
def _scatter_add(op, g, needed, inputs, out):
    return (ops.getitem(g, op.index),)


@rule(shape.Concatenate)
def _concatenate(op, g, needed, inputs, out):
    axis, start, grads = op.axis % g.ndim, 0, []
    for size in op.sizes:
        grads.append(ops.getitem(g, (slice(None),) * axis + (slice(start, start + size),)))
        start += size
    return tuple(grads)


@rule(shape.Pad)
def _pad(op, g, needed, inputs, out):
    return (ops.getitem(g, tuple(slice(lo, lo + n) for (lo, _), n in zip(op.pad_width, op.shape))),)


@rule(shape.BroadcastTo)
def _broadcast_to(op, g, needed, inputs, out):
    return (g,)  # summed back to the input's shape by the walk


def _swap_last(x):
    n = np.ndim(array_of(x))
    return ops.transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


@rule(linalg.MatMul)
def _matmul(op, g, needed, inputs, out):
    a, b = inputs
    ga = gb = None
    if needed[0]:
        ga = ops.matmul(g, _swap_last(b)) if op.b.ndim > 1 else ops.multiply(ops.expand_dims(g, -1), b)
    if needed[1]:
        if op.a.ndim == 1:
            gb = ops.multiply(ops.reshape(a, (-1, 1)), ops.expand_dims(g, -2) if g.ndim else g)
        elif op.b.ndim == 1:
            gb = ops.matmul(_swap_last(a), ops.expand_dims(g, -1))
            gb = ops.reshape(gb, gb.shape[:-1])
        else:
            gb = ops.matmul(_swap_last(a), g)
            if op.b.ndim == 2 and gb.ndim > 2:
                gb = ops.sum(ops.reshape(gb, (-1,) + gb.shape[-2:]), axis=0)
    return ga, gb


@rule(linalg.Dense)
def _dense(op, g, needed, inputs, out):
    x, kernel = inputs[0], inputs[1]
    units = op.kernel.shape[1]
    g2 = ops.reshape(g, (-1, units)) if g.ndim != 2 else g
    gx = gk = gb = None
    if needed[0]:
        gx = ops.reshape(ops.matmul(g2, ops.transpose(kernel)), op.x.shape)
    if needed[1]:
        gk = ops.matmul(ops.transpose(ops.reshape(x, (-1, op.x.shape[-1]))), g2)
    if len(needed) > 2 and needed[2]:
        gb = ops.sum(g2, axis=0)
    return gx, gk, gb


@rule(einsum_ops.Einsum)
def _einsum(op, g, needed, inputs, out):
    grads = []
    for i, a in enumerate(op.arrays):
        if not needed[i]:
            grads.append(None)
            continue
        equation, others, shape = op.gradient_plan(i)
        grad = einsum_ops.einsum(equation, g, *[inputs[j] for j in others])
        grads.append(grad if shape is None else ops.broadcast_to(ops.reshape(grad, shape), a.shape))
    return tuple(grads)


@rule(conv_ops.Conv2DOp)
def _conv2d(op, g, needed, inputs, out):
    if op.groups != 1:
        return NotImplemented
    x, kernel = inputs[0], inputs[1]
    if op.relu:  # the fused relu: the gradient passes where the output was positive
        g = ops.multiply(g, op.mask.astype(g.dtype))
    gx = gk = gb = None
    if needed[0]:
        gx = conv_second_order.ConvInputGrad(op)(g, kernel)
    if needed[1]:
        gk = conv_second_order.ConvKernelGrad(op, kernel.shape[:2])(x, g)
    if len(needed) > 2 and needed[2]:
        gb = ops.sum(g, axis=(0, 1, 2))
    return gx, gk, gb


@rule(normalization.LayerNorm)
def _layer_norm(op, g, needed, inputs, out):
    x, axes = inputs[0], op.axes
    centred = ops.subtract(x, ops.mean(x, axis=axes, keepdims=True))
    inv = ops.divide(1.0, ops.sqrt(ops.add(ops.mean(ops.square(centred), axis=axes, keepdims=True), op.epsilon)))
    xhat = ops.multiply(centred, inv)
    gx = ops.multiply(g, ops.reshape(inputs[1], op.bshape)) if op.scale else g
    grads = [None]
    if needed[0]:
        dx = ops.subtract(gx, ops.mean(gx, axis=axes, keepdims=True))
        dx = ops.subtract(dx, ops.multiply(xhat, ops.mean(ops.multiply(gx, xhat), axis=axes, keepdims=True)))
        grads[0] = ops.multiply(dx, inv)
    other = tuple(i for i in range(len(op.bshape)) if i not in axes)
    pshape = tuple(op.bshape[i] for i in axes)
    if op.scale:
        grads.append(ops.reshape(ops.sum(ops.multiply(g, xhat), axis=other), pshape) if needed[1] else None)
    if op.center:
        grads.append(ops.reshape(ops.sum(g, axis=other), pshape) if needed[-1] else None)
    return tuple(grads)


def _channel_layout(op, x):
    """Batch normalisation's layout: the axes its statistics reduce, and the shape a per-channel value
    broadcasts from."""
    axis = op.axis % x.ndim
    other = tuple(i for i in range(x.ndim) if i != axis)
    return other, tuple(n if i == axis else 1 for i, n in enumerate(x.shape))


def _fused_relu_gradient(op, g, shape):
    """The incoming gradient passed only where a fused relu's output was positive."""
    return ops.multiply(g, op.mask.reshape(shape).astype(g.dtype)) if op.relu else g


@rule(normalization.BatchNorm)
def _batch_norm(op, g, needed, inputs, out):
    """Training mode: the batch statistics depend on x, so its gradient has the centring terms (as LayerNorm's,
    over the batch axes); a gradient penalty through BatchNormalization (DRAGAN, MAML's conv nets) needs it."""
    x = inputs[0]
    other, bshape = _channel_layout(op, x)
    g = _fused_relu_gradient(op, g, x.shape)
    centred = ops.subtract(x, ops.mean(x, axis=other, keepdims=True))
    inv = ops.divide(1.0, ops.sqrt(ops.add(ops.mean(ops.square(centred), axis=other, keepdims=True), op.epsilon)))
    xhat = ops.multiply(centred, inv)
    gx = ops.multiply(g, ops.reshape(inputs[1], bshape)) if op.scale else g
    grads = [None]
    if needed[0]:
        dx = ops.subtract(gx, ops.mean(gx, axis=other, keepdims=True))
        dx = ops.subtract(dx, ops.multiply(xhat, ops.mean(ops.multiply(gx, xhat), axis=other, keepdims=True)))
        grads[0] = ops.multiply(dx, inv)
    if op.scale:
        grads.append(ops.sum(ops.multiply(g, xhat), axis=other) if needed[1] else None)
    if op.center:
        grads.append(ops.sum(g, axis=other) if needed[-1] else None)
    return tuple(grads)


@rule(normalization.BatchNormInference)
def _batch_norm_inference(op, g, needed, inputs, out):
    """y = (x - mean) * inv * gamma + beta with inv = 1 / sqrt(variance + epsilon): every input differentiable."""
    x, mean, var = inputs[:3]
    other, bshape = _channel_layout(op, x)
    g = _fused_relu_gradient(op, g, x.shape)
    inv = ops.divide(1.0, ops.sqrt(ops.add(var, op.epsilon)))
    a = ops.multiply(inv, inputs[3]) if op.scale else inv
    grads = [ops.multiply(g, ops.reshape(a, bshape)) if needed[0] else None]
    sg = ops.sum(g, axis=other)
    sgxc = None
    if needed[2] or (op.scale and needed[3]):
        sgxc = ops.sum(ops.multiply(g, ops.subtract(x, ops.reshape(mean, bshape))), axis=other)
    grads.append(ops.negative(ops.multiply(sg, a)) if needed[1] else None)
    grads.append(ops.multiply(ops.multiply(sgxc, a), ops.multiply(ops.square(inv), -0.5)) if needed[2] else None)
    if op.scale:
        grads.append(ops.multiply(sgxc, inv) if needed[3] else None)
    if op.center:
        grads.append(sg if needed[-1] else None)
    return tuple(grads)


@rule(activation.Relu, activation.HardSigmoid, random.Dropout)
def _masked(op, g, needed, inputs, out):
    if isinstance(op, activation.HardSigmoid):
        return (ops.multiply(g, (op.mask / 6).astype(g.dtype)),)
    return (ops.multiply(g, op.mask.astype(g.dtype, copy=False)),)


@rule(activation.LeakyRelu)
def _leaky_relu(op, g, needed, inputs, out):
    return (ops.multiply(g, np.where(op.mask, 1, op.slope).astype(g.dtype)),)


@rule(activation.Sigmoid)
def _sigmoid(op, g, needed, inputs, out):
    return (ops.multiply(ops.multiply(g, out), ops.subtract(1, out)),)


@rule(activation.Tanh)
def _tanh(op, g, needed, inputs, out):
    return (ops.multiply(g, ops.subtract(1, ops.square(out))),)


@rule(activation.Softmax)
def _softmax(op, g, needed, inputs, out):
    return (ops.multiply(out, ops.subtract(g, ops.sum(ops.multiply(g, out), axis=op.axis, keepdims=True))),)


@rule(activation.LogSoftmax)
def _log_softmax(op, g, needed, inputs, out):
    return (ops.subtract(g, ops.multiply(ops.exp(out), ops.sum(g, axis=op.axis, keepdims=True))),)


@rule(activation.Elu)
def _elu(op, g, needed, inputs, out):
    negative_side = ops.multiply(g, ops.multiply(ops.exp(ops.minimum(inputs[0], 0)), g.dtype.type(op.alpha)))
    return (ops.multiply(ops.where(op.mask, g, negative_side), g.dtype.type(op.scale)),)


@rule(activation.Softplus)
def _softplus(op, g, needed, inputs, out):
    return (ops.multiply(g, ops.sigmoid(inputs[0])),)


@rule(activation.Softsign)
def _softsign(op, g, needed, inputs, out):
    return (ops.divide(g, ops.square(ops.add(1, ops.abs(inputs[0])))),)


@rule(activation.Swish)
def _swish(op, g, needed, inputs, out):
    x = inputs[0]
    s = ops.sigmoid(x)
    return (ops.multiply(g, ops.add(s, ops.multiply(ops.multiply(x, s), ops.subtract(1, s)))),)


@rule(loss.SoftmaxCrossEntropy)
def _softmax_cross_entropy(op, g, needed, inputs, out):
    logits, labels = inputs
    g = ops.expand_dims(g, -1)
    gz = gy = None
    if needed[0]:
        total = ops.sum(labels, axis=-1, keepdims=True)
        gz = ops.multiply(g, ops.subtract(ops.multiply(ops.softmax(logits), total), labels))
    if needed[1]:
        gy = ops.negative(ops.multiply(g, ops.log_softmax(logits)))
    return gz, gy


@rule(loss.SparseSoftmaxCrossEntropy)
def _sparse_softmax_cross_entropy(op, g, needed, inputs, out):
    logits = inputs[0]
    onehot = ops.one_hot(op.labels, op.softmax.shape[-1], dtype=op.softmax.dtype)
    return (ops.multiply(ops.expand_dims(g, -1), ops.subtract(ops.softmax(logits), onehot)),)


@rule(loss.SigmoidCrossEntropy)
def _sigmoid_cross_entropy(op, g, needed, inputs, out):
    logits, labels = inputs
    return (ops.multiply(g, ops.subtract(ops.sigmoid(logits), labels)) if needed[0] else None,
            ops.negative(ops.multiply(g, logits)) if needed[1] else None)
