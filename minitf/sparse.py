"""`tf.sparse`: SparseTensor and the ops on it that minitf has."""
from minitf.framework.sparse_tensor import SparseTensor  # noqa: F401
from minitf.ops.segment_ops import (  # noqa: F401
    sparse_segment_mean as segment_mean,
    sparse_segment_sqrt_n as segment_sqrt_n,
    sparse_segment_sum as segment_sum,
)
from minitf.ops.sparse_composite_ops import (  # noqa: F401
    from_dense,
    sparse_placeholder as placeholder,
    sparse_retain as retain,
)
from minitf.ops.sparse_ops import (  # noqa: F401
    sparse_fill_empty_rows as fill_empty_rows,
    sparse_reorder as reorder,
    sparse_reshape as reshape,
    sparse_tensor_to_dense as to_dense,
)
