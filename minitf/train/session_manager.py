"""`tf.train.SessionManager`: makes a Session whose model is ready: restored from the newest
checkpoint of a directory when there is one, else initialized, then checked with the ready ops.
The session creators of MonitoredSession use it as TF's do."""
import time

import numpy as np

from minitf import tf_logging as logging
from minitf.checkpoint import state
from minitf.framework import errors
from minitf.framework.graph import get_default_graph
from minitf.session import Session

__all__ = ["SessionManager"]


class SessionManager:
    """Creates sessions, restoring or initializing their model (`tf.train`).

    Args:
      local_init_op: an op run in every new session (after the model is restored or
        initialized), e.g. initializing local variables.
      ready_op: a tensor listing what is not initialized (empty when the model is ready),
        e.g. `tf.report_uninitialized_variables()`; None skips the check.
      ready_for_local_init_op: likewise, checked before `local_init_op` runs.
      graph: the Graph (default: the default graph).
      recovery_wait_secs: how long to sleep between checks while waiting.
      local_init_run_options: accepted for TF's signature; ignored.
      local_init_feed_dict: the feed_dict of the `local_init_op` run.

    Raises:
      ValueError: `ready_for_local_init_op` without `local_init_op`.
    """

    def __init__(self, local_init_op=None, ready_op=None, ready_for_local_init_op=None,
                 graph=None, recovery_wait_secs=30, local_init_run_options=None,
                 local_init_feed_dict=None):
        self._graph = graph if graph is not None else get_default_graph()
        self._local_init_op, self._ready_op = local_init_op, ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._recovery_wait_secs = recovery_wait_secs
        self._local_init_feed_dict = local_init_feed_dict
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError(f"If you pass a ready_for_local_init_op you must also pass a "
                             f"local_init_op , ready_for_local_init_op [{ready_for_local_init_op}]")

    def _restore_checkpoint(self, master, saver=None, checkpoint_dir=None,
                            checkpoint_filename_with_path=None, wait_for_checkpoint=False,
                            max_wait_secs=7200, config=None):
        """(a new Session, whether a checkpoint was restored into it)."""
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and "
                             "checkpoint_filename_with_path.")
        sess = Session(master, graph=self._graph, config=config)
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            logging.info("Restoring parameters from %s", checkpoint_filename_with_path)
            saver.restore(sess, checkpoint_filename_with_path)
            return sess, True
        waited = 0
        ckpt = state.get_checkpoint_state(checkpoint_dir)
        while not ckpt or not ckpt.model_checkpoint_path:
            if not (wait_for_checkpoint and waited < max_wait_secs):
                return sess, False
            logging.info("Waiting for checkpoint to be available.")
            time.sleep(self._recovery_wait_secs)
            waited += self._recovery_wait_secs
            ckpt = state.get_checkpoint_state(checkpoint_dir)
        # TF's Saver.restore logs this line; minitf's Saver does not (yet), so it is said here
        logging.info("Restoring parameters from %s", ckpt.model_checkpoint_path)
        saver.restore(sess, ckpt.model_checkpoint_path)
        # the saver goes on deleting the old checkpoints of the directory past max_to_keep
        saver.recover_last_checkpoints(ckpt.all_model_checkpoint_paths)
        return sess, True

    def prepare_session(self, master, init_op=None, saver=None, checkpoint_dir=None,
                        checkpoint_filename_with_path=None, wait_for_checkpoint=False,
                        max_wait_secs=7200, config=None, init_feed_dict=None, init_fn=None):
        """Creates a Session with its model restored or initialized, and ready.

        The newest checkpoint of `checkpoint_dir` (or `checkpoint_filename_with_path`) is
        restored with `saver` if there is one; otherwise `init_op` is run and `init_fn`
        called. Then `local_init_op` runs and `ready_op` must report nothing.

        Args:
          master: the target (accepted; minitf runs in process).
          init_op: the op initializing the model.
          saver: the Saver restoring it.
          checkpoint_dir: the directory to restore the newest checkpoint of.
          checkpoint_filename_with_path: or a checkpoint's prefix to restore.
          wait_for_checkpoint: wait (up to `max_wait_secs`) for a checkpoint to appear.
          max_wait_secs: how long to wait for it.
          config: accepted (a ConfigProto).
          init_feed_dict: the feed_dict of the `init_op` run.
          init_fn: a function called with the session after `init_op`.

        Returns:
          The Session.

        Raises:
          RuntimeError: there is nothing to initialize the model with, or the model is not
            ready afterwards.
          ValueError: both `checkpoint_dir` and `checkpoint_filename_with_path` are given.
        """
        sess, restored = self._restore_checkpoint(
            master, saver, checkpoint_dir, checkpoint_filename_with_path,
            wait_for_checkpoint, max_wait_secs, config)
        if not restored:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or "
                                   "local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        ok, msg = self._try_run_local_init_op(sess)
        if not ok:
            raise RuntimeError(f"Init operations did not make model ready for local_init.  "
                               f"Init op: {'None' if init_op is None else init_op.name}, init "
                               f"fn: {init_fn}, error: {msg}")
        ready, msg = self._model_ready(sess)
        if not ready:
            raise RuntimeError(f"Init operations did not make model ready.  Init op: "
                               f"{None if init_op is None else init_op.name}, init fn: "
                               f"{init_fn}, local_init_op: {self._local_init_op}, error: {msg}")
        return sess

    def recover_session(self, master, saver=None, checkpoint_dir=None,
                        checkpoint_filename_with_path=None, wait_for_checkpoint=False,
                        max_wait_secs=7200, config=None):
        """Creates a Session, restoring its model from a checkpoint if one can be found.

        Args:
          master: the target (accepted).
          saver: the Saver restoring the model.
          checkpoint_dir: the directory to restore the newest checkpoint of.
          checkpoint_filename_with_path: or a checkpoint's prefix.
          wait_for_checkpoint: wait (up to `max_wait_secs`) for a checkpoint to appear.
          max_wait_secs: how long to wait.
          config: accepted (a ConfigProto).

        Returns:
          (session, restored): `restored` is True if a checkpoint was restored and the model
          is ready.
        """
        sess, restored = self._restore_checkpoint(
            master, saver, checkpoint_dir, checkpoint_filename_with_path,
            wait_for_checkpoint, max_wait_secs, config)
        ok, msg = self._try_run_local_init_op(sess)  # always, restored or not
        if not restored:
            return sess, False
        if not ok:
            logging.info("Restoring model from %s did not make model ready for local init: %s",
                         checkpoint_dir, msg)
            return sess, False
        ready, msg = self._model_ready(sess)
        if not ready:
            logging.info("Restoring model from %s did not make model ready: %s",
                         checkpoint_dir, msg)
            return sess, False
        logging.info("Restored model from %s", checkpoint_dir)
        return sess, True

    def wait_for_session(self, master, config=None, max_wait_secs=float("Inf")):
        """Creates a Session and waits until another thread or process makes its model ready.

        Args:
          master: the target (accepted).
          config: accepted (a ConfigProto).
          max_wait_secs: how long to wait (None or inf: for ever).

        Returns:
          The Session.

        Raises:
          minitf.errors.DeadlineExceededError: the model is not ready after `max_wait_secs`.
        """
        max_wait_secs = float("Inf") if max_wait_secs is None else max_wait_secs
        start = time.time()
        while True:
            sess = Session(master, graph=self._graph, config=config)
            ok, not_ready_local = self._try_run_local_init_op(sess)
            not_ready = None
            if ok:
                ready, not_ready = self._model_ready(sess)
                if ready:
                    return sess
            sess.close()
            remaining = max(0, max_wait_secs - (time.time() - start))
            if remaining - self._recovery_wait_secs < 0:
                raise errors.DeadlineExceededError(
                    None, None, f"Session was not ready after waiting {int(max_wait_secs)} secs.")
            logging.info("Waiting for model to be ready.  Ready_for_local_init_op:  %s, "
                         "ready: %s", not_ready_local, not_ready)
            time.sleep(self._recovery_wait_secs)

    def _ready(self, op, sess, msg):
        """(ready, why not): the model is ready when `op` reports an empty list."""
        if op is None:
            return True, None
        try:
            value = sess.run(op)
        except errors.FailedPreconditionError as e:
            if "uninitialized" not in str(e):
                logging.warning("%s : error [%s]", msg, e)
                raise
            return False, str(e)
        if value is None or np.asarray(value).dtype == np.int32 or np.size(value) == 0:
            return True, None
        names = ", ".join(v.decode("utf-8") if isinstance(v, bytes) else str(v)
                          for v in np.asarray(value).ravel())
        return False, "Variables not initialized: " + names

    def _model_ready(self, sess):
        return self._ready(self._ready_op, sess, "Model not ready")

    def _try_run_local_init_op(self, sess):
        """(ran or nothing to run, why not)."""
        if self._local_init_op is None:
            return True, None
        ready, msg = self._ready(self._ready_for_local_init_op, sess,
                                 "Model not ready for local init")
        if not ready:
            return False, msg
        logging.info("Running local_init_op.")
        sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict)
        logging.info("Done running local_init_op.")
        return True, None
