"""`tf.data.experimental`: the names TF1 programs use from it.

The transformations are functions for `Dataset.apply`; each gives the elements of TF's fused
op (`ShuffleAndRepeatDataset`, `MapAndBatchDataset`) through the plain ones.
"""
from minitf.data.dataset_ops import AUTOTUNE
from minitf.data.iterator_ops import get_output_classes, get_output_shapes, get_output_types

__all__ = ["AUTOTUNE", "get_output_classes", "get_output_shapes", "get_output_types",
           "map_and_batch", "shuffle_and_repeat", "unbatch"]


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """Returns `Dataset.apply`'s function shuffling and repeating a dataset (TF's order).

    Args:
      buffer_size: the shuffle buffer's size.
      count: the number of passes (None or -1: forever).
      seed: the op seed.
    """
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """Returns `Dataset.apply`'s function mapping then batching a dataset.

    Args:
      map_func: the function of an element, as for `Dataset.map`.
      batch_size: the number of elements in a batch.
      num_parallel_batches: accepted.
      drop_remainder: whether to drop a last, smaller batch.
      num_parallel_calls: accepted.
    """
    return lambda dataset: dataset.map(map_func).batch(batch_size, drop_remainder)


def unbatch():
    """Returns `Dataset.apply`'s function splitting a dataset's elements along dimension 0."""
    return lambda dataset: dataset.unbatch()
