"""Event files: TFRecord framing of `Event` protos, TF's EventsWriter and `summary_iterator`.

A record is its length (uint64, little-endian), the masked CRC-32C of those 8 bytes, the
payload and the masked CRC-32C of the payload (crc32c.mask: rotated right by 15 bits plus
0xa282ead8). An event file `events.out.tfevents.<seconds>.<host><suffix>` starts with an event
whose file_version is "brain.Event:2".
"""
import os
import socket
import struct
import time

from minitf import _kernels
from minitf.framework import errors
from minitf.framework.summary_pb import Event, SourceMetadata

__all__ = ["encode_record", "read_records", "EventsWriter", "summary_iterator",
           "FILE_VERSION"]

FILE_VERSION = "brain.Event:2"
_WRITER = "tensorflow.core.util.events_writer"


def _masked_crc(data):
    crc = _kernels.crc32c
    return struct.pack("<I", crc.mask(crc.crc32c(data)))


def encode_record(payload):
    """Returns `payload` framed as one TFRecord.

    Args:
      payload: the record's bytes.
    """
    length = struct.pack("<Q", len(payload))
    return length + _masked_crc(length) + payload + _masked_crc(payload)


def read_records(path):
    """Yields the payloads of the TFRecords in the file at `path`, checking their CRCs.

    A record cut short at the end of the file (one still being written) ends the iteration.

    Args:
      path: the file's path.

    Raises:
      DataLossError: a length or payload whose CRC does not match.
    """
    with open(path, "rb") as f:
        while True:
            header = f.read(12)
            if len(header) < 12:
                return
            if _masked_crc(header[:8]) != header[8:]:
                raise errors.DataLossError(None, None, f"corrupted record at {f.tell() - 12}")
            (length,) = struct.unpack("<Q", header[:8])
            payload, footer = f.read(length), f.read(4)
            if len(footer) < 4:
                return
            if _masked_crc(payload) != footer:
                raise errors.DataLossError(None, None, f"corrupted record at {f.tell() - 12}")
            yield payload


def summary_iterator(path):
    """Yields the `Event` protos of an event file, in the order they were written.

    Args:
      path: the path of an event file (`events.out.tfevents.*`).

    Yields:
      `tf.Event` messages.
    """
    for payload in read_records(path):
        yield Event.FromString(payload)


class EventsWriter:
    """TF's EventsWriter: writes `Event`s as TFRecords to `<prefix>.out.tfevents.<s>.<host>`.

    The file is created by the first write (or at once with a suffix, as TF's InitWithSuffix),
    beginning with the file_version event; after `close` the next event starts a new file.

    Args:
      prefix: the path prefix of the files (`<logdir>/events`).
      suffix: an optional suffix of the file name.
    """

    def __init__(self, prefix, suffix=None):
        self._prefix, self._suffix = prefix, suffix or ""
        self._file, self.filename = None, None
        if suffix:
            self._init_if_needed()

    def _init_if_needed(self):
        if self._file is not None:
            return
        seconds = int(time.time())
        self.filename = (f"{self._prefix}.out.tfevents.{seconds:010d}.{socket.gethostname()}"
                         f"{self._suffix}")
        self._file = open(self.filename, "wb")
        self.write_event(Event(wall_time=float(seconds), file_version=FILE_VERSION,
                               source_metadata=SourceMetadata(writer=_WRITER)))
        self.flush()

    def write_event(self, event):
        """Appends an event to the file.

        Args:
          event: an `Event` or its serialized bytes.
        """
        self._init_if_needed()
        payload = event if isinstance(event, bytes) else event.SerializeToString()
        self._file.write(encode_record(payload))

    def flush(self):
        """Writes the buffered records to the file."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self):
        """Flushes and closes the file (a later event opens a new one)."""
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None
