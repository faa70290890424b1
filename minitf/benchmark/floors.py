"""The floors: each training step of the benchmark written by hand in NumPy (forward, backward,
SGD in place), on the same data and weights as the case in cases.py. tests/test_benchmark.py
checks that a few of these steps leave the weights where minitf's steps leave them, so a floor
is the same work done without a framework, not a cheaper imitation.
"""
import numpy as np

if __package__:  # imported as minitf.benchmark.floors
    from minitf.benchmark import cases
else:  # run by path (benchmark/worker.py)
    import cases

RATE = 0.1


def _softmax_grad(logits, y):
    """d mean(sparse softmax cross-entropy) / d logits."""
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def mlp_step(sizes, batch):
    x, y, weights = cases._mlp_data(sizes, batch)
    params = [(w, np.zeros(w.shape[1], np.float32)) for w in weights]

    def step():
        acts = [x]
        for i, (w, b) in enumerate(params):
            z = acts[-1] @ w + b
            acts.append(np.tanh(z) if i < len(params) - 1 else z)
        g = _softmax_grad(acts[-1], y)
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            gw, gb = acts[i].T @ g, g.sum(0)
            if i:
                g = (g @ w.T) * (1 - acts[i] ** 2)
            w -= RATE * gw
            b -= RATE * gb
    step.params = [p for pair in params for p in pair]
    return step


# -- convnet ---------------------------------------------------------------------------------------
def _im2col(x):
    """(N*H*W, C*9) patches of a 3x3 SAME convolution of NHWC `x`, in (C, 3, 3) order."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))
    return windows.reshape(n * h * w, c * 9)


def _col2im(cols, shape):
    """The input gradient of `_im2col`: each patch entry added back where it came from."""
    n, h, w, c = shape
    cols = cols.reshape(n, h, w, c, 3, 3)
    padded = np.zeros((n, h + 2, w + 2, c), cols.dtype)
    for i in range(3):
        for j in range(3):
            padded[:, i:i + h, j:j + w] += cols[..., i, j]
    return padded[:, 1:-1, 1:-1]


def _conv_relu_pool(x, kmat, b):
    n, h, w, _ = x.shape
    cols = _im2col(x)
    z = (cols @ kmat + b).reshape(n, h, w, -1)
    a = np.maximum(z, 0)
    blocks = a.reshape(n, h // 2, 2, w // 2, 2, -1)
    pooled = blocks.max(axis=(2, 4))
    return cols, z, blocks, pooled


def _pool_relu_grad(g, z, blocks, pooled):
    winner = blocks == pooled[:, :, None, :, None]
    g = (winner * g[:, :, None, :, None]).reshape(z.shape)
    return g * (z > 0)


def convnet_step():
    x, y, (k1, k2, dense) = cases._convnet_data()
    # kernels as patch matrices in im2col's (C, 3, 3) order; the views write through to them
    kmats = [np.ascontiguousarray(k.transpose(2, 0, 1, 3)).reshape(-1, k.shape[3])
             for k in (k1, k2)]
    biases = [np.zeros(k.shape[3], np.float32) for k in (k1, k2)]
    dense_b = np.zeros(dense.shape[1], np.float32)

    def step():
        cols1, z1, blocks1, p1 = _conv_relu_pool(x, kmats[0], biases[0])
        cols2, z2, blocks2, p2 = _conv_relu_pool(p1, kmats[1], biases[1])
        flat = p2.reshape(len(x), -1)
        g = _softmax_grad(flat @ dense + dense_b, y)
        g_flat = g @ dense.T
        dense[...] -= RATE * (flat.T @ g)
        dense_b[...] -= RATE * g.sum(0)
        g2 = _pool_relu_grad(g_flat.reshape(p2.shape), z2, blocks2, p2).reshape(-1, z2.shape[3])
        g_p1 = _col2im(g2 @ kmats[1].T, p1.shape)
        kmats[1] -= RATE * (cols2.T @ g2)
        biases[1] -= RATE * g2.sum(0)
        g1 = _pool_relu_grad(g_p1, z1, blocks1, p1).reshape(-1, z1.shape[3])
        kmats[0] -= RATE * (cols1.T @ g1)
        biases[0] -= RATE * g1.sum(0)
    kernels = [k.reshape(-1, 3, 3, k.shape[1]).transpose(1, 2, 0, 3) for k in kmats]
    step.params = [kernels[0], biases[0], kernels[1], biases[1], dense, dense_b]
    return step


# -- LSTM ------------------------------------------------------------------------------------------
def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def lstm_step():
    """TF1's BasicLSTMCell (gates i, j, f, o; forget bias 1) over the sequence, BPTT."""
    x, y, (kernel, dense) = cases._lstm_data()
    batch, steps, depth = x.shape
    units = dense.shape[0]
    bias, dense_b = np.zeros(4 * units, np.float32), np.zeros(dense.shape[1], np.float32)

    def step():
        h = c = np.zeros((batch, units), np.float32)
        tape = []
        for t in range(steps):
            xh = np.concatenate([x[:, t], h], 1)
            i, j, f, o = np.split(xh @ kernel + bias, 4, axis=1)
            i, j, f, o = _sigmoid(i), np.tanh(j), _sigmoid(f + 1), _sigmoid(o)
            c_prev, c = c, c * f + i * j
            tanh_c = np.tanh(c)
            h = tanh_c * o
            tape.append((xh, c_prev, i, j, f, o, tanh_c))
        g = _softmax_grad(h @ dense + dense_b, y)
        dh, dc = g @ dense.T, 0
        dense[...] -= RATE * (h.T @ g)
        dense_b[...] -= RATE * g.sum(0)
        d_kernel, d_bias = np.zeros_like(kernel), np.zeros_like(bias)
        for xh, c_prev, i, j, f, o, tanh_c in reversed(tape):
            dc = dc + dh * o * (1 - tanh_c ** 2)
            dz = np.concatenate([dc * j * i * (1 - i), dc * i * (1 - j ** 2),
                                 dc * c_prev * f * (1 - f), dh * tanh_c * o * (1 - o)], 1)
            d_kernel += xh.T @ dz
            d_bias += dz.sum(0)
            dh, dc = (dz @ kernel.T)[:, depth:], dc * f
        kernel[...] -= RATE * d_kernel
        bias[...] -= RATE * d_bias
    step.params = [kernel, bias, dense, dense_b]
    return step
