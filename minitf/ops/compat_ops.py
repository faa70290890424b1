"""Small ops of TF1's top level: GuaranteeConst (`tf.guarantee_const`), Timestamp
(`tf.timestamp`) and Fingerprint (`tf.fingerprint`, FarmHash's Fingerprint64 per row)."""
import time

import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._farmhash import fingerprint64
from minitf.ops._shared import fmt

__all__ = ["guarantee_const", "timestamp", "fingerprint"]


# -- GuaranteeConst: an identity the runtime may treat as constant -----------------------------
@register_op("GuaranteeConst", shape=lambda input: input._shape)
def _guarantee_const(input):
    return input


@_guarantee_const.gradient
def _guarantee_const_grad(op, grad):
    # TF registers no gradient: tf.gradients through it raises (stop_gradient says "constant")
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: GuaranteeConst)."
                      " If you want to pretend this operation is a constant in your program, "
                      "you may insert `tf.stop_gradient`.")


def guarantee_const(input, name=None):
    """Returns `input`, promising the runtime that its value never changes (it may fold it).

    minitf runs it as an identity. Like TF's, it has no gradient.

    Args:
      input: a Tensor.
      name: a name for the op (default "GuaranteeConst").

    Returns:
      A Tensor of `input`'s value, dtype and shape.
    """
    return _guarantee_const.apply([convert_to_tensor(input)], name=name or "GuaranteeConst")


# -- Timestamp ------------------------------------------------------------------------------------
@register_op("Timestamp", shape=lambda: (), dtype=lambda: _dtypes.float64, stateful=True,
             differentiable=False)
def _timestamp(state, op):
    return np.float64(time.time())


def timestamp(name=None):
    """Returns a float64 scalar Tensor: the time in seconds since the Unix epoch when run.

    Each run (and each op) reads the clock anew.

    Args:
      name: a name for the op (default "Timestamp").

    Returns:
      A float64 scalar Tensor.
    """
    return _timestamp.apply([], name=name or "Timestamp")


# -- Fingerprint ----------------------------------------------------------------------------------
def _fingerprint_shape(data, method):
    if data._shape is not None and len(data._shape) == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'Fingerprint' with "
                         f"input shapes: [], {fmt(method._shape)}.")
    value = constant_value(method)
    if value is not None and value != b"farmhash64":
        raise ValueError(f"Unsupported method: {value.item().decode()} for 'Fingerprint' with "
                         f"input shapes: {fmt(data._shape)}, {fmt(method._shape)}.")
    return (None if data._shape is None else data._shape[0], 8)


@register_op("Fingerprint", shape=_fingerprint_shape, dtype=lambda data, method: _dtypes.uint8,
             differentiable=False)
def _fingerprint(data, method):
    if method != b"farmhash64":
        raise ValueError(f"Unsupported fingerprint method: {method!r}")
    n = data.shape[0]
    if n == 0:
        return np.zeros((0, 8), dtype=np.uint8)
    if data.dtype == object:  # strings: hash each, then the row of hashes (unless one a row)
        per_item = _strings_fingerprint(data.ravel())
        if data.size // n == 1:
            hashes = per_item
        else:
            hashes = fingerprint64(per_item.view(np.uint8).reshape(n, data.size // n * 8))
    else:
        rows = np.ascontiguousarray(data).view(np.uint8).reshape(n, data.nbytes // n)
        hashes = fingerprint64(rows)
    return hashes.astype("<u8").view(np.uint8).reshape(n, 8)


def _strings_fingerprint(items):
    # strings of one length are hashed together; lengths differ, so one call per length
    items = [s.encode() if isinstance(s, str) else bytes(s) for s in items]
    lengths = np.array([len(s) for s in items], dtype=np.int64)
    out = np.empty(len(items), dtype=np.uint64)
    for length in np.unique(lengths):
        where = np.flatnonzero(lengths == length)
        rows = np.frombuffer(b"".join(items[i] for i in where), dtype=np.uint8)
        out[where] = fingerprint64(rows.reshape(len(where), int(length)))
    return out


def fingerprint(data, method="farmhash64", name=None):
    """Returns a fingerprint of each row of `data`: 8 bytes per item of its first dimension.

    A row's fingerprint is FarmHash's Fingerprint64 of its bytes (little-endian values); for
    strings, of the concatenated fingerprints of its strings (a row of one string: that
    string's). The same data gives the same bytes as TF on every platform.

    Args:
      data: a Tensor of rank >= 1 (numeric, bool or string).
      method: the fingerprint method; only "farmhash64".
      name: a name for the op (default "Fingerprint").

    Returns:
      A uint8 Tensor of shape [data.shape[0], 8].

    Raises:
      ValueError: `data` is a scalar, or `method` is not "farmhash64".

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.fingerprint(tf.constant(["a"]))))
    [[227 117 223 182 101  66  69 179]]
    """
    with name_scope(name, "Fingerprint", [data, method]) as scope:
        data = convert_to_tensor(data, name="data")
        method = convert_to_tensor(method, dtype=_dtypes.string, name="method")
        return _fingerprint.apply([data, method], name=scope)
