"""`tf.test.TestCase`: unittest.TestCase with TF1's session helpers and array assertions.

Each test starts on a fresh default graph with TF's test graph seed (87654321), as TF's
TestCase does; `cached_session()` gives one session per test, closed at tearDown. The
assertions give TF's failure messages ("Not equal to tolerance ...", "not close where = ...").
"""
import contextlib
import random
import re
import tempfile
import unittest

import numpy as np

from minitf.framework import errors, graph as _graph, random_seed
from minitf.framework.ops import get_default_session
from minitf.session import Session
from minitf.test_asserts import ArrayAssertions

__all__ = ["TestCase", "get_temp_dir"]

_TEMP_DIR = []


def get_temp_dir():
    """Returns a temporary directory for this process's tests (made once)."""
    if not _TEMP_DIR:
        _TEMP_DIR.append(tempfile.mkdtemp())
    return _TEMP_DIR[0]


class _NotATest:
    """A method test loaders do not collect: they look `test*` names up on the class, where
    this gives None (on an instance it is the method)."""

    def __init__(self, function):
        self._function = function

    def __get__(self, obj, cls=None):
        return None if obj is None else self._function.__get__(obj, cls)


class TestCase(ArrayAssertions, unittest.TestCase):
    """A test case for TF1 graph-mode code (tf.test.TestCase).

    Each test starts on a fresh default graph seeded with TF's test seed; `cached_session()`
    gives one session per test.

    Args:
      methodName: the test method to run (unittest's argument).

    >>> class SquareTest(tf.test.TestCase):
    ...     def test_square(self):
    ...         with self.cached_session():
    ...             self.assertAllClose(self.evaluate(tf.square([2.0, 3.0])), [4.0, 9.0])
    >>> import io, unittest
    >>> unittest.TextTestRunner(stream=io.StringIO()).run(
    ...     SquareTest("test_square")).wasSuccessful()
    True
    """

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        self._cached_session = None
        self._tempdir = None
        self._graph_block = None

    def setUp(self):
        """Resets the default graph and seeds the random numbers with TF's test seed.

        Closes the cached session; seeds Python's, NumPy's and the graph's random numbers with
        87654321. Inside another graph block (a test runner's), a new graph is made default
        for the test instead of resetting the global one.
        """
        self._clear_cached_session()
        random.seed(random_seed.DEFAULT_GRAPH_SEED)
        np.random.seed(random_seed.DEFAULT_GRAPH_SEED)
        if _graph._default_graph_stack.stack:  # run inside a graph block (a test runner's)
            self._graph_block = _graph.Graph().as_default()
            self._graph_block.__enter__()
        else:
            _graph.reset_default_graph()
        random_seed.set_random_seed(random_seed.DEFAULT_GRAPH_SEED)

    def tearDown(self):
        self._clear_cached_session()
        if self._graph_block is not None:
            self._graph_block.__exit__(None, None, None)
            self._graph_block = None

    def _clear_cached_session(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self):
        """Returns a temporary directory for this test (one per test case object)."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp(dir=get_temp_dir())
        return self._tempdir

    # -- sessions ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _as_default(self, sess):
        with sess.graph.as_default(), sess.as_default():
            yield sess

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """Returns a context giving this test's one session, default inside the block.

        The session is made on first use and closed at tearDown; its graph is the default
        graph inside the block.

        Args:
          graph: the graph of the session when it is made (default: the default graph).
          config: a ConfigProto for the session when it is made.
          use_gpu: accepted for TF's signature.
          force_gpu: accepted for TF's signature.
        """
        if self._cached_session is None:
            self._cached_session = Session(graph=graph, config=config)
        with self._as_default(self._cached_session) as sess:
            yield sess

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """Returns a context giving a new session, closed at the end of the block.

        Inside the block it is the default session, and its graph the default graph.

        Args:
          graph: the graph to run (default: the default graph).
          config: a ConfigProto.
          use_gpu: accepted for TF's signature.
          force_gpu: accepted for TF's signature.
        """
        with Session(graph=graph, config=config) as sess, self._as_default(sess):
            yield sess

    def _test_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """Returns the cached session's context, or a new session's for an explicit graph.

        Args:
          graph: the graph to run (None: the cached session).
          config: a ConfigProto.
          use_gpu: accepted for TF's signature.
          force_gpu: accepted for TF's signature.
        """
        if graph is None:
            return self.cached_session(config=config)
        return self.session(graph=graph, config=config)

    test_session = _NotATest(_test_session)

    def evaluate(self, tensors):
        """Returns the values of tensors, from the default session or the cached one.

        Args:
          tensors: a Tensor, Operation, or a nested structure of them.
        """
        sess = get_default_session()
        if sess is None:
            with self.cached_session() as sess:
                return sess.run(tensors)
        return sess.run(tensors)

    assertItemsEqual = unittest.TestCase.assertCountEqual

    # -- errors --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):
        """Returns a context asserting its block raises a matching exception.

        Args:
          exception_type: the exception class expected.
          expected_err_re_or_predicate: a regex searched in the message (an OpError's
            `message`), or a function of the exception that must be true.

        Raises:
          AssertionError: nothing was raised, or an exception of another type or message
            (the exception is chained).
        """
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(exc):
                text = exc.message if isinstance(exc, errors.OpError) else str(exc)
                return re.search(expected_err_re_or_predicate, text)
        try:
            yield
        except Exception as exc:  # (TF's check: anything else is re-raised as a failure)
            if not isinstance(exc, exception_type) or not predicate(exc):
                raise AssertionError(f"Exception of type {type(exc)}: {exc}") from exc
        else:
            self.fail(exception_type.__name__ + " not raised")

    def assertRaisesOpError(self, expected_err_re_or_predicate):
        """Returns a context asserting its block raises a matching tf.errors.OpError.

        Args:
          expected_err_re_or_predicate: a regex searched in the error's message, or a
            function of the error that must be true.
        """
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

