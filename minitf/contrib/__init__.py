"""`tf.contrib`: the parts of TF 1.15's contrib that minitf has: `eager`; `framework` (arg_scope,
variable helpers); `layers` (slim-style layers, initializers, regularizers, optimize_loss); `rnn`
(the core cells, the block, layer-norm and attention cells, the core_rnn_cell wrappers); `opt`
(AdamW, MomentumW, LazyAdam, AddSign, PowerSign); `seq2seq` (decoders, attention, beam search);
`legacy_seq2seq`; `training` (HParams, create_train_op, the training and evaluation loops); `crf`;
`losses`; `metrics` (the `streaming_*` metrics); and `slim` (their names, `learning`,
`evaluation` and `model_analyzer`).

Each is imported on first use (`tf.contrib.layers`), as TF's `tf.contrib` is a lazy loader:
`import minitf` does not pay for the contrib packages a program never touches."""
import importlib

__all__ = ["crf", "eager", "framework", "layers", "legacy_seq2seq", "losses", "metrics", "opt",
           "rnn", "seq2seq", "slim", "training"]


def __getattr__(name):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")  # (then a module attribute)


def __dir__():
    return sorted(set(globals()) | set(__all__))
