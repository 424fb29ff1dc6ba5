"""The parts of ``tensorflow`` about where and how code runs, which dendrite answers for its one CPU
process: ``tf.function`` (runs the function as written), ``tf.device`` (a no-op context), ``tf.config``
(the CPU as the one device; thread counts), ``tf.distribute`` (the default strategy, whose ``scope()`` does
nothing), ``tf.compat.v1`` pieces beginner code
touches, ``tf.get_logger`` / ``tf.autograph``."""
import contextlib
import enum
import functools
import inspect
import logging as _logging
import types
from types import SimpleNamespace

import numpy as np

from .. import backend
from ._namespace import Namespace
from ._notes import note, unsupported


_GRAPH = ("dendrite runs a tf.function eagerly, as written: there is no graph, concrete function body or "
          "AutoGraph code to inspect. Call the function instead.")


class GraphOnly(AttributeError, NotImplementedError):
    """An attribute of a traced function that only a graph has: the unsupported(...) message, and an
    AttributeError so that ``hasattr`` probes answer False."""


def _graph_only(api):
    return GraphOnly(str(unsupported(api, _GRAPH)))


class TraceType:
    """``tf.types.experimental.TraceType``: the base of a custom tracing type, which an argument's
    ``__tf_tracing_type__(context)`` returns; tf.function counts a new trace per distinct (equal / hash) one."""

    def is_subtype_of(self, other):  # pragma: no cover - user classes implement these
        raise NotImplementedError

    def most_specific_common_supertype(self, others):  # pragma: no cover
        raise NotImplementedError

    def placeholder_value(self, placeholder_context=None):  # pragma: no cover
        raise NotImplementedError


TYPES = Namespace("tensorflow.types", members={"experimental": Namespace(
    "tensorflow.types.experimental", members={"TraceType": TraceType})})


def _trace_key(value):
    """What makes TensorFlow trace a function again: a tensor's dtype and shape, a custom tracing type, any
    other value itself."""
    if hasattr(type(value), "__tf_tracing_type__"):
        return value.__tf_tracing_type__(None)
    if isinstance(value, (list, tuple)):
        return tuple(_trace_key(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _trace_key(value[k])) for k in sorted(value, key=str))
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return ("tensor", tuple(shape), str(dtype))
    try:
        hash(value)
        return value
    except TypeError:
        return id(value)


def _as_outputs(value):
    """What a tf.function returns: Python and NumPy numbers become tensors, as TensorFlow converts them (in
    lists, tuples and dicts too); a Variable gives a Tensor of its value (as TensorFlow's); tensors, None and
    other objects pass."""
    from ..autodiff import Variable
    if isinstance(value, Variable):
        from .tensor_api import identity
        return identity(value)
    if isinstance(value, (bool, int, float, np.generic, np.ndarray)):
        from .tensor_api import convert_to_tensor
        return convert_to_tensor(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_as_outputs(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_outputs(v) for k, v in value.items()}
    return value


class Function:
    """``@tf.function`` (with or without arguments): calls run the Python function eagerly, as written.
    ``python_function``, ``get_concrete_function`` (a callable), ``experimental_get_tracing_count`` (the
    distinct argument signatures seen, as TensorFlow would trace them) and ``pretty_printed_concrete_signatures``
    answer; what needs a graph (``.graph``, AutoGraph code) is refused clearly."""

    def __init__(self, f, input_signature=None, instance=None):
        functools.update_wrapper(self, f)
        self.python_function, self.input_signature, self._instance = f, input_signature, instance
        self._traces = {} if instance is None else None
        self._concrete = {} if instance is None else None  # trace key -> its ConcreteFunction

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        bound = Function(self.python_function, self.input_signature, instance)
        bound._traces = self._traces  # one trace table per decorated method, as TensorFlow keeps
        bound._concrete = self._concrete
        bound.__wrapped__ = types.MethodType(self.python_function, instance)  # inspect.signature: no `self`
        return bound

    def _args(self, args):
        return args if self._instance is None else (self._instance,) + tuple(args)

    def _record(self, args, kwargs):
        """The trace key of these arguments, recorded (with the arguments) on first sight."""
        key = (_trace_key(args), _trace_key(kwargs)) if self.input_signature is None else "signature"
        self._traces.setdefault(key, (args, kwargs))
        return key

    def __call__(self, *args, **kwargs):
        if self.input_signature is not None:
            args = self._bind(args, kwargs)
        traced = len(self._traces)
        self._record(args, kwargs)
        if len(self._traces) == traced and not _EAGER[0]:  # a trace TensorFlow would reuse: no Python print
            with _python_print_silenced():
                return _as_outputs(self.python_function(*self._args(args), **kwargs))
        return _as_outputs(self.python_function(*self._args(args), **kwargs))

    def _bind(self, args, kwargs):
        """``args`` checked against ``input_signature`` as TensorFlow binds them: each given as a tensor of its
        spec's dtype and a compatible shape (lists and numbers converted), or TypeError as TensorFlow's."""
        from ..autodiff import Tensor
        specs = list(self.input_signature)
        try:
            if len(args) > len(specs):
                raise TypeError("too many positional arguments")
            bound = []
            for arg, spec in zip(args, specs):
                if not isinstance(spec, TensorSpec):  # (nested specs: passed as they are)
                    bound.append(arg)
                    continue
                bound.append(_bound_argument(arg, spec, Tensor))
        except TypeError as reason:
            names = list(inspect.signature(self.python_function).parameters)[0 if self._instance is None else 1:]
            shown = ", ".join(f"{n}: {spec!r}" for n, spec in zip(names, specs))
            raise TypeError(f"Binding inputs to tf.function failed due to `{reason}`. Received args: {args!r} and "
                            f"kwargs: {kwargs!r} for signature: ({shown}).") from None
        return tuple(bound) + tuple(args[len(bound):])

    def get_concrete_function(self, *args, **kwargs):
        """One ConcreteFunction per trace (the same object again for arguments of the same signature)."""
        key = self._record(args, kwargs)
        if key not in self._concrete:
            self._concrete[key] = ConcreteFunction(self, args, kwargs)
        return self._concrete[key]

    def experimental_get_tracing_count(self):
        return len(self._traces)

    def pretty_printed_concrete_signatures(self, verbose=True):
        lines = []
        for args, kwargs in self._traces.values():
            shown = [repr(a) if not hasattr(a, "shape") else f"TensorSpec(shape={tuple(a.shape)}, dtype=tf.{np.dtype(a.dtype).name})"
                     for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
            lines.append(f"{self.__name__}({', '.join(shown)})")
        return "\n\n".join(lines)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise _graph_only(f"`tf.function(...).{name}`")


@contextlib.contextmanager
def _python_print_silenced():
    """Python's ``print`` does nothing inside: TensorFlow runs a function's Python code (its prints among it)
    only while tracing, and a call that reuses a trace runs the graph, which ``tf.print`` alone writes from."""
    import builtins
    original = builtins.print
    builtins.print = _no_print
    try:
        yield
    finally:
        builtins.print = original


def _no_print(*args, **kwargs):
    """(print while a tf.function reuses its trace)"""


class ConcreteFunction:
    """What ``get_concrete_function`` gives: calling it runs the Python function on the new arguments."""

    def __init__(self, function, args, kwargs):
        self._function, self.structured_input_signature = function, (args, kwargs)

    def __call__(self, *args, **kwargs):
        return _as_outputs(self._function.python_function(*self._function._args(args), **kwargs))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise _graph_only(f"`ConcreteFunction.{name}`")


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_relax_shapes=None, **kwargs):
    """``@tf.function`` (with or without arguments): a :class:`Function` that runs the function eagerly."""
    def wrap(f):
        return Function(f, input_signature)
    return wrap if func is None else wrap(func)


class TensorSpec:
    """``tf.TensorSpec(shape, dtype, name)``: a description of a tensor (for ``tf.function``'s input_signature,
    which dendrite's eager functions accept and do not need)."""

    def __init__(self, shape, dtype="float32", name=None):
        from .tf_tree import TensorShape
        self.shape, self.dtype, self.name = TensorShape(shape), dtype, name

    def __repr__(self):
        shape = "<unknown>" if self.shape.rank is None else tuple(self.shape)
        return f"TensorSpec(shape={shape}, dtype={self.dtype!r}, name={self.name!r})"

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and (self.shape, str(self.dtype)) == (other.shape, str(other.dtype))

    __hash__ = object.__hash__

    def is_compatible_with(self, tensor):
        shape = getattr(tensor, "shape", ())
        if self.shape.rank is None:  # TensorSpec(None): any shape
            return True
        return len(shape) == len(self.shape) and all(a is None or a == b for a, b in zip(self.shape, shape))


def _bound_argument(arg, spec, tensor_type):
    """``arg`` as a Tensor matching ``spec`` (a TensorSpec), or TypeError saying why not, in TensorFlow's words."""
    from . import dtypes
    wanted = np.dtype(getattr(spec.dtype, "as_numpy_dtype", spec.dtype))
    if wanted.kind in "OUS":  # a string spec: text as it comes
        return arg if isinstance(arg, tensor_type) else tensor_type(np.asarray(arg))
    if isinstance(arg, tensor_type):  # a tensor keeps its dtype; arrays, lists and numbers are converted
        value = np.asarray(arg.value)
        given = TensorSpec(value.shape, dtypes.of_numpy(value.dtype), spec.name)
        if value.dtype != wanted or not spec.is_compatible_with(value):
            raise TypeError(f"Can not cast {given!r} to {spec!r}")
        return arg
    value = np.asarray(arg)
    if value.dtype.kind not in "biuf" or (wanted.kind in "iu" and value.dtype.kind == "f"
                                          and not np.all(np.mod(value, 1) == 0)):
        raise TypeError(f"Cannot convert {arg!r} to EagerTensor of dtype {wanted.name}")
    value = value.astype(wanted)
    if not spec.is_compatible_with(value):
        given = TensorSpec(value.shape, spec.dtype, spec.name)
        raise TypeError(f"Can not cast {given!r} to {spec!r}")
    return tensor_type(value)


class UnconnectedGradients(str, enum.Enum):
    """``tf.UnconnectedGradients.NONE`` / ``.ZERO``: what GradientTape.gradient gives a source the target does
    not depend on."""
    NONE = "none"
    ZERO = "zero"


@contextlib.contextmanager
def device(name):
    """``with tf.device('/GPU:0'):`` runs the block where dendrite always runs it."""
    yield


class PhysicalDevice(SimpleNamespace):
    pass


_CPU = PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")


def list_physical_devices(device_type=None):
    return [_CPU] if device_type in (None, "CPU") else []


def list_logical_devices(device_type=None):
    return list_physical_devices(device_type)


def set_visible_devices(devices, device_type=None):
    pass


_GROWTH = {}


def set_memory_growth(device, enable):
    _GROWTH[getattr(device, "name", device)] = bool(enable)


def get_memory_growth(device):
    return _GROWTH.get(getattr(device, "name", device), False)


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


def _threads(count):
    if count:
        backend.set_num_threads(int(count))


# Namespaces, so a name they lack is refused with the compatibility mode's message, not an AttributeError
threading = Namespace("tensorflow.config.threading", members=dict(
    set_intra_op_parallelism_threads=_threads, set_inter_op_parallelism_threads=lambda n: None,
    get_intra_op_parallelism_threads=lambda: backend.num_threads(), get_inter_op_parallelism_threads=lambda: 1))
experimental = Namespace("tensorflow.config.experimental", members=dict(
    list_physical_devices=list_physical_devices, set_visible_devices=set_visible_devices,
    set_memory_growth=set_memory_growth, get_memory_growth=get_memory_growth, get_visible_devices=get_visible_devices,
    get_device_details=lambda device: {},
    enable_op_determinism=lambda: None))
# tf.config.optimizer: Grappler's options and XLA's switch are recorded and read back as TensorFlow 2.21 does
# (set_experimental_options merges into the options; dendrite has no graph optimizer for them to change)
_TOGGLES = ("layout_optimizer constant_folding shape_optimization remapping arithmetic_optimization "
            "dependency_optimization loop_optimization function_optimization debug_stripper "
            "scoped_allocator_optimization pin_to_host_optimization implementation_selector auto_mixed_precision "
            "use_plugin_optimizers").split()
_GRAPPLER = {}
_JIT = [""]


def _set_experimental_options(options):
    _GRAPPLER.update(dict(options))


def _get_experimental_options():
    """The options set, in TensorFlow's order: the optimizer toggles, then the two switches it always lists."""
    out = {k: _GRAPPLER[k] for k in _TOGGLES if k in _GRAPPLER}
    out.update(disable_model_pruning=_GRAPPLER.get("disable_model_pruning", False),
               disable_meta_optimizer=_GRAPPLER.get("disable_meta_optimizer", False))
    out.update({k: v for k, v in _GRAPPLER.items() if k not in out})
    return out


def _set_jit(enabled):
    _JIT[0] = "autoclustering" if enabled is True else "" if not enabled else str(enabled)


optimizer = Namespace("tensorflow.config.optimizer", members=dict(
    set_jit=_set_jit, get_jit=lambda: _JIT[0], set_experimental_options=_set_experimental_options,
    get_experimental_options=_get_experimental_options))


_EAGER = [False]  # what run_functions_eagerly was last told (dendrite runs every tf.function eagerly anyway)
_SOFT_PLACEMENT = [True]


def run_functions_eagerly(run_eagerly):
    _EAGER[0] = bool(run_eagerly)


def functions_run_eagerly():
    return _EAGER[0]


def set_soft_device_placement(enabled):
    _SOFT_PLACEMENT[0] = bool(enabled)


def experimental_connect_to_cluster(*args, **kwargs):
    raise ValueError("tf.config.experimental_connect_to_cluster: there is no TPU or cluster to connect to; "
                     "dendrite runs on this machine's CPU.")


CONFIG = dict(list_physical_devices=list_physical_devices, list_logical_devices=list_logical_devices,
              set_visible_devices=set_visible_devices, get_visible_devices=get_visible_devices,
              threading=threading, experimental=experimental, optimizer=optimizer,
              run_functions_eagerly=run_functions_eagerly, functions_run_eagerly=functions_run_eagerly,
              experimental_run_functions_eagerly=run_functions_eagerly,
              experimental_functions_run_eagerly=functions_run_eagerly,
              set_soft_device_placement=set_soft_device_placement,
              get_soft_device_placement=lambda: _SOFT_PLACEMENT[0],
              experimental_connect_to_cluster=experimental_connect_to_cluster)


def disable_eager_execution():
    """TensorFlow 1's graph mode from here on (tf_graph): operations on placeholders and graph-mode variables
    are deferred until a Session runs them; operations on values stay eager."""
    from . import tf_graph
    tf_graph.set_enabled(True)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    from . import tf_graph
    tf_graph.set_enabled(False)


def _executing_eagerly():
    from .tensor_api import executing_eagerly
    return executing_eagerly()


def disable_resource_variables():
    note(("v1", "resource"), "tf.compat.v1.disable_resource_variables() is ignored: dendrite's variables are "
                             "plain arrays, read and assigned eagerly.")


def _v1_logging():
    from .tf_hooks import set_verbosity  # shows the Estimator's and its hooks' log as TensorFlow did
    return SimpleNamespace(set_verbosity=set_verbosity, ERROR=40, WARN=30, WARNING=30, INFO=20, DEBUG=10,
                           FATAL=50, info=_logging.info, warning=_logging.warning, error=_logging.error)


V1 = dict(disable_eager_execution=disable_eager_execution, enable_eager_execution=enable_eager_execution,
          disable_v2_behavior=disable_eager_execution, enable_v2_behavior=enable_eager_execution,
          executing_eagerly_outside_functions=_executing_eagerly,
          logging=_v1_logging(),
          disable_resource_variables=disable_resource_variables, enable_resource_variables=lambda: None,
          resource_variables_enabled=lambda: True,
          set_random_seed=None)


def get_logger():
    return _logging.getLogger("tensorflow")
