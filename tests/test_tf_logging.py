"""tf.logging: TF1's levels, functions and their output on the "tensorflow" logger (TF 2.21)."""
import logging

import pytest

import minitf as tf

L = tf.logging


@pytest.fixture
def log(caplog):
    logger = logging.getLogger("tensorflow")
    level = logger.level
    L.set_verbosity(L.INFO)
    L._counts.clear()
    caplog.set_level(logging.DEBUG, logger="tensorflow")
    L.set_verbosity(L.INFO)
    yield caplog
    logger.setLevel(level)


def _records(caplog):
    return [(r.levelname, r.name, r.getMessage()) for r in caplog.records]


def test_levels_and_verbosity():
    assert (L.DEBUG, L.INFO, L.WARN, L.ERROR, L.FATAL) == (10, 20, 30, 40, 50)
    logger = logging.getLogger("tensorflow")
    level = logger.level
    try:
        L.set_verbosity(L.ERROR)
        assert L.get_verbosity() == 40 and logger.level == 40
    finally:
        logger.setLevel(level)


def test_the_logging_functions(log):
    L.info("a %d", 1)
    L.warn("w")
    L.warning("w2")
    L.debug("hidden at INFO")
    L.error("e")
    L.fatal("boom %s", "x")  # logs, does not exit
    L.log(L.ERROR, "err %s", "x")
    L.vlog(1, "v1")  # level 1 is below INFO
    L.log_if(L.INFO, "if %s", True, "yes")
    L.log_if(L.INFO, "if %s", False, "no")
    L.TaskLevelStatusMessage("status")
    assert _records(log) == [
        ("INFO", "tensorflow", "a 1"), ("WARNING", "tensorflow", "w"),
        ("WARNING", "tensorflow", "w2"), ("ERROR", "tensorflow", "e"),
        ("CRITICAL", "tensorflow", "boom x"), ("ERROR", "tensorflow", "err x"),
        ("INFO", "tensorflow", "if yes"), ("ERROR", "tensorflow", "status")]


def _every(i):
    L.log_every_n(L.INFO, "every %d", 2, i)


def _first(i):
    L.log_first_n(L.INFO, "first %d", 2, i)


def test_log_every_n_and_log_first_n(log):
    # TF1 counts per token: the line that called the caller, when it is in another file; these
    # helpers are called from the loops below, in this file, so the token is pytest's line and
    # both helpers share it (as they would in TF)
    for i in range(5):
        _every(i)
    assert [m for _, _, m in _records(log)] == ["every 0", "every 2", "every 4"]
    log.clear()
    L._counts.clear()
    for i in range(5):
        _first(i)
    assert [m for _, _, m in _records(log)] == ["first 0", "first 1"]


def test_flush_is_not_implemented():
    with pytest.raises(NotImplementedError):
        L.flush()


def test_logger_and_format():
    logger = L.get_logger()
    assert logger is logging.getLogger("tensorflow") and logger is tf.get_logger()
    for handler in logger.handlers:  # TF's handler, when the root logger had none
        assert handler.formatter._fmt == logging.BASIC_FORMAT
