"""tf.function as the TF 2 function guide exercises it: eager calls, methods, concrete functions, tracing
counts, and a clear refusal for what needs a graph."""
import numpy as np
import pytest


def test_function_runs_eagerly_and_counts_traces_like_tensorflow(tf):
    calls = []

    @tf.function
    def double(a):
        calls.append(1)
        return a + a

    assert int(double(tf.constant(1))) == 2 and float(double(tf.constant(1.5))) == 3.0
    double(tf.constant(4))  # same dtype and shape as the first call: no new trace
    assert len(calls) == 3 and double.experimental_get_tracing_count() == 2
    signatures = double.pretty_printed_concrete_signatures()
    assert "int32" in signatures and "float32" in signatures
    assert double.python_function(tf.constant(2)).numpy() == 4 and double.__name__ == "double"


def test_function_on_methods_and_concrete_functions(tf):
    class Scaler(tf.Module):
        def __init__(self):
            super().__init__()
            self.factor = tf.Variable(3.0)

        @tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])
        def __call__(self, x):
            return x * self.factor

    scaler = Scaler()
    assert float(scaler(tf.constant(2.0))) == 6.0
    concrete = scaler.__call__.get_concrete_function(tf.TensorSpec(shape=None, dtype=tf.float32))
    assert float(concrete(tf.constant(5.0))) == 15.0
    assert scaler.__call__.experimental_get_tracing_count() == 1  # an input_signature traces once
    with tf.GradientTape() as tape:
        y = scaler(tf.constant(2.0))
    assert float(tape.gradient(y, scaler.factor)) == 2.0


def test_graph_inspection_is_refused_clearly(tf):
    @tf.function
    def relu(x):
        return tf.maximum(x, 0)

    concrete = relu.get_concrete_function(tf.constant(1))
    with pytest.raises(NotImplementedError, match="docs/compat.md"):
        concrete.graph
    assert not hasattr(concrete, "graph")  # an AttributeError too, so probes answer False
    assert tf.autograph.to_code(relu.python_function).startswith("@tf.function\ndef relu(x):\n")  # unconverted
    tf.autograph.set_verbosity(0)


def test_function_decorated_call_of_a_subclassed_model_trains(tf):
    import inspect

    import numpy as np

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(2)

        @tf.function
        def call(self, x, training=False):
            return self.dense(x)

    net = Net()
    assert list(inspect.signature(net.call).parameters) == ["x", "training"]  # bound: no `self`
    net.compile("sgd", "mse")
    history = net.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


def test_custom_tracing_types_decide_the_trace_count(tf):
    class KindType(tf.types.experimental.TraceType):
        def __init__(self, kind):
            self.kind = kind

        def __eq__(self, other):
            return type(other) is KindType and other.kind == self.kind

        def __hash__(self):
            return hash(self.kind)

    class Fruit:
        def __tf_tracing_type__(self, context):
            return KindType(type(self))

    class Apple(Fruit):
        pass

    @tf.function
    def describe(fruit):
        return type(fruit).__name__

    describe(Apple()), describe(Apple())
    assert describe.experimental_get_tracing_count() == 1  # two distinct apples, one tracing type
    describe(Fruit())
    assert describe.experimental_get_tracing_count() == 2


def test_python_numbers_returned_by_a_function_become_tensors(tf):
    @tf.function
    def simple_relu(x):
        if tf.greater(x, 0):
            return x
        return 0

    assert int(simple_relu(tf.constant(3))) == 3
    out = simple_relu(tf.constant(-1))
    assert isinstance(out, tf.Tensor) and out.numpy() == 0 and out.dtype == tf.int32

    @tf.function
    def several():
        return {"a": 1.5, "b": [2, None]}

    result = several()
    assert result["a"].dtype == tf.float32 and result["b"][0].numpy() == 2 and result["b"][1] is None


def test_a_variable_returned_by_a_function_becomes_a_tensor_of_its_value(tf):
    """TF 2.21: a tf.function returning a Variable gives a Tensor (the value then), as v.read_value() and
    tf.identity(v) do, for integer variables too; a float one still passes gradients to the variable."""
    counter = tf.Variable([1, 2], dtype=tf.int64)

    @tf.function
    def read():
        return counter

    for out in (read(), counter.read_value(), tf.identity(counter)):
        assert type(out) is tf.Tensor and out.dtype == tf.int64 and out.numpy().tolist() == [1, 2]
    snapshot = read()
    counter.assign([5, 6])
    assert snapshot.numpy().tolist() == [1, 2] and read().numpy().tolist() == [5, 6]
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.function(lambda: w)() * 2.0
    assert not isinstance(y, tf.Variable) and float(tape.gradient(y, w).numpy()) == 2.0


def test_input_signature_binds_arguments_as_tensorflow_does(tf):
    """Arguments bound to the signature as TF 2.21 binds them (messages are TF's): arrays, lists and numbers
    converted to the spec's dtype, a tensor of another dtype or shape refused with TypeError."""
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32, name="x")])
    def cube(z):
        return tf.pow(z, 3)

    assert cube([1, 2]).numpy().tolist() == [1, 8] and cube(np.array([3.0])).dtype == tf.int32
    with pytest.raises(TypeError, match=r"^Binding inputs to tf.function failed due to `Can not cast "
                                        r"TensorSpec\(shape=\(3,\), dtype=tf.float32, name='x'\) to TensorSpec"
                                        r"\(shape=\(None,\), dtype=tf.int32, name='x'\)`\. Received args: .* for "
                                        r"signature: \(z: TensorSpec\(shape=\(None,\), dtype=tf.int32, name='x'\)\)"):
        cube(tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match=r"Can not cast TensorSpec\(shape=\(1, 2\), dtype=tf.int32"):
        cube(tf.constant([[1, 2]]))
    with pytest.raises(TypeError, match=r"Cannot convert \[1.5\] to EagerTensor of dtype int32"):
        cube([1.5])
    with pytest.raises(TypeError, match=r"too many positional arguments"):
        cube(tf.constant([1]), tf.constant([2]))

    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def __call__(self, x):
            return x * 2

    assert float(Doubler()(3.0)) == 6.0 and Doubler()(np.float64(2.0)).dtype == tf.float32


def test_get_concrete_function_gives_one_object_per_trace(tf):
    @tf.function
    def square(x):
        return x * x

    first = square.get_concrete_function(tf.constant([1.0, 2.0]))
    assert square.get_concrete_function(tf.constant([3.0, 4.0])) is first  # same dtype and shape: same trace
    assert square.get_concrete_function(tf.constant([1, 2])) is not first
    assert square.experimental_get_tracing_count() == 2 and float(first(tf.constant(3.0))) == 9.0


def test_python_print_runs_only_when_tensorflow_would_trace(tf, capsys):
    """As in TF 2.21: Python's print runs on a new trace only (tf.print on every call), and on every call
    under tf.config.run_functions_eagerly(True)."""
    @tf.function
    def double(x):
        print("Tracing with", x)
        tf.print("Executing with", x)
        return x * 2

    for value in (tf.constant(1), tf.constant(2), tf.constant(1.5), 2, 2, 3):
        double(value)
    captured = capsys.readouterr()
    assert [line.split(" ", 2)[2] for line in captured.out.splitlines()] == [
        "tf.Tensor(1, shape=(), dtype=int32)", "tf.Tensor(1.5, shape=(), dtype=float32)", "2", "3"]
    assert captured.err.splitlines() == ["Executing with " + v for v in ("1", "2", "1.5", "2", "2", "3")]
    tf.config.run_functions_eagerly(True)
    try:
        double(tf.constant(5))
        double(tf.constant(6))
    finally:
        tf.config.run_functions_eagerly(False)
    assert capsys.readouterr().out.count("Tracing with") == 2
