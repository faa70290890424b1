"""tf.train.CheckpointManager: numbering, keeping max_to_keep, the state file with TF's
timestamps, taking over a directory, checkpoint intervals and restore_or_initialize."""
import os

import numpy as np
import pytest

import minitf as tf


def _files(directory):
    return sorted(os.listdir(directory))


def test_keeps_the_newest_and_records_them(tmp_path):
    v = tf.Variable(1.0, name="v")
    ckpt = tf.train.Checkpoint(v=v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
        assert manager.latest_checkpoint is None and manager.checkpoints == []
        paths = [manager.save() for _ in range(3)]
        assert paths == [str(tmp_path / f"ckpt-{i}") for i in (1, 2, 3)]
        assert manager.checkpoints == paths[1:] and manager.latest_checkpoint == paths[2]
        assert manager.directory == str(tmp_path) and manager.checkpoint_interval is None
        assert _files(tmp_path) == ["checkpoint", "ckpt-2.data-00000-of-00001", "ckpt-2.index",
                                    "ckpt-3.data-00000-of-00001", "ckpt-3.index"]
        assert manager.save(checkpoint_number=10) == str(tmp_path / "ckpt-10")
        assert sess.run(ckpt.save_counter) == 4
    lines = (tmp_path / "checkpoint").read_text().splitlines()
    assert lines[:3] == ['model_checkpoint_path: "ckpt-10"',
                         'all_model_checkpoint_paths: "ckpt-3"',
                         'all_model_checkpoint_paths: "ckpt-10"']
    assert [line.split(":")[0] for line in lines[3:]] == [
        "all_model_checkpoint_timestamps", "all_model_checkpoint_timestamps",
        "last_preserved_timestamp"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "ckpt-10")


def test_a_new_manager_takes_over_the_directory(tmp_path):
    v = tf.Variable(1.0, name="v")
    ckpt = tf.train.Checkpoint(v=v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
        for _ in range(2):
            first.save()
        again = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
        assert again.checkpoints == first.checkpoints
        assert again.latest_checkpoint == str(tmp_path / "ckpt-2")
        again.save()
        assert _files(tmp_path)[1:] == ["ckpt-2.data-00000-of-00001", "ckpt-2.index",
                                        "ckpt-3.data-00000-of-00001", "ckpt-3.index"]


def test_step_counter_and_checkpoint_interval(tmp_path):
    step = tf.Variable(0, dtype=tf.int64, name="step")
    ckpt = tf.train.Checkpoint(step=step)
    with tf.Session() as sess:
        sess.run(step.initializer)
        manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=None,
                                             step_counter=step, checkpoint_interval=5)
        assert manager.save() == str(tmp_path / "ckpt-1")
        assert manager.save() is None  # the same step
        step.load(3, sess)
        assert manager.save() is None  # fewer than 5 steps since
        assert manager.save(check_interval=False, checkpoint_number=step) == str(
            tmp_path / "ckpt-3")
        step.load(8, sess)
        assert manager.save() == str(tmp_path / "ckpt-3")  # the save counter, now 3
        assert len(manager.checkpoints) == 2


def test_restore_or_initialize(tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    ckpt = tf.train.Checkpoint(v=v)
    called = []
    with tf.Session() as sess:
        sess.run(v.initializer)
        manager = tf.train.CheckpointManager(ckpt, str(tmp_path), 3,
                                             init_fn=lambda: called.append(1))
        assert manager.restore_or_initialize() is None and called == [1]
        path = manager.save()
        v.load([0.0, 0.0], sess)
        assert manager.restore_or_initialize() == path
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_errors(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    with pytest.raises(ValueError, match="Expected a positive integer or `None` for "
                                         "`max_to_keep`, got 0"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=0)
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), 1, checkpoint_interval=2)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), 1)
    with pytest.raises(AttributeError, match="no attribute 'run'"):
        manager.save()
