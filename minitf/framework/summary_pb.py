"""TensorBoard's messages: `Summary`, `HistogramProto`, `SummaryMetadata` and the `Event` records
of event files (tensorflow/core/framework/summary.proto, histogram.proto and
tensorflow/core/util/event.proto), with TF's field names and numbers, so their bytes are TF's.

>>> s = tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=0.5)])
>>> s.SerializeToString()
b'\\n\\x0b\\n\\x04loss\\x15\\x00\\x00\\x00?'
>>> print(tf.Event(step=3, summary=s), end="")
step: 3
summary {
  value {
    tag: "loss"
    simple_value: 0.5
  }
}
"""
from minitf.framework.proto import Enum, Field, Message
from minitf.framework.tensor_pb import TensorProto  # noqa: F401  (Summary.Value.tensor)

__all__ = ["HistogramProto", "SummaryDescription", "SummaryMetadata", "Summary", "LogMessage",
           "SessionLog", "TaggedRunMetadata", "SourceMetadata", "Event", "DATA_CLASS_UNKNOWN",
           "DATA_CLASS_SCALAR", "DATA_CLASS_TENSOR", "DATA_CLASS_BLOB_SEQUENCE"]

_PACKAGE = "tensorflow"

# summary.proto's top-level enum DataClass
DATA_CLASS_UNKNOWN, DATA_CLASS_SCALAR, DATA_CLASS_TENSOR, DATA_CLASS_BLOB_SEQUENCE = range(4)


class HistogramProto(Message):
    """A histogram: min, max, count, sum, sum of squares, the buckets' edges and counts.

    Bucket i counts the values in [bucket_limit[i-1], bucket_limit[i]).
    """

    min = Field(1, "double")
    max = Field(2, "double")
    num = Field(3, "double")
    sum = Field(4, "double")
    sum_squares = Field(5, "double")
    bucket_limit = Field(6, "double", repeated=True)
    bucket = Field(7, "double", repeated=True)


class SummaryDescription(Message):
    """The description of a summary op's output (`tf.summary.get_summary_description`)."""

    type_hint = Field(1, "string")


class SummaryMetadata(Message):
    """What a summary value is: the TensorBoard plugin that reads it, with its own content."""

    class PluginData(Message):
        """The plugin's name and its serialized content."""

        plugin_name = Field(1, "string")
        content = Field(2, "bytes")

    plugin_data = Field(1, PluginData)
    display_name = Field(2, "string")
    summary_description = Field(3, "string")
    data_class = Field(4, Enum(DATA_CLASS_UNKNOWN=0, DATA_CLASS_SCALAR=1, DATA_CLASS_TENSOR=2,
                               DATA_CLASS_BLOB_SEQUENCE=3))


class Summary(Message):
    """A list of tagged values: scalars, histograms, images, audio or tensors."""

    class Image(Message):
        """An encoded (PNG) image with its size and colorspace (1 gray, 3 RGB, 4 RGBA)."""

        height = Field(1, "int32")
        width = Field(2, "int32")
        colorspace = Field(3, "int32")
        encoded_image_string = Field(4, "bytes")

    class Audio(Message):
        """An encoded (WAV) sound clip."""

        sample_rate = Field(1, "float")
        num_channels = Field(2, "int64")
        length_frames = Field(3, "int64")
        encoded_audio_string = Field(4, "bytes")
        content_type = Field(5, "string")

    class Value(Message):
        """One tagged value (the oneof `value`)."""

        node_name = Field(7, "string")
        tag = Field(1, "string")
        metadata = Field(9, SummaryMetadata)
        simple_value = Field(2, "float", oneof="value")
        obsolete_old_style_histogram = Field(3, "bytes", oneof="value")
        image = Field(4, "Summary.Image", oneof="value")
        histo = Field(5, HistogramProto, oneof="value")
        audio = Field(6, "Summary.Audio", oneof="value")
        tensor = Field(8, "TensorProto", oneof="value")

    value = Field(1, Value, repeated=True)


class LogMessage(Message):
    """A log line in an event file."""

    Level = Enum(UNKNOWN=0, DEBUGGING=10, INFO=20, WARN=30, ERROR=40, FATAL=50)
    level = Field(1, Level)
    message = Field(2, "string")


class SessionLog(Message):
    """A session's start, stop or checkpoint, as TensorBoard marks it."""

    SessionStatus = Enum(STATUS_UNSPECIFIED=0, START=1, STOP=2, CHECKPOINT=3)
    status = Field(1, SessionStatus)
    checkpoint_path = Field(2, "string")
    msg = Field(3, "string")


class TaggedRunMetadata(Message):
    """A step's serialized RunMetadata with a tag."""

    tag = Field(1, "string")
    run_metadata = Field(2, "bytes")


class SourceMetadata(Message):
    """Which writer wrote an event file."""

    writer = Field(1, "string")


class Event(Message):
    """One record of an event file: a time, a step and what happened (the oneof `what`)."""

    wall_time = Field(1, "double")
    step = Field(2, "int64")
    file_version = Field(3, "string", oneof="what")
    graph_def = Field(4, "bytes", oneof="what")
    summary = Field(5, Summary, oneof="what")
    log_message = Field(6, LogMessage, oneof="what")
    session_log = Field(7, SessionLog, oneof="what")
    tagged_run_metadata = Field(8, TaggedRunMetadata, oneof="what")
    meta_graph_def = Field(9, "bytes", oneof="what")
    source_metadata = Field(10, SourceMetadata)

