"""Partitioners, PartitionedVariable and embedding_lookup.

A partitioner maps (full shape, dtype) to the number of parts along each axis (at most one axis
above 1). get_variable then makes parts `name/part_0`, `name/part_1`, ... along that axis, the
first `dim % n` parts one row larger (TF's slicing), each with its save-slice info.
"""
import math
from collections.abc import Sequence

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor, register_tensor_conversion_function
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.framework.tensor_shape import TensorShape, as_shape
from minitf.ops.array_ops import identity
from minitf.ops.manip_ops import concat, gather
from minitf.ops.slicing import slice as tf_slice

__all__ = ["fixed_size_partitioner", "variable_axis_size_partitioner",
           "min_max_variable_partitioner", "PartitionedVariable", "create_partitioned_variables",
           "embedding_lookup"]


# -- partitioners ----------------------------------------------------------------------------------
def fixed_size_partitioner(num_shards, axis=0):
    """Returns a partitioner cutting a variable into a fixed number of parts along one axis.

    The first `dim % num_shards` parts are one row larger than the others; an axis shorter
    than `num_shards` is cut into one part per row.

    Args:
      num_shards: the number of parts.
      axis: the axis to cut.

    Returns:
      A partitioner for the `partitioner` argument of `get_variable` and `variable_scope`.

    >>> emb = tf.get_variable("emb", [10, 4], partitioner=tf.fixed_size_partitioner(3))
    >>> [(v.name, v.shape.as_list()) for v in emb]
    [('emb/part_0:0', [4, 4]), ('emb/part_1:0', [3, 4]), ('emb/part_2:0', [3, 4])]
    """
    def _partitioner(shape, **unused_args):
        partitions = [1] * len(shape)
        partitions[axis] = min(num_shards, shape.dims[axis].value)
        return partitions
    return _partitioner


def _element_bytes(dtype, bytes_per_string_element):
    dtype = dtypes.as_dtype(dtype)
    return bytes_per_string_element if dtype.base_dtype == dtypes.string else dtype.size


def _check_shape(shape):
    if not isinstance(shape, TensorShape):
        raise ValueError(f"shape is not a TensorShape: {shape}")
    if not shape.is_fully_defined():
        raise ValueError(f"shape is not fully defined: {shape}")


def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16,
                                   max_shards=None):
    """Returns a partitioner keeping each part under `max_shard_bytes` bytes.

    The variable is cut along `axis` only, into as few parts as keep each one within
    `max_shard_bytes` (TF's arithmetic). When that is impossible, each row along `axis`
    becomes a part; with `max_shards`, parts may exceed `max_shard_bytes`.

    Args:
      max_shard_bytes: the largest size of a part, in bytes.
      axis: the axis to cut.
      bytes_per_string_element: the size assumed for one element of a string variable.
      max_shards: the largest number of parts, or None for no limit.

    Returns:
      A partitioner for the `partitioner` argument of `get_variable` and `variable_scope`; it
      raises ValueError for a shape that is not fully defined.

    Raises:
      ValueError: `max_shard_bytes`, `bytes_per_string_element` or `max_shards` is below 1.
    """
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(f"Both max_shard_bytes and bytes_per_string_element must be positive. "
                         f"Currently, max_shard_bytes is {max_shard_bytes} and "
                         f"bytes_per_string_element is {bytes_per_string_element}")
    if max_shards is not None and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape, dtype):
        _check_shape(shape)
        partitions = [1] * shape.ndims
        size = shape.dims[axis].value
        bytes_per_slice = shape.num_elements() / size * _element_bytes(
            dtype, bytes_per_string_element)
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        shards = int(math.ceil(size / slices_per_shard))
        partitions[axis] = min(max_shards, shards) if max_shards else shards
        return partitions
    return _partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10,
                                 bytes_per_string_element=16):
    """Returns a partitioner giving each part at least `min_slice_size` bytes.

    The variable is cut along `axis` into as many parts as leave each one `min_slice_size`
    bytes or more, but at most `max_partitions` parts and at most one per row (TF's
    arithmetic).

    Args:
      max_partitions: the largest number of parts.
      axis: the axis to cut.
      min_slice_size: the smallest size of a part, in bytes.
      bytes_per_string_element: the size assumed for one element of a string variable.

    Returns:
      A partitioner for the `partitioner` argument of `get_variable` and `variable_scope`; it
      raises ValueError for a shape that is not fully defined.
    """
    def _partitioner(shape, dtype):
        _check_shape(shape)
        total = shape.num_elements() * _element_bytes(dtype, bytes_per_string_element)
        partitions = [1] * len(shape)
        partitions[axis] = max(1, min(shape.dims[axis].value, max_partitions,
                                      int(math.ceil(total / min_slice_size))))
        return partitions
    return _partitioner


def call_partitioner(partitioner, shape, dtype):
    """The partitioner's answer for a new variable, checked as TF checks it."""
    if not callable(partitioner):
        raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
    if not shape.is_fully_defined():
        raise ValueError(f"Shape of a new partitioned variable must be fully defined, but "
                         f"instead was {shape}.")
    if shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, Sequence):
        raise ValueError(f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError(f"Partitioner returned a partition list that does not match the "
                         f"Variable's rank: {slicing} vs. {shape}")
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError(f"Can only slice a variable along one dimension: shape: {shape}, "
                         f"partitioning: {list(slicing)}")
    for axis, (p, dim) in enumerate(zip(slicing, shape.as_list())):
        if p > dim:  # TF fails on the first empty part, after making the others; none is made
            offset = [0] * len(slicing)
            offset[axis] = dim
            raise ValueError(f"Expected 0 <= offset < shape but found offset={dim}, shape={dim} "
                             f"for var_offset={offset}, full_shape={shape.as_list()}")
    return list(slicing)


def iter_slices(full_shape, partitions):
    """(offset, shape) of each part; the first `dim % n` parts get one extra row."""
    axis = next((i for i, p in enumerate(partitions) if p > 1), 0)
    n = partitions[axis]
    base, extra = divmod(full_shape[axis], n)
    offset = [0] * len(full_shape)
    for i in range(n):
        shape = list(full_shape)
        shape[axis] = base + (i < extra)
        yield list(offset), shape
        offset[axis] += shape[axis]


class PartitionInfo:
    """Where a part sits in the full variable: passed to initializers as `partition_info`."""

    def __init__(self, full_shape, var_offset):
        _check_sequence("full_shape", full_shape)
        _check_sequence("var_offset", var_offset)
        if len(var_offset) != len(full_shape):
            raise ValueError(f"Expected equal length, but `var_offset` is of length "
                             f"{len(var_offset)} while full_shape is of length {len(full_shape)}.")
        for offset, dim in zip(var_offset, full_shape):
            if not 0 <= offset < dim:
                raise ValueError(f"Expected 0 <= offset < shape but found offset={offset}, "
                                 f"shape={dim} for var_offset={list(var_offset)}, "
                                 f"full_shape={list(full_shape)}")
        self.full_shape, self.var_offset = list(full_shape), list(var_offset)

    def single_offset(self, shape):
        """The part's offset along its one cut axis (0 when it is not cut)."""
        axis = self.single_slice_dim(shape)
        return 0 if axis is None else self.var_offset[axis]

    def single_slice_dim(self, shape):
        """The one axis along which a part of `shape` is cut, or None when it is the whole.

        Raises:
          TypeError: `shape` is not a list or tuple.
          ValueError: its rank differs, it reaches past the full shape, or two axes are cut.
        """
        _check_sequence("shape", shape)
        full, offset = self.full_shape, self.var_offset
        if len(shape) != len(full):
            raise ValueError(f"Expected equal length, but received shape={list(shape)} of length "
                             f"{len(shape)} while self.full_shape={full} is of length "
                             f"{len(full)}.")
        for i, dim in enumerate(shape):
            if offset[i] + dim > full[i]:
                raise ValueError(f"With self.var_offset={offset}, a partition of "
                                 f"shape={list(shape)} would exceed self.full_shape={full} in "
                                 f"dimension {i}.")
        cut = [i for i, dim in enumerate(shape) if dim != full[i]]
        if len(cut) > 1:
            raise ValueError(f"Cannot use single_slice_dim() with shape={list(shape)} and "
                             f"self.full_shape={full} since slice dim could be either dimension "
                             f"{cut[0]} or {cut[1]}.")
        return cut[0] if cut else None


def _check_sequence(what, value):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"`{what}` must be a sequence (like tuple or list) instead of "
                        f"{type(value).__name__}")


class SaveSliceInfo:
    """A part's place in its full variable, as checkpoints record it."""

    def __init__(self, full_name, full_shape, var_offset, var_shape):
        self.full_name, self.full_shape = full_name, list(full_shape)
        self.var_offset, self.var_shape = list(var_offset), list(var_shape)

    @property
    def spec(self):
        """TF's slice spec string, e.g. `10 4 4,3:0,4`."""
        full = " ".join(str(d) for d in self.full_shape)
        return full + " " + ":".join(f"{o},{s}" for o, s in zip(self.var_offset, self.var_shape))


# -- PartitionedVariable ---------------------------------------------------------------------------
class PartitionedVariable:
    """A variable stored as several variables (parts), cut along one axis.

    `get_variable` with a partitioner makes one: the parts are variables `name/part_0`,
    `name/part_1`, ..., each initialized as its slice of the full value and saved by `Saver`
    as that slice. Iterating over it or `len` gives the parts; used as a tensor it converts
    to their concatenation (read-only: it cannot be a reference).

    Args:
      name: the full variable's name.
      shape: the full shape.
      dtype: the dtype of the parts.
      variable_list: the parts, in order along the cut axis.
      partitions: the number of parts along each axis, e.g. `[3, 1]`.

    Raises:
      ValueError: `variable_list` is empty.

    >>> v = tf.get_variable("v", [5, 2], initializer=tf.constant_initializer(np.arange(10.0)),
    ...                     partitioner=tf.fixed_size_partitioner(2))
    >>> v
    <tf.PartitionedVariable 'v' shape=(5, 2) dtype=float32 partitions=[2, 1]>
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(v.get_variable_list()[1]))
    ...     print(sess.run(v.as_tensor())[:, 0])
    [[6. 7.]
     [8. 9.]]
    [0. 2. 4. 6. 8.]
    """

    def __init__(self, name, shape, dtype, variable_list, partitions):
        if not variable_list:
            raise ValueError(f"variable_list may not be empty for {name}")
        self._name, self._shape = name, as_shape(shape)
        self._dtype, self._variable_list = dtypes.as_dtype(dtype), list(variable_list)
        self._partitions = list(partitions)

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)
    graph = property(lambda self: self._variable_list[0].graph)

    def get_shape(self):
        """Returns the full shape (a TensorShape)."""
        return self._shape

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self):
        return len(self._variable_list)

    def get_variable_list(self):
        """Returns the parts (variables), in order along the cut axis."""
        return list(self._variable_list)

    _get_variable_list = get_variable_list

    def get_partitions(self):
        """Returns the number of parts along each axis, e.g. `[3, 1]`."""
        return list(self._partitions)

    _get_partitions = get_partitions

    def _axis(self):
        return next((i for i, p in enumerate(self._partitions) if p > 1), 0)

    def as_tensor(self):
        """Returns the full value: a new tensor concatenating the parts, named like the variable.

        Its ops ignore the surrounding name scope and control dependencies.
        """
        with control_dependencies(None):
            return self._concat()

    def _concat(self):
        # as_tensor's ops, under the surrounding control dependencies (TF's private _concat)
        if len(self._variable_list) == 1:
            with name_scope(None):
                return identity(self._variable_list[0], name=self._name)
        with name_scope(self._name + "/ConcatPartitions/"):
            whole = concat(self._variable_list, self._axis())
        with name_scope(None):
            return identity(whole, name=self._name)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Assigns the matching slice of `value` to each part.

        Args:
          value: the new full value, of the variable's shape.
          use_locking: accepted for TF compatibility; ignored.
          name: accepted for TF compatibility; ignored (each part's op is named `Assign`).
          read_value: whether each op returns the part's new value (else the ops themselves).

        Returns:
          A list with one assign op (or its output) per part.
        """
        value = convert_to_tensor(value, dtype=self._dtype)
        axis = self._axis()
        ops = []
        for part in self._variable_list:
            offset = part._save_slice_info.var_offset
            begin = [0] * len(offset)
            begin[axis] = offset[axis]
            ops.append(part.assign(tf_slice(value, begin, part.shape.as_list()),
                                   read_value=read_value))
        return ops

    def __repr__(self):
        return (f"<tf.PartitionedVariable '{self._name}' shape={self._shape} "
                f"dtype={self._dtype.name} partitions={self._partitions}>")


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    if as_ref:
        raise NotImplementedError("PartitionedVariable doesn't support being used as a "
                                  "reference.")
    t = value.as_tensor()
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(t.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtype}' for "
                         f"PartitionedVariable {value.name} of type '{t.dtype.name}'")
    return t


register_tensor_conversion_function(PartitionedVariable, _to_tensor)


def create_partitioned_variables(shape, slicing, initializer, dtype=dtypes.float32,
                                 trainable=True, collections=None, name=None, reuse=None):
    """Makes a variable cut into parts as `slicing` says; returns the parts (TF1, deprecated).

    The same as `tf.get_variable(name, shape, partitioner=...)` with a partitioner returning
    `slicing`, in a variable scope `name` (default "PartitionedVariable", made unique): the
    parts are `<scope>/part_0`, `<scope>/part_1`, ..., the first `dim % n` one row larger.

    Args:
      shape: the full shape (a list of ints or a TensorShape).
      slicing: the number of parts along each axis; at most one above 1.
      initializer: a Tensor of shape `shape` (each part takes its slice) or an initializer,
        called once a part with the part's shape.
      dtype: the parts' dtype; ignored when `initializer` is a Tensor.
      trainable: whether the parts go into TRAINABLE_VARIABLES too.
      collections: the collections of the parts (default GLOBAL_VARIABLES).
      name: the name of the full variable.
      reuse: True to get the parts made before under this name; None inherits the scope's.

    Returns:
      The list of the parts (Variables), in order along the cut axis.

    Raises:
      ValueError: `shape` and `slicing` differ in length, `shape` is a scalar's, `slicing` cuts
        several axes, cuts an axis into more parts than it has rows, or asks for zero parts;
        or the variable scope has a custom getter (TF's rule: use get_variable then).
    """
    from minitf.variable_scope import _get_default_variable_store, variable_scope

    if len(shape) != len(slicing):
        raise ValueError(f"The 'shape' and 'slicing' of a partitioned Variable must have the "
                         f"length: shape: {shape}, slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")
    with variable_scope(name, "PartitionedVariable", reuse=reuse) as scope, name_scope(None):
        if scope.custom_getter is not None:
            raise ValueError(f"Private access to _get_partitioned_variable is not allowed when a "
                             f"custom getter is set.  Current custom getter: "
                             f"{scope.custom_getter}.  It is likely that you're using "
                             "create_partitioned_variables.  If so, consider instead using "
                             "get_variable with a non-empty partitioner parameter instead.")
        var = get_partitioned_variable(
            _get_default_variable_store(), scope.name, shape, dtype,
            scope.initializer if initializer is None else initializer,
            lambda **unused: list(slicing), scope.reuse, regularizer=scope.regularizer,
            trainable=trainable, collections=collections, caching_device=scope.caching_device,
            validate_shape=True, use_resource=scope.use_resource, constraint=scope.constraint)
    return list(var)


# -- embedding_lookup ------------------------------------------------------------------------------
def _shard_ids(ids, sizes, strategy):
    """(part index, id within the part) of each id, TF's mod/div assignment."""
    n = len(sizes)
    if strategy == "mod":
        return ids % n, ids // n
    total = sum(sizes)
    per, extras = divmod(total, n)
    part = np.maximum(ids // (per + 1), (ids - extras) // max(per, 1))
    local = np.where(part < extras, ids % (per + 1), (ids - extras) % max(per, 1))
    return part, local


def _lookup_shape(*inputs, strategy):
    *params, ids = inputs
    rest = params[0]._shape[1:] if params[0]._shape is not None else None
    return None if ids._shape is None or rest is None else ids._shape + rest


def _check_ids(flat, total):
    if flat.size and (flat.min() < 0 or flat.max() >= total):
        bad = flat[(flat < 0) | (flat >= total)][0]
        raise errors.InvalidArgumentError(None, None, f"indices = {bad} is not in [0, {total})")


@register_op("EmbeddingLookup", shape=_lookup_shape,
             dtype=lambda *inputs, strategy: inputs[0].dtype.base_dtype)
def _embedding_lookup(*inputs, strategy):
    *params, ids = inputs
    sizes = [p.shape[0] for p in params]
    flat = ids.reshape(-1).astype(np.int64)
    _check_ids(flat, sum(sizes))
    part, local = _shard_ids(flat, sizes, strategy)
    out = np.empty((flat.size,) + params[0].shape[1:], dtype=params[0].dtype)
    for p, values in enumerate(params):
        rows = part == p
        out[rows] = values[local[rows]]
    return out.reshape(ids.shape + params[0].shape[1:])


def _lookup_grad_shapes(ids, grad, *, sizes, strategy):
    rest = None if grad._shape is None or ids._shape is None else grad._shape[len(ids._shape):]
    return [s for _ in sizes for s in (None if rest is None else (None,) + rest, (None,))]


@register_op("EmbeddingLookupGrad", shape=_lookup_grad_shapes, outputs="n",
             dtype=lambda ids, grad, *, sizes, strategy: [grad.dtype.base_dtype,
                                                          dtypes.int64] * len(sizes))
def _embedding_lookup_grad_op(ids, grad, *, sizes, strategy):
    """Per part: the gradient rows of the ids it holds, and those ids within the part."""
    flat = ids.reshape(-1).astype(np.int64)
    rows = grad.reshape((flat.size,) + grad.shape[ids.ndim:])
    part, local = _shard_ids(flat, sizes, strategy)
    return [out for p in range(len(sizes)) for out in (rows[part == p], local[part == p])]


def _no_second_derivative(op, *grads):
    # a clear error, not a silently zero second derivative (TF's prevent_gradient)
    raise LookupError(f"No second derivative through embedding_lookup ({op.name}): minitf's "
                      "fused gradient of a lookup over parts or with max_norm has no gradient")


_embedding_lookup_grad_op.gradient(_no_second_derivative)


@_embedding_lookup.gradient
def _embedding_lookup_grad(op, grad):
    from minitf.framework.indexed_slices import IndexedSlices
    from minitf.ops.manip_ops import shape_of

    *params, ids = op.inputs
    sizes = tuple(p._shape[0] if p._shape else None for p in params)
    if None in sizes:
        raise ValueError(f"The gradient of {op.name} needs the row count of each part known "
                         f"statically, got {sizes}")
    outs = _embedding_lookup_grad_op.apply([ids, grad], sizes=sizes,
                                           strategy=op.get_attr("strategy"))
    return [IndexedSlices(outs[2 * i], outs[2 * i + 1], shape_of(p))
            for i, p in enumerate(params)] + [None]


def _clip_rows(rows, max_norm, first_axis=1):
    """Each embedding (the axes from `first_axis` on) scaled down to l2 norm `max_norm`."""
    if max_norm is None or rows.ndim <= first_axis:
        return rows
    axes = tuple(range(first_axis, rows.ndim))
    norms = np.sqrt(np.sum(np.square(rows), axis=axes, keepdims=True))
    return (rows * (max_norm / np.maximum(norms, max_norm))).astype(rows.dtype)


@register_op("ClipEmbeddingsByNorm", shape=lambda x, *, max_norm, first_axis: x._shape)
def _clip_rows_op(x, *, max_norm, first_axis):
    return _clip_rows(x, max_norm, first_axis)


@register_op("ClipEmbeddingsByNormGrad", shape=lambda x, g, *, max_norm, first_axis: x._shape)
def _clip_rows_grad_op(x, g, *, max_norm, first_axis):
    """d(x * m / |x|)/dx = m/|x| (g - x <x, g> / |x|^2) where |x| > m; g elsewhere."""
    if x.ndim <= first_axis:
        return g
    axes = tuple(range(first_axis, x.ndim))
    norms = np.sqrt(np.sum(np.square(x), axis=axes, keepdims=True))
    clipped = norms > max_norm
    safe = np.where(clipped, norms, 1)
    dot = np.sum(x * g, axis=axes, keepdims=True)
    scaled = max_norm / safe * (g - x * dot / np.square(safe))
    return np.where(clipped, scaled, g).astype(g.dtype)


_clip_rows_grad_op.gradient(_no_second_derivative)


@_clip_rows_op.gradient
def _clip_rows_grad(op, grad):
    return [_clip_rows_grad_op.apply([op.inputs[0], grad], **op._attrs)]


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Looks up rows of an embedding table, which may be cut into parts (`tf.nn`).

    With several parts, id `i` is row `i // n` of part `i % n` ("mod"), or ids are cut into
    contiguous ranges, the first parts one id larger ("div"), as TF assigns them. A
    PartitionedVariable's parts are contiguous slices of its value, so "div" looks up the
    rows of that value. Running the result with an id out of range raises InvalidArgumentError.

    Args:
      params: a tensor or variable, a list of parts, or a PartitionedVariable.
      ids: an integer Tensor of ids, of any shape.
      partition_strategy: "mod" or "div" (see above); matters only with several parts.
      name: the name of the result.
      validate_indices: accepted for TF compatibility; ids are always checked.
      max_norm: if not None, embeddings with a larger l2 norm are scaled down to it.

    Returns:
      A Tensor of shape `ids.shape + params.shape[1:]`.

    Raises:
      ValueError: `partition_strategy` is unknown, `params` is empty, or `max_norm` is given
        and the rank of `ids` is unknown.
      TypeError: `ids` is not of an integer type.

    >>> v = tf.get_variable("v", [5, 2], initializer=tf.constant_initializer(np.arange(10.0)),
    ...                     partitioner=tf.fixed_size_partitioner(2))
    >>> rows = tf.nn.embedding_lookup(v, [[4, 0]], partition_strategy="div")
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(rows))
    [[[8. 9.]
      [0. 1.]]]
    """
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}. Must be one "
                         "of either `mod` or `div`.")
    parts = list(params) if isinstance(params, (PartitionedVariable, list, tuple)) else [params]
    if not parts:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    with name_scope(name, "embedding_lookup", parts + [ids]) as scope:
        parts = [convert_to_tensor(p) for p in parts]
        ids = convert_to_tensor(ids, name="ids")
        if not ids.dtype.is_integer:
            raise TypeError(f"ids must be int32 or int64, got {ids.dtype.name}")
        if len(parts) == 1:
            result = gather(parts[0], ids, name=None if max_norm else scope)
        else:
            result = _embedding_lookup.apply(parts + [ids], name=None if max_norm else scope,
                                             strategy=partition_strategy)
        if max_norm is None:
            return result if len(parts) > 1 else identity(result)
        if ids._shape is None:
            raise ValueError("embedding_lookup with max_norm needs the rank of ids known.")
        return _clip_rows_op.apply([result], name=scope, max_norm=float(max_norm),
                                   first_axis=len(ids._shape))


# -- get_variable with a partitioner ---------------------------------------------------------------
def get_partitioned_variable(store, name, shape, dtype, initializer, partitioner, reuse, **kw):
    """TF's _get_partitioned_variable: create, or reuse by name, the parts of `name`."""
    if store._store.get(name) is not None:
        raise ValueError(f"A partitioner was provided, but an unpartitioned version of the "
                         f"variable was found: {name}.  Perhaps a variable of the same name was "
                         "already created without partitioning?")
    dtype = dtypes.as_dtype(dtype).base_dtype
    shape = as_shape(shape)
    if isinstance(initializer, Tensor):
        shape = shape.merge_with(initializer.shape)
    elif initializer is not None and not callable(initializer):  # TF asks for the shape here
        shape = shape.merge_with(np.shape(initializer))
    partitions = None
    if not reuse or partitioner:
        partitions = call_partitioner(partitioner, shape, dtype)
    existing = store._partitioned.get(name)
    if existing is not None:
        return _reuse_partitioned(existing, name, shape, dtype, partitions, reuse)
    if reuse is True:
        raise ValueError(f"PartitionedVariable {name} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=False or "
                         "reuse=tf.AUTO_REUSE in VarScope?")
    with store._graph._lock:
        existing = store._partitioned.get(name)
        if existing is not None:
            return _reuse_partitioned(existing, name, shape, dtype, partitions, reuse)
        _check_existing_parts(store, name, partitions)
        parts = [_make_part(store, name, i, offset, part_shape, shape, dtype, initializer, reuse,
                            kw)
                 for i, (offset, part_shape) in enumerate(iter_slices(shape.as_list(),
                                                                      partitions))]
        var = PartitionedVariable(name, shape, parts[0].dtype.base_dtype, parts, partitions)
        store._partitioned[name] = var
        return var


def _reuse_partitioned(existing, name, shape, dtype, partitions, reuse):
    if not reuse:
        raise ValueError(f"Partitioned variable with name {name} already exists. Did you mean to "
                         "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
    if not shape.is_compatible_with(existing.get_shape()):
        raise ValueError(f"Trying to reuse partitioned variable {name}, but specified shape "
                         f"{shape} and found shape {existing.get_shape()}.")
    if not dtype.is_compatible_with(existing.dtype):
        raise ValueError(f"Trying to reuse partitioned variable {name}, but specified dtype "
                         f"{dtype.name} and found dtype {existing.dtype.name}.")
    if partitions is not None and existing.get_partitions() != partitions:
        raise ValueError(f"Trying to reuse partitioned variable {name}, but specified partitions "
                         f"{partitions} and found partitions {existing.get_partitions()}.")
    return existing


def _check_existing_parts(store, name, partitions):
    n = max(partitions)
    if store._store.get(f"{name}/part_0") is None:
        return
    if store._store.get(f"{name}/part_{n - 1}") is None:
        raise ValueError(f"Partitioner returned a different partitioning than what was already "
                         f"found.  Partitioner returned {n} shards, and shard {name}/part_0 was "
                         f"found, but {name}/part_{n - 1} was not.")
    if store._store.get(f"{name}/part_{n}") is not None:
        raise ValueError(f"Partitioner returned a different partitioning than what was already "
                         f"found.  Partitioner returned {n} shards, and shard {name}/part_0 was "
                         f"found, but so was the extra shard {name}/part_{n}.")


def _make_part(store, name, i, offset, part_shape, shape, dtype, initializer, reuse, kw):
    info = PartitionInfo(shape.as_list(), offset)
    part_name = f"{name}/part_{i}"
    init_shape = part_shape
    with name_scope(part_name + "/PartitionedInitializer"):
        if initializer is None or callable(initializer):
            init = initializer
        else:  # a value or tensor: each part takes its slice
            whole = initializer if isinstance(initializer, Tensor) else convert_to_tensor(
                initializer, dtype=dtype)
            init, dtype, init_shape = tf_slice(whole, offset, part_shape), whole.dtype, None
    with name_scope(None):
        var = store._single_variable(part_name, init_shape, dtype, init, reuse, info, **kw)
    var._save_slice_info = SaveSliceInfo(name, shape.as_list(), offset, part_shape)
    return var
