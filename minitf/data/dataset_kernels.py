"""The kernels of the dataset ops: each binds its inputs' values into a dataset value.

The ops (TF's types: `TensorSliceDataset`, `MapDataset`, `BatchDatasetV2`, ...) output a
variant scalar; their kernels run when an iterator is initialized and return a dataset value
(minitf/data/runtime.py). A function's body (map, filter, ...) is compiled once per session.
"""
import numpy as np

from minitf.data import runtime, structure
from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op


def _scalar(*inputs, **attrs):
    return ()


def _variant(*inputs, **attrs):
    return dtypes.variant


AUTOTUNE = -1  # (tf.data.experimental.AUTOTUNE: let TF choose)
DATASET_TYPES = set()  # (a one-shot iterator's dataset may hold these stateful ops)


def _dataset_op(type):
    DATASET_TYPES.add(type)
    return register_op(type, shape=_scalar, dtype=_variant, stateful=True,
                       differentiable=False)


def _ints(*values):
    return [int(np.asarray(v)) for v in values]


@_dataset_op("TensorSliceDataset")
def _slice_ds(state, op, *components, **attrs):
    return runtime.slices([runtime.strings(np.asarray(c)) for c in components])


@_dataset_op("TensorDataset")
def _tensor_ds(state, op, *components, **attrs):
    element = tuple(runtime.strings(np.asarray(c)) for c in components)
    return runtime.Dataset(lambda: iter([element]))


@_dataset_op("RangeDataset")
def _range_ds(state, op, start, stop, step, **attrs):
    return runtime.range_(*_ints(start, stop, step))


@_dataset_op("BatchDatasetV2")
def _batch_ds(state, op, ds, size, drop, **attrs):
    return runtime.batch(ds, int(size), bool(drop))


@_dataset_op("PaddedBatchDatasetV2")
def _padded_batch_ds(state, op, ds, size, *rest, n, **attrs):
    shapes = [[int(d) for d in np.ravel(s)] for s in rest[:n]]
    return runtime.padded_batch(ds, int(size), bool(rest[-1]), shapes, list(rest[n:2 * n]))


@_dataset_op("ShuffleDataset")
def _shuffle_ds(state, op, ds, size, seed, seed2, reshuffle_each_iteration, **attrs):
    return runtime.shuffle(ds, *_ints(size, seed, seed2), reshuffle_each_iteration)


@_dataset_op("RepeatDataset")
def _repeat_ds(state, op, ds, count, **attrs):
    return runtime.repeat(ds, int(count))


@_dataset_op("TakeDataset")
def _take_ds(state, op, ds, count, **attrs):
    return runtime.take(ds, int(count))


@_dataset_op("SkipDataset")
def _skip_ds(state, op, ds, count, **attrs):
    return runtime.skip(ds, int(count))


@_dataset_op("PrefetchDataset")
def _prefetch_ds(state, op, ds, size, **attrs):
    return ds  # (TF fills a buffer ahead on its own thread: the same elements)


@_dataset_op("ZipDataset")
def _zip_ds(state, op, *datasets, **attrs):
    return runtime.zip_(datasets)


@_dataset_op("ConcatenateDataset")
def _concat_ds(state, op, a, b, **attrs):
    return runtime.concatenate(a, b)


@_dataset_op("CacheDataset")
def _cache_ds(state, op, ds, filename, **attrs):
    return runtime.cache(ds)


@_dataset_op("ShardDataset")
def _shard_ds(state, op, ds, num_shards, index, **attrs):
    return runtime.shard(ds, *_ints(num_shards, index))


@_dataset_op("UnbatchDataset")
def _unbatch_ds(state, op, ds, **attrs):
    return runtime.unbatch(ds)


def _fn_ds(make):
    def kernel(state, op, ds, *rest, f, n_extra=0, **attrs):
        run = structure.runner(state, op, f)
        caps = rest[n_extra:]
        return make(ds, lambda e: run(e, caps), *rest[:n_extra])
    return kernel


_map_ds = _dataset_op("MapDataset")(_fn_ds(runtime.mapped))
_parallel_map_ds = _dataset_op("ParallelMapDatasetV2")(
    _fn_ds(lambda ds, fn, calls: runtime.mapped(ds, fn)))
_filter_ds = _dataset_op("FilterDataset")(_fn_ds(runtime.filtered))
_flat_map_ds = _dataset_op("FlatMapDataset")(_fn_ds(runtime.flat_mapped))
_interleave_ds = _dataset_op("InterleaveDataset")(_fn_ds(
    lambda ds, fn, cycle, block: runtime.interleaved(ds, fn, int(cycle), int(block))))


@_dataset_op("GeneratorDataset")
def _generator_ds(state, op, *args, generator, convert, **attrs):
    return runtime.generated(lambda: generator(*[_py(a) for a in args]), convert)


def _py(value):  # (TF passes a generator's args as NumPy values; strings as bytes)
    return value[()] if isinstance(value, np.ndarray) and value.dtype == object and \
        value.ndim == 0 else value


def _as_tuples(value):
    if isinstance(value, list):
        return tuple(value)
    return value


def _convert_component(value, spec):
    arr = np.asarray(value, dtype=spec.dtype.as_numpy_dtype)
    if spec.dtype == dtypes.string and arr.dtype == object:
        arr = np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                           otypes=[object])(arr) if arr.ndim else np.array(
            arr[()].encode() if isinstance(arr[()], str) else arr[()], dtype=object)
    if not spec.shape.is_compatible_with(arr.shape):
        raise errors.InvalidArgumentError(
            None, None, f"TypeError: `generator` yielded an element of shape {arr.shape} where "
                        f"an element of shape {spec.shape} was expected.")
    return arr
