"""The spirals MLP of mlp_spirals.py trained data-parallel with Horovod's TF1 API over MPI.

Each rank trains on its shard of every global batch (rank r takes points r, r + N, ...);
`hvd.DistributedOptimizer` averages the gradients, so with equal shards each step is the
full-batch step and the loss curve does not depend on the number of ranks (the learning rate is
not scaled: the global batch stays the same). Rank 0 alone writes checkpoints and summaries.

    pip install 'minitf[mpi]'
    python examples/horovod_spirals.py                      # one rank
    mpirun -np 2 python examples/horovod_spirals.py         # two (as root: --allow-run-as-root)
    mpirun -np 2 python examples/horovod_spirals.py --points_per_class 2000 --steps 300
"""
import time

import numpy as np
from mlp_spirals import model, spirals

import minitf as tf
import minitf.distribute.horovod as hvd


def build(classes=3, hidden=64, l2=1e-4, max_norm=3.0, learning_rate=1.0):
    tf.set_random_seed(hvd.rank())  # different on each rank: the broadcast hook makes them equal
    x, labels, loss, accuracy = model(classes, hidden, l2, max_norm)
    # the global loss and accuracy: every rank's, averaged (one allreduce, fetched on log steps)
    metrics = hvd.allreduce(tf.stack([loss, accuracy]))
    # rank 0's shard: summaries are fetched on rank 0 alone, so they must hold no collective
    # (one would run on rank 0 only, and the order check stops the run)
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    global_step = tf.train.get_or_create_global_step()
    rate = tf.train.exponential_decay(learning_rate, global_step, 1000, 0.5)
    optimizer = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(rate))
    step = optimizer.minimize(loss, global_step=global_step)
    return x, labels, metrics, step


class LogEvery(tf.train.SessionRunHook):
    """Fetches the global metrics every `n` steps on every rank (the same fetches everywhere,
    so the collectives stay in step); rank 0 prints them."""

    def __init__(self, n, last, metrics):
        self._n, self._last, self._metrics = n, last, metrics
        self.curve = []

    def after_create_session(self, session, coord):
        self._step = session.run(tf.train.get_global_step())

    def before_run(self, run_context):
        self._step += 1
        if self._step % self._n == 0 or self._step in (1, self._last):
            return tf.train.SessionRunArgs(self._metrics)
        return None

    def after_run(self, run_context, run_values):
        if run_values.results is not None:
            loss, accuracy = run_values.results
            self.curve.append((self._step, float(loss), float(accuracy)))
            if hvd.rank() == 0:
                print(f"step {self._step:5d}  loss {loss:.4f}  accuracy {accuracy:.3f}",
                      flush=True)


def main(steps=2000, log_every=200, points_per_class=100, checkpoint_dir=None, logdir=None):
    hvd.init()
    rank, size = hvd.rank(), hvd.size()
    data, targets = spirals(points_per_class)
    # contiguous copies: fed as strided views, each step ran 2x slower (measured)
    shard = {"x": np.ascontiguousarray(data[rank::size]),
             "labels": np.ascontiguousarray(targets[rank::size])}
    chief = rank == 0
    with tf.Graph().as_default():
        x, labels, metrics, step = build()
        feed = {x: shard["x"], labels: shard["labels"]}
        log = LogEvery(log_every, steps, metrics)
        hooks = [hvd.BroadcastGlobalVariablesHook(0), tf.train.StopAtStepHook(last_step=steps),
                 log]
        with tf.train.MonitoredTrainingSession(
                checkpoint_dir=checkpoint_dir if chief else None, hooks=hooks,
                save_checkpoint_steps=500, summary_dir=logdir if chief else None,
                save_summaries_steps=log_every, log_step_count_steps=None) as sess:
            sess.run(step, feed)  # (the first step builds the plan: not timed)
            start, timed = time.perf_counter(), 0
            while not sess.should_stop():
                sess.run(step, feed)
                timed += 1
            seconds = time.perf_counter() - start
    if chief:
        rate = timed / seconds
        print(f"{size} rank(s): {rate:.1f} steps/s, {rate * len(data):.0f} samples/s "
              f"(global batch {len(data)}, {len(shard['x'])} per rank); final loss "
              f"{log.curve[-1][1]:.4f}, accuracy {log.curve[-1][2]:.3f}")
    return log.curve


if __name__ == "__main__":
    flags = tf.app.flags
    flags.DEFINE_integer("steps", 2000, "the global step to train to")
    flags.DEFINE_integer("log_every", 200, "print the global loss every this many steps")
    flags.DEFINE_integer("points_per_class", 100, "the data set's size (the global batch / 3)")
    flags.DEFINE_string("checkpoint_dir", None, "where rank 0 saves and all resume")
    flags.DEFINE_string("logdir", None, "where rank 0 writes TensorBoard summaries")
    FLAGS = flags.FLAGS

    def run(argv):
        main(FLAGS.steps, FLAGS.log_every, FLAGS.points_per_class, FLAGS.checkpoint_dir,
             FLAGS.logdir)

    tf.app.run(run)
