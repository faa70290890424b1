"""Nested structures of values (`tf.nest`): lists, tuples, namedtuples and dicts of leaves.

Control flow passes structures through: `cond` branches, `while_loop` variables and `map_fn`
elements are any nesting of tensors. Dicts flatten in sorted key order, as TF's; strings and
everything else are leaves.

>>> tf.nest.flatten({"b": 1, "a": [2, (3, 4)]})
[2, 3, 4, 1]
>>> tf.nest.pack_sequence_as({"b": 1, "a": [2, (3, 4)]}, [9, 8, 7, 6])
{'b': 6, 'a': [9, (8, 7)]}
"""

__all__ = ["is_nested", "flatten", "pack_sequence_as", "assert_same_structure", "map_structure"]


def is_nested(value):
    """Returns whether `value` is a list, tuple (namedtuple) or dict, not a leaf.

    Args:
      value: any Python value.
    """
    return isinstance(value, (list, tuple, dict))


def _children(value):
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value)


def flatten(structure):
    """Returns the leaves of `structure` in order (a leaf alone gives `[leaf]`).

    Args:
      structure: a leaf, or a list, tuple or dict of structures.

    Returns:
      A list of the leaves.
    """
    if not is_nested(structure):
        return [structure]
    out = []
    stack = [structure]
    while stack:  # (iterative: a deep structure does not reach the recursion limit)
        value = stack.pop()
        if is_nested(value):
            stack.extend(reversed(_children(value)))
        else:
            out.append(value)
    return out


def _rebuild(like, children):
    if isinstance(like, dict):
        keys = sorted(like)
        return type(like)((k, children[keys.index(k)]) for k in like)
    if isinstance(like, tuple) and hasattr(like, "_fields"):  # a namedtuple
        return type(like)(*children)
    return type(like)(children)


def pack_sequence_as(structure, flat_sequence):
    """Returns `flat_sequence` packed into the nesting of `structure`.

    Args:
      structure: the nesting to follow.
      flat_sequence: a list with one value per leaf of `structure`.

    Returns:
      A structure like `structure` whose leaves are the values, in order.

    Raises:
      ValueError: the number of values is not the number of leaves.
    """
    flat_sequence = list(flat_sequence)
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {n} atoms, but "
                         f"flat_sequence had {len(flat_sequence)} items.")
    it = iter(flat_sequence)

    def pack(like):
        if not is_nested(like):
            return next(it)
        return _rebuild(like, [pack(c) for c in _children(like)])
    return pack(structure)


def assert_same_structure(nest1, nest2, check_types=True):
    """Raises unless `nest1` and `nest2` nest alike.

    Args:
      nest1, nest2: two structures.
      check_types: whether sequence types must match too (a list is not a tuple).

    Raises:
      ValueError: the nestings or the numbers of elements differ.
      TypeError: `check_types` and a sequence type differs.
    """
    pairs = [(nest1, nest2)]
    while pairs:
        a, b = pairs.pop()
        if is_nested(a) != is_nested(b) or (is_nested(a) and len(a) != len(b)):
            raise ValueError(_mismatch(nest1, nest2))
        if not is_nested(a):
            continue
        if check_types and type(a) is not type(b):
            raise TypeError(f"The two structures don't have the same nested structure: "
                            f"{type(a).__name__} against {type(b).__name__}.\n\n"
                            f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
        if isinstance(a, dict) and sorted(a) != sorted(b):
            raise ValueError(_mismatch(nest1, nest2))
        pairs.extend(zip(_children(a), _children(b)))


def _mismatch(nest1, nest2):
    return (f"The two structures don't have the same nested structure.\n\n"
            f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")


def map_structure(func, *structures):
    """Returns `func` applied to the leaves of the structures, packed as the first one.

    Args:
      func: a function of one leaf from each structure.
      *structures: structures that nest alike.

    Raises:
      ValueError, TypeError: the structures do not nest alike.
    """
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])
