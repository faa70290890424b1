"""`tf.math`: element-wise and reduction math ops."""
from minitf.ops.approx_topk_ops import approx_max_k, approx_min_k  # noqa: F401
from minitf.ops.check_shape_ops import is_non_decreasing, is_strictly_increasing  # noqa: F401
from minitf.ops.complex_ops import angle, conj, imag, real  # noqa: F401
from minitf.ops.elementwise_ops import (  # noqa: F401  (TF's tf.math: no floor_div, ...)
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cos,
    cosh,
    divide_no_nan,
    expm1,
    is_finite,
    is_inf,
    is_nan,
    log_sigmoid,
    multiply_no_nan,
    reciprocal_no_nan,
    rint,
    scalar_mul,
    sin,
    sinh,
    softsign,
    tan,
    xdivy,
    xlog1py,
    xlogy,
)
from minitf.ops.manip_ops import unsorted_segment_sum  # noqa: F401
from minitf.ops.math_ops import *  # noqa: F403
from minitf.ops.misc_index_ops import (  # noqa: F401
    bincount,
    confusion_matrix,
    in_top_k,
    sobol_sample,
)
from minitf.ops.misc_math_ops import (  # noqa: F401
    accumulate_n,
    erfcinv,
    lbeta,
    nextafter,
    polyval,
    zero_fraction,
)
from minitf.ops.nn_ops import log_softmax, softmax, softplus  # noqa: F401
from minitf.ops.norm_ops import (  # noqa: F401
    count_nonzero,
    l2_normalize,
    reduce_logsumexp,
    reduce_std,
    reduce_variance,
)
from minitf.ops.reduction_ops import reduce_euclidean_norm  # noqa: F401
from minitf.ops.scan_ops import *  # noqa: F403
from minitf.ops.segment_ops import *  # noqa: F403
from minitf.ops.sequence_ops import invert_permutation  # noqa: F401
from minitf.ops.sort_ops import top_k  # noqa: F401
from minitf.ops.special_math_ops import *  # noqa: F403
