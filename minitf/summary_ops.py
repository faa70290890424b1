"""TF1's summary ops (tensorflow/python/summary/summary.py): each is an op whose output is a
serialized `tf.Summary` (a string scalar) that a `tf.summary.FileWriter` writes to an event file.

`scalar` (ScalarSummary), `histogram` (HistogramSummary, with TF's default buckets),
`tensor_summary` (TensorSummaryV2) and `text` on it, `merge` (MergeSummary) and `merge_all`;
`image` and `audio` are in summary_media.py. Tags follow TF's `summary_scope`: the op's name
scope, prefixed with `family` when given.
"""
import json
import re

import numpy as np

from minitf import tf_logging as logging
from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import add_to_collection, get_collection, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.registry import register_op
from minitf.framework.summary_pb import HistogramProto, Summary, SummaryDescription, SummaryMetadata

__all__ = ["scalar", "histogram", "tensor_summary", "text", "merge", "merge_all",
           "get_summary_description", "summary_scope", "clean_tag", "collect", "as_text"]

_INVALID_TAG = re.compile(r"[^-/\w.]")
_REAL = (_dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.uint8, _dtypes.int16,
         _dtypes.int8, _dtypes.int64, _dtypes.bfloat16, _dtypes.uint16, _dtypes.float16,
         _dtypes.uint32, _dtypes.uint64)


def clean_tag(name):
    """Returns `name` with the characters TensorBoard's tags cannot hold replaced by "_".

    Args:
      name: a tag or op name, or None.

    Returns:
      The name without characters other than letters, digits, "_", "-", "/" and "." and
      without leading slashes (None stays None).
    """
    if name is not None:
        new_name = _INVALID_TAG.sub("_", name).lstrip("/")
        if new_name != name:
            logging.info("Summary name %s is illegal; using %s instead.", name, new_name)
            name = new_name
    return name


class summary_scope:
    """Opens the name scope of a summary op and yields `(tag, scope)`, as TF's summary_scope.

    The scope is `family/name` when `family` is given, and the tag is the scope without its
    trailing "/" (prefixed once more with `family`, so TensorBoard groups it in that tab).

    Args:
      name: the summary's name.
      family: an optional tab name for TensorBoard.
      default_name: the scope's name when `name` is None.
      values: the op's input tensors.
    """

    def __init__(self, name, family=None, default_name=None, values=None):
        self._name, self._family = clean_tag(name), clean_tag(family)
        base = self._name if self._family is None else f"{self._family}/{self._name}"
        self._scope = name_scope(base, default_name, values)

    def __enter__(self):
        scope = self._scope.__enter__()
        tag = scope.rstrip("/")
        if self._family is not None:
            tag = f"{self._family}/{tag}"
        return tag, scope

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


def collect(val, collections, default_collections):
    """Adds a summary op's output to graph collections.

    Args:
      val: the summary Tensor.
      collections: the collection keys, or None for `default_collections`.
      default_collections: the keys used when `collections` is None.
    """
    for key in default_collections if collections is None else collections:
        add_to_collection(key, val)


def as_text(value):
    """Returns the str of a string kernel input.

    Args:
      value: bytes, or a 0-d object array holding them.
    """
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value)


def _string_output(*inputs, **attrs):
    return _dtypes.string


def _scalar_shape(*inputs, **attrs):
    return ()


def check_dtype(tensor, allowed, arg, op_type):
    """Raises TF's TypeError when `tensor`'s dtype is not one the op takes."""
    if tensor.dtype.base_dtype not in allowed:
        raise TypeError(f"Value passed to parameter '{arg}' has DataType "
                        f"{tensor.dtype.base_dtype.name} not in list of allowed values: "
                        f"{', '.join(t.name for t in allowed)}")


def _shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


# -- scalar ------------------------------------------------------------------------------------
@register_op("ScalarSummary", shape=_scalar_shape, dtype=_string_output, differentiable=False)
def _scalar_summary(tags, values):
    tags, values = np.asarray(tags, dtype=object), np.asarray(values)
    if tags.shape != values.shape:
        single = f" (tag '{as_text(tags.reshape(-1)[0])}')" if tags.size == 1 else ""
        raise errors.InvalidArgumentError(
            None, None, f"tags and values are not the same shape: {_shape_text(tags.shape)} != "
            f"{_shape_text(values.shape)}{single}")
    out = Summary(value=[Summary.Value(tag=as_text(t), simple_value=float(np.float32(v)))
                         for t, v in zip(tags.reshape(-1), values.reshape(-1))])
    return np.array(out.SerializeToString(), dtype=object)


def scalar(name, tensor, collections=None, family=None):
    """Outputs a `Summary` protocol buffer containing a single scalar value.

    Args:
      name: a name for the op, also the summary's tag (in TensorBoard).
      tensor: a real numeric Tensor holding a single value.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: an optional prefix of the tag and the op's name, the tab in TensorBoard.

    Returns:
      A scalar string Tensor: the serialized `Summary`.

    Raises:
      TypeError: `tensor` is not of a real numeric type.

    >>> loss = tf.summary.scalar("loss", tf.constant(0.5))
    >>> with tf.Session() as sess:
    ...     summary = tf.Summary.FromString(sess.run(loss))
    >>> summary.value[0].tag, summary.value[0].simple_value
    ('loss', 0.5)
    """
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert_to_tensor(tensor, name="values")
        check_dtype(tensor, _REAL, "values", "ScalarSummary")
        val = _scalar_summary.apply([convert_to_tensor(tag, name="tags"), tensor], name=scope)
        collect(val, collections, [GraphKeys.SUMMARIES])
    return val


# -- histogram ---------------------------------------------------------------------------------
def _default_bucket_limits():
    # TF's histogram::Histogram: edges growing by 10% from 1e-12 while below 1e20, then DBL_MAX,
    # mirrored below 0 (cumprod multiplies one step at a time, as TF's loop does)
    steps = np.full(400, 1.1)
    steps[0] = 1e-12
    positive = np.cumprod(steps)
    positive = np.append(positive[positive < 1e20], np.finfo(np.float64).max)
    return np.concatenate([-positive[::-1], [0.0], positive])


_BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values):
    """TF's histogram of `values` (float64, finite) as a `HistogramProto`, its runs of empty
    buckets merged into one (the last edge of the run, count 0)."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    counts = np.bincount(np.searchsorted(_BUCKET_LIMITS, values, side="right"),
                         minlength=_BUCKET_LIMITS.size).astype(np.float64)
    empty = counts <= 0
    # an empty bucket is kept only where its run of empty buckets ends
    keep = ~empty | np.append(~empty[1:], True)
    proto = HistogramProto(num=float(values.size), bucket_limit=_BUCKET_LIMITS[keep].tolist(),
                           bucket=counts[keep].tolist())
    if values.size:
        proto.min, proto.max = float(values.min()), float(values.max())
        # TF adds one value at a time: sequential sums, not NumPy's pairwise ones
        proto.sum = float(np.add.accumulate(values)[-1])
        proto.sum_squares = float(np.add.accumulate(values * values)[-1])
    else:
        proto.min, proto.max = float(_BUCKET_LIMITS[-1]), float(_BUCKET_LIMITS[0])
    return proto


@register_op("HistogramSummary", shape=_scalar_shape, dtype=_string_output, stateful=True,
             differentiable=False)
def _histogram_summary(state, op, tag, values):
    if np.asarray(tag).ndim != 0:
        raise errors.InvalidArgumentError(None, op, "tags must be scalar")
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    bad = ~np.isfinite(values)
    if bad.any():  # TF stops at the first NaN or infinity and names it
        first = values[np.argmax(bad)]
        kind, where = ("Nan", "summary histogram") if np.isnan(first) else ("Infinity", "Histogram")
        raise errors.InvalidArgumentError(None, op, f"{kind} in {where} for: {op.name}")
    value = Summary.Value(tag=as_text(tag), histo=histogram_proto(values))
    return np.array(Summary(value=[value]).SerializeToString(), dtype=object)


def histogram(name, values, collections=None, family=None):
    """Outputs a `Summary` protocol buffer with a histogram of `values`.

    The buckets are TF's: edges growing by 10% from 1e-12 up to 1e20 (and their negatives,
    0 and +-DBL_MAX); runs of empty buckets are merged into one.

    Args:
      name: a name for the op, also the summary's tag.
      values: a real numeric Tensor of any shape.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: an optional prefix of the tag and the op's name.

    Returns:
      A scalar string Tensor: the serialized `Summary`. Running it raises
      InvalidArgumentError when `values` holds a NaN or an infinity.
    """
    with summary_scope(name, family, values=[values], default_name="HistogramSummary") as (
            tag, scope):
        values = convert_to_tensor(values, name="values")
        check_dtype(values, _REAL, "values", "HistogramSummary")
        val = _histogram_summary.apply([convert_to_tensor(tag, name="tag"), values], name=scope)
        collect(val, collections, [GraphKeys.SUMMARIES])
    return val


# -- tensor_summary and text -------------------------------------------------------------------
@register_op("TensorSummaryV2", shape=_scalar_shape, dtype=_string_output, differentiable=False)
def _tensor_summary_v2(tag, tensor, serialized_summary_metadata, *, T):
    value = Summary.Value(tag=as_text(tag))
    value.metadata.MergeFromString(np.asarray(serialized_summary_metadata).item())
    _fill_tensor_proto(value.tensor, np.asarray(tensor), T)
    return np.array(Summary(value=[value]).SerializeToString(), dtype=object)


def _fill_tensor_proto(proto, array, dtype):
    # TF's kernel writes strings as string_val, other types as raw little-endian tensor_content
    proto.dtype = dtype.as_datatype_enum
    proto.tensor_shape.SetInParent()  # TF writes the shape of a scalar too (empty)
    for size in array.shape:
        proto.tensor_shape.dim.add(size=size)
    if dtype == _dtypes.string:
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode()
                                for v in array.reshape(-1))
    else:
        proto.tensor_content = array.astype(array.dtype.newbyteorder("<")).tobytes()


def tensor_summary(name, tensor, summary_description=None, collections=None,
                   summary_metadata=None, family=None, display_name=None):
    """Outputs a `Summary` protocol buffer holding a whole tensor (TensorSummaryV2).

    Args:
      name: a name for the op, also the summary's tag.
      tensor: a Tensor of any type and shape.
      summary_description: an optional description stored in the metadata.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      summary_metadata: an optional `SummaryMetadata` (which plugin reads the value).
      family: an optional prefix of the tag and the op's name.
      display_name: an optional display name stored in the metadata.

    Returns:
      A scalar string Tensor: the serialized `Summary`.
    """
    metadata = SummaryMetadata() if summary_metadata is None else summary_metadata
    if summary_description is not None:
        metadata.summary_description = summary_description
    if display_name is not None:
        metadata.display_name = display_name
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert_to_tensor(tensor, name="tensor")
        val = _tensor_summary_v2.apply(
            [convert_to_tensor(tag, name="tag"), tensor,
             convert_to_tensor(metadata.SerializeToString(), name="serialized_summary_metadata")],
            name=scope, T=tensor.dtype.base_dtype)
        collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """Summarizes textual data for TensorBoard's text dashboard (a tensor summary of strings).

    Args:
      name: a name for the op, also the summary's tag.
      tensor: a string Tensor.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).

    Returns:
      A scalar string Tensor: the serialized `Summary`.

    Raises:
      ValueError: `tensor` is not a string tensor.
    """
    tensor = convert_to_tensor(tensor)
    if tensor.dtype != _dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got "
                         f"<dtype: '{tensor.dtype.name}'>")
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, summary_metadata=metadata, collections=collections)


# -- merge -------------------------------------------------------------------------------------
@register_op("MergeSummary", shape=_scalar_shape, dtype=_string_output, differentiable=False)
def _merge_summary(*inputs, N):
    merged, tags = Summary(), set()
    for serialized in (s for x in inputs for s in np.asarray(x, dtype=object).reshape(-1)):
        try:
            summary = Summary.FromString(serialized)
        except Exception:
            raise errors.InvalidArgumentError(
                None, None, "Could not parse one of the summary inputs") from None
        for value in summary.value:
            if value.tag and value.tag in tags:
                raise errors.InvalidArgumentError(
                    None, None, f"Duplicate tag {value.tag} found in summary inputs")
            tags.add(value.tag)
            merged.value.append(value)
    return np.array(merged.SerializeToString(), dtype=object)


def merge(inputs, collections=None, name=None):
    """Merges summaries: one `Summary` with the values of all `inputs`.

    Args:
      inputs: string Tensors holding serialized `Summary` protocol buffers.
      collections: the graph collections to add the op to (default none).
      name: a name for the op (default "Merge/MergeSummary").

    Returns:
      A scalar string Tensor: the merged serialized `Summary`. Running it raises
      InvalidArgumentError when two values share a tag.

    Raises:
      RuntimeError: in eager mode.
    """
    if get_default_graph()._eager:
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.contrib.summary instead.")
    name = clean_tag(name)
    with name_scope(name, "Merge", inputs):
        inputs = [convert_to_tensor(x) for x in inputs]
        val = _merge_summary.apply(inputs, name=name, N=len(inputs))
        collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merges all summaries collected in the default graph under `key`.

    Args:
      key: the collection holding the summaries (default GraphKeys.SUMMARIES).
      scope: an optional regular expression the summaries' names must match.
      name: a name for the merge op.

    Returns:
      The merged summary Tensor, or None when the collection is empty.
    """
    summary_ops = get_collection(key, scope=scope)
    return merge(summary_ops, name=name) if summary_ops else None


def get_summary_description(node_def):
    """Returns the `SummaryDescription` of a TensorSummary node (its JSON "description" attr).

    Args:
      node_def: the NodeDef of a TensorSummary op.

    Returns:
      A `SummaryDescription`.

    Raises:
      ValueError: the node is not a TensorSummary op.
    """
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    raw = node_def.attr["description"].s
    fields = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    return SummaryDescription(type_hint=fields.get("type_hint", fields.get("typeHint", "")))
