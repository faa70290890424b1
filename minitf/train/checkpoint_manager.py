"""`tf.train.CheckpointManager`: numbered saves of a `tf.train.Checkpoint` in one directory,
keeping the newest `max_to_keep` (and one every `keep_checkpoint_every_n_hours`), recorded in
the directory's `checkpoint` state file with their save times, as TF records them, so a new
manager (or TF's) takes over an existing directory."""
import collections
import glob
import os
import time

import numpy as np

from minitf import tf_logging as logging
from minitf.checkpoint import state
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor, get_default_session
from minitf.train.object_checkpoint import CheckpointOptions
from minitf.train.restore_status import session_of
from minitf.variables import Variable

__all__ = ["CheckpointManager"]


class CheckpointManager:
    """Saves numbered checkpoints of a `tf.train.Checkpoint` and deletes old ones.

    Args:
      checkpoint: the `tf.train.Checkpoint` to save and restore.
      directory: where to write checkpoints (and the `checkpoint` state file).
      max_to_keep: how many of the newest checkpoints to keep (None: all).
      keep_checkpoint_every_n_hours: also keep, for good, one checkpoint per this many hours.
      checkpoint_name: the checkpoints' prefix in `directory` (`<name>-<number>`).
      step_counter: a variable or tensor read by `save` when `checkpoint_interval` is set.
      checkpoint_interval: the least number of steps between two saves.
      init_fn: called by `restore_or_initialize` when there is no checkpoint.

    Raises:
      ValueError: `max_to_keep` is not positive or None, or `checkpoint_interval` is given
        without `step_counter`.

    >>> import tempfile
    >>> v = tf.Variable(1.0, name="v")
    >>> ckpt = tf.train.Checkpoint(v=v)
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     manager = tf.train.CheckpointManager(ckpt, d, max_to_keep=2)
    ...     for _ in range(3):
    ...         _ = manager.save()
    ...     print([p[len(d) + 1:] for p in manager.checkpoints], manager.latest_checkpoint[len(d):])
    ['ckpt-2', 'ckpt-3'] /ckpt-3
    """

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        self._checkpoint = checkpoint
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._init_fn = init_fn
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not "
                             "None.")
        self._step_counter, self._checkpoint_interval = step_counter, checkpoint_interval
        self._last_checkpoint_step = None
        self._maybe_delete = collections.OrderedDict()  # path -> save time, oldest first
        self._recover(state.get_checkpoint_state(self._directory), time.time())

    def _recover(self, recovered, now):
        if recovered is None:
            self._latest_checkpoint, self._last_preserved_timestamp = None, now - 1.0
            return
        self._latest_checkpoint = recovered.model_checkpoint_path
        self._last_preserved_timestamp = recovered.last_preserved_timestamp
        if now < self._last_preserved_timestamp:
            logging.warning("time.time() returned a value %f seconds behind the last preserved "
                            "checkpoint timestamp.", self._last_preserved_timestamp - now)
            self._last_preserved_timestamp = now
        paths = recovered.all_model_checkpoint_paths
        times = (recovered.all_model_checkpoint_timestamps
                 or [self._last_preserved_timestamp] * len(paths))
        for path, saved_at in zip(paths, times):
            saved_at = min(saved_at, now)
            if saved_at > self._last_preserved_timestamp:
                self._maybe_delete[path] = saved_at

    directory = property(lambda self: self._directory, doc="The checkpoints' directory.")
    checkpoint_interval = property(lambda self: self._checkpoint_interval,
                                   doc="The least number of steps between two saves, or None.")
    latest_checkpoint = property(lambda self: self._latest_checkpoint,
                                 doc="The newest checkpoint's prefix, or None.")
    checkpoint = property(lambda self: self._checkpoint, doc="The managed Checkpoint.")

    @property
    def checkpoints(self):
        """The prefixes of the checkpoints this manager may still delete, oldest first."""
        return list(self._maybe_delete)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Saves a numbered checkpoint, records it, and deletes the ones past `max_to_keep`.

        Args:
          checkpoint_number: the number in its name: an int, or a variable or tensor holding
            one (default: the checkpoint's save counter, which each save increments).
          check_interval: with `checkpoint_interval`, skip the save unless that many steps
            passed since the last one.
          options: a `tf.train.CheckpointOptions`.

        Returns:
          The checkpoint's prefix, or None if the save was skipped.

        Raises:
          AttributeError: graph mode, and there is no default session.
        """
        session = self._session()
        if self._checkpoint_interval is not None:
            step = _evaluate(session, self._step_counter)
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + \
                        self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        number = self._checkpoint._count_save(session)
        if checkpoint_number is not None:
            number = _evaluate(session, checkpoint_number)
        options = options or CheckpointOptions()
        path = self._checkpoint.write(f"{self._prefix}-{int(number)}", session=session,
                                      options=options)
        self._record_and_sweep(path)
        return path

    def _session(self):
        return session_of(None if get_default_graph()._eager else get_default_session())

    def _record_and_sweep(self, path):
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        self._record_state()
        self._sweep()
        self._record_state()

    def _record_state(self):
        state.update_checkpoint_state(
            self._directory, self._latest_checkpoint, list(self._maybe_delete),
            all_model_checkpoint_timestamps=list(self._maybe_delete.values()),
            last_preserved_timestamp=self._last_preserved_timestamp)

    def _sweep(self):
        if not self._max_to_keep:
            return
        keep_every = self._keep_checkpoint_every_n_hours
        while len(self._maybe_delete) > self._max_to_keep:
            path, saved_at = self._maybe_delete.popitem(last=False)
            if keep_every and saved_at - keep_every * 3600.0 >= self._last_preserved_timestamp:
                self._last_preserved_timestamp = saved_at
                continue
            for name in [path + ".index"] + glob.glob(glob.escape(path) + ".data-?????-of-?????"):
                try:
                    os.remove(name)
                except FileNotFoundError:
                    pass

    def restore_or_initialize(self):
        """Restores the newest checkpoint, or else calls `init_fn`.

        In graph mode the restore's values are assigned by the status of
        `checkpoint.restore`; this calls `checkpoint.restore(latest_checkpoint)` as TF does,
        and minitf assigns them in the default session if there is one.

        Returns:
          The restored checkpoint's prefix, or None if there was none.
        """
        if self._latest_checkpoint is not None:
            status = self._checkpoint.restore(self._latest_checkpoint)
            session = get_default_session()
            if session is not None and not get_default_graph()._eager:
                status.run_restore_ops(session)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = _evaluate(self._session(), self._step_counter)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
            logging.info("Customized initialization is done through the passed `init_fn`.")
        return None


def _evaluate(session, value):
    """An int from an int, or from a variable or tensor evaluated in `session`."""
    if isinstance(value, (Variable, Tensor)):
        value = session.run(value) if session.graph is not None else value.numpy()
    return int(np.asarray(value))
