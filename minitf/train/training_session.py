"""`tf.train.MonitoredTrainingSession`: a MonitoredSession with TF's usual training hooks
(checkpoints, the step rate) for a chief, or a waiting session for a worker."""
from minitf.train.basic_session_run_hooks import StepCounterHook
from minitf.train.checkpoint_saver_hook import CheckpointSaverHook
from minitf.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    Scaffold,
    WorkerSessionCreator,
)
from minitf.train.summary_saver_hook import SummarySaverHook

__all__ = ["MonitoredTrainingSession"]

USE_DEFAULT = object()  # tells an argument left out from one given as None


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None, scaffold=None,
                             hooks=None, chief_only_hooks=None,
                             save_checkpoint_secs=USE_DEFAULT,
                             save_summaries_steps=USE_DEFAULT, save_summaries_secs=USE_DEFAULT,
                             config=None, stop_grace_period_secs=120, log_step_count_steps=100,
                             max_wait_secs=7200, save_checkpoint_steps=USE_DEFAULT,
                             summary_dir=None, save_graph_def=True):
    """Returns a MonitoredSession set up for training (`tf.train`).

    A chief restores the newest checkpoint of `checkpoint_dir` (or initializes the model) and
    runs, before the caller's `hooks`, its `chief_only_hooks`, a StepCounterHook logging
    `global_step/sec` every `log_step_count_steps` steps (also as a summary in `summary_dir`),
    a SummarySaverHook writing the scaffold's summary op (`tf.summary.merge_all()`) every
    `save_summaries_steps` steps (100 when neither this nor `save_summaries_secs` is given) or
    `save_summaries_secs` seconds, and a CheckpointSaverHook saving
    `checkpoint_dir/model.ckpt-<step>` every `save_checkpoint_secs` seconds (600 when neither
    this nor `save_checkpoint_steps` is given) or `save_checkpoint_steps` steps. A worker
    waits for the chief to make the model ready and runs only `hooks`.

    Args:
      master: the target (accepted; minitf runs in process).
      is_chief: whether this process initializes, restores and saves the model.
      checkpoint_dir: the directory of the checkpoints (None: no restoring or saving).
      scaffold: the Scaffold (default: a new one).
      hooks: SessionRunHooks for every process.
      chief_only_hooks: SessionRunHooks for the chief only.
      save_checkpoint_secs: save every this many seconds (None or 0: not by time).
      save_summaries_steps: write summaries every this many steps (None or 0: not by steps).
      save_summaries_secs: write summaries every this many seconds (None or 0: not by time).
      config: accepted (a ConfigProto).
      stop_grace_period_secs: how long the Coordinator's threads may run after a stop.
      log_step_count_steps: log the step rate every this many steps (None or 0: never).
      max_wait_secs: how long a worker waits for the model to be ready.
      save_checkpoint_steps: save every this many steps (None or 0: not by steps).
      summary_dir: the directory of the event files (default: `checkpoint_dir`).
      save_graph_def: accepted (minitf writes no graph files).

    Returns:
      A MonitoredSession.
    """
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    if not is_chief:
        creator = WorkerSessionCreator(scaffold=scaffold, master=master, config=config,
                                       max_wait_secs=max_wait_secs)
        return MonitoredSession(session_creator=creator, hooks=hooks or [],
                                stop_grace_period_secs=stop_grace_period_secs)
    all_hooks = list(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir,
                                  master=master, config=config)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir and log_step_count_steps and log_step_count_steps > 0:
        all_hooks.append(StepCounterHook(output_dir=summary_dir,
                                         every_n_steps=log_step_count_steps))
    if summary_dir and ((save_summaries_steps and save_summaries_steps > 0)
                        or (save_summaries_secs and save_summaries_secs > 0)):
        all_hooks.append(SummarySaverHook(
            scaffold=scaffold, save_steps=save_summaries_steps, save_secs=save_summaries_secs,
            output_dir=summary_dir))
    if checkpoint_dir and ((save_checkpoint_secs and save_checkpoint_secs > 0)
                           or (save_checkpoint_steps and save_checkpoint_steps > 0)):
        all_hooks.append(CheckpointSaverHook(
            checkpoint_dir, save_steps=save_checkpoint_steps, save_secs=save_checkpoint_secs,
            scaffold=scaffold, save_graph_def=save_graph_def))
    all_hooks.extend(hooks or [])
    return MonitoredSession(session_creator=creator, hooks=all_hooks,
                            stop_grace_period_secs=stop_grace_period_secs)
