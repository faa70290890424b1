"""`tf.contrib.layers.embed_sequence` (TF 1.15): ids to embeddings through a model variable
`EmbedSequence/embeddings` [vocab_size, embed_dim]."""
from minitf.contrib.framework.variables import model_variable
from minitf.partitioned import embedding_lookup
from minitf.variable_scope import variable_scope

__all__ = ["embed_sequence"]


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """Maps a sequence of ids to embedding vectors.

    Args:
      ids: an integer Tensor [batch, length] of ids.
      vocab_size: the number of ids (may be None when reusing).
      embed_dim: the embeddings' size (may be None when reusing).
      unique: accepted (TF then looks up unique ids only; the values are the same).
      initializer: the embeddings' initializer (default the scope's, glorot uniform).
      regularizer: a regularizer of the embeddings.
      trainable: whether they join TRAINABLE_VARIABLES.
      scope: the variable scope's name (default "EmbedSequence").
      reuse: reuse the embeddings of the scope named `scope`.

    Returns:
      A Tensor [batch, length, embed_dim].

    Raises:
      ValueError: not reusing and `vocab_size` or `embed_dim` is missing.
    """
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not reusing. "
                         f"Got vocab_size={vocab_size} and embed_dim={embed_dim}")
    with variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        if reuse and vocab_size is None or embed_dim is None:
            shape = None
        embeddings = model_variable("embeddings", shape=shape, initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        return embedding_lookup(embeddings, ids)
