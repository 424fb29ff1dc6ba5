"""Logical CPU devices (dendrite.compat.tf_devices): configured, listed, and accepted by MirroredStrategy."""
import pytest


def test_logical_cpu_devices_are_listed_after_configuration(tf):
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == ["/device:CPU:0"]
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    devices = tf.config.list_logical_devices("CPU")
    assert [d.name for d in devices] == ["/device:CPU:0", "/device:CPU:1"]
    assert all(d.device_type == "CPU" for d in devices) and tf.config.list_logical_devices("GPU") == []
    assert len(tf.config.get_logical_device_configuration(cpu)) == 2
    tf.config.experimental.set_virtual_device_configuration(
        cpu, [tf.config.experimental.VirtualDeviceConfiguration() for _ in range(3)])
    assert len(tf.config.list_logical_devices()) == 3
    strategy = tf.distribute.MirroredStrategy(devices=[d.name for d in tf.config.list_logical_devices("CPU")])
    with strategy.scope():
        assert float(strategy.run(lambda: tf.constant(2.0) * 3)) == 6.0
    with pytest.raises(ValueError, match="non-empty list of tf.config.LogicalDeviceConfiguration"):
        tf.config.set_logical_device_configuration(cpu, [1, 2])
    tf.config.set_logical_device_configuration(cpu, None)
    assert len(tf.config.list_logical_devices("CPU")) == 1


def test_a_fresh_install_starts_with_one_cpu():
    import dendrite.compat
    dendrite.compat.install()
    try:
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 4)
    finally:
        dendrite.compat.uninstall()
    dendrite.compat.install()
    try:
        import tensorflow as tf
        assert len(tf.config.list_logical_devices("CPU")) == 1
    finally:
        dendrite.compat.uninstall()


def test_eager_function_and_soft_placement_switches_are_kept_as_set(tf):
    """dendrite runs every tf.function eagerly; the switches programs set (to debug a tf.function, or to let
    ops fall back to the CPU) answer what they were set to, in both of TensorFlow's spellings."""
    assert tf.config.functions_run_eagerly() is False
    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly() is True and tf.config.experimental_functions_run_eagerly() is True
        tf.config.experimental_run_functions_eagerly(False)
        assert tf.config.functions_run_eagerly() is False
    finally:
        tf.config.run_functions_eagerly(False)
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    try:
        assert tf.config.get_soft_device_placement() is False
    finally:
        tf.config.set_soft_device_placement(True)

    @tf.function
    def double(x):
        return x * 2
    tf.config.run_functions_eagerly(True)
    try:
        assert double(tf.constant(3)).numpy() == 6
    finally:
        tf.config.run_functions_eagerly(False)


def test_grappler_options_and_jit_read_back_as_tensorflow_gives_them(tf):
    """TF's graph-optimization guide sets options in a context manager and prints them (values from TF 2.21)."""
    before = tf.config.optimizer.get_experimental_options()
    assert before == {"disable_model_pruning": False, "disable_meta_optimizer": False}
    try:
        tf.config.optimizer.set_experimental_options({"debug_stripper": True, "constant_folding": False})
        assert list(tf.config.optimizer.get_experimental_options().items()) == [
            ("constant_folding", False), ("debug_stripper", True), ("disable_model_pruning", False),
            ("disable_meta_optimizer", False)]
        tf.config.optimizer.set_jit(True)
        assert tf.config.optimizer.get_jit() == "autoclustering"
    finally:
        tf.config.optimizer.set_jit(False)
        from dendrite.compat import tf_runtime
        tf_runtime._GRAPPLER.clear()
    assert tf.config.optimizer.get_jit() == ""


def test_gpu_guide_settings_on_the_cpu(tf, capfd):
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.experimental.set_memory_growth(cpu, True)
    assert tf.config.experimental.get_memory_growth(cpu) is True
    tf.config.experimental.set_memory_growth(cpu, False)
    assert tf.config.experimental.get_device_details(cpu) == {}
    tf.debugging.set_log_device_placement(True)
    try:
        assert tf.debugging.get_log_device_placement() is True
        assert tf.matmul(tf.ones((2, 3)), tf.ones((3, 2))).shape == (2, 2)
        assert "device:CPU:0" in capfd.readouterr().err
    finally:
        tf.debugging.set_log_device_placement(False)
