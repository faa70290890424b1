"""`tf.contrib`: the parts of TF1's contrib that minitf has: `tf.contrib.eager`,
`tf.contrib.framework` (arg_scope, variable helpers), `tf.contrib.layers` (slim-style layers,
initializers, regularizers, optimize_loss), `tf.contrib.rnn` (the core cells and the block,
layer-norm and attention cells), `tf.contrib.opt` (AdamW, MomentumW, LazyAdam, AddSign,
PowerSign), `tf.contrib.seq2seq` (decoders, attention, beam search), `tf.contrib.training`
(`HParams`), `tf.contrib.crf`, `tf.contrib.losses`, `tf.contrib.metrics` (the `streaming_*`
metrics) and `tf.contrib.slim` (their names, and `model_analyzer`)."""
from minitf.contrib import (
    crf,
    eager,
    framework,
    layers,
    losses,
    metrics,
    opt,
    rnn,
    seq2seq,
    slim,
    training,
)

__all__ = ["crf", "eager", "framework", "layers", "losses", "metrics", "opt", "rnn", "seq2seq",
           "slim", "training"]
