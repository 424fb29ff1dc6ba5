"""dendrite.backend: Keras's backend settings, and the runtime's public names that it re-exports."""
from dendrite import backend, runtime


def test_keras_backend_constants():
    assert backend.epsilon() == 1e-7  # keras.backend.epsilon()
    assert backend.floatx() == "float32" and backend.image_data_format() == "channels_last"


def test_backend_still_sets_and_reports_the_thread_count():
    # the README documents dendrite.backend.set_num_threads; bench/run.py prints backend.blas_kernels()
    before = runtime.num_threads()
    try:
        backend.set_num_threads(3)
        assert runtime.num_threads() == 3 and backend.num_threads() == 3
    finally:
        runtime.set_num_threads(before)
    assert backend.blas_kernels() == runtime.blas_kernels()
