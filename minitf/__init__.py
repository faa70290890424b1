"""minitf: TensorFlow 1's graph-mode API on NumPy, with Cython name and variable-store kernels.

`import minitf as tf` and write TF1 code; `tf.compat.v1` is this same namespace. Re-exports only:
each name is defined in the module it is imported from.
"""
# sub-namespaces: tf.nn, tf.train, ...; tf.compat.v1 is this module
from minitf import (
    app,
    bitwise,
    compat,
    constraints,
    contrib,
    data,
    debugging,
    flags,
    gfile,
    initializers,
    io,
    layers,
    linalg,
    losses,
    math,
    metrics,
    nn,
    random,
    regularizers,
    signal,
    sparse,
    spectral,
    summary,
    test,
    tf_logging as logging,
    train,
)
from minitf._kernels import kernel_backend
from minitf.backprop import GradientTape
from minitf.compat_names import (
    all_variables,
    colocate_with,
    container,
    convert_to_tensor_or_indexed_slices,
    disable_tensor_equality,
    enable_tensor_equality,
    executing_eagerly_outside_functions,
    get_logger,
    get_seed,
    grad_pass_through,
    initialize_all_tables,
    initialize_local_variables,
    initialize_variables,
    is_symbolic_tensor,
    is_tensor,
    moving_average_variables,
    no_gradient,
    op_scope,
    recompute_grad,
    tables_initializer,
    variable_op_scope,
)
from minitf.control_flow import (
    function_import as _function_import,  # noqa: F401  (import_graph_def's If, While, ...)
)
from minitf.control_flow.cond import case, cond, switch_case
from minitf.control_flow.function import (
    CriticalSection,
    function,
    nondifferentiable_batch_function,
    wrap_function,
)
from minitf.control_flow.functional import foldl, foldr, map_fn, scan, vectorized_map
from minitf.control_flow.tensor_array import TensorArray, TensorArraySpec
from minitf.control_flow.while_loop import while_loop
from minitf.custom_gradient import custom_gradient
from minitf.eager_variable_store import EagerVariableStore
from minitf.framework import errors, nest
from minitf.framework.api import (
    add_to_collection,
    add_to_collections,
    control_dependencies,
    device,
    get_collection,
    get_collection_ref,
    init_scope,
    name_scope,
)
from minitf.framework.config_pb import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunMetadata,
    RunOptions,
)
from minitf.framework.constant_op import (
    constant,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from minitf.framework.control_flow_context import (
    control_flow_v2_enabled,
    disable_control_flow_v2,
    enable_control_flow_v2,
)
from minitf.framework.device import DeviceSpec
from minitf.framework.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from minitf.framework.eager import (
    disable_eager_execution,
    eager_mode,
    enable_eager_execution,
    executing_eagerly,
)
from minitf.framework.errors import OpError
from minitf.framework.graph import Graph, get_default_graph, reset_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.graph_pb import AttrValue, GraphDef, NameAttrList, NodeDef
from minitf.framework.importer import import_graph_def
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.meta_graph_pb import MetaGraphDef, TensorInfo
from minitf.framework.ops import Operation, Tensor, get_default_session
from minitf.framework.random_seed import set_random_seed
from minitf.framework.registry import NoGradient, NotDifferentiable, RegisterGradient
from minitf.framework.sparse_tensor import (
    SparseTensor,
    SparseTensorValue,
    convert_to_tensor_or_sparse_tensor,
)
from minitf.framework.summary_pb import (
    Event,
    HistogramProto,
    LogMessage,
    SessionLog,
    Summary,
    SummaryMetadata,
)
from minitf.framework.tensor_shape import (
    Dimension,
    TensorShape,
    disable_v2_tensorshape,
    enable_v2_tensorshape,
)
from minitf.framework.tensor_util import (
    dimension_at_index,
    dimension_value,
    get_static_value,
    make_ndarray,
    make_tensor_proto,
)
from minitf.framework.type_spec import (
    IndexedSlicesSpec,
    NoneTensorSpec,
    TensorSpec,
    TypeSpec,
    type_spec_from_value,
)
from minitf.framework.versions import (
    COMPILER_VERSION,
    CXX11_ABI_FLAG,
    CXX_VERSION,
    GIT_VERSION,
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
    MONOLITHIC_BUILD,
    VERSION,
)
from minitf.gradients import AggregationMethod, UnconnectedGradients, gradients, hessians
from minitf.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from minitf.model_analyzer import summary_table
from minitf.module import Module
from minitf.ops import (
    tensor_operators as _tensor_operators,  # noqa: F401  (binds x + y, ...)
    tf_grad_ops as _tf_grad_ops,  # noqa: F401  (ops TF's GraphDefs use)
)
from minitf.ops._shared import identity_n
from minitf.ops.approx_topk_ops import approx_top_k
from minitf.ops.array_ops import (
    broadcast_to,
    concat,
    expand_dims,
    fill,
    gather,
    identity,
    newaxis,
    one_hot,
    ones,
    ones_like,
    pad,
    placeholder,
    placeholder_with_default,
    rank,
    reshape,
    shape,
    size,
    slice,
    split,
    squeeze,
    stack,
    stop_gradient,
    strided_slice,
    tile,
    transpose,
    unique,
    unsorted_segment_sum,
    unstack,
    where,
    zeros,
    zeros_like,
)
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.check_ops import (
    add_check_numerics_ops,
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
    assert_variables_initialized,
)
from minitf.ops.check_shape_ops import (
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
from minitf.ops.clip_ops import (
    clip_by_average_norm,
    clip_by_global_norm,
    clip_by_norm,
    global_norm,
)
from minitf.ops.compat_ops import fingerprint, guarantee_const, timestamp
from minitf.ops.complex_ops import (
    angle,
    complex,
    conj,
    imag,
    real,
    saturate_cast,
    to_complex64,
    to_complex128,
    to_double,
)
from minitf.ops.control_flow_ops import group, no_op, tuple
from minitf.ops.conv_generic_ops import conv, conv2d_backprop_filter_v2, conv2d_backprop_input_v2
from minitf.ops.debug_ops import Assert, Print, check_numerics, verify_tensor_all_finite
from minitf.ops.elementwise_ops import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cos,
    cosh,
    div_no_nan,
    expm1,
    floor_div,
    is_finite,
    is_inf,
    is_nan,
    log_sigmoid,
    rint,
    scalar_mul,
    sin,
    sinh,
    tan,
    truncatediv,
    truncatemod,
)
from minitf.ops.fake_quant_ops import (
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel,
    fake_quant_with_min_max_vars_per_channel_gradient,
)
from minitf.ops.fft_ops import (
    fft,
    fft2d,
    fft3d,
    fftnd,
    ifft,
    ifft2d,
    ifft3d,
    ifftnd,
    irfftnd,
    rfftnd,
)
from minitf.ops.gather_scatter_ops import (
    boolean_mask,
    gather_nd,
    scatter_nd,
    tensor_scatter_add,
    tensor_scatter_nd_add,
    tensor_scatter_nd_max,
    tensor_scatter_nd_min,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
    tensor_scatter_sub,
    tensor_scatter_update,
)
from minitf.ops.legacy_ops import check_pinned, sparse_matmul
from minitf.ops.linalg_decomp_ops import (
    matrix_square_root,
    self_adjoint_eig,
    self_adjoint_eigvals,
    svd,
)
from minitf.ops.linalg_ops import eye, matrix_diag_part, qr
from minitf.ops.linalg_solve_ops import (
    cholesky,
    cholesky_solve,
    matrix_determinant,
    matrix_inverse,
    matrix_solve,
    matrix_solve_ls,
    matrix_triangular_solve,
)
from minitf.ops.math_ops import (
    abs,
    add,
    add_n,
    argmax,
    argmin,
    cast,
    ceil,
    clip_by_value,
    divide,
    equal,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    reciprocal,
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    round,
    rsqrt,
    sigmoid,
    sign,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    to_float,
    to_int32,
    to_int64,
    truediv,
)
from minitf.ops.matrix_ops import (
    einsum,
    matrix_band_part,
    matrix_diag,
    matrix_set_diag,
    matrix_transpose,
    tensordot,
    trace,
)
from minitf.ops.misc_array_ops import bitcast, cross, diag, diag_part
from minitf.ops.misc_index_ops import (
    bincount,
    confusion_matrix,
    histogram_fixed_width_bins,
    unravel_index,
)
from minitf.ops.misc_math_ops import (
    accumulate_n,
    arg_max,
    arg_min,
    div,
    lbeta,
    realdiv,
    to_bfloat16,
)
from minitf.ops.norm_ops import count_nonzero, norm, reduce_logsumexp
from minitf.ops.partition_ops import (
    batch_gather,
    dynamic_partition,
    dynamic_stitch,
    histogram_fixed_width,
    repeat,
    reverse_sequence,
)
from minitf.ops.print_ops import print_v2 as print
from minitf.ops.quantize_ops import (
    QUANTIZED_DTYPES,
    dequantize,
    quantize,
    quantize_v2,
    quantized_concat,
)
from minitf.ops.random_gamma_ops import random_gamma, random_poisson
from minitf.ops.random_index_shuffle import random_index_shuffle
from minitf.ops.random_more_ops import multinomial, random_crop, random_shuffle
from minitf.ops.random_ops import random_normal, random_uniform, truncated_normal
from minitf.ops.scan_ops import cumprod, cumsum
from minitf.ops.scatter_ops import (
    batch_scatter_update,
    count_up_to,
    scatter_add,
    scatter_div,
    scatter_max,
    scatter_min,
    scatter_mul,
    scatter_nd_add,
    scatter_nd_sub,
    scatter_nd_update,
    scatter_sub,
    scatter_update,
)
from minitf.ops.script_ops import numpy_function, py_func, py_function
from minitf.ops.segment_ops import (
    segment_max,
    segment_mean,
    segment_min,
    segment_prod,
    segment_sum,
    sparse_segment_mean,
    sparse_segment_sqrt_n,
    sparse_segment_sum,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_prod,
    unsorted_segment_sqrt_n,
)
from minitf.ops.sequence_ops import (
    invert_permutation,
    lin_space,
    linspace,
    meshgrid,
    range,
    searchsorted,
    sequence_mask,
    setdiff1d,
    where_v2,
)
from minitf.ops.session_ops import (
    delete_session_tensor,
    get_session_handle,
    get_session_tensor,
)
from minitf.ops.shape_ops import (
    broadcast_dynamic_shape,
    broadcast_static_shape,
    depth_to_space,
    ensure_shape,
    parallel_stack,
    shape_n,
    space_to_depth,
)
from minitf.ops.sort_ops import argsort, reverse, reverse_v2, roll, sort, unique_with_counts
from minitf.ops.space_batch_ops import (
    batch_to_space,
    batch_to_space_nd,
    extract_volume_patches,
    required_space_to_batch_paddings,
    space_to_batch,
    space_to_batch_nd,
)
from minitf.ops.sparse_composite_ops import sparse_placeholder, sparse_retain
from minitf.ops.sparse_ops import (
    sparse_fill_empty_rows,
    sparse_reorder,
    sparse_reshape,
    sparse_tensor_to_dense,
    sparse_to_dense,
)
from minitf.ops.special_math_ops import (
    betainc,
    digamma,
    erf,
    erfc,
    igamma,
    igammac,
    lgamma,
    polygamma,
    zeta,
)
from minitf.partitioned import (
    PartitionedVariable,
    create_partitioned_variables,
    fixed_size_partitioner,
    min_max_variable_partitioner,
    variable_axis_size_partitioner,
)
from minitf.session import InteractiveSession, Session
from minitf.template import make_template
from minitf.v2_compat import disable_v2_behavior, enable_v2_behavior
from minitf.variable_ops import (
    assign,
    assign_add,
    assign_sub,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    is_variable_initialized,
    local_variables,
    local_variables_initializer,
    model_variables,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)
from minitf.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_local_variable,
    get_variable,
    get_variable_scope,
    no_regularizer,
    variable_creator_scope,
    variable_scope,
)
from minitf.variables import (
    ResourceVariable,
    Variable,
    VariableAggregation,
    VariableSynchronization,
    VariableV1,
    disable_resource_variables,
    enable_resource_variables,
    resource_variables_enabled,
)

__version__ = "0.1.0"
__all__ = [
    "abs", "add", "add_n", "add_to_collection", "add_to_collections", "argmax", "argmin",
    "as_dtype", "assign", "assign_add", "assign_sub", "AUTO_REUSE", "bfloat16", "bool",
    "broadcast_to", "cast", "ceil", "clip_by_value", "compat", "complex128", "complex64", "concat",
    "constant", "constant_initializer", "constraints", "control_dependencies", "convert_to_tensor",
    "create_partitioned_variables", "device", "DeviceSpec", "Dimension", "divide", "double",
    "DType", "equal", "errors", "exp",
    "expand_dims", "eye", "fill", "fixed_size_partitioner", "float16", "float32", "float64",
    "floor", "floordiv", "floormod", "gather", "get_collection", "get_collection_ref",
    "get_default_graph", "get_default_session", "get_local_variable", "get_variable",
    "get_variable_scope", "global_variables", "global_variables_initializer",
    "glorot_normal_initializer", "glorot_uniform_initializer", "gradients", "Graph", "GraphKeys",
    "greater", "greater_equal", "group", "half", "identity", "identity_n", "IndexedSlices",
    "initialize_all_variables", "initializers", "int16", "int32", "int64", "int8",
    "InteractiveSession", "is_variable_initialized", "kernel_backend", "layers", "less",
    "less_equal", "linalg", "local_variables", "local_variables_initializer", "log", "log1p",
    "logical_and", "logical_not", "logical_or", "logical_xor", "losses", "make_template", "math",
    "matmul", "matrix_diag_part", "maximum", "metrics", "min_max_variable_partitioner", "minimum",
    "mod",
    "model_variables", "multiply", "name_scope", "negative", "newaxis", "nn", "no_op", "not_equal",
    "one_hot", "ones", "ones_initializer", "ones_like", "Operation", "orthogonal_initializer",
    "pad", "PartitionedVariable", "placeholder", "placeholder_with_default", "pow", "qint16",
    "qint32", "qint8", "qr", "quint16", "quint8", "random", "random_normal",
    "random_normal_initializer", "random_uniform", "random_uniform_initializer", "rank",
    "reciprocal", "reduce_all", "reduce_any", "reduce_max", "reduce_mean", "reduce_min",
    "reduce_prod", "reduce_sum", "register_tensor_conversion_function", "regularizers",
    "report_uninitialized_variables", "reset_default_graph", "reshape", "resource",
    "ResourceVariable", "round", "rsqrt", "Session", "set_random_seed", "shape", "sigmoid", "sign",
    "size", "slice", "split", "sqrt", "square", "squared_difference", "squeeze", "stack",
    "stop_gradient", "strided_slice", "string", "subtract", "tanh", "Tensor", "TensorShape",
    "tile", "to_float", "to_int32", "to_int64", "train", "trainable_variables", "transpose",
    "truediv", "truncated_normal", "truncated_normal_initializer", "uint16", "uint32", "uint64",
    "uint8", "uniform_unit_scaling_initializer", "unique", "unsorted_segment_sum", "unstack",
    "Variable", "variable_axis_size_partitioner", "variable_scope", "variables_initializer",
    "VariableScope", "VariableV1", "variance_scaling_initializer", "variant", "where", "zeros",
    "zeros_initializer", "zeros_like",
    # issue 16, item 3: variable creators and what TF1 code passes them
    "disable_resource_variables", "enable_resource_variables", "init_scope", "no_regularizer",
    "resource_variables_enabled", "variable_creator_scope", "VariableAggregation",
    "VariableSynchronization",
    # issue 16, item 2: eager execution
    "contrib", "data", "disable_eager_execution", "disable_v2_behavior", "eager_mode",
    "EagerVariableStore", "enable_eager_execution", "enable_v2_behavior", "executing_eagerly",
    "GradientTape", "UnconnectedGradients",
    # issue 17, item 6: control flow
    "case", "cond", "control_flow_v2_enabled", "disable_control_flow_v2",
    "enable_control_flow_v2", "foldl", "foldr", "map_fn", "nest", "scan", "switch_case",
    "TensorArray", "TensorArraySpec", "tuple", "vectorized_map", "while_loop",
    # issue 17: the last of the top level
    "check_pinned", "CriticalSection", "function", "nondifferentiable_batch_function",
    "OpError", "random_index_shuffle", "wrap_function",
    "sparse_matmul", "tensor_scatter_nd_max", "tensor_scatter_nd_min",
    # issue 17: linear algebra
    "cholesky", "cholesky_solve", "matrix_determinant", "matrix_inverse", "matrix_solve",
    "matrix_solve_ls", "matrix_square_root", "matrix_triangular_solve", "self_adjoint_eig",
    "self_adjoint_eigvals", "svd",
    # issue 17, item 3: array ops
    "argsort", "boolean_mask", "einsum", "gather_nd", "invert_permutation", "lin_space",
    "linspace", "matrix_band_part", "matrix_diag", "matrix_set_diag", "matrix_transpose",
    "meshgrid", "range", "reverse", "reverse_v2", "roll", "scatter_nd", "searchsorted",
    "sequence_mask", "setdiff1d", "sort", "tensor_scatter_add", "tensor_scatter_nd_add",
    "tensor_scatter_nd_sub", "tensor_scatter_nd_update", "tensor_scatter_sub",
    "tensor_scatter_update", "tensordot", "trace", "unique_with_counts", "where_v2",
    "broadcast_dynamic_shape", "broadcast_static_shape", "depth_to_space", "ensure_shape",
    "parallel_stack", "shape_n", "space_to_depth",
    "batch_gather", "dynamic_partition", "dynamic_stitch", "histogram_fixed_width", "repeat",
    "reverse_sequence",
    # issue 17, item 4: variable updates in place
    "batch_scatter_update", "count_up_to", "scatter_add", "scatter_div", "scatter_max",
    "scatter_min", "scatter_mul", "scatter_nd_add", "scatter_nd_sub", "scatter_nd_update",
    "scatter_sub", "scatter_update",
    # issue 17, item 7: the gradients API
    "AggregationMethod", "custom_gradient", "hessians", "NoGradient", "NotDifferentiable",
    "RegisterGradient",
    # issue 17, item 1: element-wise math
    "acos", "acosh", "angle", "asin", "asinh", "atan", "atan2", "atanh", "betainc", "bitwise",
    "complex", "conj", "cos", "cosh", "digamma", "div_no_nan", "erf", "erfc", "expm1",
    "floor_div", "igamma", "igammac", "imag", "is_finite", "is_inf", "is_nan", "lgamma",
    "log_sigmoid", "polygamma", "real", "rint", "saturate_cast", "scalar_mul", "sin", "sinh",
    "tan", "to_complex128", "to_complex64", "to_double", "truncatediv", "truncatemod", "zeta",
    # issue 17, item 2: reductions, scans, segments and clipping
    "clip_by_average_norm", "clip_by_global_norm", "clip_by_norm", "count_nonzero", "cumprod",
    "cumsum", "global_norm", "norm", "reduce_logsumexp", "segment_max", "segment_mean",
    "segment_min", "segment_prod", "segment_sum", "sparse_segment_mean", "sparse_segment_sqrt_n",
    "sparse_segment_sum", "unsorted_segment_max", "unsorted_segment_mean", "unsorted_segment_min",
    "unsorted_segment_prod", "unsorted_segment_sqrt_n",
    # issue 17, item 6 (part): checks, prints and Python functions as ops
    "Assert", "check_numerics", "numpy_function", "Print", "py_func", "py_function",
    "verify_tensor_all_finite",
    # issue 17: space/batch rearrangements and volume patches
    "batch_to_space", "batch_to_space_nd", "extract_volume_patches",
    "required_space_to_batch_paddings", "space_to_batch", "space_to_batch_nd",
    # issue 17: quantization
    "dequantize", "fake_quant_with_min_max_args", "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars", "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient", "quantize", "quantize_v2",
    "quantized_concat", "QUANTIZED_DTYPES",
    # FFTs and the remaining math names
    "signal", "spectral", "fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "fftnd", "ifftnd",
    "rfftnd", "irfftnd", "accumulate_n", "approx_top_k", "arg_max", "arg_min", "bincount",
    "bitcast", "confusion_matrix", "cross", "diag", "diag_part", "div",
    "histogram_fixed_width_bins", "lbeta", "realdiv", "to_bfloat16", "unravel_index",
    # issue 17, item 6: assertions, tf.print and tf.debugging
    "add_check_numerics_ops", "assert_equal", "assert_greater", "assert_greater_equal",
    "assert_integer", "assert_less", "assert_less_equal", "assert_near", "assert_negative",
    "assert_non_negative", "assert_non_positive", "assert_none_equal", "assert_positive",
    "assert_proper_iterable", "assert_rank", "assert_rank_at_least", "assert_rank_in",
    "assert_same_float_dtype", "assert_scalar", "assert_type", "assert_variables_initialized",
    "debugging", "is_non_decreasing", "is_numeric_tensor", "is_strictly_increasing", "print",
    # TF1's framework-level names: old spellings, scopes, seeds, specs, Module, versions
    "all_variables", "colocate_with", "COMPILER_VERSION", "container",
    "convert_to_tensor_or_indexed_slices", "CXX11_ABI_FLAG", "CXX_VERSION",
    "delete_session_tensor", "dimension_at_index", "dimension_value", "disable_tensor_equality",
    "disable_v2_tensorshape", "enable_tensor_equality", "enable_v2_tensorshape",
    "executing_eagerly_outside_functions", "fingerprint", "get_logger", "get_seed",
    "get_session_handle", "get_session_tensor", "get_static_value", "GIT_VERSION",
    "grad_pass_through", "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER", "guarantee_const", "IndexedSlicesSpec",
    "initialize_all_tables", "initialize_local_variables", "initialize_variables",
    "is_symbolic_tensor", "is_tensor", "make_ndarray", "make_tensor_proto", "Module",
    "MONOLITHIC_BUILD", "moving_average_variables", "no_gradient", "NoneTensorSpec", "op_scope",
    "recompute_grad", "tables_initializer", "TensorSpec", "timestamp", "type_spec_from_value",
    "TypeSpec", "variable_op_scope", "VERSION",
    # the other random ops
    "multinomial", "random_crop", "random_gamma", "random_poisson", "random_shuffle",
    # sparse tensors
    "convert_to_tensor_or_sparse_tensor", "sparse", "sparse_fill_empty_rows",
    "sparse_placeholder", "sparse_reorder", "sparse_reshape", "sparse_retain",
    "sparse_tensor_to_dense", "sparse_to_dense", "SparseTensor", "SparseTensorValue",
    # the raw convolution ops of TF 2.x
    "conv", "conv2d_backprop_filter_v2", "conv2d_backprop_input_v2",
    # the program around the model: tf.app.run, tf.flags, tf.gfile, tf.logging
    "app", "flags", "gfile", "logging",
    # issue 19: protocol messages (config.proto), tf.test and tf.io
    "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunMetadata", "RunOptions",
    "io", "test",
    # issue 20: TensorBoard summaries (tf.summary) and their messages
    "summary", "Event", "HistogramProto", "LogMessage", "SessionLog", "Summary", "SummaryMetadata",
    # issue 20: the variables by scope as a table (minitf's own; slim's is tf.contrib.slim)
    "summary_table",
    # issue 20: graphs as TF sees them (graph.proto, node_def.proto, attr_value.proto)
    "AttrValue", "GraphDef", "NameAttrList", "NodeDef",
    # issue 20: GraphDefs into the graph (importer.py)
    "import_graph_def",
    # issue 20: meta graphs (meta_graph.proto)
    "MetaGraphDef", "TensorInfo",
]
