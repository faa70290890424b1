"""`tf.linalg`: qr, diag_part (TF1's matrix_diag_part), eye and matmul."""
from minitf.ops.linalg_ops import eye, matrix_diag_part as diag_part, qr  # noqa: F401
from minitf.ops.math_ops import matmul  # noqa: F401
