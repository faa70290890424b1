"""Protobuf's text format for proto.py's messages, as `str(message)` prints it (upb's layout:
fields by number, floats in their shortest round-trip form, map entries sorted by key) and as
`text_format.Parse` reads it.

>>> from minitf.framework import proto_text
>>> config = proto_text.Parse(
...     "gpu_options { allow_growth: true } intra_op_parallelism_threads: 2", tf.ConfigProto())
>>> print(proto_text.MessageToString(config, as_one_line=True))
intra_op_parallelism_threads: 2 gpu_options { allow_growth: true }
"""
import re
import struct

from minitf.framework.proto import Field, Message

__all__ = ["MessageToString", "Parse", "Merge", "ParseError"]


class ParseError(Exception):
    """Text that is not the text format of the message (protobuf's text_format.ParseError)."""


# -- printing --------------------------------------------------------------------------------------
def MessageToString(message, as_one_line=False):
    """Returns a message in protobuf's text format.

    Args:
      message: the message.
      as_one_line: whether to put it all on one line.
    """
    lines = []
    _print(message, "", lines)
    if as_one_line:
        return " ".join(line.strip() for line in lines)
    return "".join(line + "\n" for line in lines)


def _print(message, indent, lines):
    for field, value in message.ListFields():
        if field.map_entry is not None:
            for key in sorted(value):
                lines.append(f"{indent}{field.name} {{")
                _print_value(field.key_field, "key", key, indent + "  ", lines)
                _print_value(field.value_field, "value", value[key], indent + "  ", lines)
                lines.append(indent + "}")
        else:
            for item in value if field.repeated else (value,):
                _print_value(field, field.name, item, indent, lines)


def _print_value(field, name, value, indent, lines):
    kind = field.kind
    if kind == "message":
        lines.append(f"{indent}{name} {{")
        _print(value, indent + "  ", lines)
        lines.append(indent + "}")
        return
    if kind == "enum":
        text = field.resolved._names.get(value, str(value))
    elif kind == "bool":
        text = "true" if value else "false"
    elif kind in ("float", "double"):
        text = _format_float(value, kind)
    elif kind in ("string", "bytes"):
        text = '"' + _escape(value.encode("utf-8") if kind == "string" else value,
                             kind == "bytes") + '"'
    else:
        text = str(value)
    lines.append(f"{indent}{name}: {text}")


def _format_float(value, kind):
    """The shortest of %.{6,9}g (float) or %.{15,17}g (double) that reads back as `value`."""
    short, full = (6, 9) if kind == "float" else (15, 17)
    text = f"{value:.{short}g}"
    if _round(float(text), kind) != value:
        text = f"{value:.{full}g}"
    return text


def _round(value, kind):
    if kind == "double" or value != value or abs(value) == float("inf"):
        return value
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return value * float("inf")


_ESCAPES = {ord("\n"): r"\n", ord("\r"): r"\r", ord("\t"): r"\t", ord('"'): r"\"",
            ord("'"): r"\'", ord("\\"): r"\\"}


def _escape(data, high_too):
    """C-escapes `data` (octal for control bytes, and for bytes >= 0x80 in bytes fields; a
    string field's UTF-8 is kept as is)."""
    out = []
    for byte in data:
        if byte in _ESCAPES:
            out.append(_ESCAPES[byte])
        elif byte < 0x20 or byte == 0x7F or (high_too and byte >= 0x80):
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    text = "".join(out)
    return text if high_too else text.encode("latin-1").decode("utf-8")


# -- parsing ---------------------------------------------------------------------------------------
_TOKEN = re.compile(r"""\s+|\#[^\n]*|(?P<tok>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
    |-?[A-Za-z_][\w.]*|-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fF]?
    |[{}<>:\[\],;])""", re.X)


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ParseError(f"{_where(text, pos)} : Unexpected character {text[pos]!r}.")
        if match.group("tok"):
            out.append((match.group("tok"), pos))
        pos = match.end()
    return out


def _where(text, pos):
    line = text.count("\n", 0, pos) + 1
    return f"{line}:{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


class _Reader:
    def __init__(self, text):
        self.text, self.tokens, self.i = text, _tokens(text), 0

    def peek(self):
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def next(self):
        if self.i >= len(self.tokens):
            raise ParseError(f"{_where(self.text, len(self.text))} : Unexpected end of input.")
        self.i += 1
        return self.tokens[self.i - 1][0]

    def error(self, message):
        """A ParseError at the token just read."""
        pos = self.tokens[max(self.i - 1, 0)][1] if self.tokens else 0
        return ParseError(f"{_where(self.text, pos)} : {message}")


def Merge(text, message):
    """Merges the text-format `text` into `message`; returns `message`.

    Args:
      text: the text format of a message of `message`'s class.
      message: the message to merge into.

    Raises:
      ParseError: the text names an unknown field, or a value does not fit its field.
    """
    reader = _Reader(text)
    _parse_fields(reader, message, None)
    return message


def Parse(text, message):
    """Replaces `message`'s contents with the text-format `text`; returns `message`.

    Args:
      text: the text format of a message of `message`'s class.
      message: the message to fill.

    Raises:
      ParseError: the text names an unknown field, or a value does not fit its field.
    """
    message.Clear()
    return Merge(text, message)


def _parse_fields(reader, message, end):
    while reader.peek() != end:
        name = reader.next()
        field = type(message)._fields.get(name)
        if field is None:
            raise reader.error(f'Message type "{message._full_name}" has no field named '
                               f'"{name}".')
        if reader.peek() == ":":
            reader.next()
        if reader.peek() == "[":
            reader.next()
            while reader.peek() != "]":
                _parse_one(reader, message, field)
                if reader.peek() == ",":
                    reader.next()
            reader.next()
        else:
            _parse_one(reader, message, field)
        if reader.peek() in (",", ";"):
            reader.next()


def _parse_one(reader, message, field):
    if field.map_entry is not None:
        entry = _entry_class(field)()
        _parse_block(reader, entry)
        target = getattr(message, field.name)
        if field.value_field.kind == "message":
            target[entry.key].MergeFrom(entry.value)
        else:
            target[entry.key] = entry.value
    elif field.kind == "message":
        target = getattr(message, field.name)
        _parse_block(reader, target.add() if field.repeated else target)
        if not field.repeated:
            target.SetInParent()
    else:
        value = _parse_scalar(reader, field)
        if field.repeated:
            getattr(message, field.name).append(value)
        else:
            setattr(message, field.name, value)


def _parse_block(reader, message):
    opening = reader.next()
    if opening not in ("{", "<"):
        raise reader.error(f'Expected "{{" but found "{opening}".')
    _parse_fields(reader, message, "}" if opening == "{" else ">")
    reader.next()


def _entry_class(field):
    if not hasattr(field, "_entry"):
        field._entry = type(field.name + "Entry", (Message,), {
            "key": Field(1, field.key_field.resolved),
            "value": Field(2, field.value_field.resolved)})
    return field._entry


def _parse_scalar(reader, field):
    token, kind = reader.next(), field.kind
    try:
        if token[0] in "\"'":
            data = _unescape(token[1:-1])
            while reader.peek() and reader.peek()[0] in "\"'":  # adjacent strings concatenate
                data += _unescape(reader.next()[1:-1])
            return data.decode("utf-8") if kind == "string" else data
        if kind == "bool":
            if token not in ("true", "false", "True", "False", "t", "f", "1", "0"):
                raise ValueError(f"Expected a bool, got {token}")
            return token[0] in "tT1"
        if kind in ("float", "double"):
            number = token.lower().rstrip("f") if not token.lower().endswith("inf") else token
            return float(number if "inf" not in number else number.replace("inity", ""))
        if kind == "enum" and not re.match(r"-?\d", token):
            return token
        if re.fullmatch(r"-?0[0-7]+", token):
            return int(token, 8)
        return int(token, 0)
    except (ValueError, UnicodeDecodeError) as exc:
        raise reader.error(f"Couldn't parse {token} for field {field.full_name}: {exc}")


_UNESCAPE = re.compile(rb"\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"a": b"\a", b"b": b"\b", b"f": b"\f",
           b"v": b"\v", b"\\": b"\\", b"'": b"'", b'"': b'"', b"?": b"?"}


def _unescape(text):
    def one(match):
        code = match.group(1)
        if code[:1] == b"x":
            return bytes([int(code[1:], 16)])
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _SIMPLE.get(code, b"\\" + code)
    return _UNESCAPE.sub(one, text.encode("utf-8"))

