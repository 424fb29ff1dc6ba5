"""``tf.autograph`` under the compatibility hooks. dendrite runs a tf.function eagerly, as written: AutoGraph
never converts Python control flow into graph ops, so there is no generated code to show.

- ``to_code(fn)``: the function's own Python source (of ``fn``, or of a tf.function's ``python_function``),
  dedented, with a one-time note on stderr saying dendrite does not convert it.
- ``to_graph(fn)``: ``fn`` itself (it already runs as it would in the graph), with the same note.
- ``trace(*args)``: prints its arguments (as TensorFlow does in eager code).
- ``set_verbosity``, ``experimental.do_not_convert`` (as a decorator with or without parentheses),
  ``experimental.set_loop_options`` and ``experimental.Feature``: accepted; there is nothing to convert.
"""
import enum
import inspect
import textwrap

from ._namespace import Namespace
from ._notes import note

_NOTE = ("dendrite runs tf.function eagerly and does not convert Python code with AutoGraph; {api} gives the "
         "function's own {what}.")


def _python_function(entity, api):
    function = getattr(entity, "python_function", entity)  # a tf.function: the Python function it wraps
    if not callable(function) or isinstance(function, type):
        raise TypeError(f"tf.autograph.{api}: expected a Python function or a tf.function (entity); received "
                        f"{type(entity).__name__}.")
    return function


def to_code(entity, recursive=True, experimental_optional_features=None):
    """The Python source of ``entity`` (see the module), a string."""
    function = _python_function(entity, "to_code")
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError) as e:
        raise ValueError(f"tf.autograph.to_code: the source of {getattr(function, '__name__', function)!r} is not "
                         f"available ({e}); define it in a file or notebook cell.") from None
    note(("autograph", "to_code"), _NOTE.format(api="tf.autograph.to_code", what="source"))
    return textwrap.dedent(source)


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """``entity`` itself, callable as TensorFlow's converted function is (see the module)."""
    _python_function(entity, "to_graph")
    note(("autograph", "to_graph"), _NOTE.format(api="tf.autograph.to_graph", what="function, unconverted"))
    return entity


def trace(*args):
    """Print ``args`` (as ``print`` does), which is what tf.autograph.trace does outside a graph."""
    print(*args)


def set_verbosity(level, alsologtostdout=False):
    """AutoGraph's log level: accepted; dendrite converts nothing, so there is nothing to log."""


def do_not_convert(func=None):
    """``func`` unchanged (dendrite converts nothing); without ``func``, the decorator itself."""
    return do_not_convert if func is None else func


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None, shape_invariants=None):
    """Loop options for AutoGraph's while loops: accepted; dendrite's loops are Python loops."""


class Feature(enum.Enum):
    """AutoGraph's optional conversion features (their names are their values, as TensorFlow's)."""
    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def namespace():
    return Namespace("tensorflow.autograph", __doc__, members=dict(
        to_code=to_code, to_graph=to_graph, trace=trace, set_verbosity=set_verbosity,
        experimental=Namespace("tensorflow.autograph.experimental", members=dict(
            do_not_convert=do_not_convert, set_loop_options=set_loop_options, Feature=Feature))))


def enable_control_flow_v2():
    """``control_flow_util.enable_control_flow_v2()``: TensorFlow 2's control flow is the only one dendrite has."""
    return True


def control_flow_util():
    """``tensorflow.python.ops.control_flow_util``, the switch TensorFlow 2.0's AutoGraph tutorials set
    (``control_flow_util.ENABLE_CONTROL_FLOW_V2 = True``): on, as in TensorFlow 2; setting it changes nothing."""
    return Namespace("tensorflow.python.ops.control_flow_util", control_flow_util.__doc__, members=dict(
        ENABLE_CONTROL_FLOW_V2=True, enable_control_flow_v2=enable_control_flow_v2,
        EnableControlFlowV2=lambda graph=None: True))
