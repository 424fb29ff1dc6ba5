"""TensorBoard event files of an Estimator and its hooks: written through the TensorBoard callback's
tensorboardX (none when it is not installed, said once), read back for the early-stopping hooks."""
import glob
import importlib
import itertools
import logging
import os

logger = logging.getLogger("dendrite.estimator")
_WRITERS = itertools.count()  # numbers the summary writers of this process
_SAID = []  # whether the missing tensorboardX was reported


def open_writer(folder):
    """A tensorboardX SummaryWriter on an event file of its own in ``folder``, or None without tensorboardX."""
    from ..callbacks.tensorboard import _tensorboardx
    try:
        tensorboardx = _tensorboardx()
    except ImportError as e:
        if not _SAID:
            _SAID.append(True)
            logger.warning("No summaries are written: %s", e)
        return None
    # a file of its own: two writers opened in one second would otherwise share the file name (time and
    # host), the second one overwriting the first's events
    suffix = f".{os.getpid()}.{next(_WRITERS):06d}"
    return tensorboardx.SummaryWriter(folder, filename_suffix=suffix)


def read_eval_metrics(eval_dir):
    """``{global_step: {tag: value}}`` of the scalars in the event files of ``eval_dir`` (what ``evaluate``
    writes there), in step order; empty when there are none."""
    from ..callbacks.tensorboard import _tensorboardx
    from ..io.tfrecord import tf_record_iterator
    _tensorboardx()  # (its clear ImportError)
    event_pb2 = importlib.import_module("tensorboardX.proto.event_pb2")
    results = {}
    for path in sorted(glob.glob(os.path.join(str(eval_dir), "*tfevents*"))):
        for record in tf_record_iterator(path):
            event = event_pb2.Event.FromString(record)
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    results.setdefault(int(event.step), {})[value.tag] = value.simple_value
    return dict(sorted(results.items()))
