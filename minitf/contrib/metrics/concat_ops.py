"""TF 1.15's contrib `streaming_concat`: concatenates `values` along `axis` over the batches.

Two local variables: `array`, the storage with `axis` moved to the front (grown to
`ceil(1.5 ** ceil(log(n) / log(1.5)))` rows when full, or fixed at `max_size` rows), and
`size`, the rows in use. The value is `array[:size]` with `axis` moved back; the update op
appends a batch (truncated at `max_size`) and returns the new size, an int32.
"""
import minitf as tf
from minitf.metrics_util import metric_variable, publish

__all__ = ["streaming_concat"]


def _next_array_size(required_size, growth_factor=1.5):
    exponent = tf.ceil(tf.log(tf.cast(required_size, tf.float32))
                       / tf.log(tf.cast(growth_factor, tf.float32)))
    return tf.cast(tf.ceil(growth_factor ** exponent), tf.int32)


def _check_shape(values, axis):
    if values.shape.ndims is None:
        raise ValueError("`values` must have known statically known rank")
    ndim = values.shape.ndims
    if axis < 0:
        axis += ndim
    if not 0 <= axis < ndim:
        raise ValueError(f"axis = {axis!r} not in [0, {ndim!r})")
    fixed = [d for n, d in enumerate(values.shape.as_list()) if n != axis]
    if any(d is None for d in fixed):
        raise ValueError("all dimensions of `values` other than the dimension to concatenate "
                         "along must have statically known size")
    return axis, ndim, fixed


def streaming_concat(values, axis=0, max_size=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """Concatenates `values` along `axis` across the batches.

    Args:
      values: a Tensor whose rank, and size along every axis but `axis`, are static.
      axis: the axis to concatenate along (negative counts from the end).
      max_size: None, or the most entries kept along `axis`; later updates are no-ops.
      metrics_collections: collections the value tensor is added to.
      updates_collections: collections the update op is added to.
      name: the variable scope (default "streaming_concat").

    Returns:
      (value, update_op): the concatenation so far, and an op appending a batch that returns
      the new int32 size.

    Raises:
      ValueError: unknown rank, `axis` out of range, or another axis of unknown size.
    """
    with tf.variable_scope(name, "streaming_concat", (values,)):
        values = tf.convert_to_tensor(values)
        axis, ndim, fixed = _check_shape(values, axis)
        array = metric_variable([0 if max_size is None else max_size] + fixed, values.dtype,
                                validate_shape=False, name="array")
        size_var = metric_variable([], tf.int32, name="size")
        size = size_var.value()
        back = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid = array[:size]
        valid.set_shape([None] + fixed)
        value = tf.transpose(valid, back, name="concat")
        values_size = tf.shape(values)[axis]
        batch_size = (values_size if max_size is None
                      else tf.minimum(values_size, max_size - size))
        front = [axis] + [n for n in range(ndim) if n != axis]
        batch_values = tf.transpose(values, front)[:batch_size]
        new_size = size + batch_size

        def reallocate():
            # TF assigns zeros, then copies the old rows in; one assign of both is the same
            old = array.read_value()
            pad = tf.zeros(tf.stack([_next_array_size(new_size) - size] + fixed), values.dtype)
            grown = tf.concat([old[:size], pad], 0)
            with tf.control_dependencies([tf.assign(array, grown, validate_shape=False)]):
                return tf.no_op()

        grow = tf.cond(new_size > tf.shape(array)[0], reallocate, tf.no_op)
        with tf.control_dependencies([grow]):
            current = array.read_value()
            rows = tf.concat([current[:size], batch_values, current[new_size:]], 0)
            append = tf.assign(array, rows, validate_shape=False)
        with tf.control_dependencies([append]):
            update_op = size_var.assign(new_size)
        return publish(value, update_op, metrics_collections, updates_collections)
