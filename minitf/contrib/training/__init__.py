"""`tf.contrib.training` (TF 1.15): `HParams`, the named and typed hyperparameters, and
`parse_values`, their "a=1,b=[1,2],c=hello" syntax; the training loop (`create_train_op`,
`train` and the gradient transforms, training.py) and the evaluation loops (`evaluate_once`,
`evaluate_repeatedly` and their hooks, evaluation.py). (Its input pipelines are not here.)"""
from minitf.contrib.training.evaluation import (
    StopAfterNEvalsHook,
    SummaryAtEndHook,
    checkpoints_iterator,
    evaluate_once,
    evaluate_repeatedly,
    get_or_create_eval_step,
    wait_for_new_checkpoint,
)
from minitf.contrib.training.hparam import HParams, parse_values
from minitf.contrib.training.training import (
    add_gradients_summaries,
    clip_gradient_norms,
    clip_gradient_norms_fn,
    create_train_op,
    multiply_gradients,
    train,
)

__all__ = ["HParams", "parse_values",
           "add_gradients_summaries", "clip_gradient_norms", "clip_gradient_norms_fn",
           "create_train_op", "multiply_gradients", "train",
           "StopAfterNEvalsHook", "SummaryAtEndHook", "checkpoints_iterator", "evaluate_once",
           "evaluate_repeatedly", "get_or_create_eval_step", "wait_for_new_checkpoint"]
