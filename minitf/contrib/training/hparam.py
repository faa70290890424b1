"""`tf.contrib.training.HParams` and `parse_values` (TF 1.15's hparam.py): named, typed
hyperparameters, overridden from "a=1,b=[1,2],c=hello" strings, dicts or JSON.

A hyperparameter's type is its first value's type (a list's: its first element's). Setting a
value casts it to that type when TF would (an int into a float) and raises ValueError when TF
would (a float into an int, anything into a bool but a bool); a NoneType hyperparameter takes
anything. The error texts are TF's.
"""
import json
import numbers
import re

from minitf.contrib.training.hparam_pb import HParamDef

__all__ = ["HParams", "parse_values"]

# one clause: `name`, an optional `[index]`, `=`, then one value or a bracketed list
_PARAM_RE = re.compile(r"""
  (?P<name>[a-zA-Z][\w\.]*)
  (\[\s*(?P<index>\d+)\s*\])?
  \s*=\s*
  ((?P<val>[^,\[]*)
   |
   \[(?P<vals>[^\]]*)\])
  ($|,\s*)""", re.VERBOSE)


def _parse_fail(name, var_type, value, values):
    raise ValueError(f"Could not parse hparam '{name}' of type '{var_type.__name__}' with "
                     f"value '{value}' in {values}")


def _reuse_fail(name, values):
    raise ValueError(f"Multiple assignments to variable '{name}' in {values}")


def _bool_parser(name, values):
    def parse(value):
        if value in ("true", "True"):
            return True
        if value in ("false", "False"):
            return False
        try:
            return bool(int(value))
        except ValueError:
            _parse_fail(name, bool, value, values)
    return parse


def _scalar(name, parse, var_type, clause, values, out):
    try:
        parsed = parse(clause["val"])
    except ValueError:
        _parse_fail(name, var_type, clause["val"], values)
    if not clause["index"]:
        if name in out:
            _reuse_fail(name, values)
        out[name] = parsed
        return
    if name in out and not isinstance(out[name], dict):
        _reuse_fail(name, values)
    by_index = out.setdefault(name, {})
    index = int(clause["index"])
    if index in by_index:
        _reuse_fail(f"{name}[{index}]", values)
    by_index[index] = parsed


def _list(name, parse, var_type, clause, values, out):
    if clause["index"] is not None:
        raise ValueError("Assignment of a list to a list index.")
    if name in out:
        _reuse_fail(name, values)
    try:
        out[name] = [parse(e) for e in re.split("[ ,]", clause["vals"]) if e]
    except ValueError:
        _parse_fail(name, var_type, clause["vals"], values)


def parse_values(values, type_map, ignore_unknown=False):
    """Parses "name=value" pairs, separated by commas, into a dict (TF's hparam syntax).

    A value is an int, a float, a bool (`true`, `True`, `false`, `False` or an integer), a
    string without commas or brackets, or a bracketed list of them (`[1,2,3]`, elements split
    at commas and spaces). `name[i]=v` assigns one position of a list: the result maps the name
    to `{i: v}`. A name may contain dots.

    Args:
      values: the string, e.g. "lr=0.1,layers=[64,64],act=relu".
      type_map: {name: type} of the names allowed; a list's element type for a list.
      ignore_unknown: skip names not in `type_map` instead of raising.

    Returns:
      A dict mapping each name to a value, a list of values, or {index: value}.

    Raises:
      ValueError: the string is malformed ("Malformed hyperparameter value"), a name is not in
        `type_map` ("Unknown hyperparameter type"), a value does not parse as its type ("Could
        not parse hparam"), a name is assigned twice ("Multiple assignments to variable"), or
        a list is assigned to an index ("Assignment of a list to a list index.").
    """
    out, pos = {}, 0
    while pos < len(values):
        m = _PARAM_RE.match(values, pos)
        if not m:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
        pos = m.end()
        clause = m.groupdict()
        name = clause["name"]
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        var_type = type_map[name]
        parse = _bool_parser(name, values) if var_type is bool else var_type
        if clause["val"] is not None:
            _scalar(name, parse, var_type, clause, values, out)
        elif clause["vals"] is not None:
            _list(name, parse, var_type, clause, values, out)
        else:
            _parse_fail(name, var_type, "", values)
    return out


def _cast(name, param_type, value):
    """`value` as a `param_type` hyperparameter takes it, or ValueError (TF's rules)."""
    fail = f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}"
    if type(value) is param_type or issubclass(param_type, type(None)):
        return value
    if issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes)):
        raise ValueError(fail)
    if issubclass(param_type, bool) != isinstance(value, bool):
        raise ValueError(fail)
    if issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral):
        raise ValueError(fail)
    if issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number):
        raise ValueError(fail)
    return param_type(value)


def _kind_name(param_type, is_list):
    # the HParamType field a value of this type is stored in (bool before int: a bool is an int)
    for base, typename in ((bool, "bool"), (int, "int64"), ((str, bytes), "bytes"),
                           (float, "float")):
        if issubclass(param_type, base):
            return f"{typename}_{'list' if is_list else 'value'}"
    raise ValueError(f"Unsupported parameter type: {param_type}")


def _from_proto_value(kind, value):
    if kind.startswith("int64"):
        return int(value)
    if kind.startswith("bytes"):
        return value.decode("utf-8") if isinstance(value, bytes) else value
    return value


class HParams:
    """A set of named, typed hyperparameters (`tf.contrib.training.HParams`).

    Each hyperparameter is an attribute of the object; its type is that of the value it was
    made with (for a list, of its first element). `parse`, `override_from_dict`, `parse_json`
    and `set_hparam` change existing values, checking them against those types.

    >>> from minitf.contrib.training import HParams
    >>> hparams = HParams(learning_rate=0.1, layers=[64, 64], activation="relu")
    >>> hparams.parse("learning_rate=0.3,layers=[32,16,8]").learning_rate
    0.3
    >>> hparams.layers
    [32, 16, 8]
    >>> print(hparams)
    learning_rate=0.3,layers=[32, 16, 8],activation=relu
    """

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        """Creates hyperparameters from keyword arguments or an `HParamDef`.

        Args:
          hparam_def: an `HParamDef` message to read the hyperparameters from, or None.
          model_structure: any object, kept for `get_model_structure`.
          **kwargs: the hyperparameters' names and initial values: ints, floats, bools,
            strings, or non-empty lists of them.

        Raises:
          AssertionError: `hparam_def` is given but is not an `HParamDef` (as TF).
          ValueError: both `hparam_def` and keyword arguments are given, or a name is
            reserved or a list is empty (see `add_hparam`).
        """
        self._hparam_types = {}
        self._model_structure = model_structure
        if hparam_def:
            self._init_from_proto(hparam_def)
            if kwargs:
                raise ValueError("hparam_def and initialization values are mutually exclusive")
        else:
            for name, value in kwargs.items():
                self.add_hparam(name, value)

    def _init_from_proto(self, hparam_def):
        if not isinstance(hparam_def, HParamDef):
            raise AssertionError(f"hparam_def must be an HParamDef, not {type(hparam_def)}")
        for name, value in hparam_def.hparam.items():
            kind = value.WhichOneof("kind")
            if kind.endswith("_value"):
                self.add_hparam(name, _from_proto_value(kind, getattr(value, kind)))
            else:
                self.add_hparam(name, [_from_proto_value(kind, v)
                                       for v in getattr(value, kind).value])

    def add_hparam(self, name, value):
        """Adds a hyperparameter.

        Args:
          name: its name; not one of the object's attributes (such as "values").
          value: its value: an int, float, bool, string, or a non-empty list of them; the
            value's type (a list's first element's) becomes the hyperparameter's type.

        Raises:
          ValueError: `name` is reserved ("Hyperparameter name is reserved") or `value` is an
            empty list ("Multi-valued hyperparameters cannot be empty").
        """
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """Sets an existing hyperparameter, cast to its type where TF casts.

        Args:
          name: the hyperparameter's name.
          value: its new value: a list for a list hyperparameter, a scalar otherwise.

        Raises:
          KeyError: there is no such hyperparameter.
          ValueError: a list for a scalar ("Must not pass a list"), a scalar for a list ("Must
            pass a list"), or a value of an incompatible type ("Could not cast hparam").
        """
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name):
        """Removes a hyperparameter; does nothing if there is none of that name.

        Args:
          name: the hyperparameter's name.
        """
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Overrides hyperparameters from a string of "name=value" pairs (`parse_values`).

        Args:
          values: the string, e.g. "lr=0.1,layers=[64,64]".

        Returns:
          This object.

        Raises:
          ValueError: the string does not parse, names an unknown hyperparameter, or gives a
            value of the wrong type or kind (see `parse_values` and `set_hparam`).
        """
        type_map = {name: t for name, (t, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        """Overrides hyperparameters from a dict, each value set by `set_hparam`.

        Args:
          values_dict: {name: value}.

        Returns:
          This object.

        Raises:
          KeyError: a name is not a hyperparameter.
          ValueError: a value of the wrong type or kind.
        """
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_from_map(self, values_map):
        """Deprecated alias of `override_from_dict` (as TF).

        Args:
          values_map: {name: value}.

        Returns:
          This object.
        """
        return self.override_from_dict(values_map)

    def set_model_structure(self, model_structure):
        """Sets the model structure kept with the hyperparameters.

        Args:
          model_structure: any object.
        """
        self._model_structure = model_structure

    def get_model_structure(self):
        """Returns the model structure given to the constructor or `set_model_structure`."""
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        """Returns the hyperparameters as a JSON object (`json.dumps` of `values()`).

        Args:
          indent: `json.dumps`'s indent (None: one line).
          separators: `json.dumps`'s (item, key) separators.
          sort_keys: sort the names.

        Returns:
          A JSON string.
        """
        return json.dumps(self.values(), indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        """Overrides hyperparameters from a JSON object of name: value pairs.

        Args:
          values_json: the JSON string.

        Returns:
          This object.

        Raises:
          KeyError: a name is not a hyperparameter.
          ValueError: the JSON does not parse, or a value of the wrong type or kind.
        """
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        """Returns the hyperparameters as a dict {name: value}, in the order they were added."""
        return {n: getattr(self, n) for n in self._hparam_types}

    def get(self, key, default=None):
        """Returns a hyperparameter's value, or `default` if there is none of that name.

        Args:
          key: the name.
          default: the value for a missing name; for an existing one it must be compatible
            with its type (a list for a list).

        Returns:
          The value, or `default`.

        Raises:
          ValueError: `default` is not None and incompatible with the hyperparameter's type.
        """
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_list = self._hparam_types[key]
            type_str = f"list<{param_type}>" if is_list else str(param_type)
            fail = f"Hparam '{key}' of type '{type_str}' is incompatible with default={default}"
            if is_list != isinstance(default, list):
                raise ValueError(fail)
            try:
                for value in default if is_list else [default]:
                    _cast(key, param_type, value)
            except ValueError as e:
                raise ValueError(f"{fail}. {e}") from None
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return ",".join(f"{k}={v}" for k, v in self.values().items())

    def __repr__(self):
        return f"{type(self).__name__}({sorted(self.values().items())})"

    def to_proto(self, export_scope=None):
        """Returns the hyperparameters as an `HParamDef` message.

        Args:
          export_scope: accepted for TF's signature; ignored (as in TF).

        Returns:
          An `HParamDef` (strings as UTF-8 bytes; floats stored as float32).

        Raises:
          ValueError: a hyperparameter's type is not bool, int, float or string
            ("Unsupported parameter type").
        """
        proto = HParamDef()
        for name, (param_type, is_list) in self._hparam_types.items():
            kind = _kind_name(param_type, is_list)
            value = getattr(self, name)
            encode = ((lambda v: v.encode("utf-8") if isinstance(v, str) else v)
                      if kind.startswith("bytes") else (lambda v: v))
            if is_list:
                getattr(proto.hparam[name], kind).value.extend([encode(v) for v in value])
            else:
                setattr(proto.hparam[name], kind, encode(value))
        return proto

    @staticmethod
    def from_proto(hparam_def, import_scope=None):
        """Returns the HParams an `HParamDef` holds.

        Args:
          hparam_def: the `HParamDef`.
          import_scope: accepted for TF's signature; ignored (as in TF).

        Returns:
          An HParams.
        """
        return HParams(hparam_def=hparam_def)
