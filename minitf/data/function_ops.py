"""The Dataset transformations that trace a function: `map`, `filter`, `flat_map`, `interleave`.

Each traces its function once into a body (minitf/data/structure.py) that its op
(`MapDataset`, `ParallelMapDatasetV2`, `FilterDataset`, `FlatMapDataset`, `InterleaveDataset`)
runs per element; the tensors the function captures are the op's inputs after its dataset.
"""
import os

from minitf.data import structure
from minitf.data.dataset_kernels import (
    AUTOTUNE,
    _filter_ds,
    _flat_map_ds,
    _interleave_ds,
    _map_ds,
    _parallel_map_ds,
)
from minitf.framework import dtypes
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph

__all__ = ["FunctionTransformations"]


def _const(value, dtype, name):
    return convert_to_tensor(value, dtype=dtype, name=name)


class FunctionTransformations:
    """The function-tracing transformations of a Dataset (a base of `tf.data.Dataset`)."""

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """A dataset of `map_func(element)` (a tuple element is unpacked into arguments).

        Args:
          map_func: a function of an element's components, returning tensors (a structure).
          num_parallel_calls: accepted (elements are mapped in order, one at a time).
          deterministic: accepted.
          name: accepted for TF's signature.
        """
        body = structure.trace(get_default_graph(), map_func, self._specs, "map")
        specs = structure.map_structure(structure.spec_of, body.structure)
        caps = structure.captured(body)
        if num_parallel_calls is None:
            return self._derived(_map_ds, caps, specs, name="MapDataset", f=body)
        calls = _const(num_parallel_calls, dtypes.int64, "num_parallel_calls")
        return self._derived(_parallel_map_ds, [calls] + caps, specs,
                             name="ParallelMapDatasetV2", f=body, n_extra=1)

    def filter(self, predicate, name=None):
        """A dataset of the elements for which `predicate` gives True.

        Args:
          predicate: a function of an element returning a scalar tf.bool tensor.
          name: accepted for TF's signature.

        Raises:
          ValueError: the predicate returns something else.
        """
        body = structure.trace(get_default_graph(), predicate, self._specs, "filter")
        out = body.outputs
        if len(out) != 1 or out[0].dtype.base_dtype != dtypes.bool or out[0]._shape not in (
                (), None):
            returned = structure.map_structure(structure.spec_of, body.structure)
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             f"tensor, but its return type is {returned}.")
        return self._derived(_filter_ds, structure.captured(body), name="FilterDataset",
                             f=body)

    def flat_map(self, map_func, name=None):
        """A dataset of the elements of the datasets `map_func(element)` returns, in order.

        Args:
          map_func: a function of an element returning a Dataset.
          name: accepted for TF's signature.
        """
        body, specs = self._dataset_fn(map_func, "flat_map")
        return self._derived(_flat_map_ds, structure.captured(body), specs,
                             name="FlatMapDataset", f=body)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """`flat_map` taking `block_length` elements from `cycle_length` datasets in turn.

        Args:
          map_func: a function of an element returning a Dataset.
          cycle_length: the datasets open at once (default and AUTOTUNE: the CPU count).
          block_length: the elements taken from one before moving on (default 1).
          num_parallel_calls: accepted.
          deterministic: accepted.
          name: accepted for TF's signature.
        """
        body, specs = self._dataset_fn(map_func, "interleave")
        cycle = cycle_length if cycle_length not in (None, AUTOTUNE) else os.cpu_count() or 1
        extra = [_const(cycle, dtypes.int64, "cycle_length"),
                 _const(block_length or 1, dtypes.int64, "block_length")]
        return self._derived(_interleave_ds, extra + structure.captured(body), specs,
                             name="InterleaveDataset", f=body, n_extra=2)

    def _dataset_fn(self, map_func, what):
        holder = []

        def fn(*args):
            ds = map_func(*args)
            if not hasattr(ds, "_variant"):
                raise TypeError(f"`map_func` must return a `Dataset` object. Got "
                                f"{type(ds)!r}.")
            holder.append(ds)
            return ds
        fn.__name__ = getattr(map_func, "__name__", "fn")
        body = structure.trace(get_default_graph(), fn, self._specs, what)
        return body, holder[0]._specs
