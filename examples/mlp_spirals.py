"""Train a small MLP on three interleaved spirals, TF1 style: tf.app.run and tf.flags, variable
scopes and tf.layers.dense, L2 weight decay, a max-norm constraint on every kernel, SGD on an
exponentially decaying learning rate, inside a MonitoredTrainingSession with hooks.

    python examples/mlp_spirals.py            # reaches >= 95 % training accuracy
    python examples/mlp_spirals.py --steps 200
    python examples/mlp_spirals.py --checkpoint_dir /tmp/spirals   # run it twice: it resumes
    python examples/mlp_spirals.py --logdir /tmp/spirals-logs      # tensorboard --logdir ...
"""
import time

import numpy as np

import minitf as tf


def spirals(points_per_class=100, classes=3, seed=0):
    """The classic 2-D spiral data set: `classes` arms of noisy points, labels 0..classes-1."""
    rng = np.random.RandomState(seed)
    x, y = [], []
    for c in range(classes):
        r = np.linspace(0.0, 1.0, points_per_class)
        theta = np.linspace(c * 4.0, (c + 1) * 4.0, points_per_class)
        theta = theta + rng.randn(points_per_class) * 0.2
        x.append(np.c_[r * np.sin(theta), r * np.cos(theta)])
        y.append(np.full(points_per_class, c))
    return np.concatenate(x).astype(np.float32), np.concatenate(y).astype(np.int32)


def build(classes=3, hidden=64, l2=1e-4, max_norm=3.0, learning_rate=1.0):
    tf.set_random_seed(0)
    x, labels, loss, accuracy = model(classes, hidden, l2, max_norm)
    tf.summary.scalar("loss", loss)  # (written only when a logdir is given)
    tf.summary.scalar("accuracy", accuracy)
    global_step = tf.train.get_or_create_global_step()
    # halves every 1000 steps: large early steps, then settling into the spirals' thin arms
    rate = tf.train.exponential_decay(learning_rate, global_step, 1000, 0.5)
    step = tf.train.GradientDescentOptimizer(rate).minimize(loss, global_step=global_step)
    return x, labels, loss, accuracy, step


def model(classes, hidden, l2, max_norm):
    """The placeholders, the loss (with L2 weight decay) and the accuracy of the MLP."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    constraint = tf.constraints.max_norm(max_norm, axis=0)
    with tf.variable_scope("mlp", regularizer=tf.regularizers.l2_regularizer(l2)):
        h = tf.layers.dense(x, hidden, tf.nn.relu, kernel_constraint=constraint)
        h = tf.layers.dense(h, hidden, tf.nn.relu, kernel_constraint=constraint)
        logits = tf.layers.dense(h, classes, kernel_constraint=constraint, name="logits")
    data_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    loss = data_loss + tf.losses.get_regularization_loss()
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32),
                                               labels), tf.float32))
    return x, labels, loss, accuracy


class PrintEvery(tf.train.SessionRunHook):
    """Prints the step, loss and accuracy every `n` steps and at the last step."""

    def __init__(self, n, last, loss, accuracy):
        self._n, self._last, self._fetches = n, last, [loss, accuracy]

    def after_create_session(self, session, coord):
        self._step = session.run(tf.train.get_global_step())  # (more when resumed)

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._fetches)  # fetched with the train op, in one run

    def after_run(self, run_context, run_values):
        self._step += 1
        if self._step % self._n == 0 or self._step == self._last:
            loss, accuracy = run_values.results  # (computed before this step's update)
            print(f"step {self._step:5d}  loss {loss:.4f}  accuracy {accuracy:.3f}")


def main(steps=2000, log_every=200, checkpoint_dir=None, logdir=None):
    data, targets = spirals()
    with tf.Graph().as_default():
        x, labels, loss, accuracy, step = build()
        feed = {x: data, labels: targets}
        kernels = [v for v in tf.trainable_variables() if v.name.endswith("kernel:0")]
        final = tf.train.FinalOpsHook({"accuracy": accuracy, "kernels": kernels}, feed)
        hooks = [tf.train.StopAtStepHook(last_step=steps),
                 PrintEvery(log_every, steps, loss, accuracy)]
        start = time.perf_counter()
        with tf.train.MonitoredTrainingSession(checkpoint_dir=checkpoint_dir, hooks=hooks,
                                               chief_only_hooks=[final],
                                               save_checkpoint_steps=500,
                                               summary_dir=logdir, save_summaries_steps=log_every,
                                               log_step_count_steps=None) as sess:
            while not sess.should_stop():
                sess.run(step, feed)
    accuracy = final.final_ops_values["accuracy"]
    norms = [np.linalg.norm(k, axis=0).max() for k in final.final_ops_values["kernels"]]
    print(f"training accuracy {accuracy:.3f} in {time.perf_counter() - start:.1f} s; "
          f"largest kernel column norm {max(norms):.3f} (max-norm 3.0)")
    return accuracy


if __name__ == "__main__":
    flags = tf.app.flags
    flags.DEFINE_integer("steps", 2000, "the global step to train to")
    flags.DEFINE_integer("log_every", 200, "print the loss every this many steps")
    flags.DEFINE_string("checkpoint_dir", None, "where to save and resume (default: nowhere)")
    flags.DEFINE_string("logdir", None, "where to write TensorBoard summaries (default: "
                        "checkpoint_dir)")
    FLAGS = flags.FLAGS

    def run(argv):
        accuracy = main(FLAGS.steps, FLAGS.log_every, FLAGS.checkpoint_dir, FLAGS.logdir)
        if FLAGS.steps >= 2000 and accuracy < 0.95:
            raise SystemExit(f"accuracy {accuracy:.3f} is below the 95 % this example promises")

    tf.app.run(run)
