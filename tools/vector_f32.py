"""The float32 tanh and sigmoid of csrc/vector_f32.h: where tanh's coefficients come from, and
how far each is from the exact function.

    python tools/vector_f32.py                  fit tanh's x * P(x^2) / Q(x^2) again and print
                                                the coefficients
    python tools/vector_f32.py --check tanh     compare minitf's compiled tanh (or sigmoid) with
    python tools/vector_f32.py --check sigmoid  the function in double over every float32 (about
                                                a minute), and print the error

The fit: P of degree 5 and Q of degree 4 in s = x^2 (Q(0) = 1), minimizing the relative error
on [0, 9.1] by weighted least squares on the linearized residual x P(s) - tanh(x) Q(s), divided
by the last iteration's Q (Loeb's iteration), its weights multiplied by the error each round
(Lawson's), which drives it towards the minimax fit. It is solved in s / 9.1^2, where the powers
stay near 1, and scaled back. (sigmoid is exp's textbook reduction, nothing fitted.)
"""
import argparse
import sys

import numpy as np

END, DEG_P, DEG_Q = 9.1, 5, 4


def fit(rounds=200):
    """(p, q, max relative error of the approximation in double), p and q lowest power first."""
    x = np.concatenate([np.geomspace(1e-5, 0.5, 3000), np.linspace(0.5, END, 20000)])
    u, t = (x / END) ** 2, np.tanh(x)
    weights, q_last = np.ones_like(x), np.ones_like(x)
    columns = [x * u**i for i in range(DEG_P + 1)] + [-t * u**j for j in range(1, DEG_Q + 1)]
    a = np.stack(columns, axis=1)
    for _ in range(rounds):
        scale = np.sqrt(weights) / (t * q_last)
        solution = np.linalg.lstsq(a * scale[:, None], t * scale, rcond=None)[0]
        p, q = solution[:DEG_P + 1], np.concatenate([[1.0], solution[DEG_P + 1:]])
        q_last = np.polyval(q[::-1], u)
        error = np.abs(x * np.polyval(p[::-1], u) / q_last - t) / t
        weights = weights * error
        weights /= weights.sum()
    to_s = END ** -2.0
    return p * to_s ** np.arange(DEG_P + 1), q * to_s ** np.arange(DEG_Q + 1), error.max()


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))  # (in double, for float32 inputs: exp neither overflows nor
    # loses what a float32 result keeps)


EXACT = {"tanh": np.tanh, "sigmoid": _sigmoid}


def ulps(got, x, name="tanh"):
    """|got - f(x)| in units of the float32 spacing at f(x), f taken in double."""
    exact = EXACT[name](x.astype(np.float64))
    spacing = np.spacing(np.abs(exact).astype(np.float32)).astype(np.float64)
    return np.abs(got.astype(np.float64) - exact) / spacing


def check(kernel, name):
    """The worst error of `kernel(x, out)` over every float32 that matters (tanh: the
    non-negative ones below 9.5, the negative ones mirror them, as checked; sigmoid: every
    finite one of magnitude below 120), with the share of each error size."""
    worst, at, counts = 0.0, None, np.zeros(5)
    bins = [0, 0.5, 1, 2, 4, np.inf]
    end = int(np.float32(9.5 if name == "tanh" else 120).view(np.int32))
    signs = (1,) if name == "tanh" else (1, -1)
    for sign, start in ((s, b) for s in signs for b in range(0, end, 1 << 24)):
        x = sign * np.arange(start, min(start + (1 << 24), end), dtype=np.int32).view(np.float32)
        got = np.empty_like(x)
        kernel(x, got)
        if name == "tanh":
            mirrored = np.empty_like(x)
            kernel(-x, mirrored)
            if not np.array_equal(got, -mirrored):
                raise SystemExit(f"tanh is not odd in [{x[0]}, {x[-1]}]")
        err = ulps(got, x, name)
        i = int(err.argmax())
        if err[i] > worst:
            worst, at = float(err[i]), float(x[i])
        counts += np.histogram(err, bins=bins)[0]
    shares = ", ".join(f"<= {b:g} ulp: {c / counts.sum():.5%}" for b, c in zip(bins[1:], counts))
    return worst, at, shares


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", choices=sorted(EXACT))
    args = parser.parse_args(argv)
    if args.check:
        from minitf import _kernels
        if _kernels.kernel_backend() != "cython":
            sys.exit("--check needs the compiled kernels (build them first)")
        worst, at, shares = check(getattr(_kernels.fused, args.check), args.check)
        print(f"worst error {worst:.3f} ulp (at x = {at!r}); {shares}")
        return
    p, q, error = fit()
    print(f"max relative error of the fit {error:.3g}")
    print("p:", ", ".join(f"{float(np.float32(c))!r}f" for c in p))
    print("q:", ", ".join(f"{float(np.float32(c))!r}f" for c in q))


if __name__ == "__main__":
    main()
