"""The parts of ``tensorflow`` about where and how code runs, which dendrite answers for its one CPU
process: ``tf.function`` (runs the function as written), ``tf.device`` (a no-op context), ``tf.config``
(the CPU as the one device; thread counts), ``tf.distribute`` (the default strategy, whose ``scope()`` does
nothing), ``tf.compat.v1`` pieces beginner code
touches, ``tf.get_logger`` / ``tf.autograph``."""
import contextlib
import enum
import functools
import logging as _logging
from types import SimpleNamespace

from .. import backend
from ._namespace import Namespace
from ._notes import note


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_relax_shapes=None, **kwargs):
    """``@tf.function`` (with or without arguments): the function runs eagerly, as written."""
    def wrap(f):
        @functools.wraps(f)
        def run(*args, **kw):
            return f(*args, **kw)
        run.python_function = f
        return run
    return wrap if func is None else wrap(func)


class TensorSpec:
    """``tf.TensorSpec(shape, dtype, name)``: a description of a tensor (for ``tf.function``'s input_signature,
    which dendrite's eager functions accept and do not need)."""

    def __init__(self, shape, dtype="float32", name=None):
        from .tf_tree import TensorShape
        self.shape, self.dtype, self.name = TensorShape(shape), dtype, name

    def __repr__(self):
        return f"TensorSpec(shape={tuple(self.shape)}, dtype={self.dtype!r}, name={self.name!r})"

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and (self.shape, str(self.dtype)) == (other.shape, str(other.dtype))

    __hash__ = object.__hash__

    def is_compatible_with(self, tensor):
        shape = getattr(tensor, "shape", ())
        return len(shape) == len(self.shape) and all(a is None or a == b for a, b in zip(self.shape, shape))


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


def set_memory_growth(device, enable):
    pass


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
    set_memory_growth=set_memory_growth, get_visible_devices=get_visible_devices,
    enable_op_determinism=lambda: None))
optimizer = Namespace("tensorflow.config.optimizer", members=dict(
    set_jit=lambda enabled: None, get_jit=lambda: False, set_experimental_options=lambda options: None))


def run_functions_eagerly(run_eagerly):
    pass


def experimental_connect_to_cluster(*args, **kwargs):
    raise ValueError("tf.config.experimental_connect_to_cluster: there is no TPU or cluster to connect to; "
                     "dendrite runs on this machine's CPU.")


CONFIG = dict(list_physical_devices=list_physical_devices, list_logical_devices=list_logical_devices,
              set_visible_devices=set_visible_devices, get_visible_devices=get_visible_devices,
              threading=threading, experimental=experimental, optimizer=optimizer,
              run_functions_eagerly=run_functions_eagerly,
              experimental_connect_to_cluster=experimental_connect_to_cluster)


class Strategy:
    """The default strategy: one replica on this machine; ``scope()`` changes nothing."""

    num_replicas_in_sync = 1

    def scope(self):
        return contextlib.nullcontext()

    def run(self, fn, args=(), kwargs=None):
        return fn(*args, **(kwargs or {}))

    def experimental_distribute_dataset(self, dataset, options=None):
        return dataset

    def reduce(self, reduce_op, value, axis=None):
        return value


_DEFAULT = Strategy()


def get_strategy():
    return _DEFAULT


def _no_cluster(*args, **kwargs):
    raise ValueError("dendrite: no TPU or cluster was found (dendrite runs on this machine's CPU).")


def _one_machine(name):
    def make(*args, **kwargs):
        note(("distribute", name), f"tf.distribute.{name} runs as the default strategy (one replica on this "
                                   "machine) in dendrite.")
        return Strategy()
    return make


DISTRIBUTE = dict(
    get_strategy=get_strategy, Strategy=Strategy, MirroredStrategy=_one_machine("MirroredStrategy"),
    OneDeviceStrategy=_one_machine("OneDeviceStrategy"), has_strategy=lambda: False,
    cluster_resolver=SimpleNamespace(TPUClusterResolver=_no_cluster),
    experimental=SimpleNamespace(TPUStrategy=_no_cluster, MultiWorkerMirroredStrategy=_one_machine(
        "experimental.MultiWorkerMirroredStrategy")),
    TPUStrategy=_no_cluster, ReduceOp=SimpleNamespace(SUM="SUM", MEAN="MEAN"))


def disable_eager_execution():
    note(("v1", "eager"), "tf.compat.v1.disable_eager_execution() is ignored: dendrite always runs eagerly.")


def _v1_logging():
    from .tf_hooks import set_verbosity  # shows the Estimator's and its hooks' log as TensorFlow did
    return SimpleNamespace(set_verbosity=set_verbosity, ERROR=40, WARN=30, WARNING=30, INFO=20, DEBUG=10,
                           FATAL=50, info=_logging.info, warning=_logging.warning, error=_logging.error)


V1 = dict(disable_eager_execution=disable_eager_execution, enable_eager_execution=lambda *a, **k: None,
          disable_v2_behavior=disable_eager_execution, executing_eagerly=lambda: True, logging=_v1_logging(),
          set_random_seed=None)


def get_logger():
    return _logging.getLogger("tensorflow")


AUTOGRAPH = SimpleNamespace(set_verbosity=lambda level, alsologtostdout=False: None,
                            experimental=SimpleNamespace(do_not_convert=lambda f=None: f))
