"""Every differentiable op's registered gradient against central finite differences (float64).

CASES maps each op type to graphs using it: (builder, input values[, tolerance]). The guard test
fails when an op is registered as differentiable without a case here, so a new op cannot skip
the check. The gradient helper ops (StridedSliceGrad, ProdGrad, ...) are checked like any other,
and SECOND_ORDER checks second derivatives through them (issue 14).
"""
import numpy as np
import opcases
import pytest

import minitf as tf
from minitf.framework.registry import REGISTRY
from minitf.ops import manip_ops, reduction_ops

RNG = np.random.RandomState(0)


def r(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape)


def pos(*shape):
    return r(*shape, low=0.5, high=2.0)


def spaced(*shape):
    """Values well apart from each other and from integers, for kinks and ties."""
    n = int(np.prod(shape))
    return (np.linspace(-2.1, 2.3, n) + 0.03 * RNG.permutation(n)).reshape(shape)


IDS = np.array([[3, 0], [3, 4]])
COND = np.array([[True, False, True], [False, False, True]])

CASES = {
    "PlaceholderWithDefault": [(lambda x: tf.placeholder_with_default(x, [2, 3]), [r(2, 3)])],
    "Identity": [(tf.identity, [r(2, 3)])],
    "CheckNumerics": [(lambda x: tf.check_numerics(x, "m"), [r(2, 3)])],
    "Print": [(lambda x: tf.Print(x, [x], first_n=0), [r(2, 3)])],
    "IdentityN": [(lambda a, b: tf.identity_n([a, b])[0] * tf.identity_n([a, b])[1], [r(2, 3),
                                                                                      r(3)])],
    "Fill": [(lambda v: tf.fill([2, 3], v), [r()])],
    "Reshape": [(lambda x: tf.reshape(x, [3, -1]), [r(2, 3)])],
    "Transpose": [(tf.transpose, [r(2, 3)]),
                  (lambda x: tf.transpose(x, [1, 2, 0]), [r(2, 3, 4)])],
    "ExpandDims": [(lambda x: tf.expand_dims(x, 1), [r(2, 3)])],
    "Squeeze": [(tf.squeeze, [r(2, 1, 3)])],
    "ConcatV2": [(lambda a, b: tf.concat([a, b], 1), [r(2, 3), r(2, 2)])],
    "Pack": [(lambda a, b: tf.stack([a, b], 1), [r(2, 3), r(2, 3)])],
    "Unpack": [(lambda x: tf.unstack(x, axis=1)[0] * 2.0 + tf.unstack(x, axis=1)[2], [r(2, 3)])],
    "Split": [(lambda x: tf.split(x, 3, axis=1)[2], [r(2, 6)])],
    "SplitV": [(lambda x: tf.split(x, [1, 2], axis=1)[1] * 3.0, [r(2, 3)])],
    "Tile": [(lambda x: tf.tile(x, [2, 3]), [r(2, 3)])],
    "Pad": [(lambda x: tf.pad(x, [[1, 0], [0, 2]]), [r(2, 3)]),
            (lambda x: tf.pad(x, [[1, 1], [2, 0]], mode="REFLECT"), [r(3, 3)]),
            (lambda x: tf.pad(x, [[2, 1], [0, 1]], mode="SYMMETRIC"), [r(2, 3)])],
    "GatherV2": [(lambda x: tf.gather(x, [2, 0, 2]), [r(3, 2)]),
                 (lambda x: tf.gather(x, IDS[:, :1] % 3, axis=1), [r(2, 3)])],
    "Select": [(lambda a, b: tf.where(COND, a, b), [r(2, 3), r(2, 3)])],
    "StridedSlice": [(lambda x: x[1:, ::2], [r(3, 4)]), (lambda x: x[0, tf.newaxis], [r(3, 4)])],
    "Slice": [(lambda x: tf.slice(x, [0, 1], [2, 2]), [r(3, 4)])],
    "AddV2": [(tf.add, [r(2, 3), r(3)]), (tf.add, [r(2, 1), r(1, 3)])],
    "Sub": [(tf.subtract, [r(2, 3), r(2, 1)])],
    "Mul": [(tf.multiply, [r(2, 3), r(3)])],
    "RealDiv": [(tf.truediv, [r(2, 3), pos(3)])],
    "FloorDiv": [(tf.floordiv, [spaced(2, 3), pos(3) + 0.5])],
    "FloorMod": [(tf.floormod, [spaced(2, 3) * 3, np.array([1.3, 1.7, 2.2])])],
    "Pow": [(tf.pow, [pos(2, 3), r(3)]),
            (lambda x: tf.pow(x, np.array([2.0, 3.0, 2.0])), [r(2, 3)])],
    "Maximum": [(tf.maximum, [spaced(2, 3), spaced(3)[::-1].copy()])],
    "Minimum": [(tf.minimum, [spaced(2, 3), spaced(3)[::-1].copy()])],
    "SquaredDifference": [(tf.squared_difference, [r(2, 3), r(3)])],
    "Neg": [(tf.negative, [r(2, 3)])],
    "Abs": [(tf.abs, [spaced(2, 3)])],
    "Square": [(tf.square, [r(2, 3)])],
    "Sqrt": [(tf.sqrt, [pos(2, 3)])],
    "Rsqrt": [(tf.rsqrt, [pos(2, 3)])],
    "Exp": [(tf.exp, [r(2, 3)])],
    "Log": [(tf.log, [pos(2, 3)])],
    "Log1p": [(tf.log1p, [pos(2, 3)])],
    "Tanh": [(tf.tanh, [r(2, 3)])],
    "Sigmoid": [(tf.sigmoid, [r(2, 3)])],
    "Sign": [(tf.sign, [spaced(2, 3)])],
    "Reciprocal": [(tf.reciprocal, [pos(2, 3)])],
    "Floor": [(tf.floor, [spaced(2, 3)])],
    "Ceil": [(tf.ceil, [spaced(2, 3)])],
    "Round": [(tf.round, [spaced(2, 3)])],
    "MatMul": [(lambda a, b, ta=ta, tb=tb: tf.matmul(a, b, transpose_a=ta, transpose_b=tb),
                [r(*((3, 2) if ta else (2, 3))), r(*((4, 3) if tb else (3, 4)))])
               for ta in (False, True) for tb in (False, True)],
    "AddN": [(lambda a, b, c: tf.add_n([a, b, c]), [r(2, 3), r(2, 3), r(2, 3)])],
    "Cast": [(lambda x: tf.cast(tf.cast(x, tf.float32) * 3.0, tf.float64), [r(2, 3)], 1e-3)],
    "Sum": [(lambda x: tf.reduce_sum(x, 1), [r(2, 3, 4)]),
            (lambda x: tf.reduce_sum(x, [0, 2], keepdims=True), [r(2, 3, 4)]),
            (tf.reduce_sum, [r(2, 3)])],
    "Mean": [(lambda x: tf.reduce_mean(x, 0), [r(2, 3)]), (tf.reduce_mean, [r(2, 3)])],
    "Max": [(lambda x: tf.reduce_max(x, 1), [spaced(2, 3)]),
            (lambda x: tf.reduce_max(x, keepdims=True), [spaced(2, 3)])],
    "Min": [(lambda x: tf.reduce_min(x, [0]), [spaced(2, 3)])],
    "Prod": [(lambda x: tf.reduce_prod(x, 1), [r(2, 3)]),
             (lambda x: tf.reduce_prod(x, [0, 2]), [np.where(r(2, 3, 2) > 0.5, 0.0, r(2, 3, 2))]),
             (tf.reduce_prod, [pos(2, 2)])],
    "EmbeddingLookup": [(lambda a, b: tf.nn.embedding_lookup([a, b], IDS), [r(3, 2), r(2, 2)]),
                        (lambda a, b: tf.nn.embedding_lookup([a, b], IDS, "div"),
                         [r(3, 2), r(2, 2)])],
    "ClipEmbeddingsByNorm": [(lambda p: tf.nn.embedding_lookup(p, IDS, max_norm=1.0),
                              [np.array([[0.3, 0.4], [1, 2], [0, 0.5], [2, -1], [0.1, 0.1]])])],
    "Relu": [(tf.nn.relu, [spaced(2, 3)])],
    "Relu6": [(tf.nn.relu6, [spaced(2, 3) * 4])],
    "Elu": [(tf.nn.elu, [spaced(2, 3)])],
    "Softplus": [(tf.nn.softplus, [r(2, 3)])],
    "Softmax": [(tf.nn.softmax, [r(2, 3)]), (lambda x: tf.nn.softmax(x, axis=0), [r(2, 3)])],
    "LogSoftmax": [(tf.nn.log_softmax, [r(2, 3)])],
    "SparseSoftmaxCrossEntropyWithLogits": [(
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0], logits=x),
        [r(2, 3)])],
    "SoftmaxCrossEntropyWithLogits": [(
        lambda x, y: tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x),
        [r(2, 3), pos(2, 3)])],
    "L2Loss": [(tf.nn.l2_loss, [r(2, 3)])],
    "BiasAdd": [(tf.nn.bias_add, [r(2, 2, 3), r(3)])],
    "BroadcastTo": [(lambda x: tf.broadcast_to(x, [2, 3]), [r(3)])],
    "SumToShape": [(lambda x: manip_ops._sum_to_shape.apply([x, tf.constant([1, 3])]),
                    [r(2, 2, 3)])],
    "ReductionGrad": [
        (lambda g, x, m=m, b=b: reduction_ops._spread_op.apply(
            [g, x], axis=(1,), keepdims=False, mean=m, broadcast=b), [r(2), r(2, 3)])
        for m, b in ((False, True), (True, True), (False, False))],
    "UnsortedSegmentSum": [(lambda x: tf.math.unsorted_segment_sum(x, IDS, 6), [r(2, 2, 3)])],
}


def backward(forward, wrt=0):
    """(inputs..., g) -> the gradient of forward(inputs) by input `wrt` with grad_ys g: the
    gradient helper op of `forward`, whose own gradient the cases below check."""
    def build(*args):
        *xs, g = args
        return tf.gradients(forward(*xs), xs[wrt], grad_ys=g)[0]
    return build


def unknown(x):
    """x with an unknown static shape (so gradients take their dynamic-shape path)."""
    return tf.placeholder_with_default(x, [None] * len(x.shape))


# The gradient helper ops: each one's gradient makes second derivatives work.
CASES.update({
    "StridedSliceGrad": [(backward(lambda x: x[1:, ::2]), [r(3, 4), r(2, 2)])],
    "SliceGrad": [(backward(lambda x: tf.slice(x, [0, 1], [2, 2])), [r(3, 4), r(2, 2)])],
    "PadGrad": [(backward(lambda x: tf.pad(x, [[1, 0], [0, 2]], constant_values=3.0)),
                 [r(2, 3), r(3, 5)]),
                (backward(lambda x: tf.pad(x, [[1, 1], [2, 0]], mode="REFLECT")),
                 [r(3, 3), r(5, 5)]),
                (backward(lambda x: tf.pad(x, [[2, 1], [0, 1]], mode="SYMMETRIC")),
                 [r(2, 3), r(5, 4)])],
    "TileGrad": [(backward(lambda x: tf.tile(x, [2, 3])), [r(2, 3), r(4, 9)])],
    "GatherGrad": [(backward(lambda x: tf.gather(x, IDS[:, :1] % 3, axis=1)),
                    [r(2, 3), r(2, 2, 1)])],
    "ConcatGrad": [(lambda a, b, g: tf.concat([t * w for t, w in zip(tf.gradients(
        tf.concat([unknown(a), unknown(b)], 1), [a, b], grad_ys=g), (2.0, 3.0))], 1),
        [r(2, 3), r(2, 2), r(2, 5)])],
    "ProdGrad": [(backward(lambda x: tf.reduce_prod(x, 1)), [spaced(2, 3), r(2)]),
                 (backward(lambda x: tf.reduce_prod(x, [0, 2], keepdims=True)),
                  [spaced(2, 3, 2), r(1, 3, 1)]),
                 (backward(tf.reduce_prod), [spaced(2, 2), r()])],
})
# issue 17, item 3: array ops
CASES.update({
    "TopKV2": [(lambda x: tf.nn.top_k(x, 2)[0], [spaced(2, 4)]),
               (lambda x: tf.sort(x, axis=0, direction="DESCENDING"), [spaced(3, 2)])],
    "ReverseV2": [(lambda x: tf.reverse(x, [1]), [r(2, 3)])],
    "Roll": [(lambda x: tf.roll(x, [1, -1], [0, 1]), [r(2, 3)])],
    "SelectV2": [(lambda a, b: tf.where_v2(COND[0], a, b), [r(2, 3), r(1, 3)])],
    "GatherNd": [(lambda x: tf.gather_nd(x, [[2, 1], [0, 0], [2, 1]]), [r(3, 2)]),
                 (lambda x: tf.gather_nd(x, [[1], [1]]), [r(3, 2)])],
    "ScatterNd": [(lambda u: tf.scatter_nd([[1], [3], [1]], u, [5, 2]), [r(3, 2)])],
    "TensorScatterUpdate": [(lambda t, u: tf.tensor_scatter_update(t, [[0, 1], [2, 0]], u),
                             [r(3, 2), r(2)])],
    "TensorScatterAdd": [(lambda t, u: tf.tensor_scatter_nd_add(t, [[1], [1]], u),
                          [r(3, 2), r(2, 2)])],
    "TensorScatterSub": [(lambda t, u: tf.tensor_scatter_nd_sub(t, [[2, 1]], u), [r(3, 2), r(1)])],
    "MatrixBandPart": [(lambda x: tf.matrix_band_part(x, 1, 0), [r(2, 3, 4)]),
                       (tf.trace, [r(3, 3)])],
    "MatrixDiag": [(tf.matrix_diag, [r(2, 3)])],
    "MatrixSetDiag": [(tf.matrix_set_diag, [r(2, 3, 4), r(2, 3)])],
    "Einsum": [(lambda a, b: tf.einsum("ij,jk->ik", a, b), [r(2, 3), r(3, 4)]),
               (lambda a, b: tf.einsum("ij,jk->i", a, b), [r(2, 3), r(3, 4)]),
               (lambda a, b: tf.einsum("...ij,...jk", a, b), [r(2, 2, 3), r(2, 3, 2)]),
               (lambda a, b: tf.tensordot(a, b, [[0], [1]]), [r(3, 2), r(2, 3)])],
    "EnsureShape": [(lambda x: tf.ensure_shape(x, [2, None]), [r(2, 3)])],
    "SpaceToDepth": [(lambda x: tf.space_to_depth(x, 2), [r(1, 2, 4, 2)])],
    "DepthToSpace": [(lambda x: tf.depth_to_space(x, 2), [r(1, 1, 2, 8)])],
    "DynamicPartition": [(lambda x: tf.reshape(tf.dynamic_partition(x, [1, 0, 1], 2)[1],
                                               [2, 2]), [r(3, 2)])],  # (TF's shape is [?, 2])
    "DynamicStitch": [(lambda a, b: tf.dynamic_stitch([[0, 3], [1, 2]], [a, b]),
                       [r(2, 2), r(2, 2)])],
    "ReverseSequence": [(lambda x: tf.reverse_sequence(x, [1, 3, 2], 1), [r(3, 4)]),
                        (lambda x: tf.reverse_sequence(x, [2, 1], 0, 1), [r(3, 2)])],
})
def wc(*shape):
    """Well-conditioned square matrices: random ones plus 3 on the diagonal."""
    return r(*shape) + 3 * np.eye(shape[-1])


def spd(x):
    """A symmetric positive definite matrix made from x (Cholesky and eigh read one triangle:
    the finite differences must move both)."""
    return tf.matmul(x, x, transpose_b=True) + 3 * np.eye(x.shape[-1])


# issue 17: linear algebra
CASES.update({
    "BatchMatMulV2": [(tf.matmul, [r(2, 1, 2, 3), r(4, 3, 2)]),
                      (lambda a, b: tf.matmul(a, b, adjoint_a=True, transpose_b=True),
                       [r(2, 3, 2), r(4, 3)]),
                      (lambda a, b: tf.matmul(a, b, transpose_a=True), [r(3, 2), r(2, 3, 4)]),
                      (lambda a, b: tf.matmul(a, b, adjoint_b=True), [r(2, 2, 3), r(1, 4, 3)])],
    "MatrixInverse": [(tf.matrix_inverse, [wc(2, 3, 3)]),
                      (lambda x: tf.matrix_inverse(x, adjoint=True), [wc(3, 3)])],
    "MatrixDeterminant": [(tf.matrix_determinant, [wc(2, 3, 3)])],
    "LogMatrixDeterminant": [(lambda x: tf.linalg.slogdet(x)[1], [wc(2, 3, 3) - 6 * np.eye(3)])],
    "MatrixSolve": [(tf.matrix_solve, [wc(2, 3, 3), r(2, 3, 2)]),
                    (lambda a, b: tf.matrix_solve(a, b, adjoint=True), [wc(3, 3), r(3, 1)])],
    "MatrixTriangularSolve": [
        (tf.matrix_triangular_solve, [wc(2, 3, 3), r(3, 2)]),
        (lambda a, b: tf.matrix_triangular_solve(a, b, lower=False, adjoint=True),
         [wc(3, 3), r(2, 3, 2)])],
    "Cholesky": [(lambda x: tf.cholesky(spd(x)), [r(2, 3, 3)])],
    "SelfAdjointEigV2": [(lambda x: tf.self_adjoint_eig(spd(x))[1], [r(3, 3)]),
                         (lambda x: tf.self_adjoint_eigvals(spd(x)), [r(2, 3, 3)])],
    "Svd": [(lambda x: tf.svd(x)[i], [r(*shape)]) for i in range(3)
            for shape in ((2, 3), (2, 4, 3), (3, 3))] + [
        (lambda x: tf.svd(x, compute_uv=False), [r(3, 2)])],
    "MatrixExponential": [(tf.linalg.expm, [r(2, 3, 3)])],
    "MatrixSquareRoot": [(lambda x: tf.linalg.sqrtm(spd(x)), [r(2, 3, 3)])],
    "Qr": [(lambda x: tf.qr(x)[i], [r(*shape)]) for i in range(2)
           for shape in ((3, 3), (2, 4, 3), (2, 3))],
})
# issue 17, item 1: element-wise math
A3 = np.array([1.5, 2.0, 3.0])


def cpx(part):
    """(x, y) -> part(complex(x, y)): a complex op between real inputs and a real output."""
    return lambda x, y: part(tf.complex(x, y))


CASES.update({
    "Sin": [(tf.sin, [r(2, 3)])], "Cos": [(tf.cos, [r(2, 3)])], "Tan": [(tf.tan, [r(2, 3)])],
    "Asin": [(tf.asin, [r(2, 3) * 0.9])], "Acos": [(tf.acos, [r(2, 3) * 0.9])],
    "Atan": [(tf.atan, [r(2, 3) * 3])], "Sinh": [(tf.sinh, [r(2, 3)])],
    "Cosh": [(tf.cosh, [r(2, 3)])], "Asinh": [(tf.asinh, [r(2, 3) * 3])],
    "Acosh": [(tf.acosh, [pos(2, 3) + 1.0])], "Atanh": [(tf.atanh, [r(2, 3) * 0.9])],
    "Expm1": [(tf.expm1, [r(2, 3)])], "Rint": [(tf.rint, [spaced(2, 3)])],
    "Atan2": [(tf.atan2, [r(2, 3), r(3)]), (tf.atan2, [r(3), pos(2, 3)])],
    "TruncateDiv": [(tf.truncatediv, [spaced(2, 3), pos(3) + 0.5])],
    "Xlogy": [(tf.math.xlogy, [r(2, 3), pos(3)])],
    "Xdivy": [(tf.math.xdivy, [r(2, 3), pos(3)])],
    "DivNoNan": [(tf.div_no_nan, [r(2, 3), pos(3)])],
    "MulNoNan": [(tf.math.multiply_no_nan, [r(2, 3), pos(3)])],
    "Softsign": [(tf.math.softsign, [spaced(2, 3)])],
    "Erf": [(tf.erf, [r(2, 3)])], "Erfc": [(tf.erfc, [r(2, 3)])],
    "Erfinv": [(tf.math.erfinv, [r(2, 3) * 0.9])],
    "Ndtri": [(tf.math.ndtri, [r(2, 3, low=0.1, high=0.9)])],
    "Lgamma": [(tf.lgamma, [pos(2, 3)])], "Digamma": [(tf.digamma, [pos(2, 3)])],
    "BesselI0e": [(tf.math.bessel_i0e, [r(2, 3) * 2])],
    "BesselI1e": [(tf.math.bessel_i1e, [r(2, 3) * 2])],
    "BesselI0": [(tf.math.bessel_i0, [r(2, 3) * 2])],
    "BesselI1": [(tf.math.bessel_i1, [r(2, 3) * 2])],
    "Xlog1py": [(tf.math.xlog1py, [r(2, 3), pos(3)])],
    "Igamma": [(lambda x: tf.igamma(A3, x), [pos(2, 3)])],  # (by a: test_elementwise_ops)
    "Igammac": [(lambda x: tf.igammac(A3, x), [pos(2, 3)])],
    "Zeta": [(lambda q: tf.zeta(A3 + 0.5, q), [pos(2, 3)])],
    "Polygamma": [(lambda x: tf.polygamma(A3.round() - 1, x), [pos(2, 3)])],
    "Betainc": [(lambda x: tf.betainc(np.full((2, 3), 1.5), np.full((2, 3), 2.5), x),
                 [r(2, 3, low=0.1, high=0.9)]),
                (lambda x: tf.betainc(np.full((2, 3), 1.5), 2.5, x), [r(low=0.2, high=0.8)])],
    "Complex": [(lambda x, y: tf.real(tf.complex(x, y)) * 2.0 + tf.imag(tf.complex(x, y)),
                 [r(2, 3), r(3)])],
    "Real": [(cpx(tf.real), [r(2, 3), r(2, 3)])], "Imag": [(cpx(tf.imag), [r(2, 3), r(2, 3)])],
    "Angle": [(cpx(tf.angle), [r(2, 3), pos(2, 3)])],
    "Conj": [(cpx(lambda z: tf.imag(tf.conj(z))), [r(2, 3), r(2, 3)])],
})
# issue 17, item 2: reductions, scans, segments; a reduction axis computed at run time
def run_time_axis(*axes):
    return tf.placeholder_with_default(np.array(axes, np.int32), [len(axes)])


def shaped(builder, shape):
    """builder's output with its static shape set (run-time axes and segment counts leave it
    unknown; the eager comparison needs it)."""
    return lambda *xs: tf.reshape(builder(*xs), shape)


SEG, SPARSE_IDX, SPARSE_SEG = np.array([0, 0, 2]), np.array([2, 0, 2, 1]), [0, 0, 1, 3]
for _type, _fn, _x in (("Sum", tf.reduce_sum, r(2, 3, 4)), ("Mean", tf.reduce_mean, r(2, 3, 4)),
                       ("Max", tf.reduce_max, spaced(2, 3, 4)), ("Prod", tf.reduce_prod, r(2, 3)),
                       ("EuclideanNorm", tf.math.reduce_euclidean_norm, r(2, 3, 4))):
    _rest = list(_x.shape[1:-1])
    CASES.setdefault(_type, []).extend([
        (shaped(lambda x, _fn=_fn: _fn(x, run_time_axis(0, -1)), _rest), [_x]),
        (shaped(lambda x, _fn=_fn: _fn(x, run_time_axis(1), keepdims=True),
                [_x.shape[0], 1, *_x.shape[2:]]), [_x])])
CASES["EuclideanNorm"].append((lambda x: tf.math.reduce_euclidean_norm(x, 1), [r(2, 3)]))
CASES["ProdGrad"].append((backward(lambda x: tf.reduce_prod(x, run_time_axis(1))),
                          [spaced(2, 3), r(2)]))
CASES.update({
    "Cumsum": [(lambda x: tf.cumsum(x, 1, exclusive=True), [r(2, 3)]),
               (lambda x: tf.cumsum(x, -1, reverse=True), [r(2, 3)])],
    "Cumprod": [(lambda x: tf.cumprod(x, 0, reverse=True), [pos(3, 2)]),
                (lambda x: tf.cumprod(x, 1, exclusive=True), [pos(2, 3)])],
    "CumulativeLogsumexp": [
        (lambda x: tf.math.cumulative_logsumexp(x, 1), [r(2, 3)]),
        (lambda x: tf.math.cumulative_logsumexp(x, 0, exclusive=True, reverse=True)[:2],
         [r(3, 2)])],
    "SegmentSum": [(shaped(lambda x: tf.segment_sum(x, SEG), [3, 2]), [r(3, 2)])],
    "SegmentMean": [(shaped(lambda x: tf.segment_mean(x, SEG), [3, 2]), [r(3, 2)])],
    "SegmentMax": [(shaped(lambda x: tf.segment_max(x, SEG), [3, 2]), [spaced(3, 2)])],
    "SegmentMin": [(shaped(lambda x: tf.segment_min(x, SEG), [3, 2]), [spaced(3, 2)])],
    "SegmentProd": [(shaped(lambda x: tf.segment_prod(x, SEG), [3, 2]), [r(3, 2)])],
    "UnsortedSegmentMax": [(lambda x: tf.unsorted_segment_max(x, IDS % 3, 2),
                            [spaced(2, 2, 3)])],
    "UnsortedSegmentMin": [(lambda x: tf.unsorted_segment_min(x, IDS % 3, 2),
                            [spaced(2, 2, 3)])],
    "UnsortedSegmentProd": [(lambda x: tf.unsorted_segment_prod(x, IDS, 5), [r(2, 2, 3)])],
    "SparseSegmentSum": [(shaped(lambda x: tf.sparse_segment_sum(
        x, SPARSE_IDX, SPARSE_SEG), [4, 2]), [r(3, 2)])],
    "SparseSegmentMean": [(shaped(lambda x: tf.sparse_segment_mean(
        x, SPARSE_IDX, SPARSE_SEG), [4, 2]), [r(3, 2)])],
    "SparseSegmentSqrtN": [(shaped(lambda x: tf.sparse_segment_sqrt_n(
        x, SPARSE_IDX, SPARSE_SEG), [4, 2]), [r(3, 2)])],
})
# Checked in their own tests: a variable read (tests/test_gradients.py); the fused gradients of
# embedding_lookup over parts, whose own gradient is a LookupError (tests/test_gradients_api.py).
ELSEWHERE = {"ReadVariableOp", "EmbeddingLookupGrad", "ClipEmbeddingsByNormGrad",
             "IgammaGradA"}  # (igamma's gradient by a, whose own gradient raises too)
# each op family's own cases (tests/cases_*.py, merged by tests/opcases.py)
opcases.merged("CASES", CASES)
opcases.merged("GRAD_ELSEWHERE", ELSEWHERE)


def test_every_differentiable_op_has_a_gradient_and_a_case():
    differentiable = {t for t, opdef in REGISTRY.items()
                      if opdef.differentiable and not t.startswith("Test")}  # (tests' own)
    assert differentiable - set(CASES) - ELSEWHERE == set()
    assert [t for t in differentiable if REGISTRY[t].grad_fn is None] == []


def _loss_and_grads(builder, values):
    xs = [tf.placeholder(tf.float64, np.shape(v)) for v in values]
    y = tf.convert_to_tensor(builder(*xs))
    with tf.Session() as sess:
        y_shape = sess.run(y, dict(zip(xs, values))).shape
    weights = tf.constant(RNG.uniform(0.5, 1.5, y_shape))  # a direction, to see every output
    loss = tf.reduce_sum(y * weights)
    grads = [tf.zeros_like(x) if g is None else tf.convert_to_tensor(g)
             for x, g in zip(xs, tf.gradients(loss, xs))]
    return xs, loss, grads


def _numeric(sess, loss, xs, values, eps=1e-6):
    out = []
    for i, v in enumerate(values):
        g = np.zeros(np.shape(v))
        for j in np.ndindex(*np.shape(v)):
            up, down = [np.array(w, np.float64) for w in values], [np.array(w, np.float64)
                                                                    for w in values]
            up[i][j] += eps
            down[i][j] -= eps
            g[j] = (sess.run(loss, dict(zip(xs, up))) - sess.run(loss, dict(zip(xs, down)))) / (
                2 * eps)
        out.append(g)
    return out


@pytest.mark.parametrize("op_type, case", [(t, c) for t, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_gradient_matches_finite_differences(op_type, case):
    builder, values, *tol = case
    xs, loss, grads = _loss_and_grads(builder, values)
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert op_type in types
    with tf.Session() as sess:
        analytic = sess.run(grads, dict(zip(xs, values)))
        numeric = _numeric(sess, loss, xs, values, eps=1e-3 if tol else 1e-6)
    for a, n in zip(analytic, numeric):
        np.testing.assert_allclose(a, n, rtol=tol[0] if tol else 1e-6,
                                   atol=tol[0] if tol else 1e-6)


def gradient_of(builder):
    """x -> d/dx sum(builder(x) ** 2): a first derivative, whose gradient is a second one."""
    return lambda x: tf.gradients(tf.reduce_sum(tf.square(builder(x))), x)[0]


# Second derivatives through the gradients TF builds from differentiable ops (issue 14).
SECOND_ORDER = {
    "Prod": [(lambda x: tf.reduce_prod(x, 1), [spaced(2, 3)]),
             (lambda x: tf.reduce_prod(x, [0, 2]), [spaced(2, 3, 2)])],
    "StridedSlice": [(lambda x: x[1:, ::2], [r(3, 4)])],
    "Slice": [(lambda x: tf.slice(x, [0, 1], [2, 2]), [r(3, 4)])],
    "Pad": [(lambda x: tf.pad(x, [[1, 0], [0, 2]]), [r(2, 3)]),
            (lambda x: tf.pad(x, [[1, 1], [2, 0]], mode="REFLECT"), [r(3, 3)])],
    "Tile": [(lambda x: tf.tile(x, [2, 1]), [r(2, 3)])],
    "GatherV2": [(lambda x: tf.gather(x, IDS[:, :1] % 3, axis=1), [r(2, 3)])],
    "ConcatV2": [(lambda x: tf.concat([unknown(x), unknown(x) * 2.0], 0), [r(2, 3)])],
    "Max": [(lambda x: tf.reduce_max(x, 1, keepdims=True) * x, [spaced(2, 3)])],
}


@pytest.mark.parametrize("op_type, case",
                         [(t, c) for t, cases in SECOND_ORDER.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_second_derivative_matches_finite_differences(op_type, case):
    builder, values = case
    test_gradient_matches_finite_differences(op_type, (gradient_of(builder), values))
