"""dendrite.backend: Keras's backend settings, and the runtime's public names that it re-exports."""
import pytest

from dendrite import backend, runtime


def test_keras_backend_constants():
    assert backend.epsilon() == 1e-7  # keras.backend.epsilon()
    assert backend.floatx() == "float32" and backend.image_data_format() == "channels_last"


def test_set_floatx_takes_float_dtypes_only():
    with pytest.raises(ValueError, match=r"set_floatx: expected one of 'float16', 'float32', 'float64'; "
                                         r"received dtype='int32'"):
        backend.set_floatx("int32")
    assert backend.floatx() == "float32"


def test_backend_still_sets_and_reports_the_thread_count():
    # the README documents dendrite.backend.set_num_threads; bench/run.py prints backend.blas_kernels()
    before = runtime.num_threads()
    try:
        backend.set_num_threads(3)
        assert runtime.num_threads() == 3 and backend.num_threads() == 3
    finally:
        runtime.set_num_threads(before)
    assert backend.blas_kernels() == runtime.blas_kernels()
