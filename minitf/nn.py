"""`tf.nn`: neural-network ops."""
from minitf import rnn_cell  # noqa: F401
from minitf.ctc import *  # noqa: F403
from minitf.ctc_labels import *  # noqa: F403
from minitf.embedding_sparse import (  # noqa: F401
    embedding_lookup_sparse,
    safe_embedding_lookup_sparse,
)
from minitf.ops.approx_topk_ops import approx_max_k, approx_min_k  # noqa: F401
from minitf.ops.candidate_sampling_ops import *  # noqa: F403
from minitf.ops.conv3d_ops import *  # noqa: F403
from minitf.ops.conv_composite_ops import *  # noqa: F403
from minitf.ops.conv_ops import *  # noqa: F403
from minitf.ops.depthwise_conv_ops import *  # noqa: F403
from minitf.ops.elementwise_ops import softsign  # noqa: F401
from minitf.ops.fractional_pool_ops import *  # noqa: F403
from minitf.ops.misc_index_ops import in_top_k  # noqa: F401
from minitf.ops.misc_math_ops import zero_fraction  # noqa: F401
from minitf.ops.morphology_ops import *  # noqa: F403
from minitf.ops.nn_extra_ops import *  # noqa: F403
from minitf.ops.nn_loss_ops import *  # noqa: F403
from minitf.ops.nn_more_ops import *  # noqa: F403
from minitf.ops.nn_norm_ops import *  # noqa: F403
from minitf.ops.nn_ops import *  # noqa: F403
from minitf.ops.nn_stats_ops import *  # noqa: F403
from minitf.ops.norm_ops import l2_normalize, moments  # noqa: F401
from minitf.ops.pool3d_ops import *  # noqa: F403
from minitf.ops.pool_argmax_ops import *  # noqa: F403
from minitf.ops.pool_ops import *  # noqa: F403
from minitf.ops.quantized_nn_ops import *  # noqa: F403
from minitf.ops.sort_ops import top_k  # noqa: F401
from minitf.ops.space_batch_ops import space_to_batch  # noqa: F401
from minitf.partitioned import embedding_lookup  # noqa: F401
from minitf.rnn import (  # noqa: F401
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from minitf.rnn_raw import raw_rnn, static_state_saving_rnn  # noqa: F401
from minitf.sampled_losses import nce_loss, sampled_softmax_loss  # noqa: F401
