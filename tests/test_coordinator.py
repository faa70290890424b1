"""tf.train.Coordinator, LooperThread and basic_train_loop, and the checkpoint-directory
helpers (checkpoints_iterator, get_checkpoint_mtimes, remove_checkpoint,
generate_checkpoint_state_proto) and assert_global_step, as TF1 behaves (checked with tfdiff)."""
import contextlib
import os
import threading

import pytest

import minitf as tf


def _raise_in(coord, exc):
    with coord.stop_on_exception():
        raise exc


def test_join_reraises_the_first_reported_exception():
    coord = tf.train.Coordinator()
    assert (coord.should_stop(), coord.joined) == (False, False)

    def worker(n):
        with coord.stop_on_exception():
            if n == 1:
                raise ValueError(f"worker {n} failed")
            coord.wait_for_stop()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    with pytest.raises(ValueError, match="worker 1 failed"):
        coord.join(threads)
    assert (coord.should_stop(), coord.joined) == (True, True)
    with pytest.raises(ValueError, match="worker 1 failed"):
        coord.raise_requested_exception()
    # after join, a reported exception is raised at once: TF re-raises the one being handled
    with pytest.raises(TypeError, match="exceptions must derive from BaseException"):
        coord.request_stop(RuntimeError("late"))
    with pytest.raises(RuntimeError, match="late2"):
        try:
            raise RuntimeError("late2")
        except RuntimeError as e:
            coord.request_stop(e)
    coord.clear_stop()
    assert (coord.should_stop(), coord.joined) == (False, False)
    coord.raise_requested_exception()  # nothing recorded any more


def test_clean_stop_types_and_first_exception_kept():
    coord = tf.train.Coordinator()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "eof"))
    coord.join([])  # OutOfRangeError is a clean stop: nothing raised
    coord = tf.train.Coordinator()
    try:
        raise KeyError("k")
    except KeyError as e:
        coord.request_stop(e)
    coord.request_stop(ValueError("second"))
    with pytest.raises(KeyError, match="k"):
        coord.join()
    coord = tf.train.Coordinator(clean_stop_exception_types=[])
    _raise_in(coord, tf.errors.OutOfRangeError(None, None, "eof"))
    with pytest.raises(tf.errors.OutOfRangeError):
        coord.join()
    coord = tf.train.Coordinator()
    with pytest.raises(ValueError, match="ex must be a tuple or sys.exc_info must return"):
        coord.request_stop(ValueError("not raised"))  # not being handled: TF's ValueError
        coord.join()


def test_join_grace_period_and_stragglers():
    release = threading.Event()
    for ignore in (False, True):
        coord = tf.train.Coordinator()
        t = threading.Thread(target=release.wait, name=f"slow{int(ignore)}")
        t.start()
        coord.request_stop()
        if ignore:
            coord.join([t], stop_grace_period_secs=0.01, ignore_live_threads=True)
        else:
            with pytest.raises(RuntimeError, match="Coordinator stopped with threads still "
                                                   "running: slow0"):
                coord.join([t], stop_grace_period_secs=0.01)
    release.set()


def test_looper_thread():
    coord = tf.train.Coordinator()
    count = [0]

    def tick():
        count[0] += 1
        if count[0] == 5:
            coord.request_stop()

    looper = tf.train.LooperThread.loop(coord, None, tick)
    coord.join()
    looper.join()
    assert count == [5]
    with pytest.raises(ValueError, match="'coord' argument must be a Coordinator: 1"):
        tf.train.LooperThread(1, None)
    with pytest.raises(ValueError, match="'args' and 'kwargs' argument require that you also "
                                         "pass 'target'"):
        tf.train.LooperThread(tf.train.Coordinator(), None, args=(1,))
    coord = tf.train.Coordinator()

    def bad():
        raise IndexError("in loop")

    tf.train.LooperThread.loop(coord, 0.001, bad)
    with pytest.raises(IndexError, match="in loop"):
        coord.join()
    calls = []

    class Looper(tf.train.LooperThread):
        def start_loop(self):
            calls.append("start")

        def run_loop(self):
            calls.append("run")
            self._coord.request_stop()

        def stop_loop(self):
            calls.append("stop")

    coord = tf.train.Coordinator()
    Looper(coord, None).start()
    coord.join()
    assert calls == ["start", "run", "stop"]


class _Supervisor:
    def __init__(self, log):
        self.steps, self.aborted, self.log = 0, False, log

    def should_stop(self):
        return self.steps >= 3

    def managed_session(self, master):
        @contextlib.contextmanager
        def session():
            self.log.append(("session", master))
            yield "S"
        return session()


def test_basic_train_loop_retries_after_abort():
    log = []
    sup = _Supervisor(log)

    def step(sess, k, scale=1):
        sup.steps += 1
        log.append(("step", sess, k, scale, sup.steps))
        if sup.steps == 2 and not sup.aborted:
            sup.aborted = True
            raise tf.errors.AbortedError(None, None, "abort")

    tf.train.basic_train_loop(sup, step, args=(9,), kwargs={"scale": 2}, master="m")
    assert log == [("session", "m"), ("step", "S", 9, 2, 1), ("step", "S", 9, 2, 2),
                   ("session", "m"), ("step", "S", 9, 2, 3)]


def _two_checkpoints(directory):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in (1, 2):
            saver.save(sess, os.path.join(directory, "model.ckpt"), global_step=step)


def test_checkpoints_iterator(tmp_path):
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0)) == []
    _two_checkpoints(str(tmp_path))
    names = [os.path.basename(p) for p in tf.train.checkpoints_iterator(str(tmp_path),
                                                                       timeout=0)]
    assert names == ["model.ckpt-2"]
    calls = []

    def timeout_fn():
        calls.append(1)
        return len(calls) >= 2

    names = [os.path.basename(p) for p in tf.train.checkpoints_iterator(
        str(tmp_path), timeout=0, timeout_fn=timeout_fn)]
    assert (names, len(calls)) == (["model.ckpt-2"], 2)


def test_mtimes_and_remove(tmp_path):
    _two_checkpoints(str(tmp_path))
    prefix = str(tmp_path / "model.ckpt")
    mtimes = tf.train.get_checkpoint_mtimes([prefix + "-1", prefix + "-2", prefix + "-9"])
    assert len(mtimes) == 2 and all(isinstance(m, float) for m in mtimes)
    tf.train.remove_checkpoint(prefix + "-1")
    assert not tf.train.checkpoint_exists(prefix + "-1")
    assert tf.train.checkpoint_exists(prefix + "-2")
    tf.train.remove_checkpoint(prefix + "-7")  # only logs a warning


def test_generate_checkpoint_state_proto():
    cases = [(("run", "run/model.ckpt-2", ["run/model.ckpt-1"]),
              ("model.ckpt-2", ["model.ckpt-1", "model.ckpt-2"])),
             (("/abs", "/abs/m-3", None), ("/abs/m-3", ["/abs/m-3"])),
             (("run", "/abs/m-3", ["run/m-1", "/abs/m-3"]), ("/abs/m-3", ["m-1", "/abs/m-3"])),
             (("run", "run/a", ["run/a", "run/b"]), ("a", ["a", "b", "a"]))]
    for args, (model, everything) in cases:
        proto = tf.train.generate_checkpoint_state_proto(*args)
        assert (proto.model_checkpoint_path, proto.all_model_checkpoint_paths) == (
            model, everything)
    with pytest.raises(ValueError, match=r"must match checkpoint paths \(got paths \['run/b', "
                                         r"'run/a'\] and timestamps \[1.0\]\)"):
        tf.train.generate_checkpoint_state_proto("run", "run/a", ["run/b"], [1.0])


def test_assert_global_step():
    tf.train.assert_global_step(tf.train.get_or_create_global_step())
    tf.train.assert_global_step(tf.placeholder(tf.int32, [None]))  # not fully known: accepted
    with pytest.raises(TypeError, match="does not have integer type: <dtype: 'float32'>"):
        tf.train.assert_global_step(tf.constant(1.0))
    with pytest.raises(TypeError, match=r'Existing "global_step" is not scalar: \(2,\)'):
        tf.train.assert_global_step(tf.constant([1, 2]))
    with pytest.raises(TypeError, match='Existing "global_step" must be a Variable or Tensor: x.'):
        tf.train.assert_global_step("x")
