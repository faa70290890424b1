"""Stochastic dual coordinate ascent for linear models (TF1's `tf.train.sdca_*` ops).

`sdca_optimizer` (SdcaOptimizer) makes one pass of SDCA over a mini-batch: for each example
visited it moves the example's dual variable to the optimum of its loss's dual, keeping the
others fixed, and adds the matching change to the weights' deltas. The examples are visited one
after another (each update sees the earlier ones), which is the algorithm, so the kernel loops
over them; the work for one example is vectorised. `sdca_shrink_l1` (SdcaShrinkL1) applies
the L1 proximal step to variables in place, and `sdca_fprint` (SdcaFprint) gives example ids
their 128-bit FarmHash fingerprints.

Order of the visits: with `adaptative=False` TF visits the examples in a random order (a fresh
`std::random_device` shuffle each run); minitf visits them in order, one of TF's orders. With
`adaptative=True` (the default) TF samples the examples by their duality gaps with random
acceptance; minitf samples the same way from NumPy's random generator, so that mode is random in
both (for one example, or examples with disjoint features, the result is fixed).
"""
import collections
import math

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._farmhash128 import fingerprint128
from minitf.ops._sdca_losses import LOSSES
from minitf.ops._shared import fmt

__all__ = ["sdca_optimizer", "sdca_shrink_l1", "sdca_fprint"]

SdcaOptimizer = collections.namedtuple("SdcaOptimizer", [
    "out_example_state_data", "out_delta_sparse_weights", "out_delta_dense_weights"])


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _shrink(w, shrinkage):
    # the L1 proximal step sign(w) * max(|w| - l1/l2, 0), in w's precision
    return np.sign(w) * np.maximum(np.abs(w) - w.dtype.type(shrinkage), 0)


# -- the examples ----------------------------------------------------------------------------------
def _sparse_groups(example_ids, feature_ids, values, index_lists, n):
    """Per group: for each example, (positions in the group's weights, feature values)."""
    groups = []
    for i, (ex, feat) in enumerate(zip(example_ids, feature_ids)):
        ex, feat = ex.reshape(-1), feat.reshape(-1)
        if ex.size != feat.size:
            raise _invalid(f"Found mismatched example_indices and feature_indices [{ex}] vs "
                           f"[{feat}]")
        where = {int(k): j for j, k in enumerate(index_lists[i].reshape(-1))}
        vals = values[i].reshape(-1).astype(np.float64) if i < len(values) else None
        # TF reads each example's run of entries from where the last one ended: example ids
        # must be sorted, entries out of order are passed over
        per_example, end = [], 0
        for e in range(n):
            start = end
            while end < ex.size and ex[end] == e:
                end += 1
            ids = feat[start:end]
            bad = [int(k) for k in ids if int(k) not in where]
            if bad:
                raise _invalid(f"Found sparse feature indices out of valid range: {bad[0]}")
            if len(set(ids.tolist())) != ids.size:
                raise _invalid("Duplicate index in sparse vector.")
            pos = np.array([where[int(k)] for k in ids], np.int64)
            per_example.append((pos, np.ones(pos.size) if vals is None else vals[start:end]))
        groups.append(per_example)
    return groups


def _squared_norms(sparse, dense, n):
    norms = np.zeros(n)
    for group in sparse:
        norms += [np.sum(v * v) for _, v in group]
    for x in dense:  # (a float32 sum per group, as TF's)
        norms += np.sum(x * x, axis=1, dtype=np.float32)
    return norms


class _Model:
    """The weights (nominal, float32) and their deltas, and an example's dot products."""

    def __init__(self, sparse_w, dense_w, partitions, shrinkage):
        self.sparse_w = [w.reshape(-1).astype(np.float32) for w in sparse_w]
        self.dense_w = [w.reshape(-1).astype(np.float32) for w in dense_w]
        self.sparse_d = [np.zeros_like(w) for w in self.sparse_w]
        self.dense_d = [np.zeros_like(w) for w in self.dense_w]
        self.partitions, self.shrinkage = partitions, shrinkage

    def wx(self, e, sparse, dense):
        """(w.x, nominal w.x) of example e, with the L1 shrinkage applied to the weights."""
        wx = prev = 0.0
        p = self.partitions
        for group, w, d in zip(sparse, self.sparse_w, self.sparse_d):
            pos, vals = group[e]
            now = w[pos] + d[pos] * np.float32(p)
            prev += float(np.sum(vals * _shrink(w[pos].astype(np.float64), self.shrinkage)))
            wx += float(np.sum(vals * _shrink(now.astype(np.float64), self.shrinkage)))
        for x, w, d in zip(dense, self.dense_w, self.dense_d):
            cols = x.shape[1]
            row = x[e]
            prev += float(np.sum(row * _shrink(w[:cols], self.shrinkage), dtype=np.float32))
            now = w[:cols] + d[:cols] * np.float32(p)
            wx += float(np.sum(row * _shrink(now, self.shrinkage), dtype=np.float32))
        return wx, prev

    def update(self, e, sparse, dense, step):
        for group, d in zip(sparse, self.sparse_d):
            pos, vals = group[e]
            d[pos] = (d[pos] + vals * step).astype(np.float32)
        for x, d in zip(dense, self.dense_d):
            d[:x.shape[1]] += x[e] * np.float32(step)


def _adaptive_order(model, loss, labels, weights, norms, state, l2, sparse, dense):
    """TF's adaptive sampling: examples drawn by duality gap, a repeat kept with probability
    0.1**times drawn, at most n rejections; slots left unfilled visit example 0 (TF's)."""
    n = labels.size
    probs = np.empty(n)
    for e in range(n):
        label = loss.convert(labels[e], check=False)
        kappa = state[e, 0] + loss.derivative(model.wx(e, sparse, dense)[0], label, 1.0)
        probs[e] = weights[e] * math.sqrt(norms[e] + l2 * loss.smoothness) * abs(kappa)
    total = probs.sum()
    probs = probs / total if total > 0 else np.full(n, 1.0 / n)
    rng = np.random.default_rng()
    order, count, retries = np.zeros(n, np.int64), np.zeros(n, np.int64), 0
    filled = 0
    while filled < n and retries < n:
        pick = rng.choice(n, p=probs)
        if rng.random() > 0.1 ** count[pick]:
            retries += 1
            continue
        count[pick] += 1
        order[filled] = pick
        filled += 1
    return order


# -- SdcaOptimizer ---------------------------------------------------------------------------------
def _sdca_shapes(*inputs, num_sparse_features, num_sparse_features_with_values,
                 num_dense_features, **attrs):
    ns, nd = num_sparse_features, num_dense_features
    start = 3 * ns + num_sparse_features_with_values + nd + 2  # (see the kernel's order)
    sparse_w, dense_w = inputs[start:start + ns], inputs[start + ns:start + ns + nd]
    return [(None, 4)] + [t._shape for t in sparse_w] + [t._shape for t in dense_w]


def _sdca_dtypes(*inputs, num_sparse_features, num_dense_features, **attrs):
    return [dtypes.float32] * (1 + num_sparse_features + num_dense_features)


@register_op("SdcaOptimizer", shape=_sdca_shapes, dtype=_sdca_dtypes, outputs="n",
             differentiable=False)
def _sdca_optimizer(*inputs, loss_type, adaptative, num_sparse_features,
                    num_sparse_features_with_values, num_dense_features, l1, l2,
                    num_loss_partitions, num_inner_iterations):
    loss = LOSSES.get(loss_type)
    if loss is None:
        raise _invalid(f"Unsupported loss type: {loss_type}")
    ns, nv, nd = num_sparse_features, num_sparse_features_with_values, num_dense_features
    if ns + nd == 0:
        raise _invalid("Requires at least one feature to train.")
    pieces, at = [], 0
    for size in (ns, ns, nv, nd, 1, 1, ns, ns, nd, 1):
        pieces.append(inputs[at:at + size])
        at += size
    ex_ids, feat_ids, values, dense_x, (weights,), (labels,), indices, sparse_w, dense_w, \
        (state,) = pieces
    weights, labels = weights.reshape(-1), labels.reshape(-1)
    n = weights.size
    if labels.size != n:
        raise _invalid(f"Expected {n} example labels but got {labels.size}")
    for i, x in enumerate(dense_x):
        if x.ndim != 2:
            raise _invalid(f"Dense features at index {i} must be rank 2 but is rank {x.ndim}")
        if x.shape[1] > dense_w[i].size:
            raise _invalid(f"More dense features than we have parameters for: {x.shape[1]}")
    sparse = _sparse_groups(ex_ids, feat_ids, values, indices, n)
    norms = _squared_norms(sparse, dense_x, n)
    if state.ndim != 2:
        raise _invalid(f"example_state_data must be rank 2 but is rank {state.ndim}")
    if state.shape != (n, 4):
        raise _invalid(f"Expected shape [{n},4] for example_state_data, got "
                       f"[{','.join(map(str, state.shape))}]")
    l2 = np.float32(l2)
    model = _Model(sparse_w, dense_w, num_loss_partitions, float(np.float32(l1) / l2))
    state = state.astype(np.float32)  # (a copy: the input keeps its values)
    order = (_adaptive_order(model, loss, labels, weights, norms, state, float(l2), sparse,
                             dense_x) if adaptative else range(n))
    for e in order:
        dual, weight = float(state[e, 0]), float(weights[e])
        label = loss.convert(labels[e])
        wx, prev_wx = model.wx(e, sparse, dense_x)
        new_dual = loss.dual(num_loss_partitions, label, weight, dual, wx, norms[e] / l2)
        model.update(e, sparse, dense_x, (new_dual - dual) * weight / l2)
        state[e] = (new_dual, loss.primal(prev_wx, label, weight),
                    loss.dual_loss(dual, label, weight), weight)
    return [state] + [d.reshape(w.shape) for d, w in zip(model.sparse_d, sparse_w)] + [
        d.reshape(w.shape) for d, w in zip(model.dense_d, dense_w)]


def _float_list(values, name):
    return [convert_to_tensor(v, dtype=dtypes.float32, name=name) for v in values]


def _int_list(values, name):
    return [convert_to_tensor(v, dtype=dtypes.int64, name=name) for v in values]


def _same_length(name, values, other_name, others):
    if len(values) != len(others):
        raise ValueError(f"List argument '{name}' to 'sdca_optimizer' Op with length "
                         f"{len(values)} must match length {len(others)} of argument "
                         f"'{other_name}'.")


def sdca_optimizer(sparse_example_indices, sparse_feature_indices, sparse_feature_values,
                   dense_features, example_weights, example_labels, sparse_indices,
                   sparse_weights, dense_weights, example_state_data, loss_type, l1, l2,
                   num_loss_partitions, num_inner_iterations, adaptative=True, name=None):
    """One pass of stochastic dual coordinate ascent over a mini-batch of a linear model.

    Args:
      sparse_example_indices: per sparse feature group, an int64 vector: the example of each
        entry (sorted).
      sparse_feature_indices: per group, an int64 vector: the feature id of each entry.
      sparse_feature_values: per group (the first groups; the others have values 1), a float32
        vector: the value of each entry.
      dense_features: per dense group, a float32 matrix [examples, features].
      example_weights: float32 [examples].
      example_labels: float32 [examples]: 0 or 1 for the classification losses, >= 0 for
        poisson_loss.
      sparse_indices: per sparse group, an int64 vector: the feature ids of the group's
        weights.
      sparse_weights: per sparse group, a float32 vector of weights (one per id).
      dense_weights: per dense group, a float32 vector of weights.
      example_state_data: float32 [examples, 4]: dual, primal loss, dual loss, weight.
      loss_type: "logistic_loss", "squared_loss", "hinge_loss", "smooth_hinge_loss" or
        "poisson_loss".
      l1, l2: the L1 and L2 regularization strengths (floats).
      num_loss_partitions: the number of partitions of the global loss (int).
      num_inner_iterations: an int (TF's kernel does not use it).
      adaptative: sample the examples by duality gap (True) or visit each once (False).
      name: a name for the op.

    Returns:
      A namedtuple (out_example_state_data, out_delta_sparse_weights, out_delta_dense_weights):
      the new example state and the lists of weight deltas (to add to the weights).

    Raises:
      ValueError: an unknown `loss_type`, or list arguments of different lengths.
      minitf.errors.InvalidArgumentError (when run): a label the loss does not take, or inputs
        of the wrong shapes.
    """
    if loss_type not in LOSSES:
        raise ValueError(f"Attr 'loss_type' of 'SdcaOptimizer' Op passed string '{loss_type}' "
                         "not in: " + ", ".join(f'"{k}"' for k in LOSSES) + ".")
    _same_length("sparse_feature_indices", sparse_feature_indices, "sparse_example_indices",
                 sparse_example_indices)
    _same_length("sparse_indices", sparse_indices, "sparse_example_indices",
                 sparse_example_indices)
    _same_length("sparse_weights", sparse_weights, "sparse_example_indices",
                 sparse_example_indices)
    _same_length("dense_weights", dense_weights, "dense_features", dense_features)
    inputs = (_int_list(sparse_example_indices, "sparse_example_indices")
              + _int_list(sparse_feature_indices, "sparse_feature_indices")
              + _float_list(sparse_feature_values, "sparse_feature_values")
              + _float_list(dense_features, "dense_features")
              + _float_list([example_weights, example_labels], "example")
              + _int_list(sparse_indices, "sparse_indices")
              + _float_list(sparse_weights, "sparse_weights")
              + _float_list(dense_weights, "dense_weights")
              + _float_list([example_state_data], "example_state_data"))
    out = _sdca_optimizer.apply(
        inputs, name=name or "SdcaOptimizer", loss_type=loss_type, adaptative=bool(adaptative),
        num_sparse_features=len(sparse_example_indices),
        num_sparse_features_with_values=len(sparse_feature_values),
        num_dense_features=len(dense_features), l1=float(l1), l2=float(l2),
        num_loss_partitions=int(num_loss_partitions),
        num_inner_iterations=int(num_inner_iterations))
    ns = len(sparse_example_indices)
    return SdcaOptimizer(out[0], list(out[1:1 + ns]), list(out[1 + ns:]))


# -- SdcaShrinkL1 ----------------------------------------------------------------------------------
@register_op("SdcaShrinkL1", shape=None, outputs=0, stateful=True, ref_inputs="attr",
             differentiable=False)
def _sdca_shrink_l1(state, op, *weights, num_features, l1, l2, ref_inputs):
    shrinkage = np.float32(l1) / np.float32(l2)
    for t in op._inputs:
        holder = t._op
        if holder not in state:
            raise errors.FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {holder.name}")
        value = _shrink(state[holder].astype(np.float32), shrinkage)
        value.setflags(write=False)
        state[holder] = value


def sdca_shrink_l1(weights, l1, l2, name=None):
    """Applies the L1 proximal step `sign(w) * max(|w| - l1 / l2, 0)` to variables in place.

    Args:
      weights: a list of float32 (reference) Variables.
      l1, l2: the L1 and L2 regularization strengths (floats).
      name: a name for the op.

    Returns:
      The SdcaShrinkL1 op (it has no outputs).

    Raises:
      TypeError: a weight is not a variable.

    >>> w = tf.Variable([0.5, -0.05, -0.3])
    >>> shrink = tf.train.sdca_shrink_l1([w], l1=0.2, l2=2.0)
    >>> with tf.Session() as sess:
    ...     sess.run(w.initializer)
    ...     sess.run(shrink)
    ...     print(sess.run(w))
    [ 0.4        -0.         -0.20000002]
    """
    refs = []
    for w in weights:
        ref = getattr(w, "_variable", w)
        if not getattr(getattr(ref, "dtype", None), "_is_ref_dtype", False):
            raise TypeError("'SdcaShrinkL1' Op requires that input 'weights' be a mutable "
                            "tensor (e.g.: a tf.Variable)")
        refs.append(ref)
    return _sdca_shrink_l1.apply(refs, name=name or "SdcaShrinkL1", num_features=len(refs),
                                 l1=float(l1), l2=float(l2),
                                 ref_inputs=tuple(range(len(refs))))


# -- SdcaFprint ------------------------------------------------------------------------------------
def _fprint_shape(x):
    if x._shape is not None and len(x._shape) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(x._shape)} for 'SdcaFprint' "
                         f"with input shapes: {fmt(x._shape)}.")
    return (None if x._shape is None else x._shape[0], 2)


@register_op("SdcaFprint", shape=_fprint_shape, dtype=lambda x: dtypes.int64,
             differentiable=False)
def _sdca_fprint(x):
    if x.ndim != 1:
        raise _invalid(f"Input must be a vector, got shape [{','.join(map(str, x.shape))}]")
    out = np.empty((x.size, 2), np.uint64)
    words = [s if isinstance(s, bytes) else str(s).encode() for s in x.tolist()]
    for length in {len(w) for w in words}:  # the hash is vectorised over one length
        rows = [i for i, w in enumerate(words) if len(w) == length]
        data = np.frombuffer(b"".join(words[i] for i in rows), np.uint8).reshape(
            len(rows), length)
        out[rows] = np.stack(fingerprint128(data), axis=1)
    # TF never gives 0 or 1 as the first half (they mark empty slots of hash tables)
    low = out[:, 0]
    out[:, 0] = np.where(low >= 2, low, low + ~np.uint64(1))
    return out.view(np.int64)


def sdca_fprint(input, name=None):
    """Returns the 128-bit fingerprints of strings (FarmHash's Fingerprint128), as int64 pairs.

    Args:
      input: a string vector (example ids).
      name: a name for the op.

    Returns:
      An int64 Tensor [n, 2]: the low and the high 64 bits of each fingerprint.

    Raises:
      ValueError: `input` is not a vector.
    """
    return _sdca_fprint.apply([convert_to_tensor(input, dtype=dtypes.string)],
                              name=name or "SdcaFprint")
