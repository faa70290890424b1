"""`map_fn`, `scan`, `foldl`, `foldr` and `vectorized_map`: functions applied along the first
axis of tensors, built as TF1 builds them (a `while_loop` over TensorArrays), so they have TF1's
names (`map/while/...`), run lazily, and are differentiable. In eager mode they are Python loops.
"""
from minitf.control_flow.tensor_array import TensorArray
from minitf.control_flow.while_loop import while_loop
from minitf.framework import dtypes, nest
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.ops import _shared, manip_ops

__all__ = ["map_fn", "scan", "foldl", "foldr", "vectorized_map"]


def _elements(elems, what):
    flat = [convert_to_tensor(e, name="elems") for e in nest.flatten(elems)]
    if not flat:
        raise ValueError(f"{what} must have at least one element")
    for e in flat:
        if e._shape is not None and len(e._shape) == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def _length(flat):
    static = flat[0]._shape[0] if flat[0]._shape else None
    if static is not None:
        return static, static
    return _shared.shape_of(flat[0])[0], None


def _arrays_of(flat, n):
    return [TensorArray(e.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(e)
            for e in flat]


def _eager_rows(flat, reverse=False):
    n = int(flat[0].shape[0])
    order = range(n - 1, -1, -1) if reverse else range(n)
    return [[e[i] for e in flat] for i in order]


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None):
    """Returns `fn` applied to each element of `elems` (unstacked on axis 0), stacked.

    Args:
      fn: a function of one element (the structure of `elems`, each tensor one row).
      elems: a Tensor or a (nested) structure of Tensors with the same first dimension.
      dtype: the structure of dtypes `fn` returns, when it differs from `elems`'.
      parallel_iterations, swap_memory: accepted for TF's signature.
      back_prop: whether gradients flow through.
      infer_shape: whether the results have one shape (fixed by the first).
      name: a name scope (default "map").

    Returns:
      A Tensor (or structure, as `dtype`) stacking the results along a new axis 0.

    Raises:
      TypeError: `fn` is not callable.
      ValueError: `elems` is empty or has a scalar.

    >>> squares = tf.map_fn(lambda x: x * x, tf.constant([1.0, 2.0, 3.0]))
    >>> with tf.Session() as sess:
    ...     print(sess.run(squares))
    [1. 4. 9.]
    """
    if not callable(fn):
        raise TypeError("fn must be callable.")
    flat = _elements(elems, "elems")
    out_structure = elems if dtype is None else dtype
    if get_default_graph()._eager:
        results = [nest.flatten(fn(nest.pack_sequence_as(elems, row)))
                   for row in _eager_rows(flat)]
        return nest.pack_sequence_as(out_structure, [manip_ops.stack(list(col))
                                                     for col in zip(*results)])
    with name_scope(name, "map", flat):
        n, static = _length(flat)
        inputs = _arrays_of(flat, n)
        out_dtypes = [dtypes.as_dtype(d) for d in nest.flatten(out_structure)] if (
            dtype is not None) else [e.dtype for e in flat]
        outputs = [TensorArray(d, size=n, dynamic_size=False, infer_shape=infer_shape)
                   for d in out_dtypes]

        def body(i, accs):
            row = nest.pack_sequence_as(elems, [ta.read(i) for ta in inputs])
            values = nest.flatten(fn(row))
            if len(values) != len(accs):
                raise ValueError("The two structures don't have the same number of elements: "
                                 f"fn returned {len(values)} values, dtype has {len(accs)}")
            return i + 1, [ta.write(i, v) for ta, v in zip(accs, values)]

        _, accs = while_loop(lambda i, _: i < n, body, [0, outputs], back_prop=back_prop,
                             parallel_iterations=parallel_iterations or 10)
        results = [_with_first_dim(ta.stack(), static) for ta in accs]
        return nest.pack_sequence_as(out_structure, results)


def _with_first_dim(t, n):
    if n is not None and t._shape is not None:
        t._shape = (n,) + t._shape[1:]
    return t


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """Returns the accumulators of `fn` over the elements, stacked (a cumulative fold).

    `a = fn(a, x)` for each element x of `elems` (unstacked on axis 0), from `initializer`
    (default: the first element, which is then also the first output).

    Args:
      fn: a function (accumulator, element) -> new accumulator (structures as `initializer`
        and `elems`).
      elems: a Tensor or (nested) structure of Tensors with the same first dimension.
      initializer: the first accumulator (a structure of Tensors); default: elems[0].
      parallel_iterations, swap_memory: accepted for TF's signature.
      back_prop: whether gradients flow through.
      infer_shape: whether the accumulators have one shape.
      reverse: whether to go from the last element to the first.
      name: a name scope (default "scan").

    Returns:
      The accumulators, stacked along axis 0 (in elems' order also with `reverse`).

    Raises:
      TypeError: `fn` is not callable.
      ValueError: `elems` is empty or has a scalar.

    >>> sums = tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4]))
    >>> with tf.Session() as sess:
    ...     print(sess.run(sums))
    [ 1  3  6 10]
    """
    if not callable(fn):
        raise TypeError("fn must be callable.")
    flat = _elements(elems, "elems")
    if get_default_graph()._eager:
        return _eager_scan(fn, elems, flat, initializer, reverse)
    with name_scope(name, "scan", flat):
        n, static = _length(flat)
        inputs = _arrays_of(flat, n)
        first = n - 1 if reverse else 0
        if initializer is None:
            init_structure, init = elems, [ta.read(first) for ta in inputs]
            start = 1
        else:
            init_structure = initializer
            init = [convert_to_tensor(a) for a in nest.flatten(initializer)]
            start = 0
        outputs = [TensorArray(a.dtype, size=n, dynamic_size=False, infer_shape=infer_shape)
                   for a in init]
        if initializer is None:
            outputs = [ta.write(first, a) for ta, a in zip(outputs, init)]

        def body(i, acc, outs):
            k = n - 1 - i if reverse else i
            row = nest.pack_sequence_as(elems, [ta.read(k) for ta in inputs])
            new = nest.flatten(fn(nest.pack_sequence_as(init_structure, acc), row))
            nest.assert_same_structure(nest.flatten(init), new)
            return i + 1, new, [ta.write(k, v) for ta, v in zip(outs, new)]

        _, _, outs = while_loop(lambda i, *_: i < n, body, [start, init, outputs],
                                back_prop=back_prop, parallel_iterations=parallel_iterations)
        results = [_with_first_dim(ta.stack(), static) for ta in outs]
        return nest.pack_sequence_as(init_structure, results)


def _eager_scan(fn, elems, flat, initializer, reverse):
    rows = _eager_rows(flat, reverse)
    if initializer is None:
        structure, acc, rows, outs = elems, rows[0], rows[1:], [rows[0]]
    else:
        structure, acc, outs = initializer, nest.flatten(initializer), []
    for row in rows:
        acc = nest.flatten(fn(nest.pack_sequence_as(structure, acc),
                              nest.pack_sequence_as(elems, row)))
        outs.append(acc)
    if reverse:
        outs.reverse()
    return nest.pack_sequence_as(structure, [manip_ops.stack(list(c)) for c in zip(*outs)])


def _fold(fn, elems, initializer, parallel_iterations, back_prop, name, default, reverse):
    if not callable(fn):
        raise TypeError("fn must be callable.")
    flat = _elements(elems, "elems")
    if get_default_graph()._eager:
        rows = _eager_rows(flat, reverse)
        if initializer is None:
            structure, acc, rows = elems, rows[0], rows[1:]
        else:
            structure, acc = initializer, nest.flatten(initializer)
        for row in rows:
            acc = nest.flatten(fn(nest.pack_sequence_as(structure, acc),
                                  nest.pack_sequence_as(elems, row)))
        return nest.pack_sequence_as(structure, acc)
    with name_scope(name, default, flat):
        n, _ = _length(flat)
        inputs = _arrays_of(flat, n)
        if initializer is None:
            structure = elems
            acc = [ta.read(n - 1 if reverse else 0) for ta in inputs]
            start = 1
        else:
            structure, acc, start = initializer, [convert_to_tensor(a) for a in
                                                  nest.flatten(initializer)], 0

        def body(i, a):
            k = n - 1 - i if reverse else i
            row = nest.pack_sequence_as(elems, [ta.read(k) for ta in inputs])
            return i + 1, nest.flatten(fn(nest.pack_sequence_as(structure, a), row))

        _, result = while_loop(lambda i, _: i < n, body, [start, acc], back_prop=back_prop,
                               parallel_iterations=parallel_iterations)
        return nest.pack_sequence_as(structure, result)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Returns `fn` folded over the elements from the first: `a = fn(a, x)`.

    Args:
      fn: a function (accumulator, element) -> new accumulator.
      elems: a Tensor or (nested) structure of Tensors with the same first dimension.
      initializer: the first accumulator; default: the first element.
      parallel_iterations, swap_memory: accepted for TF's signature.
      back_prop: whether gradients flow through.
      name: a name scope (default "foldl").

    Returns:
      The last accumulator.

    Raises:
      TypeError: `fn` is not callable.
      ValueError: `elems` is empty or has a scalar.
    """
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, name, "foldl", False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Returns `fn` folded over the elements from the last: `a = fn(a, x)`.

    Args:
      fn: a function (accumulator, element) -> new accumulator.
      elems: a Tensor or (nested) structure of Tensors with the same first dimension.
      initializer: the first accumulator; default: the last element.
      parallel_iterations, swap_memory: accepted for TF's signature.
      back_prop: whether gradients flow through.
      name: a name scope (default "foldr").

    Returns:
      The last accumulator.

    Raises:
      TypeError: `fn` is not callable.
      ValueError: `elems` is empty or has a scalar.
    """
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, name, "foldr", True)


def vectorized_map(fn, elems, fallback_to_while_loop=True):
    """Returns `fn` applied to each element of `elems`, stacked: `map_fn`'s values.

    TF vectorizes `fn` (pfor); minitf runs it as `map_fn` (the same values, one iteration per
    element), so `fallback_to_while_loop` is always what happens.

    Args:
      fn: a function of one element.
      elems: a Tensor or (nested) structure of Tensors with the same first dimension.
      fallback_to_while_loop: accepted for TF's signature.

    Returns:
      The results stacked along axis 0.
    """
    flat = _elements(elems, "elems")
    probe = fn(nest.pack_sequence_as(elems, [e[0] for e in flat]))  # (the output dtypes)
    dtype = nest.map_structure(lambda t: convert_to_tensor(t).dtype, probe)
    return map_fn(fn, elems, dtype=dtype, name="loop_body")
