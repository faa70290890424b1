"""tf.linalg.LinearOperator and its concrete classes (tf.compat.v1.linalg.LinearOperator*)."""
from minitf.linear_operator.block_lower_triangular import LinearOperatorBlockLowerTriangular
from minitf.linear_operator.circulant import (
    LinearOperatorCirculant,
    LinearOperatorCirculant2D,
    LinearOperatorCirculant3D,
)
from minitf.linear_operator.diag import LinearOperatorDiag, LinearOperatorScaledIdentity
from minitf.linear_operator.identity import LinearOperatorIdentity, LinearOperatorZeros
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.linear_operator.matrix import LinearOperatorFullMatrix, LinearOperatorLowerTriangular
from minitf.linear_operator.products import LinearOperatorBlockDiag, LinearOperatorKronecker
from minitf.linear_operator.structured import (
    LinearOperatorHouseholder,
    LinearOperatorLowRankUpdate,
    LinearOperatorPermutation,
    LinearOperatorToeplitz,
    LinearOperatorTridiag,
)
from minitf.linear_operator.wrappers import (
    LinearOperatorAdjoint,
    LinearOperatorComposition,
    LinearOperatorInversion,
)

__all__ = ["LinearOperator", "LinearOperatorAdjoint", "LinearOperatorBlockDiag",
           "LinearOperatorKronecker", "LinearOperatorComposition",
           "LinearOperatorDiag", "LinearOperatorFullMatrix", "LinearOperatorIdentity",
           "LinearOperatorInversion", "LinearOperatorLowerTriangular",
           "LinearOperatorScaledIdentity", "LinearOperatorZeros", "LinearOperatorHouseholder",
           "LinearOperatorLowRankUpdate", "LinearOperatorPermutation", "LinearOperatorToeplitz",
           "LinearOperatorTridiag", "LinearOperatorBlockLowerTriangular",
           "LinearOperatorCirculant", "LinearOperatorCirculant2D", "LinearOperatorCirculant3D"]
