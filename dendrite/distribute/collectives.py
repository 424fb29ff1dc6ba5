"""Collectives over the processes of a job, each watched by a timeout.

Every call is nonblocking MPI (Iallreduce, Ibcast, Iallgather) waited on by polling: a call that does not
complete within ``timeout()`` seconds (a process died, or the ranks went different ways: other step counts,
other models) aborts the whole job with a message naming the call, instead of hanging. The timeout is
``DENDRITE_COLLECTIVE_TIMEOUT`` seconds (default 600), or what ``set_timeout`` / a strategy's ``timeout`` set.

``allreduce_arrays`` sums many arrays (a model's gradients) through one flat buffer, a bucket at a time, so a
large model needs no second full copy: the buffer is at most ``BUCKET_BYTES`` and kept between calls.
"""
import os
import pickle
import time

import numpy as np

from .comm import world as _world

BUCKET_BYTES = 16 << 20
_TIMEOUT = None
_BUFFERS = {}


def timeout():
    """Seconds a collective may wait for the other processes before the job is aborted."""
    if _TIMEOUT is not None:
        return _TIMEOUT
    value = os.environ.get("DENDRITE_COLLECTIVE_TIMEOUT", "600")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"DENDRITE_COLLECTIVE_TIMEOUT must be a number of seconds; received {value!r}.") from None


def set_timeout(seconds):
    """Set the collectives' timeout (seconds > 0), or None to go back to DENDRITE_COLLECTIVE_TIMEOUT."""
    global _TIMEOUT
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0):
        raise ValueError(f"dendrite.distribute: the collective timeout must be a positive number of seconds, or "
                         f"None; received {seconds!r}.")
    _TIMEOUT = None if seconds is None else float(seconds)


def _wait(request, what, world):
    """Poll ``request`` until it completes; abort the job after ``timeout()`` seconds."""
    if request.Test():
        return
    start = time.monotonic()
    limit = timeout()
    while not request.Test():
        waited = time.monotonic() - start
        if waited > 0.002:  # after 2 ms of spinning, yield the core to the other processes sharing it
            time.sleep(0.00005 if waited < 0.1 else 0.001)
        if waited > limit:
            world.abort(f"{what} waited {limit:g} s for the other processes and timed out: a process died or "
                        "hangs, or the processes went different ways (different numbers of steps or different "
                        "models). Aborting the job. (The timeout is DENDRITE_COLLECTIVE_TIMEOUT seconds, or "
                        "dendrite.distribute.set_timeout.)")


def _buffer(dtype, size):
    buf = _BUFFERS.get(dtype)
    if buf is None or buf.size < size:
        buf = _BUFFERS[dtype] = np.empty(size, dtype)
    return buf[:size]


def allreduce_(buf, what="allreduce", op="sum"):
    """Reduce a contiguous NumPy buffer over all processes, in place ('sum', 'max' or 'min')."""
    world = _world()
    if world.size == 1:
        return buf
    MPI = world.mpi
    mpi_op = {"sum": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN}[op]
    _wait(world.comm.Iallreduce(MPI.IN_PLACE, buf, op=mpi_op), what, world)
    return buf


def allreduce_arrays(arrays, scale=1.0, what="gradient allreduce", extra=()):
    """``sum over processes of scale * a`` for each array (new arrays), through one flat buffer of the arrays'
    dtype, a bucket of at most BUCKET_BYTES at a time; ``extra`` numbers travel in the first bucket and come back
    summed (float64), as the second result."""
    world = _world()
    arrays = [np.asarray(a) for a in arrays]
    dtype = np.result_type(*arrays) if arrays else np.dtype(np.float32)
    extra = np.asarray(extra, np.float64).reshape(-1)
    if world.size == 1:
        return [a * scale if scale != 1.0 else a.copy() for a in arrays], extra
    head = extra.size
    bounds = np.cumsum([head] + [a.size for a in arrays])  # array i spans [bounds[i], bounds[i + 1]) of the stream
    total, per_bucket = int(bounds[-1]), max(BUCKET_BYTES // dtype.itemsize, head)
    flat = [a.reshape(-1) for a in arrays]
    out = [np.empty(a.shape, dtype) for a in arrays]
    summed = extra
    for lo in range(0, max(total, 1), per_bucket):
        hi = min(lo + per_bucket, total)
        buf = _buffer(dtype, hi - lo)
        if lo == 0:
            buf[:head] = extra
        spans = [(i, max(lo, int(bounds[i])), min(hi, int(bounds[i + 1]))) for i in range(len(arrays))
                 if bounds[i] < hi and bounds[i + 1] > lo]
        for i, s, e in spans:
            np.multiply(flat[i][s - bounds[i]:e - bounds[i]], scale, out=buf[s - lo:e - lo])
        allreduce_(buf, what)
        if lo == 0:
            summed = np.array(buf[:head], np.float64)
        for i, s, e in spans:
            out[i].reshape(-1)[s - bounds[i]:e - bounds[i]] = buf[s - lo:e - lo]
    return out, summed


def broadcast_arrays(arrays, root=0, what="broadcast"):
    """Overwrite each array (in place) with the root process's, through one flat buffer per dtype."""
    world = _world()
    if world.size == 1 or not arrays:
        return arrays
    for dtype in sorted({a.dtype.str for a in arrays}):
        group = [a for a in arrays if a.dtype.str == dtype]
        buf = np.concatenate([a.reshape(-1) for a in group]) if world.rank == root else \
            np.empty(sum(a.size for a in group), np.dtype(dtype))
        _wait(world.comm.Ibcast(buf, root=root), what, world)
        at = 0
        for a in group:
            a[...] = buf[at:at + a.size].reshape(a.shape)
            at += a.size
    return arrays


def allgather_objects(value, what="allgather"):
    """Every process's ``value`` (anything picklable), as a list in rank order."""
    world = _world()
    if world.size == 1:
        return [value]
    data = np.frombuffer(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), np.uint8)
    sizes = np.zeros(world.size, np.int64)
    _wait(world.comm.Iallgather(np.array([data.size], np.int64), sizes), what, world)
    received = np.empty(int(sizes.sum()), np.uint8)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    _wait(world.comm.Iallgatherv(data, [received, (sizes, offsets), world.mpi.BYTE]), what, world)
    return [pickle.loads(received[o:o + s].tobytes()) for o, s in zip(offsets, sizes)]


def broadcast_object(value, root=0, what="broadcast"):
    """The root process's ``value`` (anything picklable), on every process."""
    world = _world()
    if world.size == 1:
        return value
    data = np.frombuffer(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), np.uint8) \
        if world.rank == root else None
    size = np.array([0 if data is None else data.size], np.int64)
    _wait(world.comm.Ibcast(size, root=root), what, world)
    buf = data.copy() if data is not None else np.empty(int(size[0]), np.uint8)
    _wait(world.comm.Ibcast(buf, root=root), what, world)
    return value if world.rank == root else pickle.loads(buf.tobytes())
