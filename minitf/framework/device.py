"""Device specs (`/job:ps/replica:0/task:1/device:CPU:0`) and how `tf.device` scopes combine.

TF applies the device scopes of an op innermost first: a string scope fills in the fields the
inner scopes left unset, a function scope replaces the device with what it returns, `None` stops
outer scopes from applying, and "" is transparent. Parsing and merging are cached by string, so
placing an op under the usual one or two string scopes costs dict lookups, not parses.
"""
__all__ = ["DeviceSpec"]

_DEVICE_TYPES = ("CPU", "GPU", "TPU")
_FIELDS = ("job", "replica", "task", "device_type", "device_index")
_parse_cache = {}
_merge_cache = {}


class DeviceSpec:
    """A device, or the parts of one that are known: job, replica, task, type and index.

    TF1's mutable DeviceSpec: `to_string()` gives the canonical form
    `/job:<job>/replica:<replica>/task:<task>/device:<type>:<index>`, leaving out the fields
    that are None (an index of None prints as `*`). `tf.device` accepts a DeviceSpec where it
    takes a string.

    Args:
      job: the job name ("ps", "worker"), or None.
      replica, task: ints, or None.
      device_type: "CPU", "GPU" or "TPU", or None.
      device_index: an int, or None (any device of the type).

    Raises:
      ValueError: `replica`, `task` or `device_index` is not an int.

    >>> spec = tf.DeviceSpec.from_string("/job:ps/task:1/gpu:0")
    >>> spec.job, spec.task, spec.device_type, spec.device_index
    ('ps', 1, 'GPU', 0)
    >>> spec.replace(device_type="CPU").to_string()
    '/job:ps/task:1/device:CPU:0'
    """

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = device_type
        self.device_index = None if device_index is None else int(device_index)

    @classmethod
    def from_string(cls, spec):
        """Returns a DeviceSpec parsed from a full or partial device string.

        Args:
          spec: a string such as "/job:ps/task:1/device:GPU:0" or "/cpu:0" (fields in any
            order, each optional).

        Returns:
          A new DeviceSpec.

        Raises:
          ValueError: a field is unknown, a number is not an int, or two device types are
            given.
        """
        return cls(*_parse(spec))

    def parse_from_string(self, spec):
        """Sets every field of this spec from a device string (the missing ones to None).

        Args:
          spec: a full or partial device string, as for `from_string`.

        Returns:
          This DeviceSpec.

        Raises:
          ValueError: `spec` does not parse.
        """
        for field, value in zip(_FIELDS, _parse(spec)):
            setattr(self, field, value)
        return self

    def merge_from(self, dev):
        """Sets this spec's fields to those that `dev` sets (its fields that are not None).

        Args:
          dev: a DeviceSpec.
        """
        for field in _FIELDS:
            value = getattr(dev, field)
            if value is not None:
                setattr(self, field, value)

    def make_merged_spec(self, dev):
        """Returns a copy of this spec with the fields that `dev` sets taken from `dev`.

        Args:
          dev: a DeviceSpec.

        Returns:
          A new DeviceSpec; this one is unchanged.
        """
        merged = self.replace()
        merged.merge_from(dev)
        return merged

    def replace(self, **kwargs):
        """Returns a copy of this spec with the fields named as keywords set to new values.

        Raises:
          TypeError: a keyword is not a field (job, replica, task, device_type, device_index).
        """
        fields = {f: getattr(self, f) for f in _FIELDS}
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def to_string(self):
        """Returns the canonical device string, e.g. `/job:ps/task:1/device:CPU:0`.

        Fields that are None are left out; an unknown device index is written `*`.
        """
        return _to_string(tuple(getattr(self, f) for f in _FIELDS))

    def _key(self):
        return tuple(getattr(self, f) for f in _FIELDS)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return ("<DeviceSpec(" + ", ".join(f"{f}={getattr(self, f)}" for f in _FIELDS) + ")>")


def _parse(spec):
    cached = _parse_cache.get(spec)
    if cached is not None:
        return cached
    job = replica = task = device_type = device_index = None
    for part in (spec or "").split("/"):
        y = part.split(":")
        if len(y) == 2 and y[0] == "job":
            job = y[1]
        elif len(y) == 2 and y[0] in ("replica", "task"):
            replica, task = (int(y[1]), task) if y[0] == "replica" else (replica, int(y[1]))
        elif len(y) in (1, 2) and y[0].upper() in _DEVICE_TYPES or len(y) == 3 and \
                y[0] == "device":
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            device_type = y[0].upper() if len(y) < 3 else y[1]
            if len(y) > 1 and y[-1] != "*":
                device_index = int(y[-1])
        elif y[0]:
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")
    _parse_cache[spec] = result = (job, replica, task, device_type, device_index)
    return result


def _to_string(fields):
    job, replica, task, device_type, device_index = fields
    out = ""
    if job is not None:
        out += f"/job:{job}"
    if replica is not None:
        out += f"/replica:{replica}"
    if task is not None:
        out += f"/task:{task}"
    if device_type is not None:
        out += f"/device:{device_type}:{'*' if device_index is None else device_index}"
    return out


def canonical_name(device):
    """The canonical string of a device string or DeviceSpec ('' for None)."""
    if device is None:
        return ""
    if isinstance(device, DeviceSpec):
        return device.to_string()
    return _to_string(_parse(device))


def _merge(outer, inner):
    """`inner` device string with the fields it leaves unset taken from string spec `outer`."""
    key = (outer, inner)
    merged = _merge_cache.get(key)
    if merged is None:
        fields = [i if i is not None else o for o, i in zip(_parse(outer), _parse(inner))]
        merged = _merge_cache[key] = _to_string(fields)
    return merged


def _as_device_string(device):
    # A device function's string is used as it is (TF does not canonicalize it).
    return device if isinstance(device, str) else canonical_name(device)


def _device_function(device_name_or_function):
    """What a `tf.device(...)` scope pushes: None (stop here), or f(op, inner device) -> device.
    """
    d = device_name_or_function
    if d is None:
        return None
    if callable(d) and not isinstance(d, DeviceSpec):
        return lambda op, inner: _as_device_string(d(op))
    spec = canonical_name(d)  # parse now: a bad spec fails when the scope opens, as in TF
    if not spec:
        return lambda op, inner: inner
    return lambda op, inner: _merge(spec, inner)
