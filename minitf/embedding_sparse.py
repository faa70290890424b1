"""Embedding lookups of SparseTensors of ids (`tf.nn.embedding_lookup_sparse`,
`tf.nn.safe_embedding_lookup_sparse`): each row of ids looks up its embeddings and combines them
by sum, mean or sqrt-n, as TF1 builds them from embedding_lookup and segment ops.

The ids are made unique and looked up once (minitf/partitioned.py's embedding_lookup), so the
gradient of the embedding parts is IndexedSlices of just the rows used, which optimizers apply
sparsely.
"""
from minitf.framework import dtypes, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import sparse_composite_ops, sparse_ops
from minitf.ops._shared import ones_like, shape_of, zeros_like
from minitf.ops.array_ops import ones, rank
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.manip_ops import (
    concat,
    expand_dims,
    gather,
    reshape,
    stack,
    tile,
    unique,
    where,
)
from minitf.ops.math_ops import cast, greater, greater_equal, logical_and, sqrt, square
from minitf.ops.reduction_ops import reduce_prod
from minitf.ops.segment_ops import (
    segment_sum,
    sparse_segment_mean,
    sparse_segment_sqrt_n,
    sparse_segment_sum,
)
from minitf.ops.slicing import slice as tf_slice
from minitf.partitioned import PartitionedVariable, embedding_lookup

__all__ = ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]

_SPARSE_COMBINE = {"sum": sparse_segment_sum, "mean": sparse_segment_mean,
                   "sqrtn": sparse_segment_sqrt_n}


def _parts(params):
    if isinstance(params, PartitionedVariable):
        return list(params)
    return params if isinstance(params, list) else [params]


def _check_weights(sp_ids, sp_weights):
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is None:
        return
    if not isinstance(sp_weights, SparseTensor):
        raise TypeError(f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}")
    for part in ("values", "indices", "dense_shape"):
        getattr(sp_ids, part).shape.assert_is_compatible_with(getattr(sp_weights, part).shape)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None,
                            combiner=None, max_norm=None):
    """Combines the embeddings of each row of a SparseTensor of ids (`tf.nn`).

    Row `r` of the result combines `params[id]` over the entries `(r, ...)` of `sp_ids`,
    weighted by the matching entries of `sp_weights` (or by 1): "sum" adds them, "mean"
    divides by the sum of the weights, "sqrtn" by the root of the sum of their squares. The
    result has `max(row) + 1` rows; a row without entries gives zeros. Indices must be in
    row-major order.

    >>> params = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> sp_ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0, 2, 1], [2, 2])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.nn.embedding_lookup_sparse(params, sp_ids, None)))
    [[3. 4.]
     [3. 4.]]

    Args:
      params: the embedding table: a tensor or variable, a list of parts, or a
        PartitionedVariable (see `tf.nn.embedding_lookup`).
      sp_ids: a SparseTensor of int64 (or int32) ids, shape `[batch, ...]`.
      sp_weights: None (every weight 1) or a SparseTensor of float weights with the indices of
        `sp_ids`.
      partition_strategy: "mod" or "div", for several parts.
      name: a name for the operation (default "embedding_lookup_sparse").
      combiner: "sum", "mean" (the default) or "sqrtn".
      max_norm: if not None, embeddings are clipped to this l2 norm before combining.

    Returns:
      A dense Tensor of shape `[max(row) + 1] + params.shape[1:]`.

    Raises:
      TypeError: `sp_ids` or `sp_weights` is not a SparseTensor.
      ValueError: `combiner` is unknown, or the weights' shapes do not match the ids'.
    """
    combiner = "mean" if combiner is None else combiner
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    params = _parts(params)
    _check_weights(sp_ids, sp_weights)
    with name_scope(name, "embedding_lookup_sparse", params + [sp_ids.indices]) as scope:
        segment_ids = sp_ids.indices[:, 0]
        ids, idx = unique(sp_ids.values)
        embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy,
                                      max_norm=max_norm)
        if sp_weights is None:
            if segment_ids.dtype not in (dtypes.int32, dtypes.int64):
                segment_ids = cast(segment_ids, dtypes.int32)
            return _SPARSE_COMBINE[combiner](embeddings, idx, segment_ids, name=scope)
        return _weighted(gather(embeddings, idx), cast(segment_ids, dtypes.int32),
                         sp_weights.values, combiner, scope)


def _weighted(embeddings, segment_ids, weights, combiner, name):
    """The weighted combination of the looked-up rows (in float32 for half types)."""
    original = embeddings.dtype
    if original in (dtypes.float16, dtypes.bfloat16):
        embeddings = cast(embeddings, dtypes.float32)
    if weights.dtype != embeddings.dtype:
        weights = cast(weights, embeddings.dtype)
    static = weights.shape
    ones_shape = ones(expand_dims(rank(embeddings) - 1, 0), dtype=dtypes.int32)
    weights = reshape(weights, concat([shape_of(weights), ones_shape], 0))
    if embeddings.shape.ndims is not None:  # (the reshape loses it)
        weights.set_shape(static.concatenate([1] * (embeddings.shape.ndims - 1)))
    embeddings = embeddings * weights
    if combiner == "sum":
        result = segment_sum(embeddings, segment_ids, name=name)
    elif combiner == "mean":
        result = div_no_nan(segment_sum(embeddings, segment_ids),
                            segment_sum(weights, segment_ids), name=name)
    else:
        result = div_no_nan(segment_sum(embeddings, segment_ids),
                            sqrt(segment_sum(square(weights), segment_ids)), name=name)
    return result if result.dtype == original else cast(result, original)


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, name=None,
                                 partition_strategy="div", max_norm=None):
    """Like `embedding_lookup_sparse`, but safe for empty rows, invalid ids and higher ranks.

    Ids < 0 (and, unless `combiner` is "sum", weights <= 0) are dropped; a row left without
    entries gives the embedding of `default_id`, or zeros when it is None. Ids of rank > 2
    give a result of shape `sparse_ids.dense_shape[:-1] + [dim]`.

    Args:
      embedding_weights: the embedding table: a tensor or variable, a list of parts, or a
        PartitionedVariable.
      sparse_ids: a SparseTensor of int64 ids of shape `[d_0, ..., d_n, k]`.
      sparse_weights: None or a SparseTensor of float weights with the indices of `sparse_ids`.
      combiner: "sum", "mean" (the default) or "sqrtn".
      default_id: the id whose embedding empty rows get (None: zeros).
      name: a name for the operation (default "embedding_lookup").
      partition_strategy: "div" (the default) or "mod", for several parts.
      max_norm: if not None, embeddings are clipped to this l2 norm before combining.

    Returns:
      A dense Tensor of shape `[d_0, ..., d_n] + embedding_weights.shape[1:]`.

    Raises:
      ValueError: `embedding_weights` is None or empty, or `combiner` is unknown.
    """
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    parts = _parts(embedding_weights)
    if not parts:
        raise ValueError(f"Missing embedding_weights {parts}.")
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    parts = [convert_to_tensor(p, dtype=dtype) for p in parts]
    with name_scope(name, "embedding_lookup", parts + [sparse_ids.indices]) as scope:
        static_shape = sparse_ids.shape
        sparse_ids, sparse_weights, original_shape, rank_dim = _to_matrix(sparse_ids,
                                                                          sparse_weights)
        sparse_ids, sparse_weights = _prune(sparse_ids, sparse_weights, combiner)
        sparse_ids, is_row_empty = sparse_ops.sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_ops.sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            parts, sparse_ids, sparse_weights, combiner=combiner,
            partition_strategy=partition_strategy, name=None if default_id is None else scope,
            max_norm=max_norm)
        if default_id is None:  # empty rows: zeros
            is_row_empty = tile(reshape(is_row_empty, [-1, 1]),
                                stack([1, shape_of(result)[1]]))
            result = where(is_row_empty, zeros_like(result), result, name=scope)
        return _from_matrix(result, original_shape, rank_dim, static_shape)


def _to_matrix(sparse_ids, sparse_weights):
    """The ids (and weights) reshaped to 2-D: the leading dims flattened into rows."""
    original_shape = sparse_ids.dense_shape
    rank_dim = original_shape.shape[0].value
    original_rank = shape_of(original_shape)[0] if rank_dim is None else rank_dim
    sparse_ids = sparse_ops.sparse_reshape(sparse_ids, [
        reduce_prod(tf_slice(original_shape, [0], [original_rank - 1])),
        gather(original_shape, original_rank - 1)])
    if sparse_weights is not None:
        sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values,
                                      sparse_ids.dense_shape)
    return sparse_ids, sparse_weights, original_shape, rank_dim


def _prune(sparse_ids, sparse_weights, combiner):
    """Drops the entries of negative ids, and unless summing, those of weights <= 0."""
    valid = greater_equal(sparse_ids.values, 0)
    if sparse_weights is not None:
        valid = logical_and(valid, ones_like(sparse_weights.values, dtype=dtypes.bool))
    sparse_ids = sparse_composite_ops.sparse_retain(sparse_ids, valid)
    if sparse_weights is not None:
        sparse_weights = sparse_composite_ops.sparse_retain(sparse_weights, valid)
        if combiner != "sum":
            valid = greater(sparse_weights.values, 0)
            sparse_ids = sparse_composite_ops.sparse_retain(sparse_ids, valid)
            sparse_weights = sparse_composite_ops.sparse_retain(sparse_weights, valid)
    return sparse_ids, sparse_weights


def _from_matrix(result, original_shape, rank_dim, static_shape):
    """The 2-D result reshaped back to the leading dims of the ids' dense shape (`static_shape`
    as far as it is known while the graph is built)."""
    original_rank = shape_of(original_shape)[0] if rank_dim is None else rank_dim
    final = reshape(result, concat([
        tf_slice(cast(original_shape, dtypes.int32), [0], [original_rank - 1]),
        tf_slice(shape_of(result), [1], [-1])], 0))
    leading = tensor_shape.unknown_shape(None if rank_dim is None else rank_dim - 1)
    if static_shape.ndims is not None:
        leading = leading.merge_with(static_shape[:-1])
    final.set_shape(leading.concatenate(result.shape[1:]))
    return final
