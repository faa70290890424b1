"""`tf.debugging`: assertions, numeric checks and order tests (TF1's names)."""
from minitf.ops.assert_shapes_ops import assert_shapes  # noqa: F401
from minitf.ops.check_ops import (  # noqa: F401
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
)
from minitf.ops.check_shape_ops import (  # noqa: F401
    assert_integer,
    assert_proper_iterable,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_same_float_dtype,
    assert_scalar,
    assert_type,
    is_non_decreasing,
    is_numeric_tensor,
    is_strictly_increasing,
)
from minitf.ops.debug_ops import (  # noqa: F401
    Assert,
    check_numerics,
    verify_tensor_all_finite as assert_all_finite,
)
from minitf.ops.elementwise_ops import is_finite, is_inf, is_nan  # noqa: F401
