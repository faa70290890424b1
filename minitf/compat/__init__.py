"""`tf.compat`: `tf.compat.v1` (minitf's namespace is TF1's, so v1 is minitf itself) and TF's
bytes/text conversions (`as_bytes`, `as_text`, `as_str`, `as_str_any`)."""
import codecs
import sys

import minitf as v1

sys.modules[__name__ + ".v1"] = v1

__all__ = ["as_bytes", "as_text", "as_str", "as_str_any", "v1"]


def as_bytes(bytes_or_text, encoding="utf-8"):
    """Returns `bytes_or_text` as bytes, a str encoded with `encoding`.

    Args:
      bytes_or_text: a bytes, bytearray or str.
      encoding: the encoding of a str (default UTF-8).

    Returns:
      The bytes (a bytes object, bytearray's as a copy, is returned as it is).

    Raises:
      TypeError: `bytes_or_text` is of another type.
      LookupError: `encoding` is no codec.

    >>> tf.compat.as_bytes("héllo")
    b'h\\xc3\\xa9llo'
    """
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8"):
    """Returns `bytes_or_text` as a str, bytes decoded with `encoding`.

    Args:
      bytes_or_text: a bytes or str (a bytearray is refused, as TF does).
      encoding: the encoding of bytes (default UTF-8).

    Returns:
      The str (a str is returned as it is).

    Raises:
      TypeError: `bytes_or_text` is of another type.
      UnicodeDecodeError: the bytes are not valid in `encoding`.
      LookupError: `encoding` is no codec.

    >>> tf.compat.as_text(b"h\\xc3\\xa9llo")
    'héllo'
    """
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_str(bytes_or_text, encoding="utf-8"):
    """Returns `bytes_or_text` as a str: `as_text` (Python 3's str is text).

    Args:
      bytes_or_text: a bytes or str.
      encoding: the encoding of bytes (default UTF-8).

    Returns:
      The str.

    Raises:
      TypeError: `bytes_or_text` is neither bytes nor str.
    """
    return as_text(bytes_or_text, encoding)


def as_str_any(value, encoding="utf-8"):
    """Returns `value` as a str: bytes decoded with `encoding`, anything else by `str(value)`.

    Args:
      value: any object.
      encoding: the encoding of bytes (default UTF-8).

    Returns:
      The str.

    Raises:
      UnicodeDecodeError: bytes not valid in `encoding`.

    >>> tf.compat.as_str_any(b"abc"), tf.compat.as_str_any(5)
    ('abc', '5')
    """
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)
