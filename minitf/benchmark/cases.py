"""The benchmark cases. Each takes the `tf` module it measures (minitf, or TF's compat.v1) and
imports nothing of minitf, so the very same code runs under TensorFlow.

A case `make(tf)` builds what it needs in a fresh graph and returns `step`, a function doing
the measured operation once. A series `make(tf, n)` returns `run`, doing n items once (or
`run.items` items, when n is a size rather than a count).
"""
import os

import numpy as np

# the BLAS / intra-op thread count every framework runs with (`--threads`): set by the benchmark
# in each worker's environment, before any framework is imported
THREADS_VARIABLE = "MINITF_BENCH_THREADS"


def session(tf):
    """A Session whose config asks for the benchmark's thread count, when it has one."""
    threads = int(os.environ.get(THREADS_VARIABLE, "0"))
    if not threads:
        return tf.Session()
    return tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads,
                                            inter_op_parallelism_threads=threads))


def _keep_open(step, manager):
    """`step`, with `manager` entered now and left by `step.close()` after the measurement."""
    manager.__enter__()
    step.close = lambda: manager.__exit__(None, None, None)
    return step


def variable_scope_enter_exit(tf):
    def step():
        with tf.variable_scope("scope"):
            pass
    return step


def reenter_captured_scope(tf):
    with tf.variable_scope("captured") as captured:
        pass

    def step():
        with tf.variable_scope(captured):
            pass
    return step


def nested_5_scopes(tf):
    def step():
        with tf.variable_scope("a"):
            with tf.variable_scope("b"):
                with tf.variable_scope("c"):
                    with tf.variable_scope("d"):
                        with tf.variable_scope("e"):
                            pass
    return step


def default_name_scope(tf):
    """default_name scopes in a loop, a fresh graph every 1000 (TF's cost grows with the
    number of siblings; the sibling series measures that growth)."""
    state = {"n": 0, "graph": None}

    def step():
        if state["n"] % 1000 == 0:
            if state["graph"] is not None:
                state["graph"].__exit__(None, None, None)
            state["graph"] = tf.Graph().as_default()
            state["graph"].__enter__()
        state["n"] += 1
        with tf.variable_scope(None, default_name="layer"):
            pass
    step.close = lambda: state["graph"] and state["graph"].__exit__(None, None, None)
    return step


def name_scope_enter_exit(tf):
    def step():
        with tf.name_scope("block"):
            pass
    return step


def get_variable_existing(tf):
    def step():
        tf.get_variable("w", [4, 4])
    step = _keep_open(step, tf.variable_scope("layer", reuse=tf.AUTO_REUSE))
    tf.get_variable("w", [4, 4])
    return step


def layer_pattern(tf):
    def step():
        with tf.variable_scope("dense", reuse=tf.AUTO_REUSE):
            tf.get_variable("kernel", [4, 4])
            tf.get_variable("bias", [4])
    return step


def get_variable_create(tf):
    count = iter(range(10 ** 9))

    def step():
        tf.get_variable(f"v{next(count)}", [4, 4])
    return step


def graph_unique_name(tf):
    graph = tf.get_default_graph()

    def step():
        graph.unique_name("op")
    return step


def constant_creation(tf):
    def step():
        tf.constant(1.0)
    return step


def session_run_constant(tf):
    c = tf.constant(1.0)
    sess = session(tf)

    def step():
        sess.run(c)
    return step


# -- training steps --------------------------------------------------------------------------------
def _mlp_data(sizes, batch):
    rng = np.random.RandomState(0)
    x = rng.randn(batch, sizes[0]).astype(np.float32)
    y = rng.randint(0, sizes[-1], batch).astype(np.int32)
    weights = [(rng.randn(a, b) / np.sqrt(a)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
    return x, y, weights


def _mlp_step(tf, sizes, batch):
    x_value, y_value, weights = _mlp_data(sizes, batch)
    x = tf.placeholder(tf.float32, [None, sizes[0]])
    y = tf.placeholder(tf.int32, [None])
    h = x
    for i, w in enumerate(weights):
        with tf.variable_scope(f"layer{i}"):
            kernel = tf.get_variable("kernel", initializer=w)
            bias = tf.get_variable("bias", initializer=np.zeros(w.shape[1], np.float32))
            h = tf.matmul(h, kernel) + bias
            if i < len(weights) - 1:
                h = tf.tanh(h)
    return _sgd_session(tf, h, y, {x: x_value, y: y_value})


def mlp_64_128_10_step(tf):
    return _mlp_step(tf, (64, 128, 10), 64)


def tiny_mlp_8_16_2_step(tf):
    return _mlp_step(tf, (8, 16, 2), 8)


def mlp_784_256_256_10_step(tf):
    return _mlp_step(tf, (784, 256, 256, 10), 128)


class Unavailable(Exception):
    """Raised by a case that the measured framework cannot build (its result is left empty)."""


def _convnet_data(batch=32, size=16, classes=10):
    rng = np.random.RandomState(0)
    x = rng.rand(batch, size, size, 1).astype(np.float32)
    y = rng.randint(0, classes, batch).astype(np.int32)
    k1 = (rng.randn(3, 3, 1, 8) / 3).astype(np.float32)
    k2 = (rng.randn(3, 3, 8, 16) / np.sqrt(72)).astype(np.float32)
    dense = (rng.randn((size // 4) ** 2 * 16, classes) / 16).astype(np.float32)
    return x, y, [k1, k2, dense]


def convnet_step(tf):
    """conv 3x3x8 + ReLU + 2x2 max pool, conv 3x3x16 + ReLU + 2x2 max pool, dense 10; SGD on
    16x16 images, batch 32 (a small MNIST-style convnet)."""
    x_value, y_value, (k1, k2, w) = _convnet_data()
    x = tf.placeholder(tf.float32, [None, 16, 16, 1])
    y = tf.placeholder(tf.int32, [None])
    h = x
    for i, k in enumerate((k1, k2)):
        kernel = tf.get_variable(f"conv{i}/kernel", initializer=k)
        bias = tf.get_variable(f"conv{i}/bias", initializer=np.zeros(k.shape[-1], np.float32))
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, kernel, [1, 1, 1, 1], "SAME"), bias))
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    kernel = tf.get_variable("dense/kernel", initializer=w)
    bias = tf.get_variable("dense/bias", initializer=np.zeros(w.shape[1], np.float32))
    logits = tf.matmul(tf.reshape(h, [-1, w.shape[0]]), kernel) + bias
    return _sgd_session(tf, logits, y, {x: x_value, y: y_value})


def _lstm_data(batch=16, steps=10, depth=8, units=32, classes=4):
    rng = np.random.RandomState(0)
    x = rng.randn(batch, steps, depth).astype(np.float32)
    y = rng.randint(0, classes, batch).astype(np.int32)
    kernel = (rng.randn(depth + units, 4 * units) / np.sqrt(depth + units)).astype(np.float32)
    dense = (rng.randn(units, classes) / np.sqrt(units)).astype(np.float32)
    return x, y, [kernel, dense]


def lstm_step(tf):
    """A BasicLSTMCell (32 units) run by dynamic_rnn over 10 steps of batch 16, its last output
    classified by a dense layer; SGD."""
    x_value, y_value, (k, w) = _lstm_data()
    try:  # (TF 2.x with Keras 3: needs tf-keras and TF_USE_LEGACY_KERAS=1; without tf-keras
        # its lazy loader raises ImportError)
        cell_class = getattr(tf.nn.rnn_cell, "BasicLSTMCell", None)
    except ImportError:
        cell_class = None
    if cell_class is None:
        raise Unavailable("tf.nn.rnn_cell.BasicLSTMCell (install tf-keras beside TensorFlow)")
    x = tf.placeholder(tf.float32, [None] + list(x_value.shape[1:]))
    y = tf.placeholder(tf.int32, [None])
    cell = cell_class(w.shape[0])
    outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    kernel = tf.get_variable("dense/kernel", initializer=w)
    bias = tf.get_variable("dense/bias", initializer=np.zeros(w.shape[1], np.float32))
    logits = tf.matmul(outputs[:, -1], kernel) + bias
    step = _sgd_session(tf, logits, y, {x: x_value, y: y_value}, init=False)
    sess = step.session
    sess.run(tf.global_variables_initializer())
    sess.run(tf.assign(cell.trainable_variables[0], k))  # the floor's weights
    return step


def _sgd_session(tf, logits, y, feed, init=True):
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = session(tf)
    if init:
        sess.run(tf.global_variables_initializer())

    def step():
        sess.run(train, feed)
    step.session = sess
    return step


# -- scaling series: n items at once, cost per item ------------------------------------------------
def sibling_default_name_scopes(tf, n):
    def run():
        with tf.Graph().as_default():
            for _ in range(n):
                with tf.variable_scope(None, default_name="layer"):
                    pass
    return run


def many_variables(tf, n):
    def run():
        with tf.Graph().as_default():
            for i in range(n):
                tf.get_variable(f"v{i}", [1])
    return run


def nesting_depth(tf, n):
    def run():
        with tf.Graph().as_default():
            managers = [tf.variable_scope(f"s{i}") for i in range(n)]
            for m in managers:
                m.__enter__()
            for m in reversed(managers):
                m.__exit__(None, None, None)
    return run


def sparse_sgd_step(tf, n, steps=200):
    """Sparse SGD steps on an [n, 16] embedding table (a resource variable), 64 rows a step:
    `run.items` is the number of steps, so the series gives the cost of one, flat in n when a
    step updates only its rows."""
    with tf.Graph().as_default():
        table = tf.get_variable("table", [n, 16], initializer=tf.zeros_initializer(),
                                use_resource=True)
        ids = tf.constant(np.arange(64, dtype=np.int64) * 7919 % n)
        loss = tf.reduce_sum(tf.nn.embedding_lookup(table, ids))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = session(tf)
        sess.run(table.initializer)
    sess.run(train)  # (compiles the step)

    def run():
        for _ in range(steps):
            sess.run(train)
    run.items, run.close = steps, sess.close
    return run


CASES = [
    ("variable_scope enter+exit", variable_scope_enter_exit),
    ("re-enter captured scope", reenter_captured_scope),
    ("5 nested scopes", nested_5_scopes),
    ("default_name scope (loop)", default_name_scope),
    ("name_scope enter+exit", name_scope_enter_exit),
    ("get_variable existing (AUTO_REUSE)", get_variable_existing),
    ("layer pattern (scope + 2 get_variable)", layer_pattern),
    ("get_variable create [4,4]", get_variable_create),
    ("Graph.unique_name", graph_unique_name),
    ("tf.constant", constant_creation),
    ("Session.run constant", session_run_constant),
    ("MLP 64-128-10 train step", mlp_64_128_10_step),
    ("tiny MLP 8-16-2 train step", tiny_mlp_8_16_2_step),
    ("MLP 784-256-256-10 train step", mlp_784_256_256_10_step),
    ("convnet 16x16 train step", convnet_step),
    ("LSTM 10x32 train step", lstm_step),
]
# each training step's hand-written NumPy twin, in floors.py: (function name, its arguments)
FLOORS = {"MLP 64-128-10 train step": ("mlp_step", ((64, 128, 10), 64)),
          "tiny MLP 8-16-2 train step": ("mlp_step", ((8, 16, 2), 8)),
          "MLP 784-256-256-10 train step": ("mlp_step", ((784, 256, 256, 10), 128)),
          "convnet 16x16 train step": ("convnet_step", ()),
          "LSTM 10x32 train step": ("lstm_step", ())}
# the training steps `--against` runs in every framework (peer_steps.py): (case, sizes, batch)
PEER_STEPS = [("tiny MLP 8-16-2 train step", (8, 16, 2), 8),
              ("MLP 64-128-10 train step", (64, 128, 10), 64),
              ("MLP 784-256-256-10 train step", (784, 256, 256, 10), 128)]
SERIES = [
    ("sibling default_name scopes", sibling_default_name_scopes, (1000, 4000, 16000, 64000)),
    ("variables", many_variables, (1000, 4000, 16000, 64000)),
    ("nesting depth", nesting_depth, (10, 50, 200)),
    ("sparse SGD step (table rows)", sparse_sgd_step, (1000, 10000, 100000, 1000000)),
]
UNBOUNDED = {"nesting depth", "sparse SGD step (table rows)"}  # (TF's cost is not quadratic)
