"""Fourier transforms, complex parts and framing, each forward beside its vector-Jacobian product.

Complex gradients follow TensorFlow's convention: for a real loss L and a complex tensor z = x + iy, the
gradient handed back is dL/dx + i dL/dy. A complex-linear map A then takes the gradient g of its output to
A^H g at its input; where an input is real, its gradient is the real part of that.
"""
import numpy as np

from ..tape import Op
from ...backend import get_array_module


def _complex_dtype(dtype):
    """The complex dtype that holds values of ``dtype`` (complex64 for float32 and smaller)."""
    return np.complex128 if np.dtype(dtype) in (np.float64, np.complex128) else np.complex64


def _real_dtype(dtype):
    return np.float64 if np.dtype(dtype) in (np.float64, np.complex128) else np.float32


def _axes(rank):
    return tuple(range(-rank, 0))


def _fit_last(x, xp, axes, sizes):
    """``x`` cropped or zero-padded along ``axes`` to ``sizes``."""
    for axis, n in zip(axes, sizes):
        have = x.shape[axis]
        if have > n:
            x = xp.take(x, xp.arange(n), axis=axis)
        elif have < n:
            widths = [(0, 0)] * x.ndim
            widths[axis] = (0, n - have)
            x = xp.pad(x, widths)
    return x


class FFT(Op):
    """The complex discrete Fourier transform over the last ``rank`` axes (its inverse with ``inverse``)."""

    def __init__(self, rank=1, inverse=False):
        self.rank, self.inverse = rank, inverse

    def forward(self, a):
        xp = get_array_module(a)
        self.real_in = a.dtype.kind != "c"
        dtype = _complex_dtype(a.dtype)
        fn = xp.fft.ifftn if self.inverse else xp.fft.fftn
        return fn(a, axes=_axes(self.rank)).astype(dtype, copy=False)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        n = int(np.prod(g.shape[-self.rank:]))
        # the adjoint of the DFT is n times the inverse DFT, and of the inverse DFT the DFT over n
        out = xp.fft.fftn(g, axes=_axes(self.rank)) / n if self.inverse else xp.fft.ifftn(g, axes=_axes(self.rank)) * n
        return ((out.real if self.real_in else out).astype(g.real.dtype if self.real_in else g.dtype),)


class RFFT(Op):
    """The DFT of a real signal over the last ``rank`` axes (the last one keeps fft_length // 2 + 1 bins),
    the input cropped or zero-padded to ``fft_length`` first."""

    def __init__(self, fft_length):
        self.fft_length = tuple(int(n) for n in fft_length)

    def forward(self, a):
        xp = get_array_module(a)
        self.in_shape, self.dtype = a.shape, a.dtype
        axes = _axes(len(self.fft_length))
        a = _fit_last(a, xp, axes, self.fft_length)
        return xp.fft.rfftn(a, axes=axes).astype(_complex_dtype(a.dtype), copy=False)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        axes = _axes(len(self.fft_length))
        full = _fit_last(g, xp, axes[-1:], self.fft_length[-1:])  # the dropped bins take no gradient
        out = (xp.fft.ifftn(full, axes=axes) * int(np.prod(self.fft_length))).real
        out = _fit_last(out, xp, axes, self.in_shape[-len(axes):])
        return (out.astype(self.dtype, copy=False),)


class IRFFT(Op):
    """The real signal of ``fft_length`` samples whose DFT has the given fft_length // 2 + 1 bins (inverse of
    RFFT), over the last ``rank`` axes; the bins are cropped or zero-padded to fit first."""

    def __init__(self, fft_length):
        self.fft_length = tuple(int(n) for n in fft_length)

    def forward(self, a):
        xp = get_array_module(a)
        self.in_shape, self.dtype = a.shape, a.dtype
        axes = _axes(len(self.fft_length))
        bins = self.fft_length[:-1] + (self.fft_length[-1] // 2 + 1,)
        a = _fit_last(a, xp, axes, bins)
        return xp.fft.irfftn(a, s=self.fft_length, axes=axes).astype(_real_dtype(a.dtype), copy=False)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        axes = _axes(len(self.fft_length))
        n_last = self.fft_length[-1]
        spec = xp.fft.rfftn(g, axes=axes)
        weight = xp.full(spec.shape[-1], 2.0)
        weight[0] = 1.0
        if n_last % 2 == 0:
            weight[-1] = 1.0  # the Nyquist bin, like the zero bin, appears once in the signal
        out = spec * weight / int(np.prod(self.fft_length))
        out = _fit_last(out, xp, axes, self.in_shape[-len(axes):])
        return (out.astype(self.dtype, copy=False),)


class Real(Op):
    def forward(self, a):
        self.complex_in = a.dtype.kind == "c"
        return get_array_module(a).real(a).copy()

    def vjp(self, g, needed):
        return ((g + 0j) if self.complex_in else g,)


class Imag(Op):
    def forward(self, a):
        self.dtype = a.dtype
        return get_array_module(a).imag(a).copy()

    def vjp(self, g, needed):
        return ((1j * g).astype(self.dtype) if self.dtype.kind == "c" else g * 0,)


class Complex(Op):
    """``real + i imag`` from two real tensors."""

    def forward(self, re, im):
        xp = get_array_module(re)
        out = xp.empty(np.broadcast_shapes(re.shape, im.shape), dtype=_complex_dtype(np.result_type(re, im)))
        out.real, out.imag = re, im
        return out

    def vjp(self, g, needed):
        return g.real, g.imag


class Conj(Op):
    def forward(self, a):
        return get_array_module(a).conj(a)

    def vjp(self, g, needed):
        return (get_array_module(g).conj(g),)


class Angle(Op):
    def forward(self, a):
        self.a = a
        return get_array_module(a).angle(a).astype(_real_dtype(a.dtype), copy=False)

    def vjp(self, g, needed):
        if self.a.dtype.kind != "c":
            return (g * 0,)
        mag2 = self.a.real ** 2 + self.a.imag ** 2
        safe = get_array_module(g).where(mag2 > 0, mag2, 1)
        return (g * 1j * self.a / safe * (mag2 > 0),)


class CastComplex(Op):
    """A real tensor as complex (zero imaginary part), or a complex one's real part as real (as tf.cast)."""

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def forward(self, a):
        self.src = a.dtype
        return (a.real if a.dtype.kind == "c" and self.dtype.kind != "c" else a).astype(self.dtype)

    def vjp(self, g, needed):
        if self.src.kind == "c":
            return ((g + 0j).astype(self.src),)
        return (g.real.astype(self.src),)


def _frame_indices(n_frames, frame_step):
    return np.arange(n_frames) * frame_step


def _overlap_add(frames, frame_step, length, xp):
    """Sum ``frames`` [..., F, L] into a signal of ``length`` samples, frame f starting at f * frame_step."""
    n_frames, frame_length = frames.shape[-2:]
    out = xp.zeros(frames.shape[:-2] + (length,), dtype=frames.dtype)
    if n_frames <= frame_length:
        for f in range(n_frames):
            start = f * frame_step
            out[..., start:start + frame_length] += frames[..., f, :]
    else:  # along each offset within a frame the positions are distinct
        starts = _frame_indices(n_frames, frame_step)
        for j in range(frame_length):
            out[..., starts + j] += frames[..., :, j]
    return out


class Frame(Op):
    """Frames of ``frame_length`` samples every ``frame_step`` along the last axis: [..., n] -> [..., F, L].
    ``pad_end`` pads the end with ``pad_value`` so that a frame starts at every step of the signal
    (TensorFlow's rule: F = ceil(n / frame_step))."""

    def __init__(self, frame_length, frame_step, pad_end=False, pad_value=0.0):
        self.frame_length, self.frame_step = int(frame_length), int(frame_step)
        self.pad_end, self.pad_value = pad_end, pad_value

    def forward(self, a):
        xp = get_array_module(a)
        n, length, step = a.shape[-1], self.frame_length, self.frame_step
        self.n = n
        if self.pad_end:
            frames = -(-n // step)
            need = (frames - 1) * step + length if frames else 0
            if need > n:
                widths = [(0, 0)] * (a.ndim - 1) + [(0, need - n)]
                a = xp.pad(a, widths, constant_values=self.pad_value)
        else:
            frames = max(0, 1 + (n - length) // step) if n >= length else 0
        self.frames = frames
        index = _frame_indices(frames, step)[:, None] + np.arange(length)[None, :]
        return a[..., index]

    def vjp(self, g, needed):
        xp = get_array_module(g)
        total = max(self.n, (self.frames - 1) * self.frame_step + self.frame_length if self.frames else 0)
        return (_overlap_add(g, self.frame_step, total, xp)[..., :self.n],)


class OverlapAdd(Op):
    """The signal [..., (F - 1) * frame_step + L] whose frames [..., F, L] are summed where they overlap."""

    def __init__(self, frame_step):
        self.frame_step = int(frame_step)

    def forward(self, a):
        self.frames, self.frame_length = a.shape[-2:]
        length = (self.frames - 1) * self.frame_step + self.frame_length if self.frames else 0
        return _overlap_add(a, self.frame_step, length, get_array_module(a))

    def vjp(self, g, needed):
        index = _frame_indices(self.frames, self.frame_step)[:, None] + np.arange(self.frame_length)[None, :]
        return (g[..., index],)


def fft(a, rank=1, inverse=False):
    return FFT(rank, inverse)(a)


def rfft(a, fft_length):
    return RFFT(fft_length)(a)


def irfft(a, fft_length):
    return IRFFT(fft_length)(a)


def real(a):
    return Real()(a)


def imag(a):
    return Imag()(a)


def complex(re, im):  # noqa: A001 - TensorFlow's name
    return Complex()(re, im)


def conj(a):
    return Conj()(a)


def angle(a):
    return Angle()(a)


def cast_complex(a, dtype):
    return CastComplex(dtype)(a)


def frame(a, frame_length, frame_step, pad_end=False, pad_value=0.0):
    return Frame(frame_length, frame_step, pad_end, pad_value)(a)


def overlap_and_add(a, frame_step):
    return OverlapAdd(frame_step)(a)
