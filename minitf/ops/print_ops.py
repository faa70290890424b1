"""`tf.print`: TF's PrintV2, with its StringFormat, printing tensors as TF prints them.

The text is TF's: each dimension longer than 2 * `summarize` shows its first and last
`summarize` entries around "...", rows break onto new lines (a blank line between blocks of
rank 3 and more), floats take the shortest of %.6g / %.9g (doubles %.15g / %.17g) that reads
back exactly, bools print as 1 / 0, strings quoted and C-escaped. Python values and structures
print as `pprint.pformat` writes them, the tensors in them by value.

PrintV2 is stateful: it is never folded away, and in graph mode it prints each time it runs
(fetch it or make it a control input), as in TF1; eagerly it prints at once.
"""
import logging
import os
import pprint
import random
import sys

import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op

__all__ = ["print_v2"]

# TF's names for the streams PrintV2 writes to (`output_stream` attr)
_STREAMS = {"stdout": lambda: sys.stdout, "stderr": lambda: sys.stderr}
_LOG_LEVELS = {"log(info)": logging.INFO, "log(warning)": logging.WARNING,
               "log(error)": logging.ERROR}
# (the levels only: TF also takes its own tf.logging functions, which minitf does not have)
_STREAM_NAMES = {logging.INFO: "log(info)", logging.WARNING: "log(warning)",
                 logging.ERROR: "log(error)"}


def _escape(raw):
    """absl's Utf8SafeCEscape: C escapes for quotes, backslash and control bytes, octal for
    the other control bytes; UTF-8 (bytes >= 0x80) stays as it is."""
    out = bytearray()
    named = {0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x22: b'\\"', 0x27: b"\\'",
             0x5C: b"\\\\"}
    for byte in raw:
        if byte in named:
            out += named[byte]
        elif byte < 0x20 or byte == 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return out.decode("utf-8", errors="replace")


def _float_text(value, digits, np_type):
    # the shorter precision when it reads back exactly, as TF's FloatToBuffer/DoubleToBuffer
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    short = f"{value:.{digits}g}"
    return short if np_type(short) == value else f"{value:.{digits + (3 if digits == 6 else 2)}g}"


def _element_texts(flat, dtype):
    """The printed text of each element of the 1-D array `flat` of `dtype`."""
    if dtype == dtypes.string:
        return ['"' + _escape(v if isinstance(v, bytes) else str(v).encode()) + '"'
                for v in flat]
    if dtype == dtypes.bool:
        return ["1" if v else "0" for v in flat]
    if dtype.is_complex:
        return ["?"] * len(flat)
    if dtype == dtypes.float64:
        return [_float_text(v, 15, np.float64) for v in flat.tolist()]
    if dtype.is_floating:  # (half and bfloat16 print as floats)
        return [_float_text(v, 6, np.float32) for v in flat.astype(np.float32).tolist()]
    return [str(v) for v in flat.tolist()]


def _spacing(dim, ndim):
    if dim == ndim - 1:
        return " "
    return "\n" * (ndim - dim - 1) + " " * (dim + 1)


def _dims_text(value, dtype, ends, dim=0):
    """TF's PrintOneDimV2: dimension `dim` of `value`, `ends` entries at each end."""
    n, ndim = value.shape[0], value.ndim + dim
    first, last = range(min(ends, n)), range(max(ends, n - ends), n)
    rows = [*first, *last]
    if value.ndim == 1:
        items = _element_texts(value[rows], dtype)
    else:
        items = [_dims_text(value[i], dtype, ends, dim + 1) for i in rows]
    if n > 2 * ends:
        items.insert(len(first), "...")
    space = _spacing(dim, ndim)
    # (each entry but the first one shown follows a spacing: "..." first gets one too)
    return "[" + (space if items and not first else "") + space.join(items) + "]"


def _summarize_value(value, dtype, summarize):
    """TF's Tensor::SummarizeValue(summarize, print_v2=true): `value` as tf.print shows it."""
    value = np.asarray(value)
    size = value.size
    limit = size if summarize < 0 else min(summarize, size)
    if value.ndim == 0:
        return ("".join(_element_texts(value.reshape(1), dtype)) if limit else "") + (
            "..." if size > limit else "")
    return _dims_text(value, dtype, limit)


@register_op("StringFormat", shape=lambda *inputs, T, template, placeholder, summarize: (),
             dtype=lambda *inputs, T, template, placeholder, summarize: dtypes.string,
             differentiable=False)
def _string_format(*inputs, T, template, placeholder, summarize):
    pieces = template.split(placeholder)
    texts = [_summarize_value(v, dtype, summarize) for v, dtype in zip(inputs, T)]
    out = pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:]))
    return np.array(out.encode(), dtype=object)


@register_op("PrintV2", shape=None, outputs=0, stateful=True, differentiable=False)
def _print_v2(state, op, input, *, output_stream, end):
    text = input.item() if isinstance(input, np.ndarray) else input
    text = (text.decode(errors="replace") if isinstance(text, bytes) else str(text)) + end
    if output_stream in _STREAMS:
        stream = _STREAMS[output_stream]()
        stream.write(text)
        stream.flush()
    elif output_stream in _LOG_LEVELS:
        logging.getLogger("minitf").log(_LOG_LEVELS[output_stream], text.rstrip("\n"))
    else:  # "file://<path>": appended to, as TF's appendable file
        with open(output_stream[len("file://"):], "a", encoding="utf-8") as f:
            f.write(text)


def _is_tensor(x):
    return isinstance(x, Tensor) or hasattr(x, "_as_graph_element")


def _map(structure, fn):
    """`structure` with fn applied to its leaves, keeping lists, tuples and dicts."""
    if isinstance(structure, dict):
        return type(structure)((k, _map(v, fn)) for k, v in structure.items())
    if isinstance(structure, (list, tuple)) and not hasattr(structure, "_fields"):
        return type(structure)(_map(v, fn) for v in structure)
    if hasattr(structure, "_fields"):  # a namedtuple
        return type(structure)(*(_map(v, fn) for v in structure))
    return fn(structure)


def _tensors_in(structure):
    """The tensors of `structure` in TF's `nest.flatten` order (dict entries by sorted key)."""
    if isinstance(structure, dict):
        return [t for k in sorted(structure) for t in _tensors_in(structure[k])]
    if isinstance(structure, (list, tuple)):
        return [t for v in structure for t in _tensors_in(v)]
    return [structure] if _is_tensor(structure) else []


def _placeholder(text):
    # a placeholder the text does not contain: "{}" and digits from TF's Random(5)
    placeholder, rng = "{}", random.Random(5)
    while placeholder in text:
        placeholder += str(rng.randint(0, 9))
    return placeholder


def _template(inputs, sep):
    """(template, placeholder, tensors) of TF's tf.print for `inputs`."""
    free = [_map(x, lambda v: "" if _is_tensor(v) else v) for x in inputs]
    placeholder = _placeholder(" ".join(pprint.pformat(x) for x in free))
    templates, tensors = [], []
    for x in inputs:
        tensors += _tensors_in(x)
        templates.append(x if isinstance(x, str) else pprint.pformat(
            _map(x, lambda v: placeholder if _is_tensor(v) else v)))
    template = sep.join(templates).replace(f"'{placeholder}'", placeholder)
    return template, placeholder, [convert_to_tensor(t) for t in tensors]


def _stream_name(output_stream):
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    name = ({id(sys.stdout): "stdout", id(sys.stderr): "stderr"}.get(id(output_stream))
            or _STREAM_NAMES.get(output_stream))
    if name is None:
        raise ValueError(f"Unsupported output stream, logging level, or file.{output_stream}. "
                         "Supported streams are sys.stdout, sys.stderr, tf.logging.info, "
                         "tf.logging.warning, tf.logging.error. File needs to be in the form of "
                         "'file://<filepath>'.")
    return name


def print_v2(*inputs, **kwargs):
    """Prints `inputs` (tensors, Python values, structures of both) as TF's `tf.print`.

    In graph mode this returns the PrintV2 op, which prints each time it runs; eagerly it
    prints at once. Tensors print by value, summarized: each dimension longer than
    2 * `summarize` shows its first and last `summarize` entries.

    Args:
      *inputs: what to print, separated by `sep`.
      **kwargs: TF's keywords. `output_stream`: sys.stdout, sys.stderr (the default),
        logging.INFO / WARNING / ERROR (to the "minitf" logger), or "file://<path>" (appended
        to). `summarize`: entries shown at each end of each dimension (default 3; -1: all).
        `sep`: the separator between inputs (" "). `end`: written after the text (a newline).
        `name`: a name for the operation (default "PrintV2"; its StringFormat is
        `<name>_format`).

    Returns:
      The PrintV2 Operation (None eagerly).

    Raises:
      ValueError: `output_stream` is not one of those, or an unknown keyword is given.

    >>> import sys
    >>> op = tf.print("x:", tf.constant([1, 2, 3, 4, 5, 6, 7]), output_stream=sys.stdout)
    >>> with tf.Session() as sess:
    ...     sess.run(op)
    x: [1 2 3 ... 5 6 7]
    """
    stream = _stream_name(kwargs.pop("output_stream", sys.stderr))
    name, summarize = kwargs.pop("name", None), kwargs.pop("summarize", 3)
    sep, end = kwargs.pop("sep", " "), kwargs.pop("end", os.linesep)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    if (len(inputs) == 1 and _is_tensor(inputs[0]) and inputs[0].shape.ndims == 0
            and inputs[0].dtype == dtypes.string):
        text = inputs[0]
    else:
        template, placeholder, tensors = _template(inputs, sep)
        text = _string_format.apply(
            tensors, name=f"{name}_format" if name else "StringFormat",
            T=tuple(t.dtype.base_dtype for t in tensors), template=template,
            placeholder=placeholder, summarize=summarize)
    return _print_v2.apply([text], name=name or "PrintV2", output_stream=stream, end=end)
