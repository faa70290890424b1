"""`tf.train.Scaffold`: the ops a monitored session initializes, checks and saves its model
with, each taken from its graph collection or made when not given."""
from minitf import tf_logging as logging
from minitf.framework import dtypes
from minitf.framework.constant_op import constant
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops import array_ops
from minitf.ops.control_flow_ops import group
from minitf.summary_ops import merge_all
from minitf.train.saver import Saver

__all__ = ["Scaffold"]


class Scaffold:
    """The ops a monitored session is built with: how to initialize, check and save the model.

    (`tf.train`)

    Each one not given is taken from its graph collection when `finalize()` is called, or made
    (and added to the collection): init_op initializes the global variables, ready_op lists
    the uninitialized variables, ready_for_local_init_op the uninitialized global ones,
    local_init_op initializes the local variables and tables, saver saves all variables.

    Args:
      init_op: the op initializing the model when there is no checkpoint.
      init_feed_dict: its feed_dict.
      init_fn: a function `init_fn(scaffold, session)` called after `init_op`.
      ready_op: a tensor that is empty when the model is ready.
      ready_for_local_init_op: likewise, checked before `local_init_op`.
      local_init_op: the op run in every new session.
      summary_op: the op writing summaries (default: `tf.summary.merge_all()`, kept in the
        SUMMARY_OP collection; None when there are no summaries).
      saver: the Saver of the checkpoints.
      copy_from_scaffold: a Scaffold whose ops are the defaults of this one.
      local_init_feed_dict: the feed_dict of `local_init_op`.
    """

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
                 ready_for_local_init_op=None, local_init_op=None, summary_op=None, saver=None,
                 copy_from_scaffold=None, local_init_feed_dict=None):
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            init_op = init_op or copy_from_scaffold.init_op
            init_feed_dict = init_feed_dict or copy_from_scaffold.init_feed_dict
            init_fn = init_fn or copy_from_scaffold._user_init_fn
            ready_op = ready_op or copy_from_scaffold.ready_op
            ready_for_local_init_op = (ready_for_local_init_op
                                       or copy_from_scaffold.ready_for_local_init_op)
            local_init_op = local_init_op or copy_from_scaffold.local_init_op
            local_init_feed_dict = (local_init_feed_dict
                                    or copy_from_scaffold.local_init_feed_dict)
            summary_op = summary_op or copy_from_scaffold.summary_op
            saver = saver or copy_from_scaffold.saver
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op, self._init_feed_dict = init_op, init_feed_dict
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._local_init_op, self._local_init_feed_dict = local_init_op, local_init_feed_dict
        self._summary_op, self._saver = summary_op, saver

    def finalize(self):
        """Makes the ops not given (see the class doc), then finalizes the default graph.

        Returns:
          This Scaffold.
        """
        from minitf.variable_ops import (
            global_variables,
            global_variables_initializer,
            report_uninitialized_variables,
        )
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default(
                "init_op", GraphKeys.INIT_OP, lambda: group(global_variables_initializer()))
        # TF concatenates the uninitialized resources' names, none in minitf: an empty list
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default(
                "ready_op", GraphKeys.READY_OP, lambda: array_ops.concat(
                    [report_uninitialized_variables(), _no_names()], 0))
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op", GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: array_ops.concat(
                    [report_uninitialized_variables(global_variables()), _no_names()], 0))
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", GraphKeys.LOCAL_INIT_OP, Scaffold.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default("summary_op", GraphKeys.SUMMARY_OP,
                                                       merge_all)
        if self._saver is None:
            self._saver = _saver_or_default()
        get_default_graph().finalize()
        logging.info("Graph was finalized.")
        return self

    init_fn = property(lambda self: self._init_fn, doc="`init_fn(session)`, or None.")
    init_op = property(lambda self: self._init_op)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    local_init_feed_dict = property(lambda self: self._local_init_feed_dict)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)
    init_feed_dict = property(lambda self: self._init_feed_dict)

    @staticmethod
    def get_or_default(arg_name, collection_key, default_constructor):
        """The one op in a collection, or a new one made by `default_constructor` (and added).

        Args:
          arg_name: the Scaffold argument it stands for (for the error message).
          collection_key: the graph collection.
          default_constructor: a function making the op.

        Returns:
          The op (None if `default_constructor` returned None).

        Raises:
          RuntimeError: the collection holds more than one item.
        """
        elements = get_default_graph().get_collection(collection_key)
        if len(elements) > 1:
            raise RuntimeError(f"More than one item in the collection \"{collection_key}\". "
                               f"Please indicate which one to use by passing it to the tf."
                               f"Scaffold constructor as:  tf.Scaffold({arg_name}=item to use)")
        if elements:
            return elements[0]
        op = default_constructor()
        if op is not None:
            get_default_graph().add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op():
        """Returns the op initializing the local variables and the lookup tables."""
        from minitf.compat_names import tables_initializer
        from minitf.variable_ops import local_variables_initializer
        return group(local_variables_initializer(), tables_initializer())


def _no_names():
    return constant([], dtype=dtypes.string)


def _saver_or_default():
    savers = get_default_graph().get_collection(GraphKeys.SAVERS)
    if len(savers) > 1:
        raise RuntimeError(f"More than one item in collection {GraphKeys.SAVERS}. Please "
                           "indicate which one to use by passing it to the constructor.")
    if savers:
        return savers[0]
    saver = Saver(sharded=True, allow_empty=True)
    get_default_graph().add_to_collection(GraphKeys.SAVERS, saver)
    return saver
