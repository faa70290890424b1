"""Guard-test cases of tf.nn's remaining ops: max_pool_with_argmax (minitf/ops/pool_argmax_ops.py)
and the aliases and composites of minitf/ops/nn_extra_ops.py."""
from test_gradient_check import r, spaced

import minitf as tf
from minitf.ops import fractional_pool_ops, morphology_ops, pool_argmax_ops

X = spaced(2, 3, 5, 2)
DY = r(2, 3, 3, 2)
ATTRS = dict(ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="SAME")


def _grad_with_argmax(g):
    """MaxPoolGradWithArgmax in its `grad` input (TF gives it no gradient: a LookupError)."""
    x = tf.constant(X)
    argmax = tf.nn.max_pool_with_argmax(x, **ATTRS).argmax
    return pool_argmax_ops._max_pool_grad_with_argmax.apply(
        [x, g, argmax], **ATTRS, include_batch_in_index=False, Targmax=tf.int64)


CASES = {
    "MaxPoolWithArgmax": [
        (lambda x: tf.nn.max_pool_with_argmax(x, **ATTRS).output, [spaced(2, 3, 5, 2)]),
        (lambda x: tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID",
                                              include_batch_in_index=True)[0],
         [spaced(2, 4, 4, 1)])],
}
# its gradient has no gradient in TF; the LookupError is tested in tests/test_pool_argmax.py
GRAD_ELSEWHERE = {"MaxPoolGradWithArgmax"}
STATELESS = {"MaxPoolGradWithArgmax": lambda: _grad_with_argmax(tf.constant(DY))}
NOT_TWICE = {("MaxPoolWithArgmax", 0): LookupError, ("MaxPoolWithArgmax", 1): LookupError}

# tf.conv and the V2 backprops: TF gives them no gradient (the LookupErrors are tested in
# tests/test_nn_extra_ops.py); they run eagerly as in a graph
CX, CW, CDY = r(2, 5, 4, 3), r(3, 2, 3, 2), r(2, 3, 4, 2)
GRAD_ELSEWHERE |= {"Conv", "Conv2DBackpropFilterV2", "Conv2DBackpropInputV2"}
STATELESS.update({
    "Conv": lambda: tf.conv(tf.constant(CX[None]), tf.constant(CW), [1, 2, 1, 1], "SAME",
                            batch_dims=2),
    "Conv2DBackpropFilterV2": lambda: tf.conv2d_backprop_filter_v2(
        tf.constant(CX), tf.constant(CW), tf.constant(CDY), [1, 2, 1, 1], "SAME"),
    "Conv2DBackpropInputV2": lambda: tf.conv2d_backprop_input_v2(
        tf.constant(CX), tf.constant(CW), tf.constant(CDY), [1, 2, 1, 1], "SAME"),
})

# dilation2d: its two gradient ops have no gradient in TF (tested in test_morphology_ops.py)
DX, DK, DDY = spaced(2, 4, 3, 2), 0.01 * spaced(2, 2, 2), r(2, 2, 3, 2)
DATTRS = dict(strides=[1, 2, 1, 1], rates=[1, 1, 2, 1], padding="SAME")
CASES["Dilation2D"] = [
    (lambda x, k: tf.nn.dilation2d(x, k, **DATTRS), [DX, DK]),
    (lambda x, k: tf.nn.erosion2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
     [spaced(1, 3, 4, 1), 0.01 * spaced(2, 2, 1)])]
GRAD_ELSEWHERE |= {"Dilation2DBackpropInput", "Dilation2DBackpropFilter"}
STATELESS.update({
    t: (lambda opdef: lambda: opdef.apply([tf.constant(DX), tf.constant(DK), tf.constant(DDY)],
                                          **DATTRS))(opdef)
    for t, opdef in (("Dilation2DBackpropInput", morphology_ops._dilation2d_backprop_input),
                     ("Dilation2DBackpropFilter", morphology_ops._dilation2d_backprop_filter))})
NOT_TWICE.update({("Dilation2D", 0): LookupError, ("Dilation2D", 1): LookupError})

# fractional pooling, seeded and deterministic so every run pools the same regions; the two
# gradient ops have no gradient in TF (tested in test_fractional_pool_ops.py)
FRACTIONAL = dict(seed=4, seed2=6, deterministic=True)
FX = spaced(2, 7, 6, 2)


def _fractional_grad(opdef, first):
    def build(g):
        x = tf.constant(FX)
        out, rows, cols = tf.nn.fractional_max_pool(x, [1, 1.6, 1.9, 1], **FRACTIONAL)
        inputs = [x, out, g, rows, cols] if first == "x" else [tf.constant([2, 7, 6, 2],
                                                                           tf.int64), g, rows,
                                                                 cols]
        return opdef.apply(inputs, overlapping=False)
    return build


CASES["FractionalMaxPool"] = [
    (lambda x: tf.nn.fractional_max_pool(x, [1, 1.6, 1.9, 1], **FRACTIONAL)[0], [FX]),
    (lambda x: tf.nn.fractional_max_pool(x, [1, 1.4, 1.5, 1], pseudo_random=True,
                                         overlapping=True, **FRACTIONAL).output,
     [spaced(1, 5, 4, 1)])]
CASES["FractionalAvgPool"] = [
    (lambda x: tf.nn.fractional_avg_pool(x, [1, 1.6, 1.9, 1], **FRACTIONAL)[0], [r(2, 7, 6, 2)]),
    (lambda x: tf.nn.fractional_avg_pool(x, [1, 2.2, 1.3, 1], pseudo_random=True,
                                         overlapping=True, **FRACTIONAL).output,
     [r(1, 5, 4, 1)])]
GRAD_ELSEWHERE |= {"FractionalMaxPoolGrad", "FractionalAvgPoolGrad"}
STATELESS.update({
    "FractionalMaxPoolGrad": lambda: _fractional_grad(
        fractional_pool_ops._fractional_max_pool_grad, "x")(tf.constant(DY4)),
    "FractionalAvgPoolGrad": lambda: _fractional_grad(
        fractional_pool_ops._fractional_avg_pool_grad, "shape")(tf.constant(DY4)),
})
DY4 = r(2, 4, 3, 2)
NOT_TWICE.update({(t, i): LookupError for t in ("FractionalMaxPool", "FractionalAvgPool")
                  for i in (0, 1)})
