"""The numbers behind spectrograms, as NumPy arrays: window functions by name (SciPy's ``get_window``
definitions, which Keras's STFT initializer uses: periodic windows for FFT bins, symmetric ones otherwise) and
the HTK mel filterbank (the matrix tf.signal.linear_to_mel_weight_matrix and keras.layers.MelSpectrogram
apply)."""
import numpy as np

WINDOWS = ("hann", "hamming", "blackman", "boxcar", "bartlett")
_ALIASES = {"hanning": "hann", "han": "hann", "hamm": "hamming", "ham": "hamming", "black": "blackman",
            "blk": "blackman", "rect": "boxcar", "rectangular": "boxcar", "ones": "boxcar", "bart": "bartlett",
            "brt": "bartlett"}


def get_window(window, length, periodic=True, owner="get_window"):
    """``window`` (a name from WINDOWS, ``('kaiser', beta)``, or the values themselves) of ``length`` samples;
    ``periodic``: one period of a window of length + 1 (for FFT frames), else symmetric."""
    if not isinstance(window, (str, tuple)):
        values = np.asarray(window, dtype=np.float64)
        if values.shape != (length,):
            raise ValueError(f"{owner}: the shape of `window` must be [{length}] (the frame length), received "
                             f"{list(values.shape)}.")
        return values
    name, params = (window, ()) if isinstance(window, str) else (window[0], tuple(window[1:]))
    name = _ALIASES.get(name, name)
    if name not in WINDOWS + ("kaiser",) or (name == "kaiser") != bool(params):
        raise ValueError(f"{owner}: unknown window {window!r}; dendrite knows {', '.join(WINDOWS)} and "
                         "('kaiser', beta), or pass the window's values.")
    if length == 1:
        return np.ones(1)
    m = length + 1 if periodic else length
    n = np.arange(m)
    if name == "hann":
        w = 0.5 - 0.5 * np.cos(2 * np.pi * n / (m - 1))
    elif name == "hamming":
        w = 0.54 - 0.46 * np.cos(2 * np.pi * n / (m - 1))
    elif name == "blackman":
        w = 0.42 - 0.5 * np.cos(2 * np.pi * n / (m - 1)) + 0.08 * np.cos(4 * np.pi * n / (m - 1))
    elif name == "boxcar":
        w = np.ones(m)
    elif name == "bartlett":
        w = 1 - np.abs(2 * n / (m - 1) - 1)
    else:
        w = np.kaiser(m, float(params[0]))
    return w[:length]


def hertz_to_mel(frequencies):
    """The HTK mel scale: 1127 ln(1 + f / 700)."""
    return 1127.0 * np.log1p(np.asarray(frequencies, dtype=np.float64) / 700.0)


def mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sample_rate, lower_edge_hertz, upper_edge_hertz):
    """The [num_spectrogram_bins, num_mel_bins] float64 matrix mapping a spectrogram's linear bins (0 to the
    Nyquist frequency) onto triangular filters evenly spaced in mels (peaks 1; the zero bin weighs nothing)."""
    spectrogram_mel = hertz_to_mel(np.linspace(0.0, sample_rate / 2, num_spectrogram_bins)[1:])[:, None]
    edges = np.linspace(hertz_to_mel(lower_edge_hertz), hertz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    left, centre, right = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    rising = (spectrogram_mel - left) / (centre - left)
    falling = (right - spectrogram_mel) / (right - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.concatenate([np.zeros((1, num_mel_bins)), weights])
