"""`tf.summary`: TF1's summary ops, the event-file writer and the summary messages."""
from minitf.framework.summary_pb import (  # noqa: F401
    Event,
    SessionLog,
    Summary,
    SummaryDescription,
    SummaryMetadata,
    TaggedRunMetadata,
)
from minitf.summary_media import audio, image  # noqa: F401
from minitf.summary_ops import (  # noqa: F401
    get_summary_description,
    histogram,
    merge,
    merge_all,
    scalar,
    tensor_summary,
    text,
)
from minitf.summary_writer import FileWriter, FileWriterCache  # noqa: F401
