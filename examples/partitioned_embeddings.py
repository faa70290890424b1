"""Matrix factorization with a partitioned embedding table trained by sparse SGD updates.

Users and items get embeddings; a rating is their dot product. The item table is a
PartitionedVariable (fixed_size_partitioner(3)): embedding_lookup gathers from its parts and
each step updates only the rows of the items in the batch (IndexedSlices, ScatterSub).

    python examples/partitioned_embeddings.py   # the loss falls by >= 90 %
"""
import argparse

import numpy as np

import minitf as tf


def ratings(users=60, items=50, rank=4, seed=0):
    """All (user, item, rating) triples of a random rank-`rank` rating matrix."""
    rng = np.random.RandomState(seed)
    truth = rng.randn(users, rank) @ rng.randn(rank, items) / np.sqrt(rank)
    u, i = np.meshgrid(np.arange(users), np.arange(items), indexing="ij")
    return u.ravel(), i.ravel(), truth.ravel().astype(np.float32)


def main(steps=600, batch=256, log_every=100):
    users, items, values = ratings()
    rng = np.random.RandomState(1)
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        u = tf.placeholder(tf.int32, [None], name="user")
        i = tf.placeholder(tf.int32, [None], name="item")
        r = tf.placeholder(tf.float32, [None], name="rating")
        init = tf.random_normal_initializer(stddev=0.1)
        with tf.variable_scope("factors", initializer=init):
            user_emb = tf.get_variable("users", [users.max() + 1, 8])
            item_emb = tf.get_variable("items", [items.max() + 1, 8],
                                       partitioner=tf.fixed_size_partitioner(3))
        predicted = tf.reduce_sum(tf.nn.embedding_lookup(user_emb, u) *
                                  tf.nn.embedding_lookup(item_emb, i), axis=1)
        loss = tf.reduce_mean(tf.square(predicted - r))
        step = tf.train.GradientDescentOptimizer(2.0).minimize(loss)
        print("item table parts:", [p.name for p in item_emb], "update ops:",
              sorted({op.type for op in tf.get_default_graph().get_operations()
                      if op.name.startswith("GradientDescent/update")}))
        everything = {u: users, i: items, r: values}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, everything)
            print(f"step    0  full loss {first:.4f}")
            for s in range(1, steps + 1):
                pick = rng.randint(0, len(values), batch)
                sess.run(step, {u: users[pick], i: items[pick], r: values[pick]})
                if s % log_every == 0:
                    print(f"step {s:4d}  full loss {sess.run(loss, everything):.4f}")
            last = sess.run(loss, everything)
    drop = 1 - last / first
    print(f"loss fell by {100 * drop:.1f} % ({first:.4f} -> {last:.4f})")
    return drop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args()
    if main(args.steps) < 0.9 and args.steps >= 600:
        raise SystemExit("the loss did not fall by 90 %")
