"""`tf.summary.FileWriter`: writes summaries, graphs and session logs to event files in a
logdir, through a background thread that takes events from a bounded queue (TF's
EventFileWriter), and `tf.summary.FileWriterCache`, one writer per logdir.
"""
import os
import queue
import threading
import time
import warnings

from minitf import tf_logging as logging
from minitf.framework.graph import get_default_graph
from minitf.framework.summary_pb import Event, Summary, TaggedRunMetadata
from minitf.summary_events import EventsWriter

__all__ = ["FileWriter", "FileWriterCache", "EventFileWriter"]


class EventFileWriter:
    """Writes `Event`s to an event file in `logdir` from a background thread.

    `add_event` blocks while the queue holds `max_queue` events. The thread lives only while
    there are events to write (TF's lives as long as the writer): an idle thread would make
    every sparse variable update copy its table (ops/state_ops.py `writable` updates in place
    only when one thread runs). After each event it flushes the file if `flush_secs` have
    passed since the last flush, as TF's thread does.

    Args:
      logdir: the directory of the event file (created if missing).
      max_queue: the size of the queue of events waiting to be written.
      flush_secs: how often, in seconds, the thread flushes the file.
      filename_suffix: an optional suffix of the event file's name.
    """

    def __init__(self, logdir, max_queue=10, flush_secs=120, filename_suffix=None):
        self._logdir = str(logdir)
        os.makedirs(self._logdir, exist_ok=True)
        self._queue = queue.Queue(max_queue)
        self._writer = EventsWriter(os.path.join(self._logdir, "events"), filename_suffix)
        self._flush_secs, self._next_flush = flush_secs, 0.0
        self._lock, self._running, self._closed = threading.Lock(), False, False

    def _drain(self):
        while True:
            with self._lock:  # an event put after this check starts a new thread
                if self._queue.empty():
                    self._running = False
                    return
            event = self._queue.get()
            try:
                self._writer.write_event(event)
                now = time.time()
                if now > self._next_flush:
                    self._writer.flush()
                    self._next_flush = now + self._flush_secs
            finally:
                self._queue.task_done()

    def get_logdir(self):
        """Returns the directory of the event file."""
        return self._logdir

    def add_event(self, event):
        """Queues an event for writing (nothing once closed).

        Args:
          event: an `Event`.
        """
        if self._closed:
            return
        self._queue.put(event)
        with self._lock:
            if not self._running:
                self._running = True
                threading.Thread(target=self._drain, name="EventLoggerThread",
                                 daemon=True).start()

    def flush(self):
        """Waits until the queued events are written, then flushes the file."""
        self._queue.join()
        self._writer.flush()

    def close(self):
        """Writes the queued events and closes the file."""
        if not self._closed:
            self.flush()
            self._writer.close()
            self._closed = True

    def reopen(self):
        """Reopens a closed writer: the next event goes to a new event file."""
        self._closed = False


def _is_graph(value):
    return hasattr(value, "as_graph_def") and hasattr(value, "get_operations")


class FileWriter:
    """Writes `Summary` protocol buffers and other events to event files in `logdir`.

    TensorBoard reads the files. Events are queued and written by a background thread: call
    `flush` (or `close`) to be sure they are on disk.

    Args:
      logdir: the directory of the event files (created if missing).
      graph: a `Graph` (or GraphDef) to write at once, for TensorBoard's graph dashboard.
      max_queue: the size of the queue of events waiting to be written.
      flush_secs: how often, in seconds, the writer flushes the file.
      graph_def: deprecated: a GraphDef (use `graph`).
      filename_suffix: an optional suffix of the event file's name.
      session: not supported (TF writes through the session's summary ops then).

    Raises:
      RuntimeError: in eager mode.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if get_default_graph()._eager:
            raise RuntimeError("v1.summary.FileWriter is not compatible with eager execution. "
                               "Use `tf.summary.create_file_writer`,or a `with "
                               "v1.Graph().as_default():` context")
        if session is not None:
            raise NotImplementedError("minitf's FileWriter takes no session")
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._closed = False
        self._session_run_tags, self._seen_summary_tags = set(), set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            self._add_meta_graph_of(graph_def if graph is None else graph)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_logdir(self):
        """Returns the directory where the event file is written."""
        return self.event_writer.get_logdir()

    def _warn_if_closed(self):
        if self._closed:
            warnings.warn("Attempting to use a closed FileWriter. The operation will be a noop "
                          "unless the FileWriter is explicitly reopened.")

    def _add_event(self, event, step):
        self._warn_if_closed()
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Adds a `Summary` (or its serialized bytes, as a summary op returns) to the file.

        A tag's metadata is written with its first value only, as TF does, to save space.

        Args:
          summary: a `Summary` protocol buffer or its serialized bytes.
          global_step: the step to record with it.
        """
        summary = Summary.FromString(summary) if isinstance(summary, bytes) else summary
        for value in summary.value:
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            self._seen_summary_tags.add(value.tag)
        self._add_event(Event(summary=summary), global_step)

    def add_session_log(self, session_log, global_step=None):
        """Adds a `SessionLog` (START, STOP or CHECKPOINT) to the file.

        Args:
          session_log: a `SessionLog` protocol buffer.
          global_step: the step to record with it.
        """
        self._add_event(Event(session_log=session_log), global_step)

    def add_event(self, event):
        """Adds an `Event` to the file as it is (its wall_time and step untouched).

        Args:
          event: an `Event` protocol buffer.
        """
        self._warn_if_closed()
        self.event_writer.add_event(event)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Adds a `Graph` (its GraphDef, with output shapes) to the file for TensorBoard.

        Args:
          graph: a `Graph` (or, deprecated, a GraphDef).
          global_step: the step to record with it.
          graph_def: deprecated: a GraphDef.

        Raises:
          ValueError: both `graph` and `graph_def` are given.
          TypeError: neither is a Graph or GraphDef.
        """
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        given = graph if graph is not None else graph_def
        if _is_graph(given):
            true_graph_def = given.as_graph_def(add_shapes=True)
        elif type(given).__name__ == "GraphDef" and hasattr(given, "SerializeToString"):
            logging.warning("Passing a `GraphDef` to the SummaryWriter is deprecated. Pass a "
                            "`Graph` object instead, such as `sess.graph`.")
            true_graph_def = given
        else:
            raise TypeError("The passed graph must be an instance of `Graph` or the deprecated "
                            "`GraphDef`")
        self._add_event(Event(graph_def=true_graph_def.SerializeToString()), global_step)

    def _add_meta_graph_of(self, graph):
        # TF also writes the graph's MetaGraphDef, with the collections of the graph (of the
        # default graph when given only a GraphDef); imported here: minitf.train imports this
        from minitf.train.meta_graph import create_meta_graph_def

        if _is_graph(graph):
            meta = create_meta_graph_def(graph_def=graph.as_graph_def(add_shapes=True),
                                         graph=graph)
        else:
            meta = create_meta_graph_def(graph_def=graph)
        self.add_meta_graph(meta)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        """Adds a `MetaGraphDef` to the file.

        Args:
          meta_graph_def: a `MetaGraphDef` protocol buffer.
          global_step: the step to record with it.

        Raises:
          TypeError: `meta_graph_def` is not a MetaGraphDef.
        """
        if type(meta_graph_def).__name__ != "MetaGraphDef":
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: "
                            f"{type(meta_graph_def)}")
        self._add_event(Event(meta_graph_def=meta_graph_def.SerializeToString()), global_step)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Adds a step's `RunMetadata` under `tag` (for TensorBoard's per-step graph view).

        Args:
          run_metadata: a `RunMetadata` protocol buffer.
          tag: the tag, unique in this writer.
          global_step: the step to record with it.

        Raises:
          ValueError: the tag was used before.
        """
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._session_run_tags.add(tag)
        tagged = TaggedRunMetadata(tag=tag, run_metadata=run_metadata.SerializeToString())
        self._add_event(Event(tagged_run_metadata=tagged), global_step)

    def flush(self):
        """Writes the pending events to disk."""
        self._warn_if_closed()
        self.event_writer.flush()

    def close(self):
        """Writes the pending events and closes the file; `reopen` starts a new one."""
        self.event_writer.close()
        self._closed = True

    def reopen(self):
        """Reopens a closed writer: later events go to a new event file in the same logdir."""
        self.event_writer.reopen()
        self._closed = False


class FileWriterCache:
    """One `FileWriter` per logdir, shared by the hooks that write summaries there."""

    _cache = {}
    _lock = threading.RLock()

    @staticmethod
    def clear():
        """Closes and forgets the cached writers."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}

    @staticmethod
    def get(logdir):
        """Returns the `FileWriter` of `logdir`, creating it (with the default graph) if needed.

        Args:
          logdir: the directory of the event files.
        """
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]
