"""`tf.data` for TF1 graph-mode programs: datasets, their iterators, and `OutOfRangeError`."""
from minitf.data import experimental
from minitf.data.dataset_ops import AUTOTUNE, Dataset
from minitf.data.iterator_ops import (
    Iterator,
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)
from minitf.data.readers import TextLineDataset

__all__ = ["AUTOTUNE", "Dataset", "Iterator", "TextLineDataset", "experimental",
           "get_output_classes", "get_output_shapes", "get_output_types",
           "make_initializable_iterator", "make_one_shot_iterator"]
