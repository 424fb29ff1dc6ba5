"""tf.autograph: dendrite converts nothing, so to_code shows the function's own source and to_graph gives the
function; the other members tutorials call are accepted."""
import pytest

from dendrite.compat import _notes


@pytest.fixture
def notes(monkeypatch):
    """Notes shown afresh (and not silenced) for one test."""
    monkeypatch.setattr(_notes, "_seen", set())
    monkeypatch.delenv(_notes.QUIET_ENV, raising=False)


def test_to_code_gives_the_functions_own_source_with_a_note(tf, notes, capsys):
    def add_twice(x):
        if x > 0:
            x = x + 1
        return x + 1

    code = tf.autograph.to_code(add_twice)
    assert code == "def add_twice(x):\n    if x > 0:\n        x = x + 1\n    return x + 1\n"  # dedented
    assert "does not convert Python code with AutoGraph" in capsys.readouterr().err
    assert tf.autograph.to_code(add_twice) == code and capsys.readouterr().err == ""  # the note once

    @tf.function
    def square(x):
        return x * x

    assert tf.autograph.to_code(square) == tf.autograph.to_code(square.python_function)
    assert tf.autograph.to_code(square).startswith("@tf.function\ndef square(x):")


def test_to_graph_gives_the_function(tf, notes, capsys):
    def double(x):
        return x * 2

    graph_fn = tf.autograph.to_graph(double, recursive=False)
    assert graph_fn is double and float(graph_fn(tf.constant(2.0))) == 4.0
    assert "tf.autograph.to_graph" in capsys.readouterr().err


def test_bad_entities_are_refused(tf):
    with pytest.raises(TypeError, match="tf.autograph.to_code: expected a Python function or a tf.function.*int"):
        tf.autograph.to_code(3)
    with pytest.raises(TypeError, match="tf.autograph.to_graph: expected a Python function"):
        tf.autograph.to_graph("f")
    namespace = {}
    exec("def made(x):\n    return x\n", namespace)  # no file holds its source
    with pytest.raises(ValueError, match="the source of 'made' is not available"):
        tf.autograph.to_code(namespace["made"])
    with pytest.raises(NotImplementedError, match="tf.autograph.convert|tensorflow.autograph.convert"):
        tf.autograph.convert


def test_trace_verbosity_and_experimental(tf, capsys):
    tf.autograph.trace(1, "a", tf.constant(2))
    assert capsys.readouterr().out == "1 a tf.Tensor(2, shape=(), dtype=int32)\n"
    assert tf.autograph.set_verbosity(3, alsologtostdout=True) is None

    def f(x):
        return x

    assert tf.autograph.experimental.do_not_convert(f) is f
    assert tf.autograph.experimental.do_not_convert()(f) is f  # with parentheses, as a decorator
    assert tf.autograph.experimental.set_loop_options(maximum_iterations=3) is None
    assert [m.value for m in tf.autograph.experimental.Feature] == [
        "ALL", "AUTO_CONTROL_DEPS", "ASSERT_STATEMENTS", "BUILTIN_FUNCTIONS", "EQUALITY_OPERATORS", "LISTS",
        "NAME_SCOPES"]


def test_control_flow_v2_switch_of_the_tf2_autograph_tutorials(tf):
    from tensorflow.python.ops import control_flow_util
    assert control_flow_util.ENABLE_CONTROL_FLOW_V2 is True and control_flow_util.enable_control_flow_v2()
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = True  # what the tutorials do; the tf.function below still runs

    @tf.function
    def fizzbuzz(n):
        msg = tf.constant("")
        for i in tf.range(n):
            if tf.equal(i % 3, 0):
                msg += "Fizz"
            elif tf.equal(i % 5, 0):
                msg += "Buzz"
            else:
                msg += tf.as_string(i)
            msg += "\n"
        return msg

    assert fizzbuzz(tf.constant(7)).numpy().decode() == "Fizz\n1\n2\nFizz\n4\nBuzz\nFizz\n"
