"""`tf.linalg`: decompositions, solvers, matrix functions, products and matrix manipulation."""
from minitf.linear_operator import (  # noqa: F401
    LinearOperator,
    LinearOperatorAdjoint,
    LinearOperatorBlockDiag,
    LinearOperatorBlockLowerTriangular,
    LinearOperatorCirculant,
    LinearOperatorCirculant2D,
    LinearOperatorCirculant3D,
    LinearOperatorComposition,
    LinearOperatorDiag,
    LinearOperatorFullMatrix,
    LinearOperatorHouseholder,
    LinearOperatorIdentity,
    LinearOperatorInversion,
    LinearOperatorKronecker,
    LinearOperatorLowerTriangular,
    LinearOperatorLowRankUpdate,
    LinearOperatorPermutation,
    LinearOperatorScaledIdentity,
    LinearOperatorToeplitz,
    LinearOperatorTridiag,
    LinearOperatorZeros,
)
from minitf.ops.batch_matmul_ops import adjoint, matmul, matvec  # noqa: F401
from minitf.ops.clip_ops import global_norm  # noqa: F401
from minitf.ops.linalg_decomp_ops import (  # noqa: F401
    logdet,
    matrix_exponential as expm,
    matrix_square_root as sqrtm,
    self_adjoint_eig as eigh,
    self_adjoint_eigvals as eigvalsh,
    svd,
)
from minitf.ops.linalg_extra_ops import (  # noqa: F401
    eigh_tridiagonal,
    logm,
    matrix_rank,
    normalize,
    pinv,
)
from minitf.ops.linalg_lu_ops import lu, lu_matrix_inverse, lu_reconstruct, lu_solve  # noqa: F401
from minitf.ops.linalg_ops import eye, matrix_diag_part as diag_part, qr  # noqa: F401
from minitf.ops.linalg_solve_ops import (  # noqa: F401
    cholesky,
    cholesky_solve,
    log_matrix_determinant as slogdet,
    matrix_determinant as det,
    matrix_inverse as inv,
    matrix_solve as solve,
    matrix_solve_ls as lstsq,
    matrix_triangular_solve as triangular_solve,
)
from minitf.ops.linalg_tridiagonal_ops import tridiagonal_matmul, tridiagonal_solve  # noqa: F401
from minitf.ops.matrix_ops import (  # noqa: F401
    einsum,
    matrix_band_part as band_part,
    matrix_diag as diag,
    matrix_set_diag as set_diag,
    matrix_transpose,
    matrix_transpose as transpose,
    tensordot,
    trace,
)
from minitf.ops.misc_array_ops import cross, tensor_diag, tensor_diag_part  # noqa: F401
from minitf.ops.norm_ops import l2_normalize, norm  # noqa: F401
