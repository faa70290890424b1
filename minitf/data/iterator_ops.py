"""TF1's dataset iterators: one-shot, initializable and reinitializable (`from_structure`).

An iterator is a resource op (`IteratorV2`, `Iterator`, or `OneShotIterator`); its state lives
in the running Session's state (per session, as TF's iterator resource). `MakeIterator` (the
`initializer`) runs the dataset's ops, evaluating their inputs then (a fed placeholder, a
variable's value), and starts a pass; each run of `IteratorGetNext` gives the next element, and
`tf.errors.OutOfRangeError` ("End of sequence") past the last. A one-shot iterator starts its
pass on its first use in each session, and so takes no placeholder or stateful input.
"""
import threading

import numpy as np

from minitf.data import structure
from minitf.data.dataset_kernels import DATASET_TYPES
from minitf.data.dataset_ops import DatasetV1
from minitf.framework import dtypes, errors, random_seed
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.registry import register_op
from minitf.plan import compile_function, schedule

__all__ = ["Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes"]


def _scalar(*inputs, **attrs):
    return ()


def _resource(*inputs, **attrs):
    return dtypes.resource


@register_op("IteratorV2", shape=_scalar, dtype=_resource, stateful=True, differentiable=False)
def _iterator(state, op, *, shared_name, **attrs):
    return ("iterator", shared_name or op)


@register_op("OneShotIterator", shape=_scalar, dtype=_resource, stateful=True,
             differentiable=False)
def _one_shot(state, op, *, dataset, **attrs):
    key = ("iterator", op)
    if key not in state:  # (its first use in this session: the dataset's ops run now)
        with _LOCKS_GUARD:
            if key not in state:
                run = compile_function(state, [dataset], [], schedule([dataset], []))
                state[key] = run()[0].iterate()
    return key


@register_op("MakeIterator", shape=None, outputs=0, stateful=True, differentiable=False)
def _make_iterator(state, op, dataset, handle):
    state[handle] = dataset.iterate()


def _string(*inputs, **attrs):
    return dtypes.string


@register_op("IteratorToStringHandle", shape=_scalar, dtype=_string, stateful=True,
             differentiable=False)
def _to_string_handle(state, op, handle):
    name = handle[1] if isinstance(handle[1], str) else handle[1].name
    text = f"minitf-iterator:{name}".encode()
    state[("iterator_string_handle", text)] = handle
    return np.array(text, dtype=object)


@register_op("IteratorFromStringHandleV2", shape=_scalar, dtype=_resource, stateful=True,
             differentiable=False)
def _from_string_handle(state, op, text, **attrs):
    handle = state.get(("iterator_string_handle", bytes(np.asarray(text)[()])))
    if handle is None:
        raise errors.InvalidArgumentError(
            None, op, f"Could not parse the iterator handle {text!r}: fetch it with "
                      f"`iterator.string_handle()` in this session\n\t [[node {op.name}]]")
    return handle


def _next_shapes(handle, *, output_types, output_shapes):
    return list(output_shapes)


def _next_dtypes(handle, *, output_types, output_shapes):
    return list(output_types)


@register_op("IteratorGetNext", shape=_next_shapes, dtype=_next_dtypes, outputs="n",
             stateful=True, differentiable=False)
def _get_next(state, op, handle, **attrs):
    it = state.get(handle)
    if it is None:
        raise errors.FailedPreconditionError(
            None, op, "GetNext() failed because the iterator has not been initialized. Ensure "
                      "that you have run the initializer operation for this iterator before "
                      f"getting the next element.\n\t [[node {op.name}]]")
    try:
        with _lock(state, handle):  # (one pass: two threads' runs take turns)
            return list(next(it))
    except StopIteration:
        raise errors.OutOfRangeError(None, op, f"End of sequence\n\t [[node {op.name}]]") \
            from None
    except errors.OpError as exc:
        if exc.op is not None:
            raise
        raise type(exc)(None, op, f"{exc.message}\n\t [[node {op.name}]]") from None


_LOCKS_GUARD = threading.RLock()  # (a dataset op may nest a one-shot use)


def _lock(state, handle):
    lock = state.get(("iterator_lock", handle))
    if lock is None:
        with _LOCKS_GUARD:
            lock = state.setdefault(("iterator_lock", handle), threading.Lock())
    return lock


def _reduce_shapes(*inputs, f, **attrs):
    return [t._shape for t in f.outputs]


def _reduce_dtypes(*inputs, f, **attrs):
    return [t.dtype.base_dtype for t in f.outputs]


@register_op("ReduceDataset", shape=_reduce_shapes, dtype=_reduce_dtypes, outputs="n",
             stateful=True, differentiable=False)
def _reduce(state, op, dataset, *inputs, f, n_state, **attrs):
    run = structure.runner(state, op, f)
    values, caps = list(inputs[:n_state]), inputs[n_state:]
    for element in dataset.iterate():
        values = list(run(values + list(element), caps))
    return values


def reduce_dataset(dataset, initial_state, reduce_func):
    """The ReduceDataset op of `Dataset.reduce`: its result, in the state's structure."""
    initial = structure.to_tensors(initial_state, name="initial_state")
    specs = (structure.map_structure(structure.spec_of, initial), dataset._specs)
    body = structure.trace(get_default_graph(), reduce_func, specs, "reduce")
    flat = structure.flatten(initial)
    for t, out in zip(flat, body.outputs):
        if out.dtype.base_dtype != t.dtype.base_dtype:
            raise TypeError(f"The element types for the new state must match the initial "
                            f"state. Expected {t.dtype.base_dtype}; got {out.dtype.base_dtype}.")
    outs = _reduce.apply([dataset._variant] + flat + structure.captured(body),
                         name="ReduceDataset", f=body, n_state=len(flat))
    return structure.pack(initial, outs)


class Iterator(structure.ElementStructure):
    """A TF1 iterator over a dataset's elements (`tf.data.Iterator`).

    Make one with `Dataset.make_one_shot_iterator()`, `make_initializable_iterator()` or
    `Iterator.from_structure(...)` + `make_initializer(dataset)`.

    Args:
      iterator_resource: the iterator op's resource tensor.
      initializer: the op starting it (None for a one-shot or reinitializable iterator).
      specs: the TensorSpec structure of its elements.
    """

    def __init__(self, iterator_resource, initializer, specs):
        self._iterator_resource, self._initializer, self._specs = (
            iterator_resource, initializer, specs)

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None,
                       output_classes=None):
        """Returns a reinitializable iterator of elements of the given structure.

        The initializers `make_initializer(dataset)` makes start it, over any dataset of that
        structure.

        Args:
          output_types: the dtype structure of an element.
          output_shapes: the shape structure (default: unknown shapes).
          shared_name: accepted for TF's signature.
          output_classes: accepted for TF's signature.
        """
        specs = structure.specs_from(output_types, output_shapes)
        handle = _iterator.apply([], name="IteratorV2", shared_name=shared_name or "",
                                 output_types=[s.dtype for s in structure.flatten(specs)])
        return Iterator(handle, None, specs)

    @property
    def initializer(self):
        """The op (re)starting the iterator over its dataset.

        Raises:
          ValueError: the iterator has none (one-shot, or made by `from_structure`).
        """
        if self._initializer is None:
            raise ValueError(
                "The iterator does not have an initializer. This means it was likely created "
                "using `tf.data.Dataset.make_one_shot_iterator()`. For an initializable "
                "iterator, use `tf.data.Dataset.make_initializable_iterator()` instead.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """An op (re)starting this iterator over `dataset`.

        Args:
          dataset: a Dataset of this iterator's structure and dtypes.
          name: a name (default "make_initializer").

        Raises:
          TypeError: the dataset's structure, dtypes or shapes do not fit.
        """
        mine, theirs = structure.flatten(self._specs), structure.flatten(dataset._specs)
        if [s.dtype for s in mine] != [s.dtype for s in theirs]:
            raise TypeError(f"Expected output types {self.output_types!r} but got dataset "
                            f"with output types {dataset.output_types!r}.")
        if not all(a.shape.is_compatible_with(b.shape) for a, b in zip(mine, theirs)):
            raise TypeError(f"Expected output shapes compatible with {self.output_shapes!r} "
                            f"but got dataset with output shapes {dataset.output_shapes!r}.")
        return _make_iterator.apply([dataset._variant, self._iterator_resource],
                                    name=name or "make_initializer")

    def get_next(self, name=None):
        """Returns the next element's tensors, in the element's structure.

        Each run of them moves the iterator on by one element.

        Args:
          name: the op's name (default "IteratorGetNext").

        Returns:
          Tensors of the element's dtypes and static shapes.

        Raises:
          (when run) tf.errors.OutOfRangeError past the last element;
          tf.errors.FailedPreconditionError before the initializer ran.
        """
        flat = structure.flatten(self._specs)
        outs = _get_next.apply([self._iterator_resource], name=name or "IteratorGetNext",
                               output_types=[s.dtype for s in flat],
                               output_shapes=[structure.shape_tuple(s) for s in flat])
        return structure.pack(self._specs, outs)

    def string_handle(self, name=None):
        """Returns a string tensor naming this iterator, for `from_string_handle` feeds.

        Args:
          name: the op's name (default "IteratorToStringHandle").
        """
        return _to_string_handle.apply([self._iterator_resource],
                                       name=name or "IteratorToStringHandle")

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None,
                           output_classes=None):
        """Returns an iterator that reads whichever iterator `string_handle` names when run.

        Args:
          string_handle: a scalar tf.string tensor (a placeholder fed the value of another
            iterator's `string_handle()` in the same session).
          output_types: the dtype structure of an element.
          output_shapes: the shape structure (default: unknown shapes).
          output_classes: accepted for TF's signature.
        """
        specs = structure.specs_from(output_types, output_shapes)
        handle = _from_string_handle.apply(
            [convert_to_tensor(string_handle, dtype=dtypes.string)],
            name="IteratorFromStringHandleV2",
            output_types=[s.dtype for s in structure.flatten(specs)])
        return Iterator(handle, None, specs)


def _check_by_value(dataset):
    for op in schedule([dataset._variant], []):
        if op.type.startswith("Placeholder"):
            raise ValueError(f"Cannot capture a placeholder (name:{op.name}, type:{op.type}) "
                             "by value.")
        if op._opdef.stateful and op.type not in DATASET_TYPES:
            raise ValueError(
                f"Cannot capture a stateful node (name:{op.name}, type:{op.type}) by value.: "
                "A likely cause of this error is that the dataset for which you are calling "
                "`make_one_shot_iterator()` captures a stateful object, such as a "
                "`tf.Variable` or `tf.lookup.StaticHashTable`, which is not supported. Use "
                "`make_initializable_iterator()` instead.")


def one_shot_iterator(dataset):
    """`Dataset.make_one_shot_iterator()`: see there."""
    _check_by_value(dataset)
    random_seed.get_seed(None)  # (TF's takes an op seed for its dataset function's graph)
    flat = structure.flatten(dataset._specs)
    handle = _one_shot.apply([], name="OneShotIterator", dataset=dataset._variant,
                             output_types=[s.dtype for s in flat])
    return Iterator(handle, None, dataset._specs)


def initializable_iterator(dataset, shared_name=None):
    """`Dataset.make_initializable_iterator()`: see there."""
    flat = structure.flatten(dataset._specs)
    handle = _iterator.apply([], name="IteratorV2", shared_name=shared_name or "",
                             output_types=[s.dtype for s in flat])
    init = _make_iterator.apply([dataset._variant, handle], name="MakeIterator")
    return Iterator(handle, init, dataset._specs)


def make_one_shot_iterator(dataset):
    """An iterator over `dataset` started on its first use (`tf.data.make_one_shot_iterator`).

    Args:
      dataset: a Dataset.

    Raises:
      ValueError: the dataset captures a placeholder or a stateful op.
    """
    return one_shot_iterator(dataset)


def make_initializable_iterator(dataset, shared_name=None):
    """An iterator over `dataset` with an `initializer` (`tf.data.make_initializable_iterator`).

    Args:
      dataset: a Dataset.
      shared_name: accepted for TF's signature.
    """
    return initializable_iterator(dataset, shared_name)


def _of(dataset_or_iterator, what):
    if not isinstance(dataset_or_iterator, (DatasetV1, Iterator)):
        raise TypeError(f"Expected `dataset_or_iterator` to be a `tf.data.Dataset` or "
                        f"`tf.data.Iterator` object, but got {type(dataset_or_iterator)}.")
    return getattr(dataset_or_iterator, what)


def get_output_types(dataset_or_iterator):
    """The dtype structure of a dataset's or iterator's elements.

    Args:
      dataset_or_iterator: a Dataset or Iterator.

    Raises:
      TypeError: it is neither.
    """
    return _of(dataset_or_iterator, "output_types")


def get_output_shapes(dataset_or_iterator):
    """The TensorShape structure of a dataset's or iterator's elements.

    Args:
      dataset_or_iterator: a Dataset or Iterator.

    Raises:
      TypeError: it is neither.
    """
    return _of(dataset_or_iterator, "output_shapes")


def get_output_classes(dataset_or_iterator):
    """The class structure (tf.Tensor each) of a dataset's or iterator's elements.

    Args:
      dataset_or_iterator: a Dataset or Iterator.

    Raises:
      TypeError: it is neither.
    """
    return _of(dataset_or_iterator, "output_classes")
