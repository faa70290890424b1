"""The per-rank programs of tests/test_horovod.py: `mpirun -np 2 python rank_cases.py CASE OUT`.

Each rank runs CASE and saves what it saw to OUT/rank<r>.npz; the test compares the files.
"""
import os
import signal
import sys
import time

import numpy as np

import minitf as tf
import minitf.distribute.horovod as hvd

STEPS, BATCH, LR = 5, 8, 0.5
NAMES = ["w1", "b1", "s", "w2"]


def sgd_data():
    rng = np.random.RandomState(1)
    return rng.randn(BATCH, 3).astype(np.float32), rng.randn(BATCH, 1).astype(np.float32)


def sgd_model(x, y, wrap=lambda opt: opt):
    """A 3-4-1 tanh MLP with the same initial values everywhere; returns (train op, vars).
    b1 and s have one shape, so a fused allreduce that mixed up gradients would show."""
    w1 = tf.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4), name="w1")
    b1 = tf.Variable(np.linspace(-0.2, 0.3, 4, dtype=np.float32), name="b1")
    s = tf.Variable(np.linspace(0.5, 1.5, 4, dtype=np.float32), name="s")
    w2 = tf.Variable(np.linspace(1, -0.5, 4, dtype=np.float32).reshape(4, 1), name="w2")
    hidden = tf.tanh(tf.matmul(x, w1) + b1) * s
    loss = tf.reduce_mean(tf.square(tf.matmul(hidden, w2) - y))
    return wrap(tf.train.GradientDescentOptimizer(LR)).minimize(loss), [w1, b1, s, w2]


def case_sgd(r, n):
    x, y = sgd_data()
    half = slice(r * BATCH // n, (r + 1) * BATCH // n)
    train, variables = sgd_model(tf.constant(x[half]), tf.constant(y[half]),
                                 hvd.DistributedOptimizer)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            sess.run(train)
        return dict(zip(NAMES, sess.run(variables)))


def case_broadcast(r, n):
    v = tf.Variable(np.full(3, 10.0 * r + 1, np.float32), name="v")
    k = tf.Variable(r + 7, name="k")
    rv = tf.get_variable("rv", initializer=np.full(2, r + 3.0, np.float32), use_resource=True)
    parts = tf.get_variable("parts", [4, 2], initializer=tf.constant_initializer(r + 0.25),
                            partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(v)
        sess.run(hvd.broadcast_global_variables(1))
        out = {"before": before, "v": sess.run(v), "k": sess.run(k), "rv": sess.run(rv),
               "parts": sess.run(tf.convert_to_tensor(parts))}
    with tf.Graph().as_default():
        u = tf.Variable(np.full((2, 2), r + 0.5, np.float32), name="u")
        tf.train.get_or_create_global_step()
        hooks = [hvd.BroadcastGlobalVariablesHook(0)]
        with tf.train.MonitoredTrainingSession(hooks=hooks) as sess:
            out["hook_u"] = sess.run(u)
    return out


def case_sparse(r, n):
    table = tf.Variable(np.arange(12, dtype=np.float32).reshape(6, 2), name="table")
    ids = tf.constant([0, 1, 1] if r == 0 else [1, 4])
    coef = tf.constant(np.float32(r + 1))
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, ids)) * coef
    out = {}
    for op in (hvd.Sum, hvd.Average):
        opt = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(1.0), op=op)
        (grad, _), = opt.compute_gradients(loss, var_list=[table])
        out[f"{op}_is_slices"] = isinstance(grad, tf.IndexedSlices)
        out[f"{op}_dense"] = tf.convert_to_tensor(grad)
    dense_opt = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(1.0),
                                         sparse_as_dense=True)
    (dense_grad, _), = dense_opt.compute_gradients(loss, var_list=[table])
    out["as_dense"] = dense_grad
    train = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(1.0)).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        keys = [k for k, v in out.items() if isinstance(v, tf.Tensor)]
        out.update(zip(keys, sess.run([out[k] for k in keys])))
        sess.run(train)
        out["table"] = sess.run(table)
    return out


def case_collectives(r, n):
    x = tf.constant(np.array([1.5, -2.0, 3.25], np.float32) * (r + 1))
    gathered = hvd.allgather(tf.fill([r + 1, 3], np.float32(r)))
    src = tf.constant(np.full((r + 1, 2), r + 1.0, np.float32))
    gathered_grad = tf.gradients(tf.reduce_sum(hvd.allgather(src) * 3.0), src)[0]
    b_in = tf.constant(np.float32(r + 2))
    bcast = hvd.broadcast(b_in, 0)
    bcast_grad = tf.gradients(bcast * 5.0, b_in)[0]
    fetch = {
        "sum": hvd.allreduce(x, op=hvd.Sum), "avg": hvd.allreduce(x),
        "avg_false": hvd.allreduce(x, average=False),
        "int_sum": hvd.allreduce(tf.constant([r + 1, 10]), op=hvd.Sum),
        "fp16": hvd.allreduce(x * 1.001, compression=hvd.Compression.fp16, op=hvd.Sum),
        "gathered": gathered, "gathered_grad": gathered_grad,
        "bcast": bcast, "bcast_grad": bcast_grad,
    }
    out = {"fp16_dtype": str(fetch["fp16"].dtype), "gathered_static": str(gathered.shape)}
    out["gathered_grad_ok"] = gathered_grad is not None
    bad = hvd.allreduce(tf.zeros([r + 2]), op=hvd.Sum)
    # rank 0 and rank 1 run different collectives: both fail, naming both
    odd = hvd.allreduce(x, op=hvd.Sum) if r == 0 else hvd.broadcast(x, 0)
    with tf.Session() as sess:
        out.update(zip(fetch, sess.run(list(fetch.values()))))
        try:
            sess.run(odd)
        except tf.errors.FailedPreconditionError as exc:
            out["order_error"] = str(exc)
        try:
            sess.run(bad)
        except tf.errors.InvalidArgumentError as exc:
            out["shape_error"] = str(exc)
        out["after"] = sess.run(fetch["sum"])  # the communicator still works
    return out


def case_death(r, n):
    x = hvd.allreduce(tf.ones([4]), op=hvd.Sum)
    with tf.Session() as sess:
        out = {"first": sess.run(x)}
        if r == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        start = time.monotonic()
        try:
            sess.run(x)
        except tf.errors.DeadlineExceededError as exc:
            out["error"] = str(exc)
        out["elapsed"] = time.monotonic() - start
    return out


def case_single(r, n):
    x = tf.constant([1.0, 2.0])
    opt = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(1.0))
    w = tf.Variable([3.0, 4.0])
    (g, _), = opt.compute_gradients(tf.reduce_sum(w * x), var_list=[w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = dict(zip(["sum", "gathered", "bcast", "grad"], sess.run(
            [hvd.allreduce(x, op=hvd.Sum), hvd.allgather(x), hvd.broadcast(x, 0), g])))
    out.update(size=hvd.size(), rank=hvd.rank(), local_size=hvd.local_size(),
               local_rank=hvd.local_rank())
    for i, bad in enumerate(["01", [True], [0, 0], [1], []]):  # (this world has rank 0 only)
        try:
            hvd.init(bad)
        except (TypeError, ValueError) as exc:
            out[f"bad_comm_{i}"] = f"{type(exc).__name__}: {exc}"
    hvd.init([0])  # (already initialized: nothing changes)
    return out


def case_lifecycle(r, n):
    from mpi4py import MPI

    def gathered():  # the world ranks, in Horovod's rank order
        with tf.Graph().as_default(), tf.Session() as sess:
            return sess.run(hvd.allgather(tf.constant([float(r)])))

    out = {}
    hvd.shutdown()
    out["after_shutdown"] = hvd.is_initialized()
    hvd.init()  # shutdown, then init again
    out["again"] = gathered()
    hvd.shutdown()
    hvd.init([1, 0])  # Horovod rank i is the list's i-th: world rank 1 comes first
    out["listed"] = [hvd.rank(), hvd.size()]
    out["listed_gather"] = gathered()
    hvd.shutdown()
    try:
        hvd.init([1])  # rank 1 alone: a world of one; rank 0 is left out
        out["alone"] = [hvd.rank(), hvd.size(), *gathered()]
        hvd.shutdown()
    except ValueError as exc:
        out["left_out"] = str(exc)
    reversed_world = MPI.COMM_WORLD.Split(0, n - r)  # a communicator, ranks reversed
    hvd.init(reversed_world)
    reversed_world.Free()  # (Horovod's is a duplicate of it)
    out["split"] = [hvd.rank(), hvd.size()]
    out["split_gather"] = gathered()
    return out


def main(case, out_dir):
    hvd.init()
    r, n = hvd.rank(), hvd.size()
    result = globals()[f"case_{case}"](r, n)
    np.savez(os.path.join(out_dir, f"rank{r}.npz"), **result)
    sys.stdout.flush()
    if case == "death":  # MPI_Finalize would wait for the dead rank
        os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:3])
