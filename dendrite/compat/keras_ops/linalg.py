"""keras.ops.linalg: inverses, determinants, solves and the Cholesky factor are differentiable (their
vector-Jacobian products below); the decompositions (qr, svd, eig, eigh, lu_factor) and lstsq return NumPy
values as Tensors, with no gradient. Matrices are the last two axes, batches in front."""
from ...autodiff.tape import Op
from ...backend import get_array_module
from .convert import arr, axis_of, const, flt, np, ops


def _mT(a):  # noqa: N802 - the matrix transpose
    return get_array_module(a).swapaxes(a, -1, -2)


class _Inv(Op):
    def forward(self, a):
        self.out = get_array_module(a).linalg.inv(a)
        return self.out

    def vjp(self, g, needed):
        inv_t = _mT(self.out)
        return (-(inv_t @ g @ inv_t),)


class _SLogDet(Op):
    """log|det A| (its sign is a constant)."""

    def forward(self, a):
        xp = get_array_module(a)
        self.a = a
        self.sign, logdet = xp.linalg.slogdet(a)
        return logdet

    def vjp(self, g, needed):
        return (g[..., None, None] * _mT(get_array_module(g).linalg.inv(self.a)),)


class _Solve(Op):
    def forward(self, a, b):
        xp = get_array_module(a, b)
        self.a, self.vector = a, b.ndim == a.ndim - 1
        self.x = xp.linalg.solve(a, b[..., None] if self.vector else b)
        return self.x[..., 0] if self.vector else self.x

    def vjp(self, g, needed):
        xp = get_array_module(g)
        gb = xp.linalg.solve(_mT(self.a), g[..., None] if self.vector else g)
        ga = -gb @ _mT(self.x) if needed[0] else None
        return ga, (gb[..., 0] if self.vector else gb) if needed[1] else None


class _Cholesky(Op):
    """L with A = L L^T; the gradient (Murray, 2016): Phi(L^T gL) symmetrised through L^-T ... L^-1."""

    def forward(self, a):
        self.out = get_array_module(a).linalg.cholesky(a)
        return self.out

    def vjp(self, g, needed):
        xp = get_array_module(g)
        L = self.out  # noqa: N806
        phi = _mT(L) @ g
        phi = xp.tril(phi) - 0.5 * xp.eye(L.shape[-1], dtype=L.dtype) * phi
        inv = xp.linalg.inv(L)
        s = _mT(inv) @ phi @ inv
        return (0.5 * (s + _mT(s)),)


def _square(x, who):
    x = flt(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"keras.ops.{who}: expected square matrices in the last two axes; received shape "
                         f"{x.shape}.")
    return x


def inv(x):
    return _Inv()(_square(x, "inv"))


def slogdet(x):
    x = _square(x, "slogdet")
    logdet = _SLogDet()(x)
    return const(np.linalg.slogdet(x.value)[0]), logdet


def logdet(x):
    """log(det x) for positive-definite x."""
    return _SLogDet()(_square(x, "logdet"))


def det(x):
    sign, log_abs = slogdet(x)
    return ops.multiply(sign, ops.exp(log_abs))


def solve(a, b):
    return _Solve()(_square(a, "solve"), flt(b))


def solve_triangular(a, b, lower=False):
    a = _square(a, "solve_triangular")
    n = a.shape[-1]
    return solve(ops.multiply(a, const(np.tri(n, n, 0 if lower else -1, dtype=a.dtype) if lower else
                                       1 - np.tri(n, n, -1, dtype=a.dtype))), b)


def cholesky(x, upper=False):
    out = _Cholesky()(_square(x, "cholesky"))
    return ops.transpose(out, tuple(range(out.ndim - 2)) + (out.ndim - 1, out.ndim - 2)) if upper else out


def cholesky_inverse(x, upper=False):
    L = flt(x)  # noqa: N806
    L = ops.transpose(L, tuple(range(L.ndim - 2)) + (L.ndim - 1, L.ndim - 2)) if upper else L
    return inv(ops.matmul(L, ops.transpose(L, tuple(range(L.ndim - 2)) + (L.ndim - 1, L.ndim - 2))))


def _values(fn, *args, **kwargs):
    out = fn(*[arr(a) for a in args], **kwargs)
    return tuple(const(o) for o in out) if isinstance(out, tuple) else const(out)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"keras.ops.qr: expected mode 'reduced' or 'complete'; received mode={mode!r}.")
    return _values(np.linalg.qr, x, mode=mode)


def svd(x, full_matrices=True, compute_uv=True):
    return _values(np.linalg.svd, x, full_matrices=full_matrices, compute_uv=compute_uv)


def eig(x):
    return _values(np.linalg.eig, x)


def eigh(x):
    return _values(np.linalg.eigh, x)


def lstsq(a, b, rcond=None):
    return const(np.linalg.lstsq(arr(a), arr(b), rcond=rcond)[0])


def lu_factor(x):
    """(LU, pivots): L below the diagonal (unit diagonal implied) and U on and above it, with the row
    swaps as LAPACK's getrf gives them (0-based)."""
    a = np.array(arr(x), dtype=np.result_type(arr(x).dtype, np.float32))
    n = a.shape[-1]
    piv = np.zeros(a.shape[:-1], np.int32)
    flat, pflat = a.reshape(-1, n, n), piv.reshape(-1, n)
    for m, p in zip(flat, pflat):
        for k in range(n):
            r = k + int(np.argmax(np.abs(m[k:, k])))
            p[k] = r
            if r != k:
                m[[k, r]] = m[[r, k]]
            if m[k, k] != 0:
                m[k + 1:, k] /= m[k, k]
                m[k + 1:, k + 1:] -= np.outer(m[k + 1:, k], m[k, k + 1:])
    return const(a), const(piv)


def matrix_rank(x, tol=None):
    return const(np.asarray(np.linalg.matrix_rank(arr(x), tol)).astype(np.int32))


def pinv(x, rcond=1e-15):
    return const(np.linalg.pinv(arr(x), rcond))


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """numpy.linalg.norm; the Euclidean (vector 2 / Frobenius) and vector p-norms are differentiable."""
    x = flt(x)
    axis = axis_of(axis)
    vector = axis is None and ord is None or isinstance(axis, int) or (axis is None and x.ndim == 1)
    if ord in (None, "fro", 2) and (ord != 2 or vector) or (ord == "fro"):
        ax = axis if axis is not None else None
        return ops.sqrt(ops.sum(ops.square(x), axis=ax, keepdims=keepdims))
    if vector and isinstance(ord, (int, float)) and ord not in (0, np.inf, -np.inf) and ord > 0:
        return ops.power(ops.sum(ops.power(ops.abs(x), float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)
    return const(np.asarray(np.linalg.norm(x.value, ord=ord, axis=axis, keepdims=keepdims)).astype(x.dtype))


NAMES = ("inv slogdet logdet det solve solve_triangular cholesky cholesky_inverse qr svd eig eigh lstsq lu_factor "
         "matrix_rank pinv norm")
