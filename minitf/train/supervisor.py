"""`tf.train.Supervisor`: TF1's training helper around a Coordinator, a Saver and a
SessionManager. The chief restores or initializes the model, writes the graph and runs the
summary, step-counter and checkpoint threads; other tasks wait for the chief's model."""
import contextlib
import os
import time

from minitf import tf_logging as logging
from minitf.framework import dtypes
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.summary_pb import SessionLog, Summary
from minitf.summary_writer import FileWriter
from minitf.train import training_util
from minitf.train.coordinator import Coordinator, LooperThread
from minitf.train.graph_io import write_graph
from minitf.train.meta_graph import create_meta_graph_def
from minitf.train.saver import Saver
from minitf.train.session_manager import SessionManager

__all__ = ["Supervisor", "SVSummaryThread", "SVStepCounterThread", "SVTimerCheckpointThread"]


def _executing_eagerly():
    return get_default_graph()._eager


class Supervisor:
    """A training helper that checkpoints the model and computes summaries (`tf.train`).

    Deprecated in TF for `tf.train.MonitoredTrainingSession`. Each op or object left at
    `Supervisor.USE_DEFAULT` is the first of its graph collection, or a new one added to the
    collection: ready_op lists the uninitialized variables (READY_OP), init_op initializes the
    global variables (INIT_OP), local_init_op the local variables and tables (LOCAL_INIT_OP),
    saver saves all variables when there are any (SAVERS), summary_op is
    `tf.summary.merge_all()` (SUMMARY_OP), and global_step is the GLOBAL_STEP collection's or
    the int32/int64 tensor `global_step:0`; ready_for_local_init_op is only taken from its
    collection. Then the graph is finalized. Only a chief writes checkpoints and events.

    Args:
      graph: the Graph of the model (default: the default graph).
      ready_op: a 1-D string tensor, empty when the model is ready; None: no check.
      ready_for_local_init_op: likewise, checked before `local_init_op` runs.
      is_chief: whether this task initializes, restores and saves the model; a non-chief
        waits for the chief, and all its variables must have a device.
      init_op: the op the chief initializes the model with when there is no checkpoint.
      init_feed_dict: the feed_dict of the `init_op` run.
      local_init_op: the op run in every new session.
      logdir: the directory of the checkpoints and events (chief only); made when missing.
      summary_op: the op whose summaries the summary thread writes; None: no thread.
      saver: the Saver of the checkpoints; None: no checkpoints.
      global_step: the integer tensor counting steps, recorded with the summaries and in the
        checkpoint names; None: none.
      save_summaries_secs: seconds between summaries (0: no summary threads).
      save_model_secs: seconds between checkpoints (0: no checkpoint thread).
      recovery_wait_secs: seconds between checks while waiting for the model to be ready.
      stop_grace_secs: how long `stop()` lets the threads run after the stop request.
      checkpoint_basename: the name of the checkpoints in `logdir`.
      session_manager: the SessionManager making the sessions (default: one built from
        the ops above).
      summary_writer: the FileWriter of the events (default: one writing to `logdir`);
        None: no events.
      init_fn: a function `init_fn(sess)` called after `init_op` by the chief.
      local_init_run_options: passed to the default SessionManager.

    Raises:
      RuntimeError: in eager mode.
      ValueError: a non-chief's graph has a variable without a device.

    >>> import tempfile
    >>> v = tf.Variable(2.0, name="v")
    >>> sv = tf.train.Supervisor(logdir=tempfile.mkdtemp(), save_summaries_secs=0)
    >>> with sv.managed_session() as sess:
    ...     print(sess.run(v), sv.should_stop())
    2.0 False
    >>> sv.should_stop()
    True
    """

    # passed for ready_op, init_op, summary_op, saver, global_step...: use the default
    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT,
                 is_chief=True, init_op=USE_DEFAULT, init_feed_dict=None,
                 local_init_op=USE_DEFAULT, logdir=None, summary_op=USE_DEFAULT,
                 saver=USE_DEFAULT, global_step=USE_DEFAULT, save_summaries_secs=120,
                 save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120,
                 checkpoint_basename="model.ckpt", session_manager=None,
                 summary_writer=USE_DEFAULT, init_fn=None, local_init_run_options=None):
        if _executing_eagerly():
            raise RuntimeError("Supervisors are not compatible with eager execution: build "
                               "the model in a `with tf.Graph().as_default():` block.")
        graph = graph if graph is not None else get_default_graph()
        with graph.as_default():
            self._init_ready_op(ready_op, ready_for_local_init_op)
            self._init_init_op(init_op, init_feed_dict)
            self._init_local_init_op(local_init_op)
            self._init_saver(saver)
            self._init_summary_op(summary_op)
            self._init_global_step(global_step)
        self._graph = graph
        self._meta_graph_def = create_meta_graph_def(
            graph_def=graph.as_graph_def(add_shapes=True), graph=graph,
            saver_def=self._saver.saver_def if self._saver else None)
        self._is_chief, self._coord = is_chief, Coordinator()
        self._recovery_wait_secs, self._stop_grace_secs = recovery_wait_secs, stop_grace_secs
        self._init_fn, self._local_init_run_options = init_fn, local_init_run_options
        # only a chief writes checkpoints and events
        self._logdir = self._save_summaries_secs = self._save_model_secs = None
        self._save_path = self._summary_writer = None
        self._graph_added_to_summary = False
        if is_chief:
            self._init_chief_outputs(logdir, save_summaries_secs, save_model_secs,
                                     checkpoint_basename, summary_writer)
        self._session_manager = session_manager
        if session_manager is None:
            self._session_manager = SessionManager(
                local_init_op=self._local_init_op, ready_op=self._ready_op,
                ready_for_local_init_op=self._ready_for_local_init_op, graph=graph,
                recovery_wait_secs=recovery_wait_secs,
                local_init_run_options=local_init_run_options)
        self._verify_setup()
        graph.finalize()  # the graph may not change any more

    def _init_chief_outputs(self, logdir, save_summaries_secs, save_model_secs,
                            checkpoint_basename, summary_writer):
        self._logdir = logdir
        self._save_summaries_secs, self._save_model_secs = save_summaries_secs, save_model_secs
        if logdir:
            self._save_path = os.path.join(logdir, checkpoint_basename)
        if summary_writer is Supervisor.USE_DEFAULT:
            self._summary_writer = FileWriter(logdir) if logdir else None
        else:
            self._summary_writer = summary_writer

    @staticmethod
    def _first_in_collection(key):
        items = get_default_graph().get_collection(key)
        if len(items) > 1:
            logging.info("Found %d %s operations. Returning the first one.", len(items), key)
        return items[0] if items else None

    def _default(self, value, key, make):
        """`value`, or for USE_DEFAULT the first of collection `key`, else `make()` (added)."""
        if value is not Supervisor.USE_DEFAULT:
            return value
        value = self._first_in_collection(key)
        if value is None and make is not None:
            value = make()
            if value is not None:
                get_default_graph().add_to_collection(key, value)
        return value

    def _init_ready_op(self, ready_op, ready_for_local_init_op):
        from minitf.variable_ops import report_uninitialized_variables
        self._ready_op = self._default(ready_op, GraphKeys.READY_OP,
                                       report_uninitialized_variables)
        # TF makes no default one (backward compatibility): only the collection's
        self._ready_for_local_init_op = self._default(
            ready_for_local_init_op, GraphKeys.READY_FOR_LOCAL_INIT_OP, None)

    def _init_init_op(self, init_op, init_feed_dict):
        from minitf.variable_ops import global_variables_initializer
        self._init_op = self._default(init_op, GraphKeys.INIT_OP, global_variables_initializer)
        self._init_feed_dict = init_feed_dict

    def _init_local_init_op(self, local_init_op):
        from minitf.compat_names import tables_initializer
        from minitf.ops.control_flow_ops import group
        from minitf.variable_ops import local_variables_initializer
        self._local_init_op = self._default(
            local_init_op, GraphKeys.LOCAL_INIT_OP,
            lambda: group(local_variables_initializer(), tables_initializer()))

    def _init_saver(self, saver):
        from minitf.variable_ops import global_variables
        self._saver = self._default(saver, GraphKeys.SAVERS,
                                    lambda: Saver() if global_variables() else None)

    def _init_summary_op(self, summary_op):
        from minitf.summary_ops import merge_all
        self._summary_op = self._default(summary_op, GraphKeys.SUMMARY_OP, merge_all)

    def _init_global_step(self, global_step):
        self._global_step = self._default(global_step, GraphKeys.GLOBAL_STEP,
                                          self._default_global_step_tensor)

    @staticmethod
    def _default_global_step_tensor():
        """The int32/int64 tensor `global_step:0` of the default graph, or None."""
        try:
            step = get_default_graph().get_tensor_by_name("global_step:0")
        except KeyError:
            return None
        if step.dtype.base_dtype in (dtypes.int32, dtypes.int64):
            return step
        logging.warning("Found 'global_step' is not an int type: %s", step.dtype)
        return None

    def _verify_setup(self):
        # a non-chief shares the chief's variables: each must be placed (on a ps task)
        if self._is_chief:
            return
        for op in self._graph.get_operations():
            if op.type in ("Variable", "VariableV2") and not op.device:
                raise ValueError(f"When using replicas, all Variables must have their device "
                                 f"set: {op.name} (op: {op.type}) has none; create it under "
                                 f"`with tf.device(...)` or a tf.train.replica_device_setter.")

    is_chief = property(lambda self: self._is_chief, doc="Whether this is the chief.")
    session_manager = property(lambda self: self._session_manager, doc="The SessionManager.")
    coord = property(lambda self: self._coord, doc="The Coordinator of the threads.")
    init_op = property(lambda self: self._init_op, doc="The init op, or None.")
    init_feed_dict = property(lambda self: self._init_feed_dict,
                              doc="The feed_dict of the init op, or None.")
    ready_op = property(lambda self: self._ready_op, doc="The ready op, or None.")
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op,
                                       doc="The op checked before local_init_op, or None.")
    summary_writer = property(lambda self: self._summary_writer,
                              doc="The chief's FileWriter, or None.")
    summary_op = property(lambda self: self._summary_op, doc="The summary op, or None.")
    save_summaries_secs = property(lambda self: self._save_summaries_secs,
                                   doc="Seconds between summaries (None: not a chief).")
    global_step = property(lambda self: self._global_step,
                           doc="The global step tensor, or None.")
    saver = property(lambda self: self._saver, doc="The Saver, or None.")
    save_model_secs = property(lambda self: self._save_model_secs,
                               doc="Seconds between checkpoints (None: not a chief).")
    save_path = property(lambda self: self._save_path,
                         doc="The prefix of the checkpoints, `logdir/checkpoint_basename`.")

    def _write_graph(self):
        """Writes graph.pbtxt to logdir, and the graph to the summary writer once."""
        if self._logdir:
            write_graph(self._graph.as_graph_def(add_shapes=True), self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._summary_writer.add_meta_graph(self._meta_graph_def)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess):
        """Starts the summary, step-counter and checkpoint threads of `sess`.

        The summary thread (with a summary op and writer) writes the summary op's output every
        `save_summaries_secs`, the step counter (with a global step) writes `<step>/sec`, and
        the checkpoint thread (with a saver) saves to `save_path` every `save_model_secs`.
        With a global step, a SessionLog START is written first.

        Args:
          sess: the Session.

        Returns:
          The started threads (None without a logdir: nothing is started).

        Raises:
          RuntimeError: this is not a chief.
        """
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because "
                               "only chief supervisors can write events.")
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return None
        if self._global_step is not None and self._summary_writer:
            # only with a step: TensorBoard purges the events past a START's step
            self._summary_writer.add_session_log(
                SessionLog(status=SessionLog.START),
                training_util.global_step(sess, self._global_step))
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(SVSummaryThread(self, sess))
            if self._global_step is not None:
                threads.append(SVStepCounterThread(self, sess))
        if self._saver and self._save_model_secs:
            threads.append(SVTimerCheckpointThread(self, sess))
        for thread in threads:
            thread.start()
        return threads

    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False,
                                    max_wait_secs=7200, start_standard_services=True):
        """Returns a Session whose model is ready, restored, initialized or waited for.

        A chief restores the newest checkpoint of `logdir` or runs `init_op` and `init_fn`,
        writes the graph, and starts the standard services; a non-chief waits until the
        chief's model is ready. A previous stop request is cleared first.

        Args:
          master: the target (accepted; minitf runs in process).
          config: a ConfigProto for the session.
          wait_for_checkpoint: (chief) wait for a checkpoint to appear in `logdir`.
          max_wait_secs: how long to wait for the checkpoint or the model.
          start_standard_services: whether to start the standard services and queue runners.

        Returns:
          The Session.

        Raises:
          RuntimeError: (chief) the model is not ready after its initialization.
          minitf.errors.DeadlineExceededError: (non-chief) the model is not ready in time.
        """
        self._coord.clear_stop()  # threads of a previous session stopped it
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self._init_op, saver=self._saver, checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs,
                config=config, init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config,
                                                          max_wait_secs=max_wait_secs)
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess, queue_runners=None):
        """Starts the threads of queue runners (those of the QUEUE_RUNNERS collection).

        minitf has no QueueRunner: the collection is empty unless a user adds objects with
        TF's `create_threads(sess, coord, daemon, start)` method.

        Args:
          sess: the Session.
          queue_runners: the queue runners (default: the graph's QUEUE_RUNNERS collection).

        Returns:
          The started threads.

        Raises:
          RuntimeError: in eager mode.
        """
        if _executing_eagerly():
            raise RuntimeError("Queues are not compatible with eager execution.")
        if queue_runners is None:
            queue_runners = self._graph.get_collection(GraphKeys.QUEUE_RUNNERS)
        threads = []
        for runner in queue_runners:
            threads.extend(runner.create_threads(sess, coord=self._coord, daemon=True,
                                                 start=True))
        return threads

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Starts a thread calling `target(*args, **kwargs)` periodically until a stop.

        The thread is registered with the coordinator: `stop()` joins it.

        Args:
          timer_interval_secs: the period in seconds (None: call it repeatedly).
          target: the function.
          args: its positional arguments.
          kwargs: its keyword arguments.

        Returns:
          The started LooperThread.
        """
        return LooperThread.loop(self._coord, timer_interval_secs, target, args, kwargs)

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        """Requests a stop and joins the threads; does not close the session.

        The summary writer gets a SessionLog STOP and is closed even if the join raises.

        Args:
          threads: more threads to join, with the services, queue runners and loops.
          close_summary_writer: whether to close the summary writer.
          ignore_live_threads: log the threads still running after `stop_grace_secs`
            instead of raising.

        Raises:
          The first exception reported to the coordinator, or RuntimeError when threads
          outlive the grace period.
        """
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:  # the writer is closed last: the threads may have been using it
            if close_summary_writer and self._summary_writer:
                # no step: the session may be gone
                self._summary_writer.add_session_log(SessionLog(status=SessionLog.STOP))
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex=None):
        """Asks the threads to stop (`Coordinator.request_stop`).

        Args:
          ex: the exception (or `sys.exc_info()` tuple) that caused it, re-raised by `stop()`.
        """
        self._coord.request_stop(ex=ex)

    def should_stop(self):
        """Returns True once a stop has been requested."""
        return self._coord.should_stop()

    def stop_on_exception(self):
        """Returns a context manager requesting a stop with the exception raised in it."""
        return self._coord.stop_on_exception()

    def wait_for_stop(self):
        """Blocks until a stop is requested."""
        self._coord.wait_for_stop()

    def summary_computed(self, sess, summary, global_step=None):
        """Writes a computed summary to the event file.

        Args:
          sess: the Session, to read the global step in.
          summary: a Summary proto or its serialized bytes.
          global_step: the step to record (default: the global step's value, if any).

        Raises:
          RuntimeError: there is no summary writer (no logdir, or not a chief).
        """
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self._global_step is not None:
            global_step = training_util.global_step(sess, self._global_step)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(self, master="", config=None, start_standard_services=True,
                        close_summary_writer=True):
        """Returns a context manager yielding a ready Session, stopped and closed on exit.

        An exception in the block requests a stop and is re-raised once the threads are
        joined (OutOfRangeError, a clean stop, is not); so is one a service thread reported.
        The session is then closed. No checkpoint is saved on exit (as in TF).

        Args:
          master: the target (accepted).
          config: a ConfigProto for the session.
          start_standard_services: whether to start the checkpoint and summary threads.
          close_summary_writer: whether to close the summary writer on exit.

        Yields:
          The Session (see `prepare_or_wait_for_session`).
        """
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config, start_standard_services=start_standard_services)
            yield sess
        except Exception as e:  # (TF catches all) stop() re-raises it through the join
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                if sess is not None:
                    with contextlib.suppress(Exception):  # TF ignores errors of close
                        sess.close()

    # TF's CamelCase aliases
    PrepareSession = prepare_or_wait_for_session
    StartQueueRunners = start_queue_runners
    StartStandardServices = start_standard_services
    Stop = stop
    RequestStop = request_stop
    Loop = loop
    ShouldStop = should_stop
    StopOnException = stop_on_exception
    WaitForStop = wait_for_stop
    SummaryComputed = summary_computed


class SVSummaryThread(LooperThread):
    """A thread writing the supervisor's summary op output every `save_summaries_secs`.

    Args:
      sv: the Supervisor.
      sess: the Session.
    """

    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess

    def run_loop(self):
        """Runs the summary op (and reads the step) and writes the summary."""
        if self._sv.global_step is not None:
            summary, step = self._sess.run([self._sv.summary_op, self._sv.global_step])
        else:
            summary, step = self._sess.run(self._sv.summary_op), None
        if self._sv.summary_writer:
            logging.info("Recording summary at step %s.", step)
            self._sv.summary_writer.add_summary(summary, step)


class SVStepCounterThread(LooperThread):
    """A thread writing the steps per second (`<step op name>/sec`) every period.

    Args:
      sv: the Supervisor.
      sess: the Session.
      step_counter: the tensor counting the steps (default: the supervisor's global step).
    """

    def __init__(self, sv, sess, step_counter=None):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess
        self._step_counter = sv.global_step if step_counter is None else step_counter
        self._summary_tag = f"{self._step_counter.op.name}/sec"
        self._last_time, self._last_step = 0.0, 0

    def start_loop(self):
        """Reads the starting time and step."""
        self._last_time = time.time()
        self._last_step = training_util.global_step(self._sess, self._step_counter)

    def run_loop(self):
        """Writes the steps done per second since the last call."""
        step = training_util.global_step(self._sess, self._step_counter)
        added, self._last_step = step - self._last_step, step
        now = time.time()
        elapsed, self._last_time = now - self._last_time, now
        rate = added / elapsed if elapsed > 0.0 else float("inf")
        summary = Summary(value=[Summary.Value(tag=self._summary_tag, simple_value=rate)])
        if self._sv.summary_writer:
            self._sv.summary_writer.add_summary(summary, step)
        logging.log_first_n(logging.INFO, "%s: %g", 10, self._summary_tag, rate)


class SVTimerCheckpointThread(LooperThread):
    """A thread saving a checkpoint to the supervisor's `save_path` every `save_model_secs`.

    Args:
      sv: the Supervisor.
      sess: the Session.
    """

    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_model_secs)
        self._sv, self._sess = sv, sess

    def run_loop(self):
        """Saves a checkpoint (numbered by the global step) and logs it in the events."""
        logging.info("Saving checkpoint to path %s", self._sv.save_path)
        self._sv.saver.save(self._sess, self._sv.save_path, global_step=self._sv.global_step)
        if self._sv.summary_writer and self._sv.global_step is not None:
            step = training_util.global_step(self._sess, self._sv.global_step)
            self._sv.summary_writer.add_session_log(
                SessionLog(status=SessionLog.CHECKPOINT, checkpoint_path=self._sv.save_path),
                step)
