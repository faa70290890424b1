"""`tf.data.Dataset` as TF1 graph-mode programs use it: each method adds TF's dataset op.

A dataset is one op's variant output (`TensorSliceDataset`, `MapDataset`, `BatchDatasetV2`, ...,
TF's op types) and the TensorSpec structure of its elements. The op's kernel runs when an
iterator is initialized (minitf/data/iterator_ops.py): it binds its inputs' values (a fed
placeholder, a captured tensor) into a dataset value (minitf/data/runtime.py) whose passes give
the elements as NumPy values. Functions (`map`, `filter`, `flat_map`, `interleave`) are traced
once into a body the op runs per element (minitf/data/structure.py).
"""
import numpy as np

from minitf.data import structure
from minitf.data.dataset_kernels import (
    AUTOTUNE,
    _as_tuples,
    _batch_ds,
    _cache_ds,
    _concat_ds,
    _convert_component,
    _generator_ds,
    _padded_batch_ds,
    _prefetch_ds,
    _range_ds,
    _repeat_ds,
    _shard_ds,
    _shuffle_ds,
    _skip_ds,
    _slice_ds,
    _take_ds,
    _tensor_ds,
    _unbatch_ds,
    _zip_ds,
)
from minitf.data.function_ops import FunctionTransformations
from minitf.framework import dtypes, random_seed, tensor_shape
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.type_spec import TensorSpec

__all__ = ["Dataset", "DatasetV1", "AUTOTUNE"]


def _in_graph():
    if get_default_graph()._eager:
        raise RuntimeError("minitf's tf.data builds TF1 graphs: make datasets in graph mode "
                           "(inside `with tf.Graph().as_default():`) and read them through an "
                           "iterator in a Session")


def _const(value, dtype, name):
    return convert_to_tensor(value, dtype=dtype, name=name)


class DatasetV1(FunctionTransformations, structure.ElementStructure):
    """A TF1 `tf.data.Dataset`: a graph op making a dataset, and its elements' structure.

    Build one with `from_tensor_slices`, `from_tensors`, `range` or `from_generator`, chain
    transformations (`map`, `shuffle`, `batch`, `repeat`, ...), and read it through an iterator
    (`make_one_shot_iterator`, `make_initializable_iterator`): each `get_next` run gives one
    element; past the end it raises `tf.errors.OutOfRangeError`.

    >>> ds = tf.data.Dataset.range(5).map(lambda x: x * 2).batch(2)
    >>> ds.output_shapes
    TensorShape([Dimension(None)])
    >>> nxt = ds.make_one_shot_iterator().get_next()
    >>> with tf.Session() as sess:
    ...     print(sess.run(nxt), sess.run(nxt), sess.run(nxt))
    [0 2] [4 6] [8]

    Args:
      variant: the dataset op's variant output.
      specs: the TensorSpec structure of an element.
    """

    def __init__(self, variant, specs):
        self._variant, self._specs = variant, specs

    def _derived(self, opdef, inputs, specs=None, **attrs):
        specs = self._specs if specs is None else specs
        attrs["output_types"] = [s.dtype for s in structure.flatten(specs)]
        return DatasetV1(opdef.apply([self._variant] + list(inputs), **attrs), specs)

    # -- sources -----------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of `tensors` along their first dimension.

        Args:
          tensors: a tensor, or a tuple/dict structure of them, all of one first dimension (a
            list or NumPy array is one tensor).
          name: accepted for TF's signature.

        Returns:
          A Dataset whose elements have the components' shapes without the first dimension.

        Raises:
          ValueError: a component is a scalar, or the first dimensions differ.
        """
        _in_graph()
        tensors = structure.to_tensors(tensors)
        flat = structure.flatten(tensors)
        first = None
        for t in flat:
            if t._shape is not None and len(t._shape) == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if t._shape is not None and t._shape[0] is not None:
                if first is not None and first != t._shape[0]:
                    raise ValueError(f"Dimensions {first} and {t._shape[0]} are not compatible")
                first = t._shape[0]
        specs = structure.map_structure(lambda t: TensorSpec(
            None if t._shape is None else t._shape[1:], t.dtype.base_dtype), tensors)
        return DatasetV1(_slice_ds.apply(flat, name="TensorSliceDataset", Toutput_types=[
            t.dtype.base_dtype for t in flat]), specs)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: `tensors`.

        Args:
          tensors: a tensor, or a tuple/dict structure of them.
          name: accepted for TF's signature.
        """
        _in_graph()
        tensors = structure.to_tensors(tensors)
        flat = structure.flatten(tensors)
        return DatasetV1(_tensor_ds.apply(flat, name="TensorDataset"),
                         structure.map_structure(structure.spec_of, tensors))

    @staticmethod
    def range(*args, **kwargs):
        """A dataset of int64 scalars: `range(stop)`, `range(start, stop[, step])`.

        Args:
          *args: stop, or start, stop[, step], as Python's range.
          **kwargs: `output_type` (default tf.int64), `name`.

        Raises:
          ValueError: no arguments, or more than three.
        """
        _in_graph()
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to RangeDataset: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else 1)
        out = dtypes.as_dtype(kwargs.get("output_type", dtypes.int64))
        inputs = [_const(v, dtypes.int64, n) for v, n in
                  ((start, "start"), (stop, "stop"), (step, "step"))]
        ds = DatasetV1(_range_ds.apply(inputs, name="RangeDataset"),
                       TensorSpec([], dtypes.int64))
        return ds if out == dtypes.int64 else ds.map(lambda x: _cast(x, out))

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """A dataset of the values `generator(*args)` yields, converted to `output_types`.

        Args:
          generator: a callable returning an iterable (called anew for each pass).
          output_types: the dtype structure of an element.
          output_shapes: the shape structure (default: unknown shapes).
          args: tensors evaluated when the iterator is initialized, passed to `generator`
            as NumPy values.
          output_signature: a TensorSpec structure, instead of types and shapes.
          name: accepted for TF's signature.

        Raises:
          TypeError: neither `output_types` nor `output_signature` is given.
        """
        _in_graph()
        if output_signature is not None:
            specs = output_signature
        elif output_types is None:
            raise TypeError("The `output_types` argument can not be None.")
        else:
            specs = structure.specs_from(output_types, output_shapes)
        arg_tensors = [convert_to_tensor(a, name="args") for a in (args or ())]
        flat = structure.flatten(specs)

        def convert(value):
            values = structure.flatten_like(specs, _as_tuples(value))
            return tuple(_convert_component(v, s) for v, s in zip(values, flat))
        return DatasetV1(_generator_ds.apply(arg_tensors, name="GeneratorDataset",
                                             generator=generator, convert=convert), specs)

    @staticmethod
    def zip(datasets, name=None):
        """A dataset of tuples (or dicts) of the elements of `datasets`, until one ends.

        Args:
          datasets: a tuple or dict structure of datasets.
          name: accepted for TF's signature.
        """
        flat = structure.flatten(datasets)
        specs = structure.map_structure(lambda d: d._specs, datasets)
        variant = _zip_ds.apply([d._variant for d in flat], name="ZipDataset",
                                output_types=[s.dtype for s in structure.flatten(specs)])
        return DatasetV1(variant, specs)

    # -- transformations ---------------------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """A dataset of `batch_size` consecutive elements stacked (the last may be smaller).

        Args:
          batch_size: the number of elements in a batch.
          drop_remainder: whether to drop a last, smaller batch (then the batch dimension is
            static).
          num_parallel_calls: accepted.
          deterministic: accepted.
          name: accepted for TF's signature.
        """
        size = _const(batch_size, dtypes.int64, "batch_size")
        drop = _const(drop_remainder, dtypes.bool, "drop_remainder")
        n = _static_int(batch_size) if drop_remainder is True else None
        specs = structure.map_structure(lambda s: TensorSpec(
            tensor_shape.TensorShape([n]).concatenate(s.shape), s.dtype), self._specs)
        return self._derived(_batch_ds, [size, drop], specs, name="BatchDatasetV2")

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """`batch`, padding each component to `padded_shapes` (default: the batch's largest).

        Args:
          batch_size: the number of elements in a batch.
          padded_shapes: a structure of shapes (None or -1 dims pad to the batch's largest).
          padding_values: a structure of scalars to pad with (default 0, or b"" for strings).
          drop_remainder: whether to drop a last, smaller batch.
          name: accepted for TF's signature.
        """
        flat = structure.flatten(self._specs)
        shapes = ([s.shape for s in flat] if padded_shapes is None else
                  structure.flatten_like(self._specs, padded_shapes))
        shapes = [tensor_shape.as_shape([None if d == -1 else d for d in (
            s.as_list() if isinstance(s, tensor_shape.TensorShape) else s)]) for s in shapes]
        for s, f in zip(shapes, flat):
            if not s.is_compatible_with(f.shape):
                raise ValueError(f"The padded shape {s} is not compatible with the shape "
                                 f"{f.shape} of the corresponding input component.")
        values = ([None] * len(flat) if padding_values is None else
                  structure.flatten_like(self._specs, padding_values))
        values = [_const(v if v is not None else (b"" if s.dtype == dtypes.string else 0),
                         s.dtype, "padding_value") for v, s in zip(values, flat)]
        shape_ts = [_const([-1 if d is None else d for d in s.as_list()], dtypes.int64,
                           "padded_shapes") for s in shapes]
        n = _static_int(batch_size) if drop_remainder is True else None
        specs = structure.pack(self._specs, [TensorSpec(tensor_shape.TensorShape([n])
                                                        .concatenate(s), f.dtype)
                                             for s, f in zip(shapes, flat)])
        inputs = [_const(batch_size, dtypes.int64, "batch_size")] + shape_ts + values + [
            _const(drop_remainder, dtypes.bool, "drop_remainder")]
        return self._derived(_padded_batch_ds, inputs, specs, name="PaddedBatchDatasetV2",
                             n=len(flat))

    def unbatch(self, name=None):
        """A dataset of the slices of each element along its first dimension.

        Args:
          name: accepted for TF's signature.
        """
        specs = structure.map_structure(lambda s: TensorSpec(s.shape[1:], s.dtype)
                                        if s.shape.ndims else s, self._specs)
        return self._derived(_unbatch_ds, [], specs, name="UnbatchDataset")

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """A dataset of this one's elements drawn at random from a buffer of `buffer_size`.

        The order for given seeds is TF's (Philox draws as TF's ShuffleDataset kernel).

        Args:
          buffer_size: the buffer's size (the number of elements, for a full shuffle).
          seed: the op seed (with the graph seed, as `tf.set_random_seed`).
          reshuffle_each_iteration: whether each pass (each repeat) draws another order
            (default True).
          name: accepted for TF's signature.
        """
        size = _const(buffer_size, dtypes.int64, "buffer_size")
        seed, seed2 = random_seed.get_seed(seed)
        seeds = [_const(0 if seed is None else seed, dtypes.int64, "seed"),
                 _const(0 if seed2 is None else seed2, dtypes.int64, "seed2")]
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        return self._derived(_shuffle_ds, [size] + seeds, name="ShuffleDataset",
                             reshuffle_each_iteration=reshuffle)

    def repeat(self, count=None, name=None):
        """Returns this dataset `count` times over.

        Args:
          count: the number of passes (None or -1: forever).
          name: accepted for TF's signature.
        """
        count = _const(-1 if count is None else count, dtypes.int64, "count")
        return self._derived(_repeat_ds, [count], name="RepeatDataset")

    def take(self, count, name=None):
        """Returns the first `count` elements.

        Args:
          count: the number of elements (-1: all).
          name: accepted for TF's signature.
        """
        return self._derived(_take_ds, [_const(count, dtypes.int64, "count")],
                             name="TakeDataset")

    def skip(self, count, name=None):
        """Returns the elements after the first `count`.

        Args:
          count: the number of elements skipped (-1: all of them).
          name: accepted for TF's signature.
        """
        return self._derived(_skip_ds, [_const(count, dtypes.int64, "count")],
                             name="SkipDataset")

    def shard(self, num_shards, index, name=None):
        """Returns every `num_shards`-th element, from the `index`-th on.

        Args:
          num_shards: the number of shards.
          index: this shard's index, in [0, num_shards).
          name: accepted for TF's signature.
        """
        inputs = [_const(num_shards, dtypes.int64, "num_shards"),
                  _const(index, dtypes.int64, "index")]
        return self._derived(_shard_ds, inputs, name="ShardDataset")

    def prefetch(self, buffer_size, name=None):
        """Returns the same elements (TF reads ahead on a thread; minitf reads when asked).

        Args:
          buffer_size: the elements read ahead (accepted; AUTOTUNE too).
          name: accepted for TF's signature.
        """
        return self._derived(_prefetch_ds, [_const(buffer_size, dtypes.int64, "buffer_size")],
                             name="PrefetchDataset")

    def cache(self, filename="", name=None):
        """The same elements, kept in memory by the first pass and replayed by later ones.

        Args:
          filename: accepted ("" only: minitf caches in memory).
          name: accepted for TF's signature.
        """
        return self._derived(_cache_ds, [_const(filename, dtypes.string, "filename")],
                             name="CacheDataset")

    def concatenate(self, dataset, name=None):
        """Returns this dataset's elements, then `dataset`'s.

        Args:
          dataset: a Dataset of the same structure and dtypes.
          name: accepted for TF's signature.

        Raises:
          TypeError: the structures or dtypes differ.
        """
        a, b = structure.flatten(self._specs), structure.flatten(dataset._specs)
        if len(a) != len(b) or any(x.dtype != y.dtype for x, y in zip(a, b)):
            raise TypeError(f"Incompatible dataset elements:\n  {self._specs} vs.   "
                            f"{dataset._specs}")
        specs = structure.pack(self._specs, [TensorSpec(structure.merge_shapes(
            x.shape, y.shape), x.dtype) for x, y in zip(a, b)])
        return self._derived(_concat_ds, [dataset._variant], specs, name="ConcatenateDataset")

    def enumerate(self, start=0, name=None):
        """Returns a dataset of (index, element) pairs.

        Args:
          start: the first index (the indices are int64).
          name: accepted for TF's signature.
        """
        return DatasetV1.zip((DatasetV1.range(start, np.iinfo(np.int64).max), self))

    def apply(self, transformation_func):
        """Returns `transformation_func(self)`.

        Args:
          transformation_func: a function of a Dataset returning a Dataset.
        """
        return transformation_func(self)

    def reduce(self, initial_state, reduce_func, name=None):
        """The state `reduce_func(state, element)` leaves after every element (a tensor op).

        Args:
          initial_state: tensors (a structure): the first state.
          reduce_func: a function of (state, element) returning the next state.
          name: accepted for TF's signature.
        """
        from minitf.data.iterator_ops import reduce_dataset
        return reduce_dataset(self, initial_state, reduce_func)

    # -- iterators (TF1) ---------------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator over this dataset, initialized on its first use in each session.

        Raises:
          ValueError: the dataset captures a placeholder or a stateful op (a variable), which
            only an initializable iterator can take.
        """
        from minitf.data.iterator_ops import one_shot_iterator
        return one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator whose `initializer` (re)starts it, evaluating the dataset's inputs then.

        Args:
          shared_name: accepted for TF's signature.
        """
        from minitf.data.iterator_ops import initializable_iterator
        return initializable_iterator(self, shared_name)

    def __iter__(self):
        raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager "
                           "mode or within tf.function.")


Dataset = DatasetV1


def _static_int(value):
    try:
        return int(value)
    except TypeError:
        from minitf.framework.tensor_util import constant_value
        v = constant_value(value)
        return None if v is None else int(v)


def _cast(x, dtype):
    from minitf.ops import math_ops
    return math_ops.cast(x, dtype)
