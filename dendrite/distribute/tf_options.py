"""tf.distribute's option objects that TensorFlow scripts pass to a strategy: the cross-device reductions
(``HierarchicalCopyAllReduce``, ``NcclAllReduce``, ``ReductionToOneDevice``), ``experimental.CommunicationOptions``
and ``InputOptions``. They are accepted and kept: dendrite's gradients are always averaged by one bucketed MPI
allreduce, whichever a script names."""
import enum


class CrossDeviceOps:
    """``tf.distribute.CrossDeviceOps``: how gradients are reduced across replicas (here: MPI's allreduce)."""

    def __init__(self, **options):
        self.options = options

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.options.items())})"


class HierarchicalCopyAllReduce(CrossDeviceOps):
    def __init__(self, num_packs=1):
        super().__init__(num_packs=num_packs)


class NcclAllReduce(CrossDeviceOps):
    def __init__(self, num_packs=1):
        super().__init__(num_packs=num_packs)


class ReductionToOneDevice(CrossDeviceOps):
    def __init__(self, reduce_to_device=None, accumulation_fn=None):
        super().__init__(reduce_to_device=reduce_to_device, accumulation_fn=accumulation_fn)


class CommunicationImplementation(enum.Enum):
    """``tf.distribute.experimental.CommunicationImplementation``."""
    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


class CommunicationOptions:
    """``tf.distribute.experimental.CommunicationOptions(bytes_per_pack=0, timeout_seconds=None,
    implementation=AUTO)``."""

    def __init__(self, bytes_per_pack=0, timeout_seconds=None, implementation=CommunicationImplementation.AUTO):
        self.bytes_per_pack, self.timeout_seconds, self.implementation = bytes_per_pack, timeout_seconds, implementation


class InputReplicationMode(enum.Enum):
    """``tf.distribute.InputReplicationMode``."""
    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputOptions:
    """``tf.distribute.InputOptions(experimental_fetch_to_device=None, experimental_replication_mode=PER_WORKER,
    experimental_place_dataset_on_device=False, experimental_per_replica_buffer_size=1)``."""

    def __init__(self, experimental_fetch_to_device=None,
                 experimental_replication_mode=InputReplicationMode.PER_WORKER,
                 experimental_place_dataset_on_device=False, experimental_per_replica_buffer_size=1):
        self.experimental_fetch_to_device = experimental_fetch_to_device
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size


class Experimental:
    """``tf.distribute.experimental``: its strategies and options; a name dendrite does not provide raises
    NotImplementedError saying why."""

    def __init__(self, **members):
        self.__dict__.update(members)

    def __getattr__(self, name):
        if name in REFUSED:
            raise NotImplementedError(f"tf.distribute.experimental.{name} is not provided by dendrite: {REFUSED[name]} "
                                      "See docs/distributed.md.")
        raise AttributeError(f"tf.distribute.experimental has no attribute {name!r}")


# strategies dendrite does not provide, and why (the error each raises when named)
REFUSED = {
    "TPUStrategy": "there are no TPUs here; use MirroredStrategy (MPI processes) or no strategy.",
    "ParameterServerStrategy": "parameter servers are not provided; MultiWorkerMirroredStrategy trains "
                               "synchronously over MPI processes instead.",
    "Server": "TensorFlow's gRPC servers are not provided; dendrite's processes meet through MPI.",
}
