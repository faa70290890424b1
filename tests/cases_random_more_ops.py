"""Guard-test cases of the other random ops (minitf/ops/random_more_ops.py, random_gamma_ops.py):
their draws differ run by run, so each runs eagerly in its own test, and RandomGamma's gradient
(implicit reparameterization, not the derivative of its sampler) is checked against TF's."""
import minitf as tf

_EAGER = "test_random_more_ops.py::test_eager_draws_are_tensorflows"

GRAD_ELSEWHERE = {"RandomGamma"}
EAGER_ELSEWHERE = {
    "RandomShuffle": _EAGER, "Multinomial": _EAGER, "RandomGamma": _EAGER,
    "RandomPoissonV2": _EAGER, "RandomGammaGrad": _EAGER,
}
STATELESS = {
    "RandomIndexShuffle": lambda: tf.random.experimental.index_shuffle(tf.range(7), [3, 4], 6),
}
