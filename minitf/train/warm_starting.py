"""`tf.train.warm_start` and `tf.train.VocabInfo`: initialize a model's variables from a
checkpoint of an earlier model, remapping the rows (or columns) of vocabulary-backed ones.

Variables without a vocabulary go through `init_from_checkpoint`. A variable with a VocabInfo
gets an initializer that reads the old matrix from the checkpoint when it runs and puts old row
`line_of(old_vocab, new_vocab[i])` at row i (TF's GenerateVocabRemapping and LoadAndRemapMatrix);
entries new to the vocabulary and the OOV buckets come from the backup initializer. The
vocabulary files and the checkpoint are read when the initializer runs, as in TF.
"""
import collections

import numpy as np

from minitf import tf_logging as logging
from minitf.framework.api import device, get_collection
from minitf.framework.graph_keys import GraphKeys
from minitf.initializers import zeros_initializer
from minitf.ops import state_ops
from minitf.ops.manip_ops import concat
from minitf.partitioned import PartitionedVariable
from minitf.train import checkpoint_ops, checkpoint_utils
from minitf.variables import ResourceVariable, Variable

__all__ = ["VocabInfo", "warm_start"]


class VocabInfo(collections.namedtuple("VocabInfo", [
        "new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab", "old_vocab_size",
        "backup_initializer", "axis"])):
    """How to warm-start a variable whose rows (or columns) follow a vocabulary.

    `VocabInfo(new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
    backup_initializer=None, axis=0)`; an `axis` other than 0 or 1 raises ValueError.

    Attributes:
      new_vocab: the path of the new vocabulary file (one entry a line).
      new_vocab_size: how many entries of the new vocabulary the variable has.
      num_oov_buckets: how many out-of-vocabulary rows (columns) follow them.
      old_vocab: the path of the vocabulary file of the checkpoint's variable.
      old_vocab_size: how many entries of the old vocabulary to use; -1: all.
      backup_initializer: the initializer of new entries and OOV buckets; None: zeros.
      axis: 0 (rows follow the vocabulary) or 1 (columns do).

    >>> tf.train.VocabInfo("new.txt", 3, 1, "old.txt").old_vocab_size
    -1
    """

    def __new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
                backup_initializer=None, axis=0):
        if axis != 0 and axis != 1:
            raise ValueError("The only supported values for the axis argument are 0 and 1.  "
                             f"Provided axis: {axis}")
        return super().__new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab,
                               old_vocab_size, backup_initializer, axis)


# -- which variables -------------------------------------------------------------------------------
def _is_variable(x):
    return isinstance(x, Variable)


def _infer_var_name(var):
    # the checkpoint name of one variable, or of the full variable of a list of parts
    names = set()
    for v in var:
        if isinstance(v, PartitionedVariable):
            names.add(v.name)
        else:
            info = getattr(v, "_save_slice_info", None)
            names.add(info.full_name if info is not None else v.op.name)
    if len(names) > 1:
        raise TypeError(f"`var` = {var} passed as arg violates the constraints.  "
                        f"name_to_var_dict = {sorted(names)}")
    return names.pop()


def _as_parts(var):
    if _is_variable(var):
        return [var]
    if isinstance(var, list) and all(_is_variable(v) for v in var):
        return var
    if isinstance(var, PartitionedVariable):
        return var.get_variable_list()
    raise TypeError("var MUST be one of the following: a Variable, list of Variable or "
                    f"PartitionedVariable, but is {type(var)}")


def _grouped_variables(vars_to_warm_start):
    # {full variable name: [variable or parts]}, in collection order
    if isinstance(vars_to_warm_start, str) or vars_to_warm_start is None:
        found = get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            found = [v for scope in vars_to_warm_start
                     for v in get_collection(GraphKeys.GLOBAL_VARIABLES, scope=scope)]
        elif all(_is_variable(v) for v in vars_to_warm_start):
            found = vars_to_warm_start
        else:
            raise ValueError("If `vars_to_warm_start` is a list, it must be all `Variable` or "
                             f"all `str`.  Given types are {[type(v) for v in vars_to_warm_start]}")
    else:
        raise ValueError("`vars_to_warm_start must be a `list` or `str`.  Given type is "
                         f"{type(vars_to_warm_start)}")
    grouped = {}
    for v in found:
        grouped.setdefault(_infer_var_name(v if isinstance(v, list) else [v]), []).append(v)
    return grouped


# -- vocabulary remapping --------------------------------------------------------------------------
def _remapped(prefix, tensor_name, offset, n_rows, n_cols, vocab, initializer):
    """The rows offset..offset+n_rows of the old matrix, remapped (TF's _load_and_remap_matrix):
    the remappings and the matrix are computed when the initializer runs."""
    if vocab.axis == 0:
        rows, rows_present = checkpoint_ops.generate_vocab_remapping(
            vocab.new_vocab, vocab.old_vocab, offset, n_rows, vocab.old_vocab_size)
        cols, cols_present = np.zeros([0], np.int64), n_cols
    else:
        rows = np.arange(offset, offset + n_rows, dtype=np.int64)
        rows_present = n_rows
        cols, cols_present = checkpoint_ops.generate_vocab_remapping(
            vocab.new_vocab, vocab.old_vocab, 0, n_cols, vocab.old_vocab_size)
    # the backup initializer gives the missing cells, as a column (its shape is a tensor)
    fill = initializer([n_rows * n_cols - rows_present * cols_present, 1])
    return checkpoint_ops.load_and_remap_matrix(prefix, tensor_name, rows, cols, fill, n_rows,
                                                n_cols)


def _part_value(v_shape, offset, vocab, prefix, tensor_name, total_rows):
    """The initial value of one part (rows offset..) of a vocabulary-backed variable."""
    initializer = vocab.backup_initializer or zeros_initializer()
    if not callable(initializer):
        raise TypeError(f"initializer must be callable, instead of being {initializer} of type "
                        f"{type(initializer)}.")
    if vocab.axis == 0:
        row_size, n_cols, row_oov, col_oov = (vocab.new_vocab_size, v_shape[1],
                                              vocab.num_oov_buckets, 0)
    else:
        row_size, n_cols, row_oov, col_oov = total_rows, vocab.new_vocab_size, 0, \
            vocab.num_oov_buckets
    if v_shape[1] != n_cols + col_oov:
        raise ValueError(f"Expected 2nd dim of shape to be new_col_vocab_size ({n_cols}) + "
                         f"num_col_oov_buckets ({col_oov}) = {n_cols + col_oov}, but received "
                         f"shape: {v_shape}")
    if offset + v_shape[0] > row_size + row_oov:
        raise ValueError(f"Trying to initialize {v_shape[0]} additional rows after {offset} rows "
                         "have already been initialized, which would exceed expected total row "
                         f"count of new_row_vocab_size ({row_size}) + num_row_oov_buckets "
                         f"({row_oov}) = {row_size + row_oov}.")
    oov_rows = min(v_shape[0], max(0, offset + v_shape[0] - row_size))
    n_rows = v_shape[0] - oov_rows
    if offset > row_size:  # a part of OOV rows only
        return initializer(list(v_shape))
    value = _remapped(prefix, tensor_name, offset, n_rows, n_cols, vocab, initializer)
    if oov_rows > 0:
        value = concat([value, initializer([oov_rows, n_cols])], 0)
    if col_oov > 0:
        value = concat([value, initializer([n_rows + oov_rows, col_oov])], 1)
    return value


def _warm_start_with_vocab(var, ckpt, vocab, prev_tensor_name):
    if not (vocab.new_vocab and vocab.new_vocab_size and ckpt and vocab.old_vocab):
        raise ValueError("Invalid args: Must provide all of [current_vocab_path, "
                         "current_vocab_size, prev_ckpt, prev_vocab_path}.")
    parts = _as_parts(var)
    tensor_name = prev_tensor_name or _infer_var_name(parts)
    prefix = checkpoint_utils._prefix_of(ckpt)
    total_rows = sum(v.shape.as_list()[0] for v in parts)
    for v in parts:
        v._holder  # a deferred variable builds its ops first: its initializer is replaced
        info = getattr(v, "_save_slice_info", None)
        offset = info.var_offset[0] if info is not None else 0
        with v.graph.as_default(), device(v.device):
            value = _part_value(v.shape.as_list(), offset, vocab, prefix, tensor_name,
                                total_rows)
            opdef = (state_ops._assign_variable if isinstance(v, ResourceVariable)
                     else state_ops._assign)
            init = opdef.apply([v._variable, value], name="Assign")
        v._initializer_op = init if isinstance(v, ResourceVariable) else init.op


# -- warm_start ------------------------------------------------------------------------------------
def warm_start(ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
               var_name_to_prev_var_name=None):
    """Makes the initializers of a model's variables load them from an earlier checkpoint.

    Call it after building the model and before running its initializers. Variables named in
    `var_name_to_vocab_info` get their rows (or columns) remapped by vocabulary; the others
    are loaded as they are (`tf.train.init_from_checkpoint`).

    Args:
      ckpt_to_initialize_from: a checkpoint's prefix, or a directory (its latest checkpoint).
      vars_to_warm_start: a regular expression of the TRAINABLE_VARIABLES to warm-start (the
        default `'.*'`: all); a list of regular expressions over GLOBAL_VARIABLES; a list of
        Variables; or None: only the trainable variables that have a VocabInfo.
      var_name_to_vocab_info: a dict {full variable name: `tf.train.VocabInfo`}.
      var_name_to_prev_var_name: a dict {variable name: its name in the checkpoint}, for
        variables that were renamed.

    Raises:
      ValueError: a name in `var_name_to_vocab_info` or `var_name_to_prev_var_name` is not a
        variable being warm-started, `vars_to_warm_start` is of another type, or a tensor is
        missing from the checkpoint or has another shape.
      TypeError: a backup initializer is not callable.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with tf.Graph().as_default():
    ...         w = tf.get_variable("w", initializer=[1.0, 2.0])
    ...         with tf.Session() as sess:
    ...             sess.run(w.initializer)
    ...             _ = tf.train.Saver().save(sess, d + "/model.ckpt")
    ...     with tf.Graph().as_default():
    ...         w = tf.get_variable("w", [2])
    ...         tf.train.warm_start(d)
    ...         with tf.Session() as sess:
    ...             sess.run(tf.global_variables_initializer())
    ...             print(sess.run(w))
    [1. 2.]
    """
    logging.info(f"Warm-starting from: {ckpt_to_initialize_from}")
    grouped = _grouped_variables(vars_to_warm_start)
    vocab_infos = var_name_to_vocab_info or {}
    prev_names = var_name_to_prev_var_name or {}
    prev_used, vocab_used, vocabless, count = set(), set(), {}, 0
    for var_name, variable in grouped.items():
        prev_name = prev_names.get(var_name)
        if prev_name:
            prev_used.add(var_name)
        vocab = vocab_infos.get(var_name)
        if vocab:
            vocab_used.add(var_name)
            count += 1
            _warm_start_with_vocab(variable, ckpt_to_initialize_from, vocab, prev_name)
        elif vars_to_warm_start:
            count += 1
            var = variable[0] if len(variable) == 1 else variable
            if isinstance(var, PartitionedVariable):
                var = var.get_variable_list()
            elif _is_variable(var) and getattr(var, "_save_slice_info", None) is not None:
                var = [var]  # the one part of a variable cut in one
            tensor_name = prev_name or var_name
            if tensor_name in vocabless:
                # one tensor for two variables: a map cannot say that, so load in two calls
                checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, vocabless)
                vocabless.clear()
            vocabless[tensor_name] = var
    if vocabless:
        checkpoint_utils.init_from_checkpoint(ckpt_to_initialize_from, vocabless)
    logging.info("Warm-started %d variables.", count)
    unused_prev = set(prev_names) - prev_used
    if unused_prev:
        raise ValueError("You provided the following variables in var_name_to_prev_var_name "
                         f"that were not used: {unused_prev}.  Perhaps you misspelled them?  "
                         f"Here is the list of viable variable names: {grouped.keys()}")
    unused_vocab = set(vocab_infos) - vocab_used
    if unused_vocab:
        raise ValueError("You provided the following variables in var_name_to_vocab_info that "
                         f"were not used: {unused_vocab}.  Perhaps you misspelled them?  Here "
                         f"is the list of viable variable names: {grouped.keys()}")
