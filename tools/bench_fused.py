"""The fused kernels (issue 21) against the NumPy calls they replace, timed in one process.

    python tools/bench_fused.py               # the timing table (markdown)
    python tools/bench_fused.py --crossover   # C loops vs BLAS for small products
    python tools/bench_fused.py --steps       # whole MLP training steps, fused vs NumPy

For each kernel and layer size of the benchmark's three MLPs (8-16-2 at batch 8, 64-128-10 at
batch 64, 784-256-256-10 at batch 128) it times the compiled kernel (minitf._ext.fused), its
pure twin (minitf._pure.fused), and the unfused NumPy calls two ways: as hand-written NumPy
writes them (each op a new array) and the same calls into preallocated buffers (`out=`). Blocks
of calls alternate between the four, and the table gives the medians (µs per call) and the
ratios of the NumPy times to the compiled kernel's (above 1: the fused kernel is faster).
OPENBLAS_NUM_THREADS defaults to 1 here (set it to compare others): NumPy's and SciPy's
OpenBLAS both read it.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # (after the thread setting)

from minitf._ext import fused as compiled
from minitf._pure import fused as pure
from minitf.benchmark import cases, floors

MODELS = {"tiny": (8, [8, 16, 2]), "64-128-10": (64, [64, 128, 10]),
          "784-256-256-10": (128, [784, 256, 256, 10])}


# -- the unfused NumPy calls, both ways ------------------------------------------------------------
def np_forward(x, w, b):
    return np.maximum(x @ w + b, 0)


def np_forward_out(x, w, b, out):
    np.matmul(x, w, out=out)
    np.add(out, b, out=out)
    np.maximum(out, 0, out=out)


def np_backward(dy, x, w, y):
    dz = dy * (y > 0)
    return x.T @ dz, dz.sum(0), dz @ w.T


def np_backward_out(dy, x, w, y, dz, dw, db, dx):
    np.multiply(dy, y > 0, out=dz)
    np.matmul(x.T, dz, out=dw)
    np.add.reduce(dz, axis=0, out=db)
    np.matmul(dz, w.T, out=dx)


def np_xent(logits, labels, scale):
    shifted = logits - logits.max(1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(1)
    rows = np.arange(len(labels))
    loss = np.log(total) - shifted[rows, labels]
    grad = e / total[:, None]
    grad[rows, labels] -= 1
    return loss, grad * scale


def np_xent_out(logits, labels, scale, loss, grad, top, total, rows):
    np.maximum.reduce(logits, axis=1, keepdims=True, out=top)
    np.subtract(logits, top, out=grad)
    picked = grad[rows, labels]
    np.exp(grad, out=grad)
    np.add.reduce(grad, axis=1, out=total)
    np.subtract(np.log(total), picked, out=loss)
    np.divide(grad, total[:, None], out=grad)
    grad[rows, labels] -= 1
    np.multiply(grad, scale, out=grad)


def np_adam(var, m, v, lr, b1, b2, eps, b1p, b2p, g):
    lr_t = lr * np.sqrt(1 - b2p) / (1 - b1p)
    m[...] = b1 * m + (1 - b1) * g
    v[...] = b2 * v + (1 - b2) * g * g
    var -= lr_t * m / (np.sqrt(v) + eps)


def np_adam_out(var, m, v, lr, b1, b2, eps, b1p, b2p, g, tmp):
    lr_t = lr * np.sqrt(1 - b2p) / (1 - b1p)
    np.multiply(m, b1, out=m)
    np.multiply(g, 1 - b1, out=tmp)
    m += tmp
    np.multiply(v, b2, out=v)
    np.multiply(g, 1 - b2, out=tmp)
    tmp *= g
    v += tmp
    np.sqrt(v, out=tmp)
    tmp += eps
    np.divide(m, tmp, out=tmp)
    tmp *= lr_t
    var -= tmp


# -- timing ----------------------------------------------------------------------------------------
def _per_call(fn, calls):
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def bench(candidates, repeats, budget=2e-3):
    """Median µs per call of each candidate, blocks alternating in a rotating order."""
    calls = [max(1, int(budget / max(_per_call(fn, 3), 1e-7))) for fn in candidates]
    times = [[] for _ in candidates]
    for r in range(repeats):
        order = list(range(len(candidates)))
        order = order[r % len(order):] + order[:r % len(order)]
        for i in order:
            times[i].append(_per_call(candidates[i], calls[i]))
    return [float(np.median(t)) * 1e6 for t in times]


def _rand(rng, dtype, *shape):
    return rng.standard_normal(shape).astype(dtype)


def rows(dtype, rng):
    """(kernel, size, [compiled, pure, numpy, numpy out=]) for every row of the table."""
    for model, (batch, widths) in MODELS.items():
        for k, n in zip(widths, widths[1:]):
            x, w, b = _rand(rng, dtype, batch, k), _rand(rng, dtype, k, n), _rand(rng, dtype, n)
            out, dy = np.empty((batch, n), dtype), _rand(rng, dtype, batch, n)
            y = np_forward(x, w, b)
            dz, dw, db, dx = (np.empty_like(a) for a in (dy, w, b, x))
            size = f"{model}: {batch}x{k} @ {k}x{n}"
            yield "dense_forward relu", size, [
                lambda: compiled.dense_forward(x, w, b, "relu", out),
                lambda: pure.dense_forward(x, w, b, "relu", out),
                lambda: np_forward(x, w, b), lambda: np_forward_out(x, w, b, out)]
            yield "dense_backward relu", size, [
                lambda: compiled.dense_backward(dy, x, w, y, "relu", dz, dw, db, dx),
                lambda: pure.dense_backward(dy, x, w, y, "relu", dz, dw, db, dx),
                lambda: np_backward(dy, x, w, y),
                lambda: np_backward_out(dy, x, w, y, dz, dw, db, dx)]
        yield from _xent_case(model, batch, widths[-1], dtype, rng)
        yield from _adam_case(model, widths[0], widths[1], dtype, rng)


def _xent_case(model, batch, n, dtype, rng):
    logits, labels = _rand(rng, dtype, batch, n), rng.integers(0, n, batch).astype(np.int32)
    loss, grad = np.empty(batch, dtype), np.empty((batch, n), dtype)
    top, total, rows, scale = np.empty((batch, 1), dtype), np.empty(batch, dtype), \
        np.arange(batch), dtype(1.0 / batch)
    yield "sparse_xent", f"{model}: {batch}x{n}", [
        lambda: compiled.sparse_xent(logits, labels, scale, loss, grad),
        lambda: pure.sparse_xent(logits, labels, scale, loss, grad),
        lambda: np_xent(logits, labels, scale),
        lambda: np_xent_out(logits, labels, scale, loss, grad, top, total, rows)]


def _adam_case(model, k, n, dtype, rng):
    var, g, m = (_rand(rng, dtype, k, n) for _ in range(3))
    v, tmp = np.abs(_rand(rng, dtype, k, n)), np.empty((k, n), dtype)
    c = [dtype(a) for a in (1e-3, 0.9, 0.999, 1e-8, 0.9**5, 0.999**5)]
    yield "adam", f"{model}: {k}x{n}", [
        lambda: compiled.adam(var, m, v, *c, g), lambda: pure.adam(var, m, v, *c, g),
        lambda: np_adam(var, m, v, *c, g), lambda: np_adam_out(var, m, v, *c, g, tmp)]
    yield "momentum", f"{model}: {k}x{n}", [
        lambda: compiled.momentum(var, m, 1e-3, g, 0.9, False),
        lambda: pure.momentum(var, m, 1e-3, g, 0.9, False),
        lambda: np_momentum(var, m, c[0], g, c[1]), lambda: np_momentum_out(var, m, c[0], g, c[1])]
    yield "sgd", f"{model}: {k}x{n}", [
        lambda: compiled.sgd(var, 1e-3, g), lambda: pure.sgd(var, 1e-3, g),
        lambda: np.subtract(var, c[0] * g, out=var), lambda: np_sgd_out(var, c[0], g, tmp)]


def np_momentum(var, accum, lr, g, mom):
    accum[...] = accum * mom + g
    var -= lr * accum


def np_momentum_out(var, accum, lr, g, mom):
    np.multiply(accum, mom, out=accum)
    accum += g
    var -= np.multiply(accum, lr)  # (one temporary: there is no fused multiply-subtract)


def np_sgd_out(var, lr, g, tmp):
    np.multiply(g, lr, out=tmp)
    var -= tmp


def table(dtype, repeats):
    rng = np.random.default_rng(0)
    print(f"\n{np.dtype(dtype).name}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}"
          f", median of {repeats} blocks (µs per call)\n")
    print("| kernel | size | compiled | pure twin | NumPy | NumPy out= | NumPy / compiled | "
          "NumPy out= / compiled |")
    print("|---|---|---|---|---|---|---|---|")
    for kernel, size, fns in rows(dtype, rng):
        c, p, n, o = bench(fns, repeats)
        print(f"| {kernel} | {size} | {c:.1f} | {p:.1f} | {n:.1f} | {o:.1f} | {n / c:.2f} | "
              f"{o / c:.2f} |")
        sys.stdout.flush()


def _limits(fn, *limits):
    """`fn` run under the compiled kernel's loop (and NumPy-matmul) limits."""
    def run():
        old = compiled._set_loop_limits(*limits)
        try:
            fn()
        finally:
            compiled._set_loop_limits(*old)
    return run


def _layer(rng, dtype, m, k, n):
    x, w, dy = _rand(rng, dtype, m, k), _rand(rng, dtype, k, n), _rand(rng, dtype, m, n)
    out, dz, dw, db, dx = (np.empty(s, dtype) for s in ((m, n), (m, n), (k, n), n, (m, k)))
    return (lambda: compiled.dense_forward(x, w, None, "linear", out),
            lambda: compiled.dense_backward(dy, x, w, None, "linear", dz, dw, db, dx))


def crossover(dtype, repeats):
    """dense_forward (linear, no bias) and dense_backward through C loops vs through BLAS; then
    large forward products through SciPy's BLAS vs NumPy's matmul."""
    rng, never, always = np.random.default_rng(0), 1 << 60, 0
    print(f"\n{np.dtype(dtype).name}: µs per call, loops / BLAS (below 1: the loops win)\n")
    print("| m x k x n | multiply-adds | forward loops | forward BLAS | ratio | backward loops "
          "| backward BLAS | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for m, k, n in [(1, 1, 1), (2, 2, 2), (4, 4, 4), (8, 2, 1), (8, 4, 4), (8, 8, 8),
                    (8, 8, 16), (8, 16, 2), (8, 16, 16), (16, 16, 16), (8, 32, 32),
                    (32, 32, 32), (64, 64, 10), (64, 64, 64)]:
        fwd, bwd = _layer(rng, dtype, m, k, n)
        fl, fb, bl, bb = bench([_limits(fwd, never, never, never),
                                _limits(fwd, always, always, never),
                                _limits(bwd, never, never, never),
                                _limits(bwd, always, always, never)], repeats)
        print(f"| {m}x{k}x{n} | {m * k * n} | {fl:.2f} | {fb:.2f} | {fl / fb:.2f} | {bl:.2f} | "
              f"{bb:.2f} | {bl / bb:.2f} |")
    print(f"\n{np.dtype(dtype).name}: forward products, µs per call, SciPy's BLAS / NumPy's "
          "matmul (above 1: NumPy's is faster)\n")
    print("| m x k x n | multiply-adds | SciPy's BLAS | NumPy's matmul | ratio |")
    print("|---|---|---|---|---|")
    for m, k, n in [(64, 64, 128), (64, 128, 128), (128, 128, 128), (128, 256, 128),
                    (128, 256, 256), (128, 784, 256)]:
        fwd, _ = _layer(rng, dtype, m, k, n)
        scipy_blas, numpy_matmul = bench([_limits(fwd, always, always, never),
                                          _limits(fwd, always, always, always)], repeats)
        print(f"| {m}x{k}x{n} | {m * k * n} | {scipy_blas:.1f} | {numpy_matmul:.1f} | "
              f"{scipy_blas / numpy_matmul:.2f} |")


# -- whole training steps: the benchmark's MLP steps, fused ---------------------------------------
class MLP:
    """The benchmark's MLP step (tanh hidden layers, mean sparse cross-entropy, SGD at 0.1; the
    data and weights of minitf.benchmark.cases) as a plan of fused calls, buffers made once."""

    def __init__(self, widths, batch):
        self.x, self.labels, weights = cases._mlp_data(widths, batch)
        self.params = [p for w in weights for p in (w, np.zeros(w.shape[1], np.float32))]
        self.grads = [np.empty_like(p) for p in self.params]
        pairs = list(zip(widths, widths[1:]))
        self.outs = [np.empty((batch, n), np.float32) for _, n in pairs]
        self.dzs = [np.empty((batch, n), np.float32) for _, n in pairs]
        self.dxs = [np.empty((batch, k), np.float32) for k, _ in pairs]
        self.loss = np.empty(batch, np.float32)

    def step(self, f):
        layers, inputs = len(self.outs), [self.x] + self.outs[:-1]
        acts = ["tanh"] * (layers - 1) + ["linear"]
        for i in range(layers):
            f.dense_forward(inputs[i], self.params[2 * i], self.params[2 * i + 1], acts[i],
                            self.outs[i])
        dy = self.dzs[-1]
        f.sparse_xent(self.outs[-1], self.labels, 1.0 / len(self.labels), self.loss, dy)
        for i in reversed(range(layers)):
            f.dense_backward(dy, inputs[i], self.params[2 * i], self.outs[i], acts[i],
                             dy if acts[i] == "linear" else self.dzs[i], self.grads[2 * i],
                             self.grads[2 * i + 1], self.dxs[i] if i else None)
            dy = self.dxs[i]
        for p, g in zip(self.params, self.grads):
            f.sgd(p, floors.RATE, g)


def steps(dtype, repeats):
    if dtype is not np.float32:
        return
    print("\nfloat32: the benchmark's training steps (minitf.benchmark's MLPs: forward, mean "
          f"sparse cross-entropy, backward, SGD), median of {repeats} blocks (µs per step)\n")
    print("| model | fused compiled | fused pure twin | NumPy by hand (the benchmark's floor) | "
          "NumPy / compiled |")
    print("|---|---|---|---|---|")
    for model, (batch, widths) in MODELS.items():
        mlp, by_hand = MLP(widths, batch), floors.mlp_step(widths, batch)
        c, p, n = bench([lambda: mlp.step(compiled), lambda: mlp.step(pure), by_hand],
                        repeats, budget=5e-3)
        print(f"| {model}, batch {batch} | {c:.1f} | {p:.1f} | {n:.1f} | {n / c:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crossover", action="store_true", help="C loops vs BLAS")
    parser.add_argument("--steps", action="store_true", help="whole MLP training steps")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--dtype", choices=["float32", "float64", "both"], default="float32")
    args = parser.parse_args()
    dtypes = [np.float32, np.float64] if args.dtype == "both" else [np.dtype(args.dtype).type]
    for dtype in dtypes:
        (crossover if args.crossover else steps if args.steps else table)(dtype, args.repeats)


if __name__ == "__main__":
    main()
