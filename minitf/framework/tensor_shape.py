"""TensorShape and Dimension with TF1 (V1) semantics: `shape[i]` is a Dimension, unknown dims and
unknown rank are allowed. Internally minitf keeps shapes as plain tuples (None for an unknown dim,
None for unknown rank); `TensorShape._from_tuple` / `_as_tuple` convert without checks."""
import operator

__all__ = ["Dimension", "TensorShape", "as_shape", "as_dimension", "unknown_shape",
           "dimension_value"]


class Dimension:
    """One dimension of a TensorShape: a size >= 0, or unknown (`value` None).

    TF1's V1 semantics: `shape[i]` is a Dimension, `.value` its int or None. Arithmetic with
    an unknown dimension is unknown, and so are comparisons: `Dimension(None) == 3` is None.

    Args:
      value: an int >= 0 (or anything with `__index__`), a Dimension, or None for unknown.

    Raises:
      TypeError: `value` is not an integer.
      ValueError: `value` is negative.
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            try:
                value = operator.index(value)
            except TypeError:
                raise TypeError(
                    "Dimension value must be integer or None or have an __index__ method, got "
                    f"value '{value!r}' with type '{type(value)}'") from None
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    value = property(lambda self: self._value, doc="The size as an int, or None when unknown.")

    def __repr__(self):
        return f"Dimension({self._value})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __hash__(self):
        return hash(self._value)

    def __eq__(self, other):
        other = _dim_or_none(other)
        if other is NotImplemented:
            return NotImplemented
        if self._value is None or other._value is None:
            return None  # TF1: equality with an unknown dimension is unknown
        return self._value == other._value

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is None or eq is NotImplemented else not eq

    def is_compatible_with(self, other):
        """Returns whether the two could be the same dimension: either is unknown, or equal.

        Args:
          other: a Dimension, int or None.

        Raises:
          TypeError, ValueError: `other` is not a valid dimension.
        """
        other = as_dimension(other)
        return self._value is None or other._value is None or self._value == other._value

    def assert_is_compatible_with(self, other):
        """Raises ValueError unless this dimension is compatible with `other`.

        Args:
          other: a Dimension, int or None.

        Raises:
          ValueError: the dimensions are known and differ.
        """
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")

    def merge_with(self, other):
        """Returns a Dimension combining the two: the known one when one is unknown.

        Args:
          other: a Dimension, int or None.

        Returns:
          A new Dimension.

        Raises:
          ValueError: the dimensions are known and differ.
        """
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other._value)

    def _arith(self, other, fn):
        other = _dim_or_none(other)
        if other is NotImplemented:
            return NotImplemented
        if self._value is None or other._value is None:
            return Dimension(None)
        return Dimension(fn(self._value, other._value))

    def __add__(self, other):
        return self._arith(other, operator.add)

    __radd__ = __add__

    def __sub__(self, other):
        return self._arith(other, operator.sub)

    def __rsub__(self, other):
        return as_dimension(other) - self

    def __mul__(self, other):
        return self._arith(other, operator.mul)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._arith(other, operator.floordiv)

    def __mod__(self, other):
        return self._arith(other, operator.mod)

    def _compare(self, other, fn):
        other = as_dimension(other)
        if self._value is None or other._value is None:
            return None
        return fn(self._value, other._value)

    def __lt__(self, other):
        return self._compare(other, operator.lt)

    def __le__(self, other):
        return self._compare(other, operator.le)

    def __gt__(self, other):
        return self._compare(other, operator.gt)

    def __ge__(self, other):
        return self._compare(other, operator.ge)

    def __reduce__(self):
        return Dimension, (self._value,)


def _dim_or_none(value):
    try:
        return as_dimension(value)
    except (TypeError, ValueError):
        return NotImplemented


def as_dimension(value):
    """Returns `value` as a Dimension (a Dimension is returned as it is).

    Args:
      value: a Dimension, an int >= 0 or None.

    Raises:
      TypeError, ValueError: as `Dimension(value)`.
    """
    return value if isinstance(value, Dimension) else Dimension(value)


_v2_behavior = False  # TF2's TensorShape: ints, not Dimensions, from `shape[i]` and iteration


def enable_v2_tensorshape():
    """Makes TensorShapes behave as TF2's: `shape[i]` and iteration give ints.

    Unknown dims are None (not Dimensions), and printing shows `None` for them. `dims` still
    gives Dimensions. The switch holds for the whole process.
    """
    global _v2_behavior
    _v2_behavior = True


def disable_v2_tensorshape():
    """Makes TensorShapes behave as TF1's again (minitf's default).

    `shape[i]` and iteration give Dimensions (`shape[i].value` is the int).
    """
    global _v2_behavior
    _v2_behavior = False


def dimension_value(dimension):
    """Returns the size a Dimension holds (int or None), or `dimension` itself if it is not one.

    Args:
      dimension: a Dimension, an int or None.
    """
    return dimension.value if isinstance(dimension, Dimension) else dimension


_SEQUENCES = (list, tuple)


def _natural(dims):
    for d in dims:
        if type(d) is not int or d < 0:
            return False
    return True


class TensorShape:
    """The static shape of a tensor: a list of Dimensions, or an unknown rank.

    TF1's V1 semantics: `shape[i]` is a Dimension, `shape[1:]` a TensorShape, `as_list()`
    gives ints and Nones. A shape with unknown dims (or unknown rank) is partially known:
    `is_compatible_with` and `merge_with` reason about what it may be.

    Args:
      dims: a list or tuple of ints, Nones and Dimensions; a single int (a rank-1 shape); a
        TensorShape; or None for an unknown rank.

    Raises:
      TypeError: a dim is not an integer or None.
      ValueError: a dim is negative.

    >>> shape = tf.TensorShape([None, 3])
    >>> shape.as_list(), shape.ndims, shape[1].value, shape.is_fully_defined()
    ([None, 3], 2, 3, False)
    >>> shape.merge_with([2, None])
    TensorShape([Dimension(2), Dimension(3)])
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif type(dims) in _SEQUENCES and _natural(dims):
            self._dims = tuple(dims)  # the common case, without a Dimension per item
        else:
            try:
                items = iter(dims)
            except TypeError:
                items = iter([dims])  # a single int: a rank-1 shape, as TF
            self._dims = tuple(Dimension(d).value for d in items)

    @classmethod
    def _from_tuple(cls, dims):
        shape = cls.__new__(cls)
        shape._dims = dims
        return shape

    def _as_tuple(self):
        return self._dims

    @property
    def dims(self):
        """The list of Dimensions, or None when the rank is unknown."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self):
        """The rank, or None when unknown (also called `rank`)."""
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self):
        """Returns the dims as a list of ints, with None for an unknown dim.

        Raises:
          ValueError: the rank is unknown.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self):
        """Returns whether the rank and every dim are known."""
        return self._dims is not None and None not in self._dims

    def num_elements(self):
        """Returns the number of elements, or None unless the shape is fully defined."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other):
        """Returns whether both shapes could describe one tensor.

        They could when either rank is unknown, or the ranks are equal and each pair of dims
        is compatible (either unknown, or equal).

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.
        """
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(self._dims) == len(other._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other):
        """Raises ValueError unless this shape is compatible with `other`.

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.

        Raises:
          ValueError: the shapes are not compatible.
        """
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other):
        """Returns a shape combining what both shapes know: each dim known in either.

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.

        Returns:
          A TensorShape.

        Raises:
          ValueError: the shapes are not compatible.
        """
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape._from_tuple(tuple(
            a if a is not None else b for a, b in zip(self._dims, other._dims)))

    def most_specific_compatible_shape(self, other):
        """Returns the most specific shape that both this shape and `other` are compatible with.

        Dims that differ become unknown; shapes of different or unknown rank give an unknown
        shape.

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.
        """
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return unknown_shape()
        return TensorShape._from_tuple(tuple(
            a if a == b else None for a, b in zip(self._dims, other._dims)))

    def concatenate(self, other):
        """Returns this shape's dims followed by `other`'s (unknown rank if either's is).

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.
        """
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape._from_tuple(self._dims + other._dims)

    def assert_has_rank(self, rank):
        """Raises ValueError if the rank is known and is not `rank`.

        Args:
          rank: an int.

        Raises:
          ValueError: the rank is known and differs.
        """
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def with_rank(self, rank):
        """Returns this shape with rank `rank` (unknown dims when the rank was unknown).

        Args:
          rank: an int.

        Raises:
          ValueError: the rank is known and differs.
        """
        try:
            return self.merge_with(unknown_shape(rank=rank))
        except ValueError:
            raise ValueError(f"Shape {self} must have rank {rank}") from None

    def with_rank_at_least(self, rank):
        """Returns this shape, checking that its rank (when known) is at least `rank`.

        Args:
          rank: an int.

        Raises:
          ValueError: the rank is known and smaller.
        """
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def assert_same_rank(self, other):
        """Raises ValueError if both ranks are known and differ.

        Args:
          other: a TensorShape, or anything `TensorShape()` takes.

        Raises:
          ValueError: both ranks are known and differ.
        """
        other = as_shape(other)
        if self._dims is not None and other._dims is not None and \
                len(self._dims) != len(other._dims):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        if _v2_behavior:  # (tf.enable_v2_tensorshape) ints and Nones
            return iter(self._dims)
        return iter(Dimension(d) for d in self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return unknown_shape()
            return None if _v2_behavior else Dimension(None)
        if isinstance(key, slice):
            return TensorShape._from_tuple(self._dims[key])
        return self._dims[key] if _v2_behavior else Dimension(self._dims[key])

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __reduce__(self):
        return TensorShape, (self._dims,)

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        if _v2_behavior:
            return f"TensorShape({list(self._dims)})"
        return "TensorShape([" + ", ".join(f"Dimension({d})" for d in self._dims) + "])"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        unknown = "None" if _v2_behavior else "?"
        inner = ", ".join(unknown if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"


def as_shape(shape):
    """Returns `shape` as a TensorShape (a TensorShape is returned as it is).

    Args:
      shape: a TensorShape, a list or tuple of dims, an int (rank 1) or None (unknown rank).

    Raises:
      TypeError, ValueError: as `TensorShape(shape)`.
    """
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None):
    """Returns a shape of unknown rank, or of `rank` unknown dims.

    Args:
      rank: None, or an int.
    """
    return TensorShape._from_tuple(None if rank is None else (None,) * rank)
