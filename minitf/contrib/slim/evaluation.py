"""`slim.evaluation` (TF 1.15): `evaluate_once` and `evaluation_loop`, contrib.training's
evaluation loops run for `num_evals` steps, writing the summaries to `logdir` at the end."""
import minitf as tf
from minitf.contrib.training import evaluation as _evaluation
from minitf.contrib.training.evaluation import (
    checkpoints_iterator,
    get_or_create_eval_step,
    wait_for_new_checkpoint,
)

__all__ = ["checkpoints_iterator", "evaluate_once", "evaluation_loop",
           "get_or_create_eval_step", "wait_for_new_checkpoint"]

_USE_DEFAULT = 0


def _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks):
    if summary_op == _USE_DEFAULT:
        summary_op = tf.summary.merge_all()
    all_hooks = [_evaluation.StopAfterNEvalsHook(num_evals)]
    if summary_op is not None:
        all_hooks.append(_evaluation.SummaryAtEndHook(
            log_dir=logdir, summary_op=summary_op, feed_dict=summary_op_feed_dict))
    return all_hooks + list(hooks or [])


def evaluate_once(master, checkpoint_path, logdir, num_evals=1, initial_op=None,
                  initial_op_feed_dict=None, eval_op=None, eval_op_feed_dict=None,
                  final_op=None, final_op_feed_dict=None, summary_op=_USE_DEFAULT,
                  summary_op_feed_dict=None, variables_to_restore=None, session_config=None,
                  hooks=None):
    """Restores a checkpoint, runs `eval_op` `num_evals` times, then `final_op` (`slim`).

    Args:
      master: the target (accepted; minitf runs in process).
      checkpoint_path: the prefix of the checkpoint to restore.
      logdir: the directory of the summaries written at the end.
      num_evals: how many times to run `eval_op`.
      initial_op: run when the session starts (as the scaffold's init op).
      initial_op_feed_dict: its feed_dict.
      eval_op: the fetches run each step.
      eval_op_feed_dict: their feed_dict.
      final_op: the fetches run at the end.
      final_op_feed_dict: their feed_dict.
      summary_op: the summaries written at the end (default: `tf.summary.merge_all()`;
        None: none).
      summary_op_feed_dict: its feed_dict.
      variables_to_restore: the variables to restore (default: all).
      session_config: accepted (a ConfigProto).
      hooks: more SessionRunHooks.

    Returns:
      The value of `final_op` (None without it).
    """
    saver = tf.train.Saver(variables_to_restore) if variables_to_restore is not None else None
    return _evaluation.evaluate_once(
        checkpoint_path, master=master,
        scaffold=tf.train.Scaffold(init_op=initial_op, init_feed_dict=initial_op_feed_dict,
                                   saver=saver),
        eval_ops=eval_op, feed_dict=eval_op_feed_dict, final_ops=final_op,
        final_ops_feed_dict=final_op_feed_dict,
        hooks=_hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks),
        config=session_config)


def evaluation_loop(master, checkpoint_dir, logdir, num_evals=1, initial_op=None,
                    initial_op_feed_dict=None, init_fn=None, eval_op=None,
                    eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                    summary_op=_USE_DEFAULT, summary_op_feed_dict=None,
                    variables_to_restore=None, eval_interval_secs=60,
                    max_number_of_evaluations=None, session_config=None, timeout=None,
                    timeout_fn=None, hooks=None):
    """Evaluates each new checkpoint of `checkpoint_dir` as `evaluate_once` does (`slim`).

    Args:
      master: the target (accepted; minitf runs in process).
      checkpoint_dir: the directory of the checkpoints.
      logdir: the directory of the summaries written after each evaluation.
      num_evals: how many times to run `eval_op` per evaluation.
      initial_op: run when each session starts (as the scaffold's init op).
      initial_op_feed_dict: its feed_dict.
      init_fn: `init_fn(sess)` called after `initial_op`.
      eval_op: the fetches run each step.
      eval_op_feed_dict: their feed_dict.
      final_op: the fetches run at the end of each evaluation.
      final_op_feed_dict: their feed_dict.
      summary_op: the summaries written at the end (default: `tf.summary.merge_all()`;
        None: none).
      summary_op_feed_dict: its feed_dict.
      variables_to_restore: the variables to restore (default: all).
      eval_interval_secs: the least seconds between two evaluations.
      max_number_of_evaluations: stop after this many (None: no limit).
      session_config: accepted (a ConfigProto).
      timeout: the most seconds to wait for a new checkpoint (None: for ever).
      timeout_fn: called on a timeout: True ends the loop, False waits again.
      hooks: more SessionRunHooks.

    Returns:
      The value of `final_op` at the last evaluation (None without it).
    """
    saver = tf.train.Saver(variables_to_restore) if variables_to_restore is not None else None
    return _evaluation.evaluate_repeatedly(
        checkpoint_dir, master=master,
        scaffold=tf.train.Scaffold(init_op=initial_op, init_feed_dict=initial_op_feed_dict,
                                   init_fn=init_fn, saver=saver),
        eval_ops=eval_op, feed_dict=eval_op_feed_dict, final_ops=final_op,
        final_ops_feed_dict=final_op_feed_dict, eval_interval_secs=eval_interval_secs,
        hooks=_hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks),
        config=session_config, max_number_of_evaluations=max_number_of_evaluations,
        timeout=timeout, timeout_fn=timeout_fn)
