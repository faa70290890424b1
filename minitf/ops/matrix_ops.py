"""Batched matrix ops on the two innermost dimensions: matrix_band_part, matrix_diag,
matrix_set_diag, matrix_transpose and trace; and the contractions einsum and tensordot.
"""
import string

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import broadcast_shape, fmt, ones_like, shape_of, zeros_like
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.math_ops import _conjugate
from minitf.ops.reduction_ops import reduce_sum

__all__ = ["matrix_band_part", "matrix_diag", "matrix_set_diag", "matrix_transpose", "trace",
           "einsum", "tensordot"]


def _check_matrix(x, op_type, rank=2):
    if x._shape is not None and len(x._shape) < rank:
        raise ValueError(f"Shape must be at least rank {rank} but is rank {len(x._shape)} for "
                         f"'{op_type}' with input shapes: {fmt(x._shape)}.")
    return x._shape


# -- band part, diag, set_diag ---------------------------------------------------------------------
@register_op("MatrixBandPart",
             shape=lambda x, lower, upper: _check_matrix(x, "MatrixBandPart"))
def _band_part(x, lower, upper):
    m, n = x.shape[-2:]
    offset = np.arange(m)[:, None] - np.arange(n)  # row - column
    keep = ((lower < 0) | (offset <= lower)) & ((upper < 0) | (-offset <= upper))
    return np.where(keep, x, np.zeros((), x.dtype))


@_band_part.gradient
def _band_part_grad(op, grad):
    return [_band_part.apply([grad, op.inputs[1], op.inputs[2]]), None, None]


def matrix_band_part(input, num_lower, num_upper, name=None):
    """Keeps a band around the diagonal of each innermost matrix, zeroing the rest.

    The band holds the entries at most `num_lower` below and `num_upper` above the diagonal.

    Args:
      input: a Tensor of rank 2 or more.
      num_lower: the number of subdiagonals to keep (negative: all of them).
      num_upper: the number of superdiagonals to keep (negative: all of them).
      name: a name for the operation (default "MatrixBandPart").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: `input`'s rank is less than 2.
    """
    input = convert_to_tensor(input)
    lower = convert_to_tensor(num_lower, dtype=None if hasattr(num_lower, "dtype") else
                              dtypes.int64, name="num_lower")
    upper = convert_to_tensor(num_upper, dtype=lower.dtype, name="num_upper")
    return _band_part.apply([input, lower, upper], name=name or "MatrixBandPart")


@register_op("MatrixDiag", shape=lambda d: None if _check_matrix(d, "MatrixDiag", 1) is None
             else d._shape + d._shape[-1:])
def _matrix_diag(diagonal):
    n = diagonal.shape[-1]
    out = np.zeros(diagonal.shape + (n,), dtype=diagonal.dtype)
    out[..., np.arange(n), np.arange(n)] = diagonal
    return out


def _diagonal(x):
    """The main diagonals of x's matrices, built from differentiable ops (MatrixDiagPart has
    no gradient here): the diagonal band, summed along the longer side."""
    m, n = (None, None) if x._shape is None else x._shape[-2:]
    if m is None or n is None:
        return matrix_diag_part(x)
    return reduce_sum(_band_part.apply([x, 0, 0]), -1 if m <= n else -2)


_matrix_diag.gradient(lambda op, grad: [_diagonal(grad)])


def matrix_diag(diagonal, name=None):
    """Returns the batch of square matrices with the given diagonals and zeros elsewhere.

    Args:
      diagonal: a Tensor of shape [..., N].
      name: a name for the operation (default "MatrixDiag").

    Returns:
      A Tensor of shape [..., N, N].

    Raises:
      ValueError: `diagonal` is a scalar.
    """
    return _matrix_diag.apply([diagonal], name=name or "MatrixDiag")


def _set_diag_shape(x, diagonal):
    shape = _check_matrix(x, "MatrixSetDiag")
    if shape is not None and diagonal._shape is not None and None not in shape[-2:]:
        expected = shape[:-2] + (min(shape[-2:]),)
        if len(diagonal._shape) != len(expected) or any(
                a is not None and b is not None and a != b
                for a, b in zip(diagonal._shape, expected)):
            raise ValueError(f"Dimensions must be equal, but are {fmt(diagonal._shape)} and "
                             f"{fmt(expected)} for 'MatrixSetDiag' with input shapes: "
                             f"{fmt(shape)}, {fmt(diagonal._shape)}.")
    return shape


@register_op("MatrixSetDiag", shape=_set_diag_shape)
def _set_diag(x, diagonal):
    k = np.arange(min(x.shape[-2:]))
    out = x.copy()
    out[..., k, k] = diagonal
    return out


@_set_diag.gradient
def _set_diag_grad(op, grad):
    diagonal = op.inputs[1]
    return [_set_diag.apply([grad, zeros_like(diagonal)]), _diagonal(grad)]


def matrix_set_diag(input, diagonal, name=None):
    """Returns `input` with the main diagonal of each innermost matrix replaced by `diagonal`.

    Args:
      input: a Tensor of shape [..., M, N].
      diagonal: a Tensor of shape [..., min(M, N)] and `input`'s dtype.
      name: a name for the operation (default "MatrixSetDiag").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: the shapes do not fit together.
    """
    input = convert_to_tensor(input)
    diagonal = convert_to_tensor(diagonal, dtype=input.dtype.base_dtype)
    return _set_diag.apply([input, diagonal], name=name or "MatrixSetDiag")


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the two innermost dimensions of `a`.

    Args:
      a: a Tensor of known rank, at least 2.
      name: a name for the operation (default "matrix_transpose").
      conjugate: accepted for TF's signature; ignored.

    Returns:
      A Tensor of shape [..., N, M] for `a` of shape [..., M, N].

    Raises:
      ValueError: `a`'s rank is unknown or less than 2.
    """
    with name_scope(name, values=[a]):
        a = convert_to_tensor(a, name="a")
        if a._shape is None or len(a._shape) < 2:
            raise ValueError(f"Argument 'a' should be a (batch) matrix, with rank >= 2.  Found: "
                             f"{a.shape}")
        n = len(a._shape)
        return _manip.transpose(a, list(range(n - 2)) + [n - 1, n - 2])


def trace(x, name=None):
    """Returns the sum of the main diagonal of each innermost matrix of `x`.

    Args:
      x: a Tensor of shape [..., M, N].
      name: a name for the operation (default "Trace").

    Returns:
      A Tensor of shape [...].
    """
    with name_scope(name, "Trace", [x]) as scope:
        # the diagonal band, summed: differentiable through MatrixBandPart
        return reduce_sum(matrix_band_part(x, 0, 0), [-2, -1], name=scope)


# -- einsum, tensordot -----------------------------------------------------------------------------
def _parse(equation, n):
    """(input subscripts, output subscripts) of an einsum equation, made explicit."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != n:
        raise ValueError(f'Got {n} inputs for equation "{equation}", expecting {len(terms)}')
    if not arrow:  # implicit: the letters used once, in order, after any ellipsis
        letters = "".join(terms).replace(".", "")
        output = ("..." if "..." in inputs else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1))
    return terms, output


def _einsum_shape(*inputs, equation):
    terms, output = _parse(equation, len(inputs))
    if any(t._shape is None for t in inputs):
        return None
    sizes, ellipsis = {}, ()
    for k, (term, t) in enumerate(zip(terms, inputs)):
        shape, letters = t._shape, term.replace("...", "")
        extra = len(shape) - len(letters)
        if extra < 0 or (extra and "..." not in term):
            raise ValueError(f"Expected input {k} to have rank {len(letters)} but got: "
                             f"{len(shape)} for 'Einsum' with equation '{equation}'.")
        if "..." in term:  # the dims it covers broadcast against the other inputs'
            at = term.index("...")
            if extra and "..." not in output:
                raise ValueError(f"Shape must be at most rank 0 but is rank {extra}\n\t for "
                                 f"einsum equation '{equation}' without ellipsis (...) in the "
                                 "output subscripts where input(s) have non-empty broadcasting "
                                 "shape.")
            ellipsis = broadcast_shape(ellipsis, shape[at:at + extra], "Einsum")
            shape = shape[:at] + shape[at + extra:]
        for c, d in zip(letters, shape):
            if sizes.get(c) in (None, 1):
                sizes[c] = d
            elif d not in (None, 1, sizes[c]):
                raise ValueError(f"Expected dimension {sizes[c]} at axis {letters.index(c)} of "
                                 f"input {k} but got dimension {d} for 'Einsum' with equation "
                                 f"'{equation}'.")
    before, _, after = output.partition("...")
    return tuple(sizes[c] for c in before) + (ellipsis if "..." in output else ()) + tuple(
        sizes[c] for c in after)


@register_op("Einsum", shape=_einsum_shape, dtype=lambda *i, equation: i[0].dtype.base_dtype)
def _einsum(*inputs, equation):
    return np.asarray(np.einsum(equation, *inputs))


@_einsum.gradient
def _einsum_grad(op, grad):
    equation = op.get_attr("equation")
    terms, output = _parse(equation, len(op.inputs))
    return [_einsum_input_grad(grad, op.inputs, terms, output, i, equation)
            for i in range(len(terms))]


def _dots(subscripts):
    return subscripts.replace(".", "...")


def _einsum_input_grad(grad, inputs, terms, output, i, equation):
    """The gradient of input i: the output's gradient contracted with the other inputs
    (conjugated, as TF's), down to input i's letters; broadcast back along the letters only it
    has (summed away); put on the diagonal of a repeated letter (which took a diagonal)."""
    x, term = inputs[i], terms[i]
    others = [t for j, t in enumerate(terms) if j != i]
    plain = term.replace("...", ".")  # (the ellipsis as one character)
    unique = "".join(dict.fromkeys(plain))  # each letter once, in order
    seen = set(output + "".join(others))  # ("." if any has an ellipsis)
    kept = "".join(c for c in unique if c in seen)
    g = _einsum.apply([grad] + [_conjugate(t) for j, t in enumerate(inputs) if j != i],
                      equation=",".join([output] + others) + "->" + _dots(kept))
    if kept != unique:  # the sum over letters only x has: its gradient is the same along them
        g = _einsum.apply([g, ones_like(x)], equation=f"{_dots(kept)},{term}->{_dots(unique)}")
    if unique != plain:
        g = _diagonal_embedding(g, x, plain, unique, equation)
    if "." in plain and x._shape != g._shape:  # x's ellipsis dims broadcast: sum them back
        if not plain.startswith(".") and (x._shape is None or g._shape is None
                                          or len(x._shape) != len(g._shape)):
            raise ValueError(f"minitf: no gradient for Einsum input '{term}' of equation "
                             f"'{equation}' whose ellipsis, not leading, broadcasts.")
        g = _manip._sum_to_shape.apply([g, shape_of(x)], name="SumToShape")
    return g


def _diagonal_embedding(g, x, plain, unique, equation):
    """g (of subscripts `unique`) on the diagonals of x's repeated letters (subscripts
    `plain`): each repeat gets a fresh letter, tied to the first by an identity matrix."""
    fresh = (c for c in string.ascii_letters if c not in equation)
    renamed, eyes, eye_terms = "", [], []
    for k, c in enumerate(plain):
        if c == "." or c not in plain[:k]:
            renamed += c
            continue
        axis = k if "." not in plain[:k] else k - len(plain)  # (x's axis, past an ellipsis)
        n = None if x._shape is None else x._shape[axis]
        if n is None:
            raise ValueError(f"minitf: the gradient of Einsum '{equation}' needs the static "
                             f"size of the repeated letter '{c}', but {x.name} has shape "
                             f"{fmt(x._shape)}.")
        letter = next(fresh)
        renamed += letter
        eyes.append(convert_to_tensor(np.eye(n, dtype=x.dtype.as_numpy_dtype), name="eye"))
        eye_terms.append(c + letter)
    return _einsum.apply([g] + eyes, equation=",".join([_dots(unique)] + eye_terms) + "->"
                         + _dots(renamed))


def einsum(equation, *inputs, **kwargs):
    """Contracts the tensors `inputs` as the Einstein summation `equation` says.

    Args:
      equation: subscripts such as "ij,jk->ik" ("..." for leading dimensions; without "->",
        the output has the letters used once, in order).
      *inputs: the Tensors, one per comma-separated term.
      **kwargs: `name`, a name scope for the operation (default "einsum").

    Returns:
      A Tensor of the inputs' dtype.

    Raises:
      ValueError: the equation does not fit the inputs, or an unknown keyword argument.
      TypeError: the inputs' dtypes differ.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"invalid keyword arguments for this function: {', '.join(kwargs)}")
    inputs = [convert_to_tensor(t) for t in inputs]
    _manip._same_dtypes(inputs, "Einsum")
    _parse(equation, len(inputs))
    with name_scope(name, "einsum", inputs):
        return _einsum.apply(inputs, name="Einsum", equation=equation.replace(" ", ""))


def _tensordot_axes(axes, a_rank):
    if np.ndim(axes) == 0:
        k = int(axes)
        if k > a_rank:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of "
                             f"tensor {a_rank}.")
        return list(range(a_rank - k, a_rank)), list(range(k))
    a_axes, b_axes = axes
    a_axes, b_axes = np.atleast_1d(a_axes).tolist(), np.atleast_1d(b_axes).tolist()
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', {len(a_axes)} != "
                         f"{len(b_axes)}.")
    return a_axes, b_axes


def tensordot(a, b, axes, name=None):
    """Contracts `a` and `b` over the given axes (a generalized matrix product).

    Args:
      a: a Tensor of known rank.
      b: a Tensor of known rank and `a`'s dtype.
      axes: an int N (the last N axes of `a` against the first N of `b`), or a pair of lists
        of axes of `a` and of `b`.
      name: a name for the operation (default "Tensordot").

    Returns:
      A Tensor of the free axes of `a` then those of `b`.

    Raises:
      ValueError: the ranks are unknown, or `axes` does not fit them.
    """
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a, b = convert_to_tensor(a, name="a"), convert_to_tensor(b, name="b")
        if a._shape is None or b._shape is None:
            raise ValueError("minitf: tensordot needs the ranks of a and b.")
        ra, rb = len(a._shape), len(b._shape)
        a_axes, b_axes = _tensordot_axes(axes, ra)
        letters = iter(string.ascii_letters)
        sa = [next(letters) for _ in range(ra)]
        sb = [next(letters) for _ in range(rb)]
        for i, j in zip(a_axes, b_axes):
            sb[j % rb] = sa[i % ra]
        out = [c for c in sa if c not in sb] + [c for c in sb if c not in sa]
        return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b, name=scope)
