"""The spectral ops (dendrite/autodiff/ops/spectral.py): complex FFTs, real FFTs and their inverses, complex
parts, framing and overlap-add, each gradient-checked against central differences (TensorFlow's convention
for complex gradients: dL/dx + i dL/dy), and their values against NumPy's FFT."""
import numpy as np
import pytest

from dendrite.autodiff import Tensor
from dendrite.autodiff.ops import spectral
from dendrite.testing import check_grads

RNG = np.random.default_rng(3)
A, B = RNG.standard_normal((2, 12)), RNG.standard_normal((2, 12))


@pytest.mark.parametrize("name, f, inputs", [
    ("fft", lambda a, b: spectral.real(spectral.fft(spectral.complex(a, b))), [A, B]),
    ("ifft2d", lambda a, b: spectral.imag(spectral.fft(spectral.complex(a, b), 2, True)), [A, B]),
    ("rfft crop", lambda a: spectral.imag(spectral.rfft(a, (8,))), [A]),
    ("rfft pad", lambda a: spectral.real(spectral.rfft(a, (16,))), [A]),
    ("rfft2d", lambda a: spectral.real(spectral.rfft(a, (2, 6))), [A.reshape(2, 2, 6)]),
    ("irfft even", lambda a, b: spectral.irfft(spectral.complex(a, b), (10,)), [A[:, :6], B[:, :6]]),
    ("irfft odd", lambda a, b: spectral.irfft(spectral.complex(a, b), (9,)), [A, B]),
    ("irfft2d", lambda a, b: spectral.irfft(spectral.complex(a, b), (3, 6)),
     [A.reshape(2, 3, 4), B.reshape(2, 3, 4)]),
    ("conj angle", lambda a, b: spectral.angle(spectral.conj(spectral.complex(a, b))), [A, B]),
    ("cast", lambda a: spectral.imag(spectral.fft(spectral.cast_complex(a, np.complex128))), [A]),
    ("frame", lambda a: spectral.frame(a, 5, 2, pad_end=True), [A]),
    ("frame many", lambda a: spectral.frame(a, 2, 1), [A]),
    ("overlap_and_add", lambda a: spectral.overlap_and_add(a, 2), [A.reshape(2, 4, 3)]),
])
def test_spectral_gradients(name, f, inputs):
    check_grads(f, inputs)


def test_values_match_numpy():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 10))
    z = x + 1j * rng.standard_normal((2, 10))
    np.testing.assert_allclose(spectral.fft(Tensor(z)).value, np.fft.fft(z))
    np.testing.assert_allclose(spectral.fft(Tensor(z), 2, inverse=True).value, np.fft.ifft2(z))
    np.testing.assert_allclose(spectral.rfft(Tensor(x), (16,)).value, np.fft.rfft(x, 16))
    np.testing.assert_allclose(spectral.irfft(Tensor(z), (9,)).value, np.fft.irfft(z, 9))
    assert spectral.rfft(Tensor(x.astype(np.float32)), (10,)).dtype == np.complex64
    frames = spectral.frame(Tensor(np.arange(10.0)), 4, 3).value
    np.testing.assert_array_equal(frames, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    np.testing.assert_array_equal(spectral.overlap_and_add(Tensor(np.ones((3, 4))), 2).value,
                                  [1, 1, 2, 2, 2, 2, 1, 1])
