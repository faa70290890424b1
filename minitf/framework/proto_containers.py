"""The containers of repeated and map fields of proto.py's messages (protobuf's
RepeatedScalarContainer, RepeatedCompositeContainer, ScalarMap and MessageMap in one file).

Each keeps a link to its message so that changing it marks the message (and its parents) set.
"""
import collections.abc


class _Container:
    __slots__ = ("_msg", "_field", "_items")

    def __init__(self, msg, field):
        self._msg, self._field = msg, field
        self._items = {} if field.map_entry is not None else []

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __repr__(self):
        return repr(self._items)

    __hash__ = None

    def _changed(self):
        self._msg._modified()


class RepeatedScalar(_Container, collections.abc.MutableSequence):
    """A repeated scalar field: a list whose items are checked and converted on the way in."""

    __slots__ = ()

    def __getitem__(self, index):
        return self._items[index]

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = [self._field.check(v) for v in value]
        else:
            value = self._field.check(value)
        self._items[index] = value
        self._changed()

    def __delitem__(self, index):
        del self._items[index]
        self._changed()

    def insert(self, index, value):
        self._items.insert(index, self._field.check(value))
        self._changed()

    def append(self, value):
        self._items.append(self._field.check(value))
        self._changed()

    def extend(self, values):
        self._items.extend([self._field.check(v) for v in values])
        self._changed()

    def MergeFrom(self, other):
        self.extend(other)

    def sort(self, key=None, reverse=False):
        self._items.sort(key=key, reverse=reverse)

    def __eq__(self, other):
        if isinstance(other, RepeatedScalar):
            return self._items == other._items
        return isinstance(other, collections.abc.Sequence) and self._items == list(other)


class RepeatedComposite(_Container, collections.abc.MutableSequence):
    """A repeated message field: `add(**fields)` makes an item; `append`/`extend` copy."""

    __slots__ = ()

    def add(self, **kwargs):
        """Appends a new message made from `kwargs`, and returns it."""
        item = self._field.resolved(**kwargs)
        self._items.append(item)
        self._changed()
        return item

    def append(self, value):
        self.add().MergeFrom(self._as_item(value))

    def extend(self, values):
        for value in values:
            self.append(value)
        self._changed()

    def _as_item(self, value):
        cls = self._field.resolved
        if isinstance(value, dict):
            return cls(**value)
        if type(value) is not cls:
            raise TypeError(f"Parameter to initialize message field must be dict or instance "
                            f"of same class: expected {cls} got {type(value)}.")
        return value

    def insert(self, index, value):
        item = self._field.resolved()
        item.MergeFrom(self._as_item(value))
        self._items.insert(index, item)
        self._changed()

    def __getitem__(self, index):
        return self._items[index]

    def __setitem__(self, index, value):
        raise TypeError("does not support assignment")

    def __delitem__(self, index):
        del self._items[index]
        self._changed()

    def MergeFrom(self, other):
        self.extend(other)

    def __eq__(self, other):
        if isinstance(other, RepeatedComposite):
            return self._items == other._items
        return isinstance(other, collections.abc.Sequence) and self._items == list(other)


class Map(_Container, collections.abc.MutableMapping):
    """A map field. A message-valued map makes a missing key's value on `m[key]`, and refuses
    assignment of messages (as protobuf's MessageMap)."""

    __slots__ = ()

    def __getitem__(self, key):
        key = self._field.key_field.check(key)
        if key not in self._items:
            if self._field.value_field.kind != "message":
                raise KeyError(key)
            self._items[key] = self._field.value_field.resolved()
            self._changed()
        return self._items[key]

    def get_or_create(self, key):
        return self[key]

    def get(self, key, default=None):
        key = self._field.key_field.check(key)
        return self._items.get(key, default)

    def __contains__(self, key):
        return self._field.key_field.check(key) in self._items

    def __setitem__(self, key, value):
        if self._field.value_field.kind == "message":
            raise ValueError("Message objects may not be assigned")
        self._items[self._field.key_field.check(key)] = self._field.value_field.check(value)
        self._changed()

    def __delitem__(self, key):
        del self._items[self._field.key_field.check(key)]
        self._changed()

    def MergeFrom(self, other):
        for key, value in other.items():
            if self._field.value_field.kind == "message":
                self[key].CopyFrom(value)
            else:
                self[key] = value

    def __eq__(self, other):
        if isinstance(other, Map):
            return self._items == other._items
        return isinstance(other, collections.abc.Mapping) and self._items == dict(other)
