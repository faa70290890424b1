"""Learn word embeddings with skip-gram and noise-contrastive estimation, TF1's word2vec_basic
style: a partitioned embedding (four shards), tf.nn.embedding_lookup, tf.nn.nce_loss with its
default log-uniform candidate sampler, plain SGD.

The corpus is generated here: 200 words, the first 20 common to every sentence (ids ordered by
frequency, as the log-uniform sampler assumes) and the other 180 in 10 topics of 18 words;
each sentence keeps to one topic. The embedding has learned the topics when a topic word's
nearest neighbours (by cosine similarity) are words of its own topic.

    python examples/word2vec_nce.py            # >= 90 % of nearest neighbours share the topic
    python examples/word2vec_nce.py --steps 500
"""
import argparse
import time

import numpy as np

import minitf as tf

COMMON, TOPICS, PER_TOPIC = 20, 10, 18
VOCAB = COMMON + TOPICS * PER_TOPIC


def corpus(sentences=3000, length=12, seed=0):
    """[sentences, length] word ids: each word common with probability 0.3 (Zipf-like among
    the common words), else a uniform word of the sentence's topic."""
    rng = np.random.RandomState(seed)
    topic = rng.randint(0, TOPICS, (sentences, 1))
    topical = COMMON + topic * PER_TOPIC + rng.randint(0, PER_TOPIC, (sentences, length))
    zipf = 1.0 / np.arange(1, COMMON + 1)
    common = rng.choice(COMMON, (sentences, length), p=zipf / zipf.sum())
    return np.where(rng.rand(sentences, length) < 0.3, common, topical)


def skip_gram_pairs(words, window=2):
    """(centre, context) pairs of every word with its neighbours up to `window` away."""
    pairs = [np.stack([words[:, :-d], words[:, d:]], -1).reshape(-1, 2)
             for d in range(1, window + 1)]
    pairs = np.concatenate(pairs + [p[:, ::-1] for p in pairs])
    return pairs[:, 0].astype(np.int64), pairs[:, 1:].astype(np.int64)


def build(dim=32, num_sampled=16, learning_rate=1.0):
    tf.set_random_seed(0)
    centre = tf.placeholder(tf.int64, [None], name="centre")
    context = tf.placeholder(tf.int64, [None, 1], name="context")
    with tf.variable_scope("word2vec", partitioner=tf.fixed_size_partitioner(4)):
        embeddings = tf.get_variable("embeddings", [VOCAB, dim],
                                     initializer=tf.random_uniform_initializer(-1.0, 1.0))
        nce_weights = tf.get_variable("nce_weights", [VOCAB, dim],
                                      initializer=tf.truncated_normal_initializer(
                                          stddev=1.0 / np.sqrt(dim)))
    nce_biases = tf.get_variable("nce_biases", [VOCAB], initializer=tf.zeros_initializer())
    # "div": the partitioner gives each shard a contiguous block of rows (TF1's default "mod"
    # would look word k up in shard k % 4)
    embedded = tf.nn.embedding_lookup(embeddings, centre, partition_strategy="div")
    loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=context,
                                         inputs=embedded, num_sampled=num_sampled,
                                         num_classes=VOCAB, partition_strategy="div"))
    step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    normalized = tf.nn.l2_normalize(tf.concat(list(embeddings), 0), 1)
    return centre, context, loss, step, normalized


def topic_purity(vectors, k=5):
    """The fraction of topic words' k nearest neighbours (cosine) that share their topic."""
    words = np.arange(COMMON, VOCAB)
    similarity = vectors[words] @ vectors[words].T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    topic = (words - COMMON) // PER_TOPIC
    return float(np.mean(topic[nearest] == topic[:, None]))


def main(steps=2000, batch=128, log_every=500):
    centres, contexts = skip_gram_pairs(corpus())
    with tf.Graph().as_default():
        centre, context, loss, step, normalized = build()
        start = time.perf_counter()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print("embedding shards:", [v.name for v in tf.global_variables()
                                        if "embeddings" in v.name])
            rng, average = np.random.RandomState(0), 0.0
            for i in range(1, steps + 1):
                rows = rng.randint(0, len(centres), batch)
                value, _ = sess.run([loss, step], {centre: centres[rows],
                                                   context: contexts[rows]})
                average += value / log_every
                if i % log_every == 0:
                    print(f"step {i:5d}  average loss {average:.4f}")
                    average = 0.0
            purity = topic_purity(sess.run(normalized))
    print(f"nearest neighbours in the same topic: {purity:.3f} after {steps} steps "
          f"({time.perf_counter() - start:.1f} s)")
    return purity


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    purity = main(args.steps)
    if args.steps >= 2000 and purity < 0.9:
        raise SystemExit(f"purity {purity:.3f} is below the 90 % this example promises")
