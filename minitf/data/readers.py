"""`tf.data.TextLineDataset`: the lines of text files as a dataset of strings."""
import gzip
import zlib

import numpy as np

from minitf.data import runtime
from minitf.data.dataset_kernels import _dataset_op
from minitf.data.dataset_ops import DatasetV1
from minitf.framework import dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.type_spec import TensorSpec

__all__ = ["TextLineDataset"]


@_dataset_op("TextLineDataset")
def _text_line_ds(state, op, filenames, compression_type, buffer_size, **attrs):
    names = [bytes(n).decode() for n in np.ravel(filenames)]
    kind = bytes(np.asarray(compression_type)[()]).decode()
    if kind not in ("", "GZIP", "ZLIB"):
        raise errors.InvalidArgumentError(None, op, f"Unsupported compression_type: {kind}.")
    return runtime.Dataset(lambda: _lines(names, kind, op))


def _lines(names, kind, op):
    for name in names:
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError as exc:
            raise errors.NotFoundError(None, op, f"{name}; {exc.strerror}") from None
        if kind == "GZIP":
            data = gzip.decompress(data)
        elif kind == "ZLIB":
            data = zlib.decompress(data)
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":  # (a final newline ends the last line, adds none)
            lines.pop()
        for line in lines:  # (TF drops the "\r" of a "\r\n" line end too)
            yield (np.array(line[:-1] if line.endswith(b"\r") else line, dtype=object),)


class TextLineDataset(DatasetV1):
    """A dataset of the lines of text files (without their line ends), file after file.

    Args:
      filenames: a file name, or a list or 1-D string tensor of them.
      compression_type: "" (default), "GZIP" or "ZLIB".
      buffer_size: accepted for TF's signature.
      num_parallel_reads: accepted (files are read in order).
      name: accepted for TF's signature.
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        from minitf.ops import array_ops
        names = array_ops.reshape(convert_to_tensor(filenames, dtype=dtypes.string,
                                                    name="filenames"), [-1])
        inputs = [names, convert_to_tensor(compression_type or "", dtype=dtypes.string,
                                           name="compression_type"),
                  convert_to_tensor(buffer_size or 256 * 1024, dtype=dtypes.int64,
                                    name="buffer_size")]
        super().__init__(_text_line_ds.apply(inputs, name="TextLineDataset"),
                         TensorSpec([], dtypes.string))
