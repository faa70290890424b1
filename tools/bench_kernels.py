"""Old vs new kernels of issue 21's everyday ops, timed in one process.

    python tools/bench_kernels.py            # the timing table (markdown)
    python tools/bench_kernels.py --sweep    # and float32 accuracy on a dense sweep

The old kernels are copies, frozen here, of the ones minitf had before issue 21; the new ones are
the registered kernels (minitf's REGISTRY). Each row times both on the same array, alternating
blocks of calls, and reports the medians (µs per call) and how their values compare: "same"
when every element is bit-identical, else the largest difference in ulps of the old value.
Mean's gradient kept its kernel (dividing straight into the broadcast output was measured
slower): its row shows what calling through the registered kernel's wrappers (which the old
copies skip) and the machine's noise do to a ratio in this run.
"""
import argparse
import math
import time

import numpy as np
from scipy.special import expit

from minitf.framework.registry import REGISTRY


# -- the kernels as they were ----------------------------------------------------------------------
def old_sigmoid(x):
    if x.dtype in (np.float32, np.float64):
        return expit(x)
    return np.exp(-np.logaddexp(0, -x))


def old_softplus(x):
    return np.logaddexp(x, 0).astype(x.dtype)


def old_log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def old_softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def old_l2_loss(t):
    return (np.sum(np.square(t)) / 2).astype(t.dtype)


def old_mean(x, axis, keepdims):
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=np.float32 if x.dtype == np.float16
                   else x.dtype).astype(x.dtype)


def old_max(x, axis, keepdims):
    return np.max(x, axis, keepdims=keepdims)


def old_mean_grad(grad, x, axis, keepdims):
    shape = x.shape
    kept = grad if keepdims else grad.reshape(
        tuple(1 if i in axis else d for i, d in enumerate(shape)))
    kept = kept / max(math.prod(shape[a] for a in axis), 1)
    out = np.empty(x.shape, x.dtype)
    np.copyto(out, kept)
    return out


def _new(type, **attrs):
    kernel = REGISTRY[type].kernel
    return lambda *args: kernel(*args, **attrs)


# -- the rows --------------------------------------------------------------------------------------
def _cases(shapes, dtypes):
    rng = np.random.default_rng(0)
    for dtype in dtypes:
        for shape in shapes:
            x = (rng.standard_normal(shape) * 4).astype(dtype)
            tag = f"{dtype.__name__} {shape[0]}x{shape[1]}"
            yield "sigmoid", tag, old_sigmoid, _new("Sigmoid"), (x,)
            yield "softplus", tag, old_softplus, _new("Softplus"), (x,)
            yield "log_softmax", tag, lambda a: old_log_softmax(a, -1), \
                _new("LogSoftmax", axis=-1), (x,)
            yield "softmax", tag, lambda a: old_softmax(a, -1), _new("Softmax", axis=-1), (x,)
            yield "l2_loss", tag, old_l2_loss, _new("L2Loss"), (x,)
            yield "reduce_mean axis 0 keepdims", tag, lambda a: old_mean(a, (0,), True), \
                _new("Mean", axis=(0,), keepdims=True), (x,)
            yield "reduce_mean all", tag, lambda a: old_mean(a, None, False), \
                _new("Mean", axis=None, keepdims=False), (x,)
            yield "reduce_max axis 1 keepdims", tag, lambda a: old_max(a, (1,), True), \
                _new("Max", axis=(1,), keepdims=True), (x,)
            grad = x.mean(axis=0, keepdims=True)
            yield "Mean's gradient (axis 0; kernel unchanged)", tag, \
                lambda g, a: old_mean_grad(g, a, (0,), True), \
                _new("ReductionGrad", axis=(0,), keepdims=True, mean=True, broadcast=True), \
                (grad, x)


def _median_us(fn, args, calls, out):
    start = time.perf_counter()
    for _ in range(calls):
        fn(*args)
    out.append((time.perf_counter() - start) / calls * 1e6)


def _compare(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True):
        return "same"
    if a.dtype != b.dtype or a.shape != b.shape:
        return f"DIFFERS ({a.dtype}{a.shape} vs {b.dtype}{b.shape})"
    ulp = np.spacing(np.abs(a)).astype(np.float64)
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64)) / np.maximum(ulp, 1e-300)
    return f"<= {np.nanmax(diff):.0f} ulp ({np.mean(a != b):.1%} differ)"


def bench(shapes, dtypes, repeats, budget):
    print("| kernel | input | old µs | new µs | old/new | values |")
    print("|---|---|---:|---:|---:|---|")
    for name, tag, old, new, args in _cases(shapes, dtypes):
        old(*args), new(*args)  # (warm)
        start = time.perf_counter()
        old(*args)
        calls = max(1, int(budget / max(time.perf_counter() - start, 1e-7)))
        times_old, times_new = [], []
        for _ in range(repeats):  # alternating, so a noisy neighbour hits both alike
            _median_us(old, args, calls, times_old)
            _median_us(new, args, calls, times_new)
        t_old, t_new = np.median(times_old), np.median(times_new)
        print(f"| {name} | {tag} | {t_old:.1f} | {t_new:.1f} | {t_old / t_new:.2f}x "
              f"| {_compare(old(*args), new(*args))} |", flush=True)


def _ulps(values, truth):
    """|values - truth| in float32 ulps of the truth, for results that are normal floats."""
    normal = truth >= np.finfo(np.float32).tiny
    ulp = np.spacing(truth.astype(np.float32)).astype(np.float64)
    return (np.abs(values.astype(np.float64) - truth) / ulp)[normal]


def sweep():
    """Every 61st positive float32 below 120, and its negative: ~33 million inputs."""
    bits = np.arange(0, 0x7F800000, 61, dtype=np.uint32).view(np.float32)
    x = bits[bits < 120]
    x = np.concatenate([x, -x])
    x64 = x.astype(np.float64)
    print(f"\nfloat32 accuracy on {x.size} inputs in (-120, 120), against float64 (ulps):")
    print("| kernel | old max | old mean | new max | new mean | new == old |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, old, new, truth in (
            ("sigmoid", old_sigmoid, REGISTRY["Sigmoid"].kernel, 1 / (1 + np.exp(-x64))),
            ("softplus", old_softplus, REGISTRY["Softplus"].kernel, np.logaddexp(x64, 0))):
        a, b = old(x), new(x)
        ua, ub = _ulps(a, truth), _ulps(b, truth)
        print(f"| {name} | {ua.max():.2f} | {ua.mean():.3f} | {ub.max():.2f} | {ub.mean():.3f} "
              f"| {np.mean(a == b):.1%} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--budget", type=float, default=0.01,
                        help="seconds of calls per timed block (default 0.01)")
    parser.add_argument("--float64", action="store_true", help="float64 rows too")
    parser.add_argument("--sweep", action="store_true", help="float32 accuracy sweep too")
    args = parser.parse_args()
    dtypes = [np.float32, np.float64] if args.float64 else [np.float32]
    bench([(8, 16), (64, 128), (128, 256)], dtypes, args.repeats, args.budget)
    if args.sweep:
        sweep()


if __name__ == "__main__":
    main()
