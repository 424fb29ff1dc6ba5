"""The TensorFlow 1 session objects that TensorFlow 2 and Keras 2 programs create only to configure the GPU:
``config = tf.compat.v1.ConfigProto(); config.gpu_options.allow_growth = True;
K.set_session(tf.compat.v1.Session(config=config))``, ``InteractiveSession``, ``reset_default_graph``, and the
device checks ``tensorflow.python.client.device_lib.list_local_devices()`` and ``tf.sysconfig.get_build_info()``.

The options are recorded and printed as TensorFlow prints them (text format); dendrite runs on the CPU, so
none changes anything. ``Session.run`` gives the values of eager tensors and variables, and, after
``tf.compat.v1.disable_eager_execution()``, runs TensorFlow 1's graphs (tf_graph, tf_graph_train): deferred
tensors, operations and placeholders fed by ``feed_dict``. The session the program made default
(``with sess.as_default()``, ``InteractiveSession``, ``with Session() as sess``) is the one ``t.eval()`` and
``op.run()`` use."""
import numpy as np

from ._notes import unsupported


class Message:
    """A protocol-buffer-like record: fields set by keyword or attribute, submessages made when first read,
    printed in text format as TensorFlow prints them (known fields in their field-number order)."""

    _ORDER = ()  # the message's fields in field-number order, as text format prints them
    _SUBMESSAGES = {}  # field -> the class of the submessage made when it is first read

    def __init__(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._SUBMESSAGES:
            value = self._SUBMESSAGES[name]()
            object.__setattr__(self, name, value)
            return value
        raise AttributeError(f"{type(self).__name__} has no field '{name}' set; dendrite records the fields a "
                             "program sets (they change nothing on the CPU).")

    def __eq__(self, other):
        return isinstance(other, Message) and vars(self) == vars(other)

    def _fields(self):
        rank = {name: i for i, name in enumerate(self._ORDER)}
        return sorted(vars(self).items(), key=lambda item: rank.get(item[0], len(rank)))

    def _lines(self, indent=""):
        out = []
        for key, value in self._fields():
            if isinstance(value, Message):
                if vars(value):
                    out += [f"{indent}{key} {{"] + value._lines(indent + "  ") + [f"{indent}}}"]
            elif isinstance(value, dict):  # a map field (device_count={'GPU': 0})
                for k, v in value.items():
                    out += [f"{indent}{key} {{", f'{indent}  key: "{k}"', f"{indent}  value: {v}", f"{indent}}}"]
            elif isinstance(value, bool):
                out.append(f"{indent}{key}: {str(value).lower()}")
            elif isinstance(value, str):
                out.append(f'{indent}{key}: "{value}"')
            else:
                out.append(f"{indent}{key}: {value}")
        return out

    def __str__(self):
        return "".join(line + "\n" for line in self._lines())

    def __repr__(self):
        return str(self)


class GPUOptions(Message):
    """``tf.compat.v1.GPUOptions(allow_growth=True, per_process_gpu_memory_fraction=0.5)``: recorded."""

    _ORDER = ("per_process_gpu_memory_fraction", "allocator_type", "deferred_deletion_bytes", "allow_growth",
              "visible_device_list", "polling_active_delay_usecs", "polling_inactive_delay_msecs",
              "force_gpu_compatible", "experimental")
    _SUBMESSAGES = {"experimental": Message}


class GraphOptions(Message):
    """``tf.compat.v1.GraphOptions(...)``: recorded."""

    _SUBMESSAGES = {"optimizer_options": Message, "rewrite_options": Message}


class ConfigProto(Message):
    """``tf.compat.v1.ConfigProto(allow_soft_placement=True, gpu_options=...)``: recorded, changes nothing."""

    _ORDER = ("device_count", "intra_op_parallelism_threads", "placement_period", "device_filters",
              "inter_op_parallelism_threads", "gpu_options", "allow_soft_placement", "log_device_placement",
              "use_per_session_threads", "graph_options", "operation_timeout_in_ms", "session_inter_op_thread_pool",
              "rpc_options", "cluster_def", "isolate_session_state", "experimental",
              "share_cluster_devices_in_session")
    _SUBMESSAGES = {"gpu_options": GPUOptions, "graph_options": GraphOptions, "rpc_options": Message,
                    "experimental": Message}


def _value(fetch):
    from ..autodiff import Tensor, Variable
    if fetch is None:
        return None
    if isinstance(fetch, (list, tuple)):
        return type(fetch)(_value(f) for f in fetch)
    if isinstance(fetch, dict):
        return {k: _value(v) for k, v in fetch.items()}
    if isinstance(fetch, (Tensor, Variable)):
        return fetch.numpy()
    if isinstance(fetch, (np.ndarray, np.generic, int, float, bool)):
        return fetch
    raise unsupported(f"Session.run of a {type(fetch).__name__}",
                      "TensorFlow 1's graph mode is not part of dendrite: values are computed eagerly, so print or "
                      "use the tensor itself (its .numpy()).")


class Session:
    """``tf.compat.v1.Session(config=...)``: kept so that ``K.set_session(session)`` and ``with Session() as sess``
    run; ``run`` gives the values of eager tensors and variables, as TensorFlow 2's session does."""

    def __init__(self, target="", graph=None, config=None):
        from . import tf_graph
        self.target, self.config = target, config
        self.graph = graph if graph is not None else tf_graph.get_default_graph()  # sess.graph, as TensorFlow's

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        from . import tf_graph, tf_graph_train
        if not tf_graph.enabled():
            if feed_dict:
                raise unsupported("Session.run(feed_dict=...) (TensorFlow 1's placeholders and graphs)",
                                  "Call tf.compat.v1.disable_eager_execution() first (TensorFlow 1's graph mode), "
                                  "or call the model or function on the arrays directly, eagerly.")
            return _value(fetches)
        if self.graph is not None and self.graph is not tf_graph.get_default_graph():
            with self.graph.as_default():
                return tf_graph_train.session_run(fetches, feed_dict, _value)
        return tf_graph_train.session_run(fetches, feed_dict, _value)

    def close(self):
        """Nothing to release: the session holds no device memory."""
        if self in _DEFAULTS:
            _DEFAULTS.remove(self)

    def as_default(self):
        from .tf_graph import Pushed
        return Pushed(_DEFAULTS, self)

    def __enter__(self):
        _DEFAULTS.append(self)
        return self

    def __exit__(self, *exc):
        self.close()
        return False


_DEFAULTS = []  # the sessions made default, innermost last


def default_session():
    """The session ``t.eval()`` and ``op.run()`` use: the innermost default one, else a new one."""
    return _DEFAULTS[-1] if _DEFAULTS else Session()


def get_default_session():
    return _DEFAULTS[-1] if _DEFAULTS else None


class InteractiveSession(Session):
    """``tf.compat.v1.InteractiveSession(config=...)``: as Session, and the default session from the start."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _DEFAULTS.append(self)


_STATE = {"session": None}


def set_session(session):
    """``K.set_session(session)`` / ``tf.compat.v1.keras.backend.set_session``: the session is kept for
    get_session; its config changes nothing on the CPU."""
    if not isinstance(session, Session):
        raise TypeError(f"set_session: expected a tf.compat.v1.Session; received {type(session).__name__}.")
    _STATE["session"] = session


def get_session(op_input_list=()):
    """``K.get_session()``: the session set_session kept, else a new default one."""
    if _STATE["session"] is None:
        _STATE["session"] = Session()
    return _STATE["session"]


def reset_default_graph():
    """``tf.compat.v1.reset_default_graph()``: a new, empty default graph (graph mode's names and variables)."""
    from . import tf_graph
    tf_graph.reset_default_graph()


class DeviceAttributes(Message):
    """What ``device_lib.list_local_devices()`` lists for a device."""


def list_local_devices(session_config=None):
    """``tensorflow.python.client.device_lib.list_local_devices()``: the CPU, as TensorFlow describes it."""
    return [DeviceAttributes(name="/device:CPU:0", device_type="CPU", memory_limit=268435456,
                             locality=Message(), incarnation=1, xla_global_id=-1)]


def get_build_info():
    """``tf.sysconfig.get_build_info()``: a CPU-only build, as TensorFlow's CPU wheel reports it."""
    return {"is_cuda_build": False, "is_rocm_build": False, "is_tensorrt_build": False}


V1 = {"ConfigProto": ConfigProto, "GPUOptions": GPUOptions, "GraphOptions": GraphOptions, "Session": Session,
      "InteractiveSession": InteractiveSession, "reset_default_graph": reset_default_graph,
      "get_default_session": get_default_session}
