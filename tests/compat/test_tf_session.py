"""TensorFlow 1's session objects as TF 2 and Keras 2 programs use them to set up the GPU
(dendrite/compat/tf_session.py): recorded, printed as TensorFlow prints them, changing nothing on the CPU."""
import numpy as np
import pytest


def test_gpu_set_up_boilerplate_runs_and_the_config_prints_as_tensorflow_prints_it(tf):
    config = tf.compat.v1.ConfigProto(allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    session = tf.compat.v1.Session(config=config)
    tf.compat.v1.keras.backend.set_session(session)
    assert tf.compat.v1.keras.backend.get_session() is session and session.config is config
    # as TensorFlow 2.21 prints it: the fields in field-number order
    assert str(config) == ("gpu_options {\n  per_process_gpu_memory_fraction: 0.5\n  allow_growth: true\n}\n"
                           "allow_soft_placement: true\n")
    assert str(tf.compat.v1.ConfigProto(device_count={"GPU": 0})) == 'device_count {\n  key: "GPU"\n  value: 0\n}\n'
    tf.compat.v1.reset_default_graph()
    interactive = tf.compat.v1.InteractiveSession(config=tf.compat.v1.ConfigProto(log_device_placement=False))
    interactive.close()


def test_keras_2_set_session_from_the_tensorflow_backend_module(keras, tf):
    from keras.backend.tensorflow_backend import set_session
    from keras import backend as K
    config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))  # TensorFlow 1's names
    set_session(tf.Session(config=config))
    assert K.get_session().config.gpu_options.allow_growth is True
    with pytest.raises(TypeError, match=r"set_session: expected a tf.compat.v1.Session; received str"):
        K.set_session("session")


def test_session_run_gives_the_values_of_eager_tensors_and_refuses_a_feed_dict(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.compat.v1.Session() as sess:
        out = sess.run([tf.constant(3) + 1, {"v": v}, None])
    assert out[0] == 4 and np.array_equal(out[1]["v"], [1.0, 2.0]) and out[2] is None
    with pytest.raises(NotImplementedError, match=r"feed_dict.*placeholders"):
        sess.run(tf.constant(1), feed_dict={"x": 1})
    with pytest.raises(NotImplementedError, match=r"Session.run of a str"):
        sess.run("loss:0")


def test_tf1_eval_and_graph_machinery_outside_graph_mode_refused_clearly(tf, capsys):
    """``c.eval()`` in a session gives the value (a TF 1 lecture's TF 2 port); meta graphs, and graph-mode
    training on an eager loss (eager execution still on), are refused with an error that says why and what
    to do, never an AttributeError."""
    tf.compat.v1.disable_resource_variables()
    assert "disable_resource_variables() is ignored" in capsys.readouterr().err
    c = tf.constant(5.0) * tf.constant(6.0)
    with tf.compat.v1.Session().as_default():
        assert c.eval() == 30.0 and tf.Variable(2.0).eval() == 2.0
    with pytest.raises(NotImplementedError, match=r"compat.v1.train.export_meta_graph.*not GraphDef.*Saver.restore"):
        tf.compat.v1.train.export_meta_graph("model.meta")
    with pytest.raises(NotImplementedError, match=r"compat.v1.losses.hinge_loss` is not supported"):
        tf.compat.v1.losses.hinge_loss
    sgd = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    with pytest.raises(NotImplementedError, match=r"compute_gradients is TensorFlow 1's graph-mode training.*"
                                                  r"disable_eager_execution"):
        sgd.compute_gradients(c)
    with pytest.raises(NotImplementedError, match=r"apply_gradients is TensorFlow 1's graph-mode training"):
        sgd.apply_gradients([])
    with pytest.raises(NotImplementedError, match=r"minimize outside an Estimator's model_fn.*eager value.*"
                                                  r"disable_eager_execution.*GradientTape"):
        sgd.minimize(c)
    with pytest.raises(RuntimeError, match=r"tf.placeholder\(\) is not compatible with eager execution.*"
                                           r"disable_eager_execution"):
        tf.compat.v1.placeholder(tf.float32, [None, 2])


def test_device_checks_report_the_cpu(tf):
    from tensorflow.python.client import device_lib
    devices = device_lib.list_local_devices()
    assert [(d.name, d.device_type) for d in devices] == [("/device:CPU:0", "CPU")]
    assert 'name: "/device:CPU:0"' in str(devices[0]) and 'device_type: "CPU"' in str(devices[0])
    assert tf.sysconfig.get_build_info()["is_cuda_build"] is False
    assert tf.sysconfig.get_build_info().get("cuda_version") is None
