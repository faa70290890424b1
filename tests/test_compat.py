"""`tf.compat` (issue 16, item 3): `v1`, and the bytes/text conversions `as_bytes`, `as_text`,
`as_str` and `as_str_any`, with TF's results, types and errors (each row checked against TF with
tfdiff).
"""
import inspect
import pathlib

import numpy as np
import pytest

import minitf as tf

c = tf.compat
BAD = "Expected binary or unicode string, got "


def test_compat_v1_is_minitf_and_reaches_compat_again():
    assert tf.compat.v1 is tf
    assert tf.compat.v1.compat.as_bytes is tf.compat.as_bytes
    import minitf.compat.v1 as v1

    assert v1 is tf


@pytest.mark.parametrize("fn", ["as_bytes", "as_text", "as_str", "as_str_any"])
def test_signatures_are_tfs(fn):
    first = "value" if fn == "as_str_any" else "bytes_or_text"
    assert str(inspect.signature(getattr(c, fn))) == f"({first}, encoding='utf-8')"


@pytest.mark.parametrize("value, expected", [
    ("héllo", b"h\xc3\xa9llo"),
    (b"h\xc3\xa9llo", b"h\xc3\xa9llo"),
    (bytearray(b"ab"), b"ab"),
    (b"\xff", b"\xff"),
    (np.str_("x"), b"x"),
])
def test_as_bytes(value, expected):
    out = c.as_bytes(value)
    assert out == expected and type(out) is bytes


def test_as_bytes_returns_a_bytes_subclass_as_it_is():
    value = np.bytes_(b"y")
    assert c.as_bytes(value) is value


@pytest.mark.parametrize("value, expected", [
    ("héllo", "héllo"),
    (b"h\xc3\xa9llo", "héllo"),
    (np.bytes_(b"y"), "y"),
])
@pytest.mark.parametrize("fn", ["as_text", "as_str"])
def test_as_text_and_as_str(fn, value, expected):
    out = getattr(c, fn)(value)
    assert out == expected and type(out) is str


@pytest.mark.parametrize("fn", ["as_text", "as_str"])
def test_as_text_returns_a_str_subclass_as_it_is(fn):
    value = np.str_("x")
    assert getattr(c, fn)(value) is value


@pytest.mark.parametrize("value", [5, None, 1.5, [1]])
@pytest.mark.parametrize("fn", ["as_bytes", "as_text", "as_str"])
def test_other_types_are_a_type_error(fn, value):
    with pytest.raises(TypeError) as raised:
        getattr(c, fn)(value)
    assert str(raised.value) == BAD + repr(value)


@pytest.mark.parametrize("fn", ["as_text", "as_str"])
def test_a_bytearray_is_not_text(fn):
    with pytest.raises(TypeError) as raised:
        getattr(c, fn)(bytearray(b"ab"))
    assert str(raised.value) == BAD + "bytearray(b'ab')"


@pytest.mark.parametrize("fn", ["as_text", "as_str", "as_str_any"])
def test_bytes_not_in_the_encoding_are_a_unicode_decode_error(fn):
    with pytest.raises(UnicodeDecodeError, match="'utf-8' codec can't decode byte 0xff"):
        getattr(c, fn)(b"\xff")


@pytest.mark.parametrize("value, expected", [
    ("héllo", "héllo"), (b"h\xc3\xa9llo", "héllo"), (bytearray(b"ab"), "bytearray(b'ab')"),
    (5, "5"), (None, "None"), (np.str_("x"), "x"), (np.bytes_(b"y"), "y"), (1.5, "1.5"),
    ([1], "[1]"), (pathlib.PurePosixPath("a/b"), "a/b"),
])
def test_as_str_any(value, expected):
    out = c.as_str_any(value)
    assert out == expected and type(out) is str


def test_the_encoding_is_used_and_checked():
    assert c.as_bytes("é", encoding="latin-1") == b"\xe9"
    assert c.as_text(b"\xe9", encoding="latin-1") == "é"
    assert c.as_str_any(b"\xe9", encoding="latin-1") == "é"
    with pytest.raises(UnicodeEncodeError, match="'ascii' codec can't encode"):
        c.as_bytes("é", encoding="ascii")
    for fn in (c.as_bytes, c.as_text):
        with pytest.raises(LookupError, match="unknown encoding: nope"):
            fn("x", encoding="nope")


def test_as_str_is_its_own_function():
    assert c.as_str is not c.as_text  # (as TF)
