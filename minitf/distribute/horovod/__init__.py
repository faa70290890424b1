"""Horovod's TensorFlow 1 API on minitf, over MPI through mpi4py (`pip install 'minitf[mpi]'`).

    import minitf as tf
    import minitf.distribute.horovod as hvd

    hvd.init()
    opt = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(0.1 * hvd.size()))
    train = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
    hooks = [hvd.BroadcastGlobalVariablesHook(0)]
    with tf.train.MonitoredTrainingSession(hooks=hooks, checkpoint_dir=ckpt if hvd.rank() == 0
                                           else None) as sess: ...

Launch with `mpirun -np 2 python train.py`; plain `python train.py` runs one rank. The
collectives are graph ops that run inside Session.run, so every rank must run the same graph
with the same fetches. A collective that does not complete within `MINITF_HOROVOD_TIMEOUT`
seconds (default 60) raises DeadlineExceededError: a rank may have died. Not supported:
Adasum, gradient tapes (eager mode), process sets, elastic training, GPU devices (the
`device_*` arguments are accepted and ignored).
"""
import minitf as tf
from minitf.distribute.horovod import _mpi, _ops

__all__ = ["init", "shutdown", "is_initialized", "size", "rank", "local_rank", "local_size",
           "Average", "Sum", "Adasum", "Compression", "allreduce", "allgather", "broadcast",
           "broadcast_global_variables", "broadcast_variables", "BroadcastGlobalVariablesHook",
           "DistributedOptimizer"]

Average, Sum, Adasum = "Average", "Sum", "Adasum"  # the reduction ops (Horovod's ReduceOp)


def init(comm=None):
    """Initializes Horovod: MPI through mpi4py (a single rank without mpirun).

    Args:
      comm: None (all ranks), an mpi4py communicator (its ranks), or a list of ranks of
        MPI_COMM_WORLD (Horovod rank i is the list's i-th); only the listed ranks call init.

    A second init() before shutdown() changes nothing, as in Horovod.

    Raises:
      ImportError: mpi4py is not installed (`pip install 'minitf[mpi]'`).
      TypeError: `comm` is none of those.
      ValueError: the list is empty, repeats a rank, names one past the world, or leaves
        out this process.
    """
    _mpi.init(comm)


def shutdown():
    """Shuts Horovod down; `init()` may start it again."""
    _mpi.shutdown()


def is_initialized():
    """True between `init()` and `shutdown()`."""
    return _mpi.is_initialized()


def size():
    """The number of ranks. Raises ValueError before `init()`."""
    return _mpi.comm().Get_size()


def rank():
    """This process's rank, 0..size()-1. Raises ValueError before `init()`."""
    return _mpi.comm().Get_rank()


def local_size():
    """The number of ranks on this machine."""
    return _mpi.local_comm().Get_size()


def local_rank():
    """This process's rank among those on this machine."""
    return _mpi.local_comm().Get_rank()


class Compression:
    """Gradient compression for the wire: `Compression.none` or `Compression.fp16`."""

    class none:
        @staticmethod
        def compress(tensor):
            return tensor, None

        @staticmethod
        def decompress(tensor, ctx):
            return tensor

    class fp16:
        """Floating tensors travel as float16 and are cast back after the allreduce."""

        @staticmethod
        def compress(tensor):
            if tensor.dtype.is_floating and tensor.dtype.base_dtype != tf.float16:
                return tf.cast(tensor, tf.float16), tensor.dtype.base_dtype
            return tensor, None

        @staticmethod
        def decompress(tensor, ctx):
            return tensor if ctx is None else tf.cast(tensor, ctx)


def _reduce_op(average, op):
    if average is not None and op is not None:
        raise ValueError("The op parameter supersedes average. Please provide only one of them.")
    if op is None:
        op = Average if average is None or average else Sum
    if op == Adasum:
        raise NotImplementedError("Adasum is not supported by minitf.distribute.horovod; "
                                  "use op=hvd.Average or op=hvd.Sum.")
    if op not in (Average, Sum):
        raise ValueError(f"Unknown reduction op {op!r}: use hvd.Average or hvd.Sum.")
    return op


def _scope_name(name):
    return name.replace(":", "_")


def allreduce(tensor, average=None, device_dense="", device_sparse="",
              compression=Compression.none, op=None):
    """The average (or sum) of `tensor` over all ranks.

    A dense tensor is summed by one HorovodAllreduce op (optionally compressed for the wire)
    and divided by `size()` for Average. IndexedSlices are allgathered, values and indices, as
    Horovod does: the result holds every rank's rows (values divided by `size()` for Average).

    Args:
      tensor: a Tensor or IndexedSlices.
      average: deprecated: True for Average, False for Sum; give `op` instead.
      device_dense, device_sparse: accepted for Horovod's signature; ignored (CPU only).
      compression: Compression.none or Compression.fp16.
      op: hvd.Average (the default) or hvd.Sum.

    Returns:
      A Tensor or IndexedSlices like `tensor`.

    Raises:
      ValueError: both `average` and `op` given, or an unknown op.
      NotImplementedError: op=hvd.Adasum.
    """
    op = _reduce_op(average, op)
    n = size()
    if isinstance(tensor, tf.IndexedSlices):
        with tf.name_scope("HorovodAllgather_" + _scope_name(tensor.values.op.name)):
            values = _ops.allgather(tensor.values)
            indices = _ops.allgather(tensor.indices)
        if op == Average:
            values = tf.div(values, tf.cast(n, values.dtype))
        return tf.IndexedSlices(values, indices, dense_shape=tensor.dense_shape)
    tensor = tf.convert_to_tensor(tensor)
    compressed, ctx = compression.compress(tensor)
    summed = compression.decompress(_ops.allreduce_sum(compressed), ctx)
    if op == Average:
        return tf.div(summed, tf.cast(n, summed.dtype))
    return summed


def allgather(tensor, name=None):
    """The ranks' tensors concatenated along axis 0; their first dimensions may differ.

    Raises (in Session.run) InvalidArgumentError when the other dimensions or dtypes differ.
    """
    return _ops.allgather(tensor, name=name)


def broadcast(tensor, root_rank, name=None):
    """`tensor` of rank `root_rank`, on every rank (shapes and dtypes must agree)."""
    return _ops.broadcast(tensor, root_rank, name=name)


def broadcast_variables(variables, root_rank):
    """An op assigning each variable the value it has on rank `root_rank`."""
    return tf.group(*[tf.assign(var, broadcast(var, root_rank,
                                               name="HorovodBroadcast_" + _scope_name(var.name)))
                      for var in variables])


def broadcast_global_variables(root_rank):
    """An op assigning every global variable the value it has on rank `root_rank`."""
    return broadcast_variables(tf.global_variables(), root_rank)


class BroadcastGlobalVariablesHook(tf.train.SessionRunHook):
    """Broadcasts the global variables from `root_rank` once the session is created (after
    initialization or restore), so every rank starts from the same values.

    Args:
      root_rank: the rank whose values win.
      device: accepted for Horovod's signature; ignored.
    """

    def __init__(self, root_rank, device=""):
        super().__init__()
        self.root_rank, self.device = root_rank, device
        self.bcast_op = None

    def begin(self):
        if self.bcast_op is None or self.bcast_op.graph is not tf.get_default_graph():
            self.bcast_op = broadcast_global_variables(self.root_rank)

    def after_create_session(self, session, coord):
        session.run(self.bcast_op)


class DistributedOptimizer(tf.train.Optimizer):
    """Wraps an optimizer so each gradient is averaged (or summed) over the ranks before
    `apply_gradients`: dense gradients by allreduce, IndexedSlices by allgather (or dense, with
    `sparse_as_dense=True`). Everything else (apply_gradients, slots, variables) is the wrapped
    optimizer's.

    Args:
      optimizer: the tf.train.Optimizer to wrap.
      name: the name scope of the allreduces (default "Distributed" + the optimizer's class).
      use_locking: passed to the base Optimizer.
      device_dense, device_sparse: accepted for Horovod's signature; ignored.
      compression: Compression.none or Compression.fp16.
      sparse_as_dense: convert IndexedSlices gradients to dense before the allreduce.
      op: hvd.Average (the default) or hvd.Sum.
    """

    def __init__(self, optimizer, name=None, use_locking=False, device_dense="",
                 device_sparse="", compression=Compression.none, sparse_as_dense=False,
                 op=Average):
        _reduce_op(None, op)
        super().__init__(use_locking, name or f"Distributed{type(optimizer).__name__}")
        self._optimizer, self._compression = optimizer, compression
        self._sparse_as_dense, self._op = sparse_as_dense, op

    def compute_gradients(self, *args, **kwargs):
        """The wrapped optimizer's gradients, each reduced over the ranks (unchanged on one
        rank, as Horovod does). Dense gradients of one dtype travel fused: one allreduce of
        their concatenation (Horovod's tensor fusion), as a step's latency is per call."""
        grads_and_vars = self._optimizer.compute_gradients(*args, **kwargs)
        if size() == 1:
            return grads_and_vars
        grads = [g for g, _ in grads_and_vars]
        if self._sparse_as_dense:
            grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                     for g in grads]
        reduced = list(grads)
        with tf.name_scope(self._name + "_Allreduce"):
            groups = {}  # dtype -> indices of the dense gradients with fully known shapes
            for i, g in enumerate(grads):
                if isinstance(g, tf.Tensor) and g.shape.is_fully_defined():
                    groups.setdefault(g.dtype.base_dtype, []).append(i)
                elif g is not None:
                    reduced[i] = allreduce(g, compression=self._compression, op=self._op)
            for group in groups.values():
                for i, value in zip(group, self._fused([grads[i] for i in group])):
                    reduced[i] = value
        return [(g, v) for g, (_, v) in zip(reduced, grads_and_vars)]

    def _fused(self, grads):
        if len(grads) == 1:
            return [allreduce(grads[0], compression=self._compression, op=self._op)]
        sizes = [g.shape.num_elements() for g in grads]
        flat = allreduce(tf.concat([tf.reshape(g, [-1]) for g in grads], 0),
                         compression=self._compression, op=self._op)
        return [tf.reshape(part, g.shape) for part, g in zip(tf.split(flat, sizes), grads)]

    def apply_gradients(self, *args, **kwargs):
        """The wrapped optimizer's apply_gradients."""
        return self._optimizer.apply_gradients(*args, **kwargs)

    def get_slot(self, *args, **kwargs):
        return self._optimizer.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._optimizer.get_slot_names(*args, **kwargs)

    def variables(self, *args, **kwargs):
        return self._optimizer.variables(*args, **kwargs)

