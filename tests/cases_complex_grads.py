"""Guard-test cases of the complex magnitude op ComplexAbs (minitf/ops/math_ops.py: tf.abs of a
complex tensor). The other ops' complex gradients are checked in tests/test_complex_grads.py
(their op types have real cases in test_gradient_check.py already)."""
import numpy as np

import minitf as tf

RNG = np.random.RandomState(17)


def _away_from_zero(*shape):
    """Values in [-1.5, -0.5] or [0.5, 1.5]: |z| is smooth there."""
    return RNG.uniform(0.5, 1.5, shape) * RNG.choice([-1.0, 1.0], shape)


CASES = {
    "ComplexAbs": [(lambda x, y: tf.abs(tf.complex(x, y)),
                    [_away_from_zero(2, 3), _away_from_zero(2, 3)])],
}
