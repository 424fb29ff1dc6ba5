"""Logical (virtual) CPU devices: ``tf.config.set_logical_device_configuration(cpu, [LogicalDeviceConfiguration(),
...])`` and its TF 2.0 spelling ``tf.config.experimental.set_virtual_device_configuration`` split the CPU into
several logical devices, which TensorFlow's guides do to try distribution strategies on one machine. dendrite
records the configuration: ``list_logical_devices('CPU')`` then names that many CPU devices ('/device:CPU:0',
'/device:CPU:1', ...), and ``tf.distribute.MirroredStrategy(devices=[...])`` accepts their names. The work still
runs in this one process (dendrite's strategies replicate over MPI processes, not devices). Logical GPUs are
refused: there are none."""
from types import SimpleNamespace

from ._namespace import Namespace

_CONFIG = {"CPU": None}  # the logical device configurations given for the CPU, or None (one device)


class LogicalDeviceConfiguration:
    """``tf.config.LogicalDeviceConfiguration(memory_limit=None, experimental_priority=None, ...)``."""

    def __init__(self, memory_limit=None, experimental_priority=None, experimental_device_ordinal=None):
        self.memory_limit = memory_limit
        self.experimental_priority = experimental_priority
        self.experimental_device_ordinal = experimental_device_ordinal

    def __repr__(self):
        return f"LogicalDeviceConfiguration(memory_limit={self.memory_limit})"


class LogicalDevice(SimpleNamespace):
    """``tf.config.LogicalDevice``: ``name`` and ``device_type``."""


def _device_type(device):
    kind = getattr(device, "device_type", None)
    if kind is None:
        raise TypeError(f"tf.config.set_logical_device_configuration: expected a PhysicalDevice from "
                        f"tf.config.list_physical_devices(); received {type(device).__name__}.")
    return kind


def set_logical_device_configuration(device, logical_devices):
    """Split the CPU into ``len(logical_devices)`` logical devices (``None`` undoes the split)."""
    kind = _device_type(device)
    if kind != "CPU":
        raise ValueError(f"tf.config.set_logical_device_configuration: dendrite runs on the CPU; there is no "
                         f"{kind} device to configure.")
    if logical_devices is None:
        _CONFIG["CPU"] = None
        return
    configs = list(logical_devices)
    if not configs or not all(isinstance(c, LogicalDeviceConfiguration) for c in configs):
        raise ValueError("tf.config.set_logical_device_configuration: expected a non-empty list of "
                         f"tf.config.LogicalDeviceConfiguration; received {logical_devices!r}.")
    _CONFIG["CPU"] = configs


def get_logical_device_configuration(device):
    _device_type(device)
    return None if _CONFIG["CPU"] is None else list(_CONFIG["CPU"])


def list_logical_devices(device_type=None):
    """The CPU's logical devices ('/device:CPU:0', ...): one, or as many as configured."""
    if device_type not in (None, "CPU"):
        return []
    count = len(_CONFIG["CPU"] or [None])
    return [LogicalDevice(name=f"/device:CPU:{i}", device_type="CPU") for i in range(count)]


def reset():
    """Back to one CPU device (a fresh ``install()``)."""
    _CONFIG["CPU"] = None


CONFIG = dict(LogicalDeviceConfiguration=LogicalDeviceConfiguration, LogicalDevice=LogicalDevice,
              set_logical_device_configuration=set_logical_device_configuration,
              get_logical_device_configuration=get_logical_device_configuration,
              list_logical_devices=list_logical_devices)


def experimental(base):
    """``tf.config.experimental``: ``base``'s members with the TF 2.0 spellings of the above."""
    members = {name: getattr(base, name) for name in base.__all__}
    members.update(VirtualDeviceConfiguration=LogicalDeviceConfiguration,
                   set_virtual_device_configuration=set_logical_device_configuration,
                   get_virtual_device_configuration=get_logical_device_configuration,
                   list_logical_devices=list_logical_devices)
    return Namespace(base.__name__, base.__doc__, members=members)
