"""The Horovod graph ops: HorovodAllreduce (sum), HorovodAllgather, HorovodBroadcast.

Stateful, so a plan never folds or merges them: each runs once per Session.run, where the
plan's schedule puts it, and the schedule is the same on every rank for the same graph and
fetches. Their gradients are Horovod's: allreduce's is the allreduce of the gradient;
allgather's is the allreduce of the gradient, then this rank's rows; broadcast's is the
allreduce of the gradient on the root and zeros elsewhere (every rank still runs the allreduce,
so the collectives stay in step).
"""
import minitf as tf
from minitf.distribute.horovod import _mpi
from minitf.framework.registry import register_op
from minitf.ops._shared import _zeros_like


@register_op("HorovodAllreduce", shape=lambda tensor: tensor._shape, stateful=True)
def _allreduce_kernel(state, op, tensor):
    return _mpi.allreduce(tensor, op.name)


@_allreduce_kernel.gradient
def _allreduce_grad(op, grad):
    return [allreduce_sum(grad)]


@register_op("HorovodAllgather", shape=lambda tensor: (None,) + tuple(tensor._shape[1:]),
             stateful=True)
def _allgather_kernel(state, op, tensor):
    return _mpi.allgather(tensor, op.name)


@_allgather_kernel.gradient
def _allgather_grad(op, grad):
    grad = allreduce_sum(grad)
    rows = tf.shape(op.inputs[0], out_type=tf.int32)[:1]
    sizes = allgather(rows)
    offset = tf.reduce_sum(sizes[:_mpi.comm().Get_rank()])
    return [tf.gather(grad, tf.range(offset, offset + rows[0]))]


@register_op("HorovodBroadcast", shape=lambda tensor, *, root_rank: tensor._shape, stateful=True)
def _broadcast_kernel(state, op, tensor, *, root_rank):
    return _mpi.broadcast(tensor, root_rank, op.name)


@_broadcast_kernel.gradient
def _broadcast_grad(op, grad):
    reduced = allreduce_sum(grad)
    if _mpi.comm().Get_rank() == op.get_attr("root_rank"):
        return [reduced]
    # ZerosLike of the allreduce (tf.zeros_like would make a constant): it still runs here
    return [_zeros_like.apply([reduced], dtype=reduced.dtype.base_dtype)]


def allreduce_sum(tensor, name=None):
    """The HorovodAllreduce op: the sum of `tensor` over the ranks."""
    return _allreduce_kernel.apply([tensor], name=name or "HorovodAllreduce")


def allgather(tensor, name=None):
    """The HorovodAllgather op: the ranks' tensors concatenated along axis 0."""
    return _allgather_kernel.apply([tensor], name=name or "HorovodAllgather")


def broadcast(tensor, root_rank, name=None):
    """The HorovodBroadcast op: `tensor` of rank `root_rank`, on every rank."""
    return _broadcast_kernel.apply([tensor], name=name or "HorovodBroadcast",
                                   root_rank=int(root_rank))
