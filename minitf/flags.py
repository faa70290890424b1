"""`tf.flags` / `tf.app.flags`: TF1's command-line flags (absl's DEFINE_* API, without absl).

Define flags at module level, read them as attributes of `FLAGS`:

    tf.flags.DEFINE_integer("steps", 100, "How many steps to train.")
    FLAGS = tf.flags.FLAGS
    ...  FLAGS.steps  ...

Command lines parse as absl parses them: `--name=value`, `--name value`, `-name value`,
`--flag`/`--noflag` (or `--flag=false`) for booleans, repeated `--name` for multi flags, `--` ends
the flags; other arguments are kept, in order, after `argv[0]`. Like TF1's wrapper, reading a flag
of the module's `FLAGS` before parsing parses `sys.argv` (unknown flags tolerated); a separate
`FlagValues` raises `UnparsedFlagAccessError` instead.
"""
import os
import sys

__all__ = [
    "Error", "DuplicateFlagError", "IllegalFlagValueError", "UnrecognizedFlagError",
    "UnparsedFlagAccessError", "Flag", "FlagValues", "FLAGS", "DEFINE_string", "DEFINE_integer",
    "DEFINE_float", "DEFINE_boolean", "DEFINE_bool", "DEFINE_list", "DEFINE_enum",
    "DEFINE_multi_string", "DEFINE_multi_integer", "mark_flag_as_required",
    "mark_flags_as_required",
]


class Error(Exception):
    """The base class of the flag errors."""


class DuplicateFlagError(Error):
    """A flag name was defined twice."""


class IllegalFlagValueError(Error):
    """A flag got a value its type or constraints refuse (or a required flag has none)."""


class UnrecognizedFlagError(Error):
    """A command line named a flag nobody defined."""


class UnparsedFlagAccessError(Error, AttributeError):
    """A flag was read before its `FlagValues` parsed a command line."""


_TRUE, _FALSE = ("true", "t", "1"), ("false", "f", "0")


def _parse_bool(text):
    if isinstance(text, bool):
        return text
    if str(text).lower() in _TRUE:
        return True
    if str(text).lower() in _FALSE:
        return False
    raise ValueError(("Non-boolean argument to boolean flag", text))


def _parse_int(text, lower_bound=None, upper_bound=None):
    value = text if isinstance(text, int) else int(text, 10)
    if lower_bound == 0 and upper_bound is None and value < 0:
        raise ValueError(f"{value} is not a non-negative integer")
    if lower_bound is not None and value < lower_bound:
        raise ValueError(f"{value} is not an integer in the range [{lower_bound}, "
                         f"{'+inf' if upper_bound is None else upper_bound}]")
    if upper_bound is not None and value > upper_bound:
        raise ValueError(f"{value} is not an integer in the range "
                         f"[{'-inf' if lower_bound is None else lower_bound}, {upper_bound}]")
    return value


def _parse_list(text):
    if isinstance(text, (list, tuple)):
        return list(text)
    return [item.strip() for item in text.split(",")] if text.strip() else []


class Flag:
    """One defined flag: its name, default, help text, parser and current value.

    Args:
      name: the flag's name (`--name` on the command line).
      default: the value before parsing (a string is parsed like a command-line value).
      help: the help text.
      parse: a function turning one command-line string into the value; raises ValueError.
      type_name: how the help text names the type ("an integer", ...).
      boolean: whether `--name`/`--noname` set it without a value.
      multi: whether each occurrence adds one value to a list.
    """

    def __init__(self, name, default, help, parse, type_name, boolean=False, multi=False):
        self.name, self.help, self.parse_one, self.type_name = name, help, parse, type_name
        self.boolean, self.multi, self.present, self.module = boolean, multi, 0, "__main__"
        self.default = None if default is None else self._convert(default)
        self.value = self.default

    def _convert(self, value):
        if self.multi:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self.parse_one(item) for item in items]
        return self.parse_one(value)

    def help_lines(self):
        """Returns absl's help lines for this flag: name and help, default, type."""
        default = self.default
        if isinstance(default, list) and not self.multi:
            default = ",".join(map(str, default))
        elif isinstance(default, bool):
            default = str(default).lower()
        lines = [f"  --{'[no]' if self.boolean else ''}{self.name}: {self.help}"
                 + (";" if self.multi else "")]
        if self.multi:
            lines.append("    repeat this option to specify a list of values")
        if default is not None:
            lines.append(f"    (default: {str(default)!r})")
        return lines + ([f"    ({self.type_name})"] if self.type_name else [])

    def parse(self, text):
        """Sets the value from one command-line occurrence (appends, for a multi flag).

        Args:
          text: the value's text.

        Raises:
          IllegalFlagValueError: the value cannot be parsed.
        """
        try:
            value = self.parse_one(text)
        except (TypeError, ValueError) as exc:
            detail = exc.args[0] if len(exc.args) == 1 else exc
            raise IllegalFlagValueError(f"flag --{self.name}={text}: {detail}") from exc
        if self.multi:
            self.value = (self.value if self.present else []) + [value]
        else:
            self.value = value
        self.present += 1


class FlagValues:
    """A registry of flags, and the values a command line gave them.

    Args:
      auto_parse: whether reading a flag before parsing parses `sys.argv` (TF1's `tf.flags.FLAGS`
        does, tolerating unknown flags) instead of raising `UnparsedFlagAccessError`.
    """

    def __init__(self, auto_parse=False):
        vars(self).update(_flags={}, _parsed=False, _required=[], _auto_parse=auto_parse)

    def __getitem__(self, name):
        return self._flags[name]

    def __contains__(self, name):
        return name in self._flags

    def __iter__(self):
        return iter(self._flags)

    def __getattr__(self, name):
        flags = vars(self)["_flags"]
        if name not in flags:
            raise AttributeError(name)
        if not self._parsed:
            if not self._auto_parse:
                raise UnparsedFlagAccessError(
                    f"Trying to access flag --{name} before flags were parsed.")
            self(sys.argv, known_only=True)
        return flags[name].value

    def __setattr__(self, name, value):
        if name not in self._flags:
            raise AttributeError(name)
        self._flags[name].value = value

    def register(self, flag):
        """Adds a flag.

        Args:
          flag: a `Flag`.

        Raises:
          DuplicateFlagError: a flag of that name exists already.
        """
        if flag.name in self._flags:
            raise DuplicateFlagError(
                f"The flag '{flag.name}' is defined twice. First from "
                f"{self._flags[flag.name].module}, second from {flag.module}. Description from "
                f"first occurrence: {self._flags[flag.name].help}")
        self._flags[flag.name] = flag

    def __call__(self, argv, known_only=False):
        """Parses a command line, sets the flags and returns the arguments left over.

        Args:
          argv: the command line, program name first.
          known_only: keep unknown flags among the arguments instead of raising.

        Returns:
          A list: `argv[0]` and the arguments that are not flags, in order.

        Raises:
          UnrecognizedFlagError: an unknown flag (unless `known_only`).
          IllegalFlagValueError: a bad value, or a required flag without one.
          Error: a flag given no value.
        """
        argv = list(argv)
        if not argv:
            raise ValueError("argv cannot be an empty list, and must contain the program name "
                             "as the first element.")
        rest, args = [argv[0]], argv[1:]
        while args:
            arg = args.pop(0)
            if arg == "--":
                rest.extend(args)
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            if not self._parse_one(arg, args, known_only):
                rest.append(arg)
        vars(self)["_parsed"] = True
        for name in self._required:
            if self._flags[name].value is None:
                raise IllegalFlagValueError(
                    f"flag --{name}=None: Flag --{name} must have a value other than None.")
        return rest

    def _parse_one(self, arg, args, known_only):
        """Applies one `-`-prefixed argument; False when it names no flag (kept if known_only)."""
        name, eq, value = arg.lstrip("-").partition("=")
        flag = self._flags.get(name)
        if flag is None and not eq and name.startswith("no"):
            negated = self._flags.get(name[2:])
            if negated is not None and negated.boolean:
                flag, eq, value = negated, "=", "false"
        if flag is None:
            if known_only:
                return False
            raise UnrecognizedFlagError(f"Unknown command line flag '{name}'")
        if not eq:
            if flag.boolean:
                value = "true"
            elif args:
                value = args.pop(0)
            else:
                raise Error(f"Missing value for flag {arg}")
        flag.parse(value)
        return True

    def is_parsed(self):
        """Returns whether a command line was parsed."""
        return self._parsed

    def mark_as_parsed(self):
        """Lets the flags be read (at their defaults) without parsing a command line."""
        vars(self)["_parsed"] = True

    def unparse_flags(self):
        """Puts every flag back to its default and marks the values unparsed."""
        for flag in self._flags.values():
            flag.value, flag.present = flag.default, 0
        vars(self)["_parsed"] = False

    def flag_values_dict(self):
        """Returns {name: value} of every flag."""
        return {name: flag.value for name, flag in self._flags.items()}

    def get_help(self):
        """Returns the help text: per defining module, each flag's name, help, default, type."""
        lines = []
        for module in sorted({flag.module for flag in self._flags.values()}):
            lines.append(f"{module}:")
            for name in sorted(n for n, f in self._flags.items() if f.module == module):
                lines.extend(self._flags[name].help_lines())
            lines.append("")
        return "\n".join(lines).rstrip("\n")


FLAGS = FlagValues(auto_parse=True)


def _define(name, default, help, parse, type_name, flag_values, boolean=False, multi=False):
    try:
        flag = Flag(name, default, help, parse, type_name, boolean=boolean, multi=multi)
    except (TypeError, ValueError) as exc:
        raise IllegalFlagValueError(f"flag --{name}={default!r}: {exc}") from exc
    # absl names the file that defined each flag (DEFINE_x's caller) in its duplicate error
    flag.module = os.path.basename(sys._getframe(2).f_code.co_filename)
    flag_values.register(flag)
    return flag


def DEFINE_string(name, default, help, flag_values=FLAGS):
    """Defines a string flag.

    >>> fv = tf.flags.FlagValues()
    >>> _ = tf.flags.DEFINE_string("who", "world", "Whom to greet.", flag_values=fv)
    >>> fv(["prog", "--who=you", "extra"])
    ['prog', 'extra']
    >>> fv.who
    'you'

    Args:
      name: the flag's name.
      default: its value when the command line does not set it (or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.

    Raises:
      DuplicateFlagError: `name` is defined already.
    """
    return _define(name, default, help, str, None, flag_values)


def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None, flag_values=FLAGS):
    """Defines an integer flag, optionally bounded.

    Args:
      name: the flag's name.
      default: its default (an int, a string of one, or None).
      help: the help text.
      lower_bound, upper_bound: the allowed range (inclusive), or None.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    def parse(text):
        return _parse_int(text, lower_bound, upper_bound)
    return _define(name, default, help, parse, "an integer", flag_values)


def DEFINE_float(name, default, help, flag_values=FLAGS):
    """Defines a floating-point flag.

    Args:
      name: the flag's name.
      default: its default (a number, a string of one, or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    return _define(name, default, help, float, "a number", flag_values)


def DEFINE_boolean(name, default, help, flag_values=FLAGS):
    """Defines a boolean flag: `--name`, `--noname`, `--name=true|false|t|f|1|0`.

    Args:
      name: the flag's name.
      default: its default (a bool, a string of one, or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    return _define(name, default, help, _parse_bool, None, flag_values, boolean=True)


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name, default, help, flag_values=FLAGS):
    """Defines a flag whose value is a comma-separated list of strings.

    Args:
      name: the flag's name.
      default: its default (a list, a comma-separated string, or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    return _define(name, default, help, _parse_list, "a comma separated list", flag_values)


def DEFINE_enum(name, default, enum_values, help, flag_values=FLAGS):
    """Defines a string flag restricted to given values.

    Args:
      name: the flag's name.
      default: its default (one of `enum_values`, or None).
      enum_values: the allowed strings.
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    enum_values = list(enum_values)

    def parse(text):
        if text not in enum_values:
            raise ValueError(f"value should be one of <{'|'.join(enum_values)}>")
        return text
    return _define(name, default, f"<{'|'.join(enum_values)}>: {help}", parse, None, flag_values)


def DEFINE_multi_string(name, default, help, flag_values=FLAGS):
    """Defines a flag that may repeat; its value is the list of the strings given.

    Args:
      name: the flag's name.
      default: its default (a string, a list of them, or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    return _define(name, default, help, str, None, flag_values, multi=True)


def DEFINE_multi_integer(name, default, help, flag_values=FLAGS):
    """Defines a flag that may repeat; its value is the list of the integers given.

    Args:
      name: the flag's name.
      default: its default (an int, a list of them, or None).
      help: the help text.
      flag_values: the `FlagValues` to add it to.

    Returns:
      The `Flag`.
    """
    return _define(name, default, help, _parse_int, "an integer", flag_values, multi=True)


def mark_flag_as_required(flag_name, flag_values=FLAGS):
    """Makes parsing fail unless the flag ends with a value other than None.

    Args:
      flag_name: the flag's name.
      flag_values: the `FlagValues` holding it.

    Raises:
      KeyError: no flag has that name.
    """
    flag_values[flag_name]  # fails early on an unknown name
    vars(flag_values)["_required"].append(flag_name)


def mark_flags_as_required(flag_names, flag_values=FLAGS):
    """Marks several flags as required (see `mark_flag_as_required`).

    Args:
      flag_names: the flags' names.
      flag_values: the `FlagValues` holding them.
    """
    for name in flag_names:
        mark_flag_as_required(name, flag_values)
