"""Protocol-buffer messages without protobuf: a declarative base with protobuf's Python idioms.

A message class lists its fields as class attributes; the base gives what generated protobuf
classes give (proto3 semantics, as TF's .proto files use):

>>> from minitf.framework.proto import Enum, Field, Message
>>> class Point(Message):
...     Color = Enum(RED=0, BLUE=1)
...     x = Field(1, "int32")
...     tags = Field(2, "string", repeated=True)
...     color = Field(3, Color)
>>> p = Point(x=3, tags=["a"])
>>> p.color = Point.BLUE
>>> print(p, end="")
x: 3
tags: "a"
color: BLUE
>>> Point.FromString(p.SerializeToString()) == p
True

Fields: scalars ("int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
"fixed64", "sfixed32", "sfixed64", "bool", "float", "double", "string", "bytes"), an `Enum`,
a message class (or its name, resolved in the class's module when first used, for messages
declared later or recursive ones); `repeated=True`; `oneof="name"`; `MapField(number, key
kind, value kind or message class)`. Submessages exist on access and count as set once
something in them is set. The wire format is in proto_wire.py, the text format in
proto_text.py.
"""
import math
import sys

from minitf.framework.proto_fields import Enum, Field, MapField

__all__ = ["Message", "Field", "MapField", "Enum", "DecodeError"]


class DecodeError(Exception):
    """Bytes that are not a valid serialization of the message (protobuf's DecodeError)."""


class _Descriptor:
    """The little of protobuf's Descriptor that programs read."""

    def __init__(self, cls):
        self.name, self.full_name = cls.__name__, cls._full_name
        self.fields = sorted(cls._fields.values(), key=lambda f: f.number)
        self.fields_by_name = dict(cls._fields)
        self.fields_by_number = {f.number: f for f in self.fields}


class _MessageMeta(type):
    def __new__(mcs, name, bases, namespace):
        namespace.setdefault("__slots__", ())
        cls = super().__new__(mcs, name, bases, namespace)
        package = vars(sys.modules[cls.__module__]).get("_PACKAGE", "")
        cls._set_full_name(f"{package}.{name}" if package else name)
        cls._fields = {k: v for k, v in namespace.items() if isinstance(v, Field)}
        cls._by_number = {f.number: f for f in cls._fields.values()}
        cls._oneofs = {}
        for f in cls._fields.values():
            if f.oneof:
                cls._oneofs.setdefault(f.oneof, []).append(f.name)
        for value in namespace.values():
            if isinstance(value, Enum):
                for key, number in value._values.items():
                    setattr(cls, key, number)
        cls.DESCRIPTOR = _Descriptor(cls)
        return cls

    def _set_full_name(cls, full_name):
        cls._full_name = full_name
        if "DESCRIPTOR" in vars(cls):
            cls.DESCRIPTOR.full_name = full_name
        for key, value in vars(cls).items():
            if isinstance(value, _MessageMeta):
                value._set_full_name(f"{full_name}.{key}")


class Message(metaclass=_MessageMeta):
    """The base of message classes: keyword constructor, typed attributes, protobuf's methods.

    Args:
      **kwargs: field values; a message field takes a message of its class or a dict, a
        repeated field an iterable, a map field a dict, an enum field a number or name.

    Raises:
      ValueError: a keyword names no field, or an enum name is unknown.
      TypeError: a value of the wrong type.
    """

    __slots__ = ("_values", "_present", "_parent", "_unknown")

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_present", set())
        object.__setattr__(self, "_parent", None)
        object.__setattr__(self, "_unknown", b"")
        for name, value in kwargs.items():
            field = self._field(name)
            if value is not None:
                self._init_field(field, value)

    def _init_field(self, field, value):
        if field.map_entry is not None:
            target = getattr(self, field.name)
            for key, item in value.items():
                if field.value_field.kind == "message":
                    _init_message(target[key], item)
                else:
                    target[key] = item
        elif field.repeated:
            getattr(self, field.name).extend(value)
        elif field.kind == "message":
            _init_message(getattr(self, field.name), value)
        else:
            setattr(self, field.name, value)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f'Protocol message {type(self).__name__} has no "{name}" field.')
        object.__setattr__(self, name, value)

    @classmethod
    def _field(cls, name):
        if name not in cls._fields:
            raise ValueError(f'Protocol message {cls.__name__} has no "{name}" field.')
        return cls._fields[name]

    # -- presence ------------------------------------------------------------------------------
    def _modified(self):
        """Something in this message was set: it (and its parents) now count as set."""
        if self._parent is not None:
            parent, name = self._parent
            if name not in parent._present:
                parent._set_present(name)
            parent._modified()

    def _set_present(self, name):
        oneof = self._fields[name].oneof
        for other in self._oneofs.get(oneof, ()) if oneof else ():
            if other != name:
                self._drop(other)
        self._present.add(name)

    def _drop(self, name):
        value = self._values.pop(name, None)
        if isinstance(value, Message):
            object.__setattr__(value, "_parent", None)  # a kept reference lives on detached
        self._present.discard(name)

    def _is_set(self, field, value):
        if field.kind == "message" and not field.repeated or field.oneof:
            return field.name in self._present
        if field.repeated:
            return len(value) > 0
        return value != field.default() or (  # -0.0 is not the default
            isinstance(value, float) and math.copysign(1.0, value) < 0)

    def ListFields(self):
        """Returns [(field, value)] of the fields that are set, by field number."""
        out = []
        for field in self.DESCRIPTOR.fields:
            if field.name in self._values and self._is_set(field, self._values[field.name]):
                out.append((field, self._values[field.name]))
        return out

    def HasField(self, name):
        """Returns whether a message field, oneof member or oneof (by its name) is set.

        Args:
          name: the field's or oneof's name.

        Raises:
          ValueError: `name` is no field, or a proto3 scalar or repeated field (no presence).
        """
        if name in self._oneofs:
            return any(n in self._present for n in self._oneofs[name])
        field = self._field(name)
        if field.repeated or (field.kind != "message" and not field.oneof):
            raise ValueError(f"Field {field.full_name} does not have presence.")
        return name in self._present

    def WhichOneof(self, oneof):
        """Returns the name of the member of a oneof that is set, or None.

        Args:
          oneof: the oneof's name.

        Raises:
          ValueError: the message has no such oneof.
        """
        if oneof not in self._oneofs:
            raise ValueError(f'Protocol message has no oneof "{oneof}" field.')
        return next((n for n in self._oneofs[oneof] if n in self._present), None)

    def ClearField(self, name):
        """Resets a field (or the set member of a oneof) to its default.

        A submessage kept from before is detached: changing it no longer changes this one.

        Args:
          name: the field's or oneof's name.

        Raises:
          ValueError: the message has no such field.
        """
        for member in self._oneofs.get(name) or [self._field(name).name]:
            self._drop(member)

    def Clear(self):
        """Resets every field."""
        for name in list(self._values):
            self._drop(name)
        object.__setattr__(self, "_unknown", b"")

    def SetInParent(self):
        """Marks this (sub)message as set in its parent, though it is empty."""
        self._modified()

    def IsInitialized(self):
        """Returns True: proto3 messages have no required fields."""
        return True  # proto3 has no required fields

    # -- copying and comparing -----------------------------------------------------------------
    def _check_same(self, other, method):
        if type(other) is not type(self):
            raise TypeError(f"Parameter to {method}() must be instance of same class: expected "
                            f"{type(self)} got {type(other)}.")

    def MergeFrom(self, other):
        """Merges `other` in: its set scalars replace, messages merge, repeated fields append.

        Args:
          other: a message of the same class.

        Raises:
          TypeError: `other` is of another class.
        """
        self._check_same(other, "MergeFrom")
        for field, value in other.ListFields():
            if field.map_entry is not None or field.repeated:
                getattr(self, field.name).MergeFrom(value)
            elif field.kind == "message":
                getattr(self, field.name).MergeFrom(value)
                self._set_present(field.name)
            else:
                setattr(self, field.name, value)
        object.__setattr__(self, "_unknown", self._unknown + other._unknown)
        self._modified()

    def CopyFrom(self, other):
        """Makes this message a copy of `other`.

        Args:
          other: a message of the same class.

        Raises:
          TypeError: `other` is of another class.
        """
        self._check_same(other, "CopyFrom")
        if other is not self:
            self.Clear()
            self.MergeFrom(other)

    def __eq__(self, other):
        if not isinstance(other, Message):
            return NotImplemented
        if type(other) is not type(self):
            return False
        mine, theirs = self.ListFields(), other.ListFields()
        return ([f.name for f, _ in mine] == [f.name for f, _ in theirs]
                and all(a == b for (_, a), (_, b) in zip(mine, theirs))
                and self._unknown == other._unknown)

    __hash__ = None

    def __deepcopy__(self, memo=None):
        out = type(self)()
        out.MergeFrom(self)
        return out

    __copy__ = __deepcopy__

    def __reduce__(self):
        return type(self).FromString, (self.SerializeToString(),)

    # -- wire and text formats -----------------------------------------------------------------
    def SerializeToString(self, deterministic=None):
        """Returns the protobuf wire format of this message.

        Args:
          deterministic: accepted; maps are always written in upb's deterministic order.
        """
        from minitf.framework import proto_wire
        return proto_wire.serialize(self)

    def SerializePartialToString(self, deterministic=None):
        """Returns the wire format (as SerializeToString: proto3 has no required fields).

        Args:
          deterministic: accepted; maps are always written in upb's deterministic order.
        """
        return self.SerializeToString()

    def ByteSize(self):
        """Returns the length of the wire format."""
        return len(self.SerializeToString())

    def MergeFromString(self, data):
        """Merges a serialized message in; returns the number of bytes read.

        Args:
          data: the wire-format bytes.

        Raises:
          DecodeError: `data` is not a valid serialization.
        """
        from minitf.framework import proto_wire
        proto_wire.merge(self, bytes(data))
        return len(data)

    def ParseFromString(self, data):
        """Replaces this message's contents with a serialized message; returns its length.

        Args:
          data: the wire-format bytes.

        Raises:
          DecodeError: `data` is not a valid serialization.
        """
        self.Clear()
        return self.MergeFromString(data)

    @classmethod
    def FromString(cls, data):
        """Returns a new message parsed from `data`.

        Args:
          data: the wire-format bytes.

        Raises:
          DecodeError: `data` is not a valid serialization.
        """
        out = cls()
        out.MergeFromString(data)
        return out

    def __str__(self):
        from minitf.framework import proto_text
        return proto_text.MessageToString(self)

    __repr__ = __str__


def _init_message(target, value):
    """Sets the submessage `target` from a message of its class or a dict (constructor use)."""
    if isinstance(value, dict):
        for key, item in value.items():
            field = target._field(key)
            if item is not None:
                target._init_field(field, item)
    elif type(value) is type(target):
        target.MergeFrom(value)
    else:
        raise TypeError("Parameter to initialize message field must be dict or instance of same "
                        f"class: expected {type(target)} got {type(value)}.")
    target._modified()

