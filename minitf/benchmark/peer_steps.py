"""The benchmark's MLP training steps (cases.PEER_STEPS) in each framework it compares:
minitf and TensorFlow's compat.v1 (the same graph code, cases._mlp_step), NumPy by hand
(floors.mlp_step), PyTorch eager and a `jax.jit`-compiled JAX step.

Every step starts from the same data and weights (cases._mlp_data) and does the same math:
tanh hidden layers, mean sparse softmax cross-entropy, SGD with rate 0.1, in float32. This
module imports no framework at import time, and no minitf when run by path (peers.py), so it
works under any reference interpreter.
"""
import functools
import os

import numpy as np

if __package__:  # imported as minitf.benchmark.peer_steps
    from minitf.benchmark import cases, floors
else:  # run by path (benchmark/peers.py), also under interpreters without minitf
    import cases
    import floors

KINDS = ("minitf", "numpy", "tensorflow", "torch", "jax")
RATE = 0.1


class Step:
    """One framework's training step: `run()` does one step (it may return before the work is
    done, as JAX's dispatch does), `sync()` waits for it, `params()` gives the weights as NumPy
    arrays in minitf's trainable_variables order (kernel, bias of each layer)."""

    def __init__(self, run, params, sync=lambda: None):
        self.run, self.params, self.sync = run, params, sync


def load(kind, threads):
    """(the module that runs `kind`'s steps, its version text). The thread count is already in
    the environment (set by the benchmark before this process started); PyTorch also takes it
    from its own call."""
    if kind == "minitf":
        import minitf

        return minitf, f"{minitf.__version__} {minitf.kernel_backend()}"
    if kind == "numpy":
        return np, np.__version__
    if kind == "tensorflow":
        import tensorflow

        tensorflow.compat.v1.disable_v2_behavior()
        return tensorflow.compat.v1, tensorflow.__version__
    if kind == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(threads)
        return torch, torch.__version__
    if kind == "jax":
        import jax

        return jax, jax.__version__
    raise ValueError(f"unknown framework {kind!r}: expected one of {', '.join(KINDS)}")


def build(kind, module, sizes, batch):
    """`kind`'s Step for an MLP of layer `sizes` on `batch` examples, warmed up (compiled)."""
    make = {"minitf": _graph_step, "tensorflow": _graph_step, "numpy": _numpy_step,
            "torch": _torch_step, "jax": _jax_step}[kind]
    step = make(module, sizes, batch)
    step.run()  # the warm-up: JAX compiles here, the graph frameworks plan their runs
    step.sync()
    return step


def _graph_step(tf, sizes, batch):
    with tf.Graph().as_default():
        step = cases._mlp_step(tf, sizes, batch)
        variables = tf.trainable_variables()
    return Step(step, lambda: step.session.run(variables))


def _numpy_step(np_module, sizes, batch):
    step = floors.mlp_step(sizes, batch)
    return Step(step, lambda: [p.copy() for p in step.params])


def _torch_step(torch, sizes, batch):
    x, y, weights = cases._mlp_data(sizes, batch)
    x, y = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))  # (cross_entropy: int64)
    params = []
    for w in weights:
        params += [torch.tensor(w, requires_grad=True),
                   torch.zeros(w.shape[1], dtype=torch.float32, requires_grad=True)]
    optimizer = torch.optim.SGD(params, lr=RATE)
    last = len(weights) - 1

    def run():
        h = x
        for i in range(len(weights)):
            h = torch.addmm(params[2 * i + 1], h, params[2 * i])  # what nn.Linear calls
            if i < last:
                h = torch.tanh(h)
        loss = torch.nn.functional.cross_entropy(h, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return Step(run, lambda: [p.detach().numpy().copy() for p in params])


def _jax_loss(jax, params, x, y):
    h = x
    for i in range(0, len(params), 2):
        h = h @ params[i] + params[i + 1]
        if i < len(params) - 2:
            h = jax.numpy.tanh(h)
    log_p = jax.nn.log_softmax(h)
    return -jax.numpy.mean(jax.numpy.take_along_axis(log_p, y[:, None], axis=1))


def _jax_step(jax, sizes, batch):
    """A jitted step, params in and params out; their buffers are donated, so XLA may update
    them in place as minitf does."""
    jnp = jax.numpy
    x, y, weights = cases._mlp_data(sizes, batch)
    x, y = jnp.asarray(x), jnp.asarray(y)
    params = [p for w in weights for p in (jnp.asarray(w), jnp.zeros(w.shape[1], jnp.float32))]
    grad = jax.grad(functools.partial(_jax_loss, jax))

    @functools.partial(jax.jit, donate_argnums=0)
    def train(params, x, y):
        return [p - RATE * g for p, g in zip(params, grad(params, x, y))]

    state = [params]

    def run():
        state[0] = train(state[0], x, y)
    return Step(run, lambda: [np.array(p) for p in state[0]],
                sync=lambda: jax.block_until_ready(state[0]))


def thread_environment(threads):
    """The environment variables that give every framework `threads` BLAS / intra-op threads;
    they must be set before the framework is imported."""
    n = str(threads)
    eigen = "false" if threads == 1 else "true"
    return {cases.THREADS_VARIABLE: n, "OMP_NUM_THREADS": n, "OPENBLAS_NUM_THREADS": n,
            "MKL_NUM_THREADS": n, "TF_NUM_INTRAOP_THREADS": n, "TF_NUM_INTEROP_THREADS": n,
            "XLA_FLAGS": f"--xla_cpu_multi_thread_eigen={eigen} intra_op_parallelism_threads={n}",
            # (TF's C++ info lines would flood the benchmark's progress output)
            "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
