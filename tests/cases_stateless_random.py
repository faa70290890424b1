"""Guard-test cases of tf.random's stateless ops (minitf/ops/stateless_random_ops.py,
stateless_random_dists.py) and of the Generator's ops (minitf/random_generator.py).

The stateless ops give the same values in graph and eager mode; StatelessRandomGammaV3's
gradient (implicit reparameterization, not the derivative of its sampler) is checked against
TF's in its own tests, and the Generator's stateful ops run eagerly there too."""
import minitf as tf

_S = [1, 2]
_GENERATOR = "test_random_generator.py::test_generator_runs_eagerly"

GRAD_ELSEWHERE = {"StatelessRandomGammaV3"}  # test_stateless_random.py: TF's gradient values
EAGER_ELSEWHERE = {"RngReadAndSkip": _GENERATOR, "StatefulRandomBinomial": _GENERATOR}
STATELESS = {
    "StatelessRandomGetKeyCounter": lambda: tf.random.fold_in(_S, 3),
    "StatelessRandomUniformV2": lambda: tf.random.stateless_uniform([4], _S, 1., 3.),
    "StatelessRandomUniformIntV2": lambda: tf.random.stateless_uniform(
        [4], _S, -3, 8, dtype=tf.int64),
    "StatelessRandomUniformFullIntV2": lambda: tf.random.split(_S, 3),
    "StatelessRandomNormalV2": lambda: tf.random.stateless_normal([5], _S, dtype=tf.float64),
    "StatelessTruncatedNormalV2": lambda: tf.random.stateless_truncated_normal([9], _S),
    "StatelessMultinomial": lambda: tf.random.stateless_categorical([[0., 1., 2.]], 6, _S),
    "StatelessRandomPoisson": lambda: tf.random.stateless_poisson([4, 2], _S, [0.5, 30.]),
    "StatelessRandomBinomial": lambda: tf.random.stateless_binomial(
        [4, 2], _S, [10., 300.], [0.3, 0.6]),
    "StatelessParameterizedTruncatedNormal": lambda: (
        tf.random.stateless_parameterized_truncated_normal([4, 2], _S, [0., 1.], 1., -0.5, 3.)),
    "StatelessRandomGammaV3": lambda: tf.random.stateless_gamma([3, 2], _S, [0.5, 3.]),
}
