"""The checkpoint-directory helpers of `tf.train`: waiting for new checkpoints
(`checkpoints_iterator`), their files' times, deleting one, and building a state proto.
Reading and writing the `checkpoint` state file itself is minitf/checkpoint/state.py."""
import glob
import os
import time

from minitf import tf_logging as logging
from minitf.checkpoint import npz, state

__all__ = ["checkpoints_iterator", "get_checkpoint_mtimes", "remove_checkpoint",
           "generate_checkpoint_state_proto"]


def _files(prefix):
    """The files of the checkpoint at `prefix`: minitf's `.npz`, TF's `.index`/`.data-*`."""
    found = [prefix + suffix for suffix in (npz.SUFFIX, ".index")
             if os.path.exists(prefix + suffix)]
    return found + sorted(glob.glob(glob.escape(prefix) + ".data-*"))


def _wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1,
                             timeout=None):
    """The newest checkpoint's prefix once it differs from `last_checkpoint`; None on timeout."""
    logging.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = state.latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            logging.info("Found new checkpoint at %s", path)
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new checkpoint of a directory as it appears (`tf.train`).

    It waits for the newest checkpoint to change, yields its prefix, and waits again (at least
    `min_interval_secs` after the previous one was yielded).

    Args:
      checkpoint_dir: the directory.
      min_interval_secs: the least seconds between two yields.
      timeout: the most seconds to wait for a new checkpoint (None: for ever).
      timeout_fn: called on a timeout: True ends the iteration, False waits again. Without
        it, a timeout ends the iteration.

    Yields:
      Checkpoint prefixes, newest at the time.

    >>> import os, tempfile
    >>> v = tf.Variable(1.0, name="v")
    >>> saver = tf.train.Saver()
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     _ = saver.save(sess, d + "/model.ckpt", global_step=7)
    ...     print([os.path.basename(p) for p in tf.train.checkpoints_iterator(d, timeout=0)])
    ['model.ckpt-7']
    """
    path = None
    while True:
        new_path = _wait_for_new_checkpoint(checkpoint_dir, path, timeout=timeout)
        if new_path is None:
            if not timeout_fn:
                logging.info("Timed-out waiting for a checkpoint.")
                return
            if timeout_fn():
                return
            continue
        start = time.time()
        path = new_path
        yield path
        wait = start + min_interval_secs - time.time()
        if wait > 0:
            time.sleep(wait)


def get_checkpoint_mtimes(checkpoint_prefixes):
    """Returns the modification times of checkpoints (`tf.train`, deprecated in TF).

    Args:
      checkpoint_prefixes: checkpoint prefixes.

    Returns:
      The times (seconds since the epoch) of those whose files exist, in order; a missing
      checkpoint is skipped.
    """
    mtimes = []
    for prefix in checkpoint_prefixes:
        files = _files(prefix)
        if files:
            mtimes.append(os.stat(files[0]).st_mtime)
    return mtimes


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=None,
                      meta_graph_suffix="meta"):
    """Deletes a checkpoint's files (`tf.train`).

    Args:
      checkpoint_prefix: the checkpoint's prefix.
      checkpoint_format_version: accepted for TF's signature (either format is removed).
      meta_graph_suffix: the suffix of a `.meta` file to delete too, if there is one.
    """
    files = _files(checkpoint_prefix)
    meta = f"{checkpoint_prefix}.{meta_graph_suffix}"
    for path in files + ([meta] if os.path.exists(meta) else []):
        try:
            os.remove(path)
        except OSError as e:
            logging.warning("Ignoring: %s", e)
    if not files:
        logging.warning("Ignoring: Failed to find any matching files for %s",
                        checkpoint_prefix)


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                    all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None,
                                    last_preserved_timestamp=None):
    """Returns the CheckpointState listing a directory's checkpoints (`tf.train`).

    The newest checkpoint is added to the end of the list if it is not last. When `save_dir`
    is relative, relative paths are made relative to it, as TF does.

    Args:
      save_dir: the checkpoints' directory.
      model_checkpoint_path: the newest checkpoint's prefix.
      all_model_checkpoint_paths: all the checkpoints kept, oldest first.
      all_model_checkpoint_timestamps: their save times (kept as an attribute).
      last_preserved_timestamp: kept as an attribute.

    Returns:
      A CheckpointState (`model_checkpoint_path`, `all_model_checkpoint_paths`).

    Raises:
      ValueError: the timestamps are not one per checkpoint.

    >>> s = tf.train.generate_checkpoint_state_proto("run", "run/model.ckpt-2",
    ...                                              ["run/model.ckpt-1"])
    >>> s.model_checkpoint_path, s.all_model_checkpoint_paths
    ('model.ckpt-2', ['model.ckpt-1', 'model.ckpt-2'])
    """
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        logging.info("%s is not in all_model_checkpoint_paths. Manually adding it.",
                     model_checkpoint_path)
        paths.append(model_checkpoint_path)
    if (all_model_checkpoint_timestamps is not None
            and len(all_model_checkpoint_timestamps) != len(paths)):
        raise ValueError(f"Checkpoint timestamps, if provided, must match checkpoint paths "
                         f"(got paths {paths} and timestamps "
                         f"{all_model_checkpoint_timestamps})")
    if not os.path.isabs(save_dir):
        def rel(p):
            return p if os.path.isabs(p) else os.path.relpath(p, save_dir)
        model_checkpoint_path = rel(model_checkpoint_path)
        paths = [rel(p) for p in paths]
    proto = state.CheckpointState(model_checkpoint_path, paths)
    proto.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps or [])
    proto.last_preserved_timestamp = last_preserved_timestamp
    return proto
