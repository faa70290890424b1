"""The ops `tf.train.warm_start` remaps vocabulary-backed matrices with (TF's checkpoint_ops):
GenerateVocabRemapping (for each new vocabulary entry, its line in the old vocabulary) and
LoadAndRemapMatrix (a checkpoint's matrix with its rows and columns moved by such remappings,
the cells without an old value filled from given values). Both read their files when they run.
"""
import numpy as np

from minitf import checkpoint
from minitf.framework import dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.gfile import GFile


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _lines(path, limit=-1):
    # a vocabulary: one entry a line, the whole line (without its "\n" or "\r\n")
    with GFile(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    if limit != -1:
        if limit > len(lines):
            raise _invalid(f"Invalid vocab_size in {path}: expected {limit} but got "
                           f"{len(lines)}")
        lines = lines[:limit]
    return lines


def _path(value, which):
    if np.ndim(value) != 0:
        raise _invalid(f"{which}_vocab_file should be a single string, but got "
                       f"{list(np.shape(value))}")
    path = value.item() if hasattr(value, "item") else value
    path = path.decode() if isinstance(path, bytes) else str(path)
    if not path:
        raise _invalid("new vocab filename cannot be empty.")
    return path


@register_op("GenerateVocabRemapping", shape=lambda new, old, **a: [(a["num_new_vocab"],), ()],
             dtype=lambda *_, **a: [dtypes.int64, dtypes.int32], outputs="n", stateful=True,
             differentiable=False)
def _generate_vocab_remapping(state, op, new_vocab_file, old_vocab_file, *, new_vocab_offset,
                              num_new_vocab, old_vocab_size):
    new = _lines(_path(new_vocab_file, "new"))
    if new_vocab_offset + num_new_vocab > len(new):
        raise _invalid("lookup table size must be larger than last new vocab entry's line")
    old_path = _path(old_vocab_file, "old")
    index = {}
    for i, word in enumerate(_lines(old_path, old_vocab_size)):
        if index.setdefault(word, i) != i:
            raise errors.FailedPreconditionError(
                None, op, f"HashTable has different value for same key. Key "
                f"{word.decode(errors='replace')} has {index[word]} and trying to add value {i}")
    remapping = np.array([index.get(w, -1) for w in
                          new[new_vocab_offset:new_vocab_offset + num_new_vocab]], np.int64)
    return [remapping, np.int32(np.count_nonzero(remapping >= 0))]


def generate_vocab_remapping(new_vocab_file, old_vocab_file, new_vocab_offset, num_new_vocab,
                             old_vocab_size=-1, name=None):
    """For entries `new_vocab_offset ..` of a new vocabulary, their lines in an old one.

    Args:
      new_vocab_file, old_vocab_file: paths of vocabulary files (one entry a line).
      new_vocab_offset: the first new entry (line) to map.
      num_new_vocab: how many new entries to map.
      old_vocab_size: how many old entries to consider; -1: all.
      name: a name for the op.

    Returns:
      (remapping, num_present): int64 [num_new_vocab], the old line of each new entry or -1;
      and the int32 count of entries found.
    """
    return _generate_vocab_remapping.apply(
        [convert_to_tensor(new_vocab_file, dtypes.string),
         convert_to_tensor(old_vocab_file, dtypes.string)], name=name or "GenerateVocabRemapping",
        new_vocab_offset=int(new_vocab_offset), num_new_vocab=int(num_new_vocab),
        old_vocab_size=int(old_vocab_size))


def _present(remapping):
    # TF inverts a remapping: one old id may not go to two new ids
    found = remapping[remapping >= 0]
    _, first, counts = np.unique(found, return_index=True, return_counts=True)
    if (counts > 1).any():
        old = np.unique(found)[counts > 1][0]
        at = np.flatnonzero(remapping == old)
        raise errors.UnimplementedError(None, None, f"Old ID {old} is mapped to both new ID "
                                        f"{at[0]} and {at[1]}, which is not supported.")
    return remapping >= 0


@register_op("LoadAndRemapMatrix", shape=lambda *inputs, num_rows, num_cols, **a: (
    num_rows, num_cols), dtype=lambda *_, **a: dtypes.float32, stateful=True,
    differentiable=False)
def _load_and_remap_matrix(state, op, ckpt_path, old_tensor_name, row_remapping, col_remapping,
                           initializing_values, *, num_rows, num_cols, max_rows_in_memory):
    if row_remapping.ndim != 1:
        raise _invalid("The `row_remapping` tensor must be 1-D, got a tensor of shape "
                       f"{list(row_remapping.shape)}")
    if row_remapping.size != num_rows:
        raise _invalid(f"Size of row_remapping is {row_remapping.size} instead of being equal "
                       f"to num_rows={num_rows}")
    rows_present = _present(row_remapping)
    remap_cols = col_remapping.size > 0
    if remap_cols and col_remapping.size != num_cols:
        raise _invalid(f"Provided col_remapping, but its size is {col_remapping.size} instead "
                       f"of being equal to num_cols={num_cols}")
    cols_present = _present(col_remapping) if remap_cols else np.ones(num_cols, bool)
    name = old_tensor_name.item()
    name = name.decode() if isinstance(name, bytes) else str(name)
    path = ckpt_path.reshape(-1)[0]
    reader = checkpoint.open_checkpoint(path.decode() if isinstance(path, bytes) else path)
    try:
        dtype, shape = reader.dtype(name), list(reader.shape(name))
        if dtype != dtypes.float32:
            raise _invalid(f"Tensor {name} has invalid type {dtype.name} instead of expected "
                           "type float")
        if len(shape) != 2:
            raise _invalid(f"Tensor {name} has shape {shape} of invalid rank {len(shape)} "
                           "instead of expected shape of rank 2.")
        if not remap_cols and num_cols != shape[1]:
            raise _invalid(f"Tensor {name} has shape {shape}, where the size of its 2nd "
                           f"dimension is {shape[1]} instead of being equal to "
                           f"num_cols={num_cols}")
        old = reader.tensor(name) if rows_present.any() else np.zeros([0, shape[1]], np.float32)
    finally:
        reader.close()
    cols = col_remapping if remap_cols else np.arange(num_cols)
    for ids, size, what in ((row_remapping, shape[0], "rows"), (cols, shape[1], "columns")):
        if ids.size and ids.max() >= size:
            raise _invalid(f"Tensor {name} has {size} {what}; {ids.max()} was asked for")
    out = np.zeros((num_rows, num_cols), np.float32)
    known = rows_present[:, None] & cols_present[None, :]
    if known.any():
        out[known] = old[np.ix_(np.maximum(row_remapping, 0), np.maximum(cols, 0))][known]
    fill = initializing_values.reshape(-1)
    missing = int(known.size - np.count_nonzero(known))
    if fill.size < missing:
        raise _invalid(f"initializing_values contained {fill.size} elements, but more missing "
                       "values remain.")
    if fill.size > missing:
        raise _invalid(f"initializing_values contained {fill.size} elements, but only {missing} "
                       "elements were used to fill in missing values.")
    out[~known] = fill  # (row-major order, as TF's)
    return out


def load_and_remap_matrix(ckpt_path, old_tensor_name, row_remapping, col_remapping,
                          initializing_values, num_rows, num_cols, max_rows_in_memory=-1,
                          name=None):
    """A checkpoint's float32 matrix with its rows and columns moved by remappings.

    Args:
      ckpt_path: the checkpoint's prefix (a string).
      old_tensor_name: the matrix's name in the checkpoint.
      row_remapping: int64 [num_rows]: the old row of each new row, or -1 (a new row).
      col_remapping: int64 [num_cols], the same for the columns; or empty: the old columns.
      initializing_values: float32 values for the cells without an old value, in row-major
        order; exactly as many as there are such cells.
      num_rows, num_cols: the shape of the result.
      max_rows_in_memory: TF reads the old matrix in slices of this many rows (minitf reads
        it whole).
      name: a name for the op.

    Returns:
      A float32 Tensor [num_rows, num_cols].
    """
    return _load_and_remap_matrix.apply(
        [convert_to_tensor(ckpt_path, dtypes.string),
         convert_to_tensor(old_tensor_name, dtypes.string),
         convert_to_tensor(row_remapping, dtypes.int64),
         convert_to_tensor(col_remapping, dtypes.int64),
         convert_to_tensor(initializing_values, dtypes.float32)],
        name=name or "LoadAndRemapMatrix", num_rows=int(num_rows), num_cols=int(num_cols),
        max_rows_in_memory=int(max_rows_in_memory))
