"""The declarations of proto.py's message classes: `Field`, `MapField` and `Enum`.

A Field is a data descriptor: reading it on a message gives the value (a default, a
container, or a submessage made on first access), setting it checks the value the way
protobuf does (proto_scalars.py).
"""
import sys

from minitf.framework.proto_scalars import SCALARS

__all__ = ["Field", "MapField", "Enum"]


class Enum:
    """A proto enum type, declared in a message class: `Level = Enum(L1=0, L0=-1)`.

    Its values also become constants of the message class that declares it
    (`OptimizerOptions.L0`), as in protobuf.

    Args:
      **values: {name: number}.
    """

    def __init__(self, **values):
        self._values = dict(values)
        self._names = {}
        for name, number in values.items():
            self._names.setdefault(number, name)
        self.name = None

    def __set_name__(self, owner, name):
        self.name = name

    def Name(self, number):
        """Returns the name of `number`.

        Args:
          number: a value of this enum.

        Raises:
          ValueError: no name has this number.
        """
        if number not in self._names:
            raise ValueError(f"Enum {self.name} has no name defined for value {number!r}")
        return self._names[number]

    def Value(self, name):
        """Returns the number of `name`.

        Args:
          name: a name of this enum.

        Raises:
          ValueError: `name` is not one of this enum's names.
        """
        if name not in self._values:
            raise ValueError(f"Enum {self.name} has no value defined for name {name!r}")
        return self._values[name]

    def keys(self):
        """Returns the names, in declaration order."""
        return list(self._values)

    def values(self):
        """Returns the numbers, in declaration order."""
        return list(self._values.values())

    def items(self):
        """Returns the (name, number) pairs, in declaration order."""
        return list(self._values.items())


class Field:
    """One field of a message class, declared as a class attribute.

    Args:
      number: the field number (its tag on the wire).
      kind: a scalar kind name ("int32", "string", ...), an `Enum`, a Message class or a
        message class's (dotted) name in the declaring module.
      repeated: whether the field is a list.
      oneof: the name of the oneof the field belongs to, or None.
    """

    map_entry = None

    def __init__(self, number, kind, repeated=False, oneof=None):
        self.number, self._kind, self.repeated, self.oneof = number, kind, repeated, oneof
        self.name = self.owner = None

    def __set_name__(self, owner, name):
        self.name, self.owner = name, owner

    full_name = property(lambda self: f"{self.owner._full_name}.{self.name}")

    @property
    def kind(self):
        """The scalar kind name, "enum", or "message"."""
        kind = self.resolved
        return kind if isinstance(kind, str) else "enum" if isinstance(kind, Enum) else "message"

    @property
    def resolved(self):
        """The kind with a message class's name replaced by the class."""
        if isinstance(self._kind, str) and self._kind not in SCALARS:
            scope = vars(sys.modules[self.owner.__module__])
            obj = None
            for part in self._kind.split("."):
                obj = scope[part] if obj is None else getattr(obj, part)
            self._kind = obj
        return self._kind

    def check(self, value):
        """Returns `value` as this (non-message) field stores it.

        Args:
          value: the value set (an enum field also takes a name).

        Raises:
          TypeError: a value of the wrong type.
          ValueError: an integer out of the kind's range, or an unknown enum name.
        """
        kind = self.resolved
        if isinstance(kind, Enum):
            if isinstance(value, str):
                if value not in kind._values:
                    raise ValueError(f'unknown enum label "{value}"')
                return kind._values[value]
            return SCALARS["int32"][0](self, value)
        return SCALARS[kind][0](self, value)

    def default(self):
        """Returns the value of this scalar or enum field when it is not set."""
        kind = self.resolved
        return 0 if isinstance(kind, Enum) else SCALARS[kind][1]

    def __get__(self, msg, owner=None):
        if msg is None:
            return self
        values = msg._values
        if self.name in values:
            return values[self.name]
        if self.map_entry is not None or self.repeated or self.kind == "message":
            from minitf.framework import proto_containers as pc
            if self.map_entry is not None:
                value = pc.Map(msg, self)
            elif self.repeated:
                value = (pc.RepeatedComposite if self.kind == "message" else pc.RepeatedScalar)(
                    msg, self)
            else:
                value = self.resolved()
                object.__setattr__(value, "_parent", (msg, self.name))
            values[self.name] = value
            return value
        return self.default()

    def __set__(self, msg, value):
        if self.map_entry is not None or self.repeated:
            raise AttributeError(f'Assignment not allowed to map, or repeated field '
                                 f'"{self.name}" in protocol message object.')
        if self.kind == "message":
            raise AttributeError(f'Assignment not allowed to message field "{self.name}" in '
                                 'protocol message object.')
        msg._values[self.name] = self.check(value)
        if self.oneof:
            msg._set_present(self.name)
        msg._modified()


class MapField(Field):
    """A map field of a message class, declared as a class attribute.

    Args:
      number: the field number.
      key_kind: the scalar kind of the keys ("string", "int32", ...).
      value_kind: the scalar kind, Enum or message class of the values.
    """

    kind, resolved = "message", None  # (its entries are not a declared class)

    def __init__(self, number, key_kind, value_kind):
        super().__init__(number, None, repeated=True)
        self.key_field, self.value_field = Field(1, key_kind), Field(2, value_kind)
        self.map_entry = True

    def __set_name__(self, owner, name):
        super().__set_name__(owner, name)
        self.key_field.__set_name__(owner, name + ".key")
        self.value_field.__set_name__(owner, name + ".value")
