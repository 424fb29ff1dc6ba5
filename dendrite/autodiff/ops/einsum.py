"""``einsum`` and ``tensordot`` as one differentiable op: the gradient of each operand is the einsum of the
output gradient with the other operands, back to that operand's subscripts (indices summed away only in
that operand are broadcast back). Ellipses are expanded to explicit letters first.

``optimize=True`` (what EinsumDense and the attention layers ask for) computes a product of two operands as one
batched matrix product: the letters both operands and the output share are the batch, those the operands share
are contracted, the rest are rows and columns; NumPy's einsum (its own path search, for other cases) can be tens
of times slower on layer-sized arrays. The gradients are such products too."""
import string

from ..tape import Op
from ..tensor import array_of
from ...backend import get_array_module


def _expand(equation, shapes):
    """``(input subscripts, output subscripts)`` with every ``...`` replaced by letters (right-aligned)."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(f"einsum: the equation {equation!r} names {len(inputs)} operand(s) but {len(shapes)} "
                         "were given.")
    free = [c for c in string.ascii_letters if c not in equation]
    widths = [len(shape) - (len(s) - 3) for s, shape in zip(inputs, shapes) if "..." in s]
    width = max(widths, default=0)
    letters = "".join(free[:width])
    out = []
    for s, shape in zip(inputs, shapes):
        if "..." in s:
            s = s.replace("...", letters[width - (len(shape) - (len(s) - 3)):])
        if len(s) != len(shape):
            raise ValueError(f"einsum: the subscripts {s!r} name {len(s)} axes but the operand has shape "
                             f"{tuple(shape)}.")
        out.append(s)
    if arrow:
        result = rhs.replace("...", letters)
    else:
        counts = {c: "".join(out).count(c) for c in "".join(out)}
        result = letters + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in letters))
    return out, result


def _as_matmul(xp, sa, sb, so, a, b):
    """``einsum(f"{sa},{sb}->{so}", a, b)`` as one (batched) matmul, or None where that does not apply (a repeated
    letter, a size-1 axis broadcast against another size)."""
    if len(set(sa)) != len(sa) or len(set(sb)) != len(sb) or len(set(so)) != len(so):
        return None
    for sub, other, x in ((sa, sb, a), (sb, sa, b)):  # letters of one operand only, summed away: sum them first
        gone = [c for c in sub if c not in other and c not in so]
        if gone:
            x = x.sum(axis=tuple(sub.index(c) for c in gone))
            sub = "".join(c for c in sub if c not in gone)
        if other is sb:
            sa, a = sub, x
        else:
            sb, b = sub, x
    size = dict(zip(sa, a.shape))
    if any(size.get(c, n) != n for c, n in zip(sb, b.shape)):
        return None
    size.update(zip(sb, b.shape))
    batch = [c for c in so if c in sa and c in sb]
    rows, cols = [c for c in sa if c not in sb], [c for c in sb if c not in sa]
    inner = [c for c in sa if c in sb and c not in so]

    def count(letters):
        n = 1
        for c in letters:
            n *= size[c]
        return n
    left = a.transpose([sa.index(c) for c in batch + rows + inner]).reshape(count(batch), count(rows), count(inner))
    right = b.transpose([sb.index(c) for c in batch + inner + cols]).reshape(count(batch), count(inner), count(cols))
    order = batch + rows + cols
    out = xp.matmul(left, right).reshape([size[c] for c in order])
    return out.transpose([order.index(c) for c in so])


def _einsum(xp, inputs, output, arrays, optimize):
    if optimize and len(arrays) == 2:
        out = _as_matmul(xp, inputs[0], inputs[1], output, *arrays)
        if out is not None:
            return out
    return xp.einsum(f"{','.join(inputs)}->{output}", *arrays, optimize=optimize)


class Einsum(Op):
    def __init__(self, equation, optimize=False):
        self.equation = equation
        self.optimize = optimize

    def forward(self, *arrays):
        self.arrays = arrays
        self.inputs, self.output = _expand(self.equation, [a.shape for a in arrays])
        return _einsum(get_array_module(arrays[0]), self.inputs, self.output, arrays, self.optimize)

    def gradient_plan(self, i):
        """How operand ``i``'s gradient is made: (the einsum equation over the output gradient and the other
        operands, their indices, the shape to broadcast the result from, or None when it has the operand's)."""
        sub = self.inputs[i]
        if len(set(sub)) != len(sub):
            raise NotImplementedError(f"einsum: the gradient for an operand with a repeated index ({sub!r}, a "
                                      "diagonal) is not implemented; take the diagonal with tf.linalg.diag_part.")
        others = [j for j in range(len(self.inputs)) if j != i]
        seen = set(self.output).union(*[set(self.inputs[j]) for j in others])
        kept = "".join(c for c in sub if c in seen)
        shape = None if kept == sub else [self.arrays[i].shape[k] if c in kept else 1 for k, c in enumerate(sub)]
        return f"{','.join([self.output] + [self.inputs[j] for j in others])}->{kept}", others, shape

    def vjp(self, g, needed):
        xp = get_array_module(g)
        grads = []
        for i, a in enumerate(self.arrays):
            if not needed[i]:
                grads.append(None)
                continue
            equation, others, shape = self.gradient_plan(i)
            lhs, kept = equation.split("->")
            grad = _einsum(xp, lhs.split(","), kept, [g] + [self.arrays[j] for j in others], self.optimize)
            if shape is not None:
                grad = xp.broadcast_to(grad.reshape(shape), a.shape)
            grads.append(grad)
        return grads


def einsum(equation, *operands, optimize=False):
    return Einsum(equation, optimize)(*operands)


def tensordot(a, b, axes=2):
    """``tensordot``: ``axes`` an int (the last N axes of ``a`` with the first N of ``b``) or two lists."""
    na, nb = array_of(a).ndim, array_of(b).ndim
    if isinstance(axes, int):
        axes_a, axes_b = list(range(na - axes, na)), list(range(axes))
    else:
        axes_a, axes_b = ([int(x)] if not hasattr(x, "__len__") else [int(v) for v in x] for x in axes)
    axes_a, axes_b = [x % na for x in axes_a], [x % nb for x in axes_b]
    letters = iter(string.ascii_letters)
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for x, y in zip(axes_a, axes_b):
        sb[y] = sa[x]
    out = [c for k, c in enumerate(sa) if k not in axes_a] + [c for k, c in enumerate(sb) if k not in axes_b]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)
