"""The image and audio summary ops (ImageSummary, AudioSummaryV2): images become PNGs and sounds
16-bit WAVs, encoded with the standard library (zlib, wave) as TF's kernels encode them.

The PNG writer follows libpng's defaults, which TF's EncodePng uses: each row filtered with the
filter whose output has the smallest sum of absolute (signed) bytes, deflated with Z_FILTERED
at the default level, zlib's largest memory level and a window no larger than the image
needs.
"""
import io
import struct
import wave
import zlib

import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.registry import register_op
from minitf.framework.summary_pb import Summary
from minitf.summary_ops import as_text, check_dtype, collect, summary_scope

__all__ = ["image", "audio", "encode_png", "encode_wav"]

_IMAGE_TYPES = (_dtypes.uint8, _dtypes.float32, _dtypes.float16, _dtypes.float64)
_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG color type (gray, gray+alpha, RGB, RGBA)


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - c)
    return np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))


def _filtered_rows(pixels):
    """The image's rows, each with libpng's chosen filter byte in front."""
    height, row_bytes = pixels.shape[0], pixels.shape[1] * pixels.shape[2]
    bpp = pixels.shape[2]
    raw = pixels.reshape(height, row_bytes).astype(np.int16)
    left = np.pad(raw, ((0, 0), (bpp, 0)))[:, :row_bytes]
    up = np.pad(raw, ((1, 0), (0, 0)))[:height]
    up_left = np.pad(up, ((0, 0), (bpp, 0)))[:, :row_bytes]
    candidates = np.stack([raw, raw - left, raw - up, raw - (left + up) // 2,
                           raw - _paeth(left, up, up_left)]) & 0xFF
    # libpng's heuristic: bytes read as signed, the smallest sum wins, the first on ties
    cost = np.minimum(candidates, 256 - candidates).sum(axis=2)
    choice = np.argmin(cost, axis=0)
    rows = candidates[choice, np.arange(height)].astype(np.uint8)
    return np.concatenate([choice.astype(np.uint8)[:, None], rows], axis=1).tobytes()


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _smallest_window_header(stream, size):
    # libpng's optimize_cmf: the zlib header claims the smallest window holding all the data
    # (down to 256 bytes, which zlib itself does not write), with its check bits redone
    cinfo = stream[0] >> 4
    if size > 16384 or stream[0] & 0x0F != 8 or size > 1 << (cinfo + 7):
        return stream
    while cinfo > 0 and size <= 1 << (cinfo + 6):
        cinfo -= 1
    cmf = 8 | cinfo << 4
    flags = stream[1] & 0xE0
    flags += 0x1F - ((cmf << 8) + flags) % 0x1F
    return bytes([cmf, flags]) + stream[2:]


def encode_png(pixels):
    """Encodes a uint8 image of shape [height, width, channels] (1 to 4 channels) as a PNG.

    Args:
      pixels: a uint8 array [height, width, channels].

    Returns:
      The PNG file's bytes.
    """
    pixels = np.asarray(pixels, dtype=np.uint8)
    height, width, depth = pixels.shape
    data = _filtered_rows(pixels) if height and width else b"\x00" * height
    # libpng shrinks zlib's window for small images (its png_deflate_claim)
    window_bits = 15
    while len(data) + 262 <= 1 << (window_bits - 1) and window_bits > 8:
        window_bits -= 1
    # TF's EncodePng sets zlib's largest memory level (9), which decides the deflate blocks
    packer = zlib.compressobj(6, zlib.DEFLATED, window_bits, 9, zlib.Z_FILTERED)
    compressed = _smallest_window_header(packer.compress(data) + packer.flush(), len(data))
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPES[depth], 0, 0, 0)
    idat = b"".join(_chunk(b"IDAT", compressed[i:i + 8192])
                    for i in range(0, max(len(compressed), 1), 8192))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + idat + _chunk(b"IEND", b"")


def _to_uint8(image, bad_color):
    """TF's NormalizeFloatImage: [0, max] to [0, 255], or [-m, m] to [1, 255] around 128 when
    there are negative values; pixels with a non-finite channel take `bad_color`."""
    finite = np.isfinite(image).all(axis=-1)
    seen = image[finite].astype(np.float32)
    low = seen.min() if seen.size else np.float32(np.inf)
    high = seen.max() if seen.size else np.float32(-np.inf)
    dtype = image.dtype.type
    if low < 0:
        top = max(abs(low), abs(high))
        scale = np.float32(0.0 if top < np.float32(1e-6) else np.float32(127.0) / top)
        offset = 128.0
    else:
        scale = np.float32(0.0 if high < np.float32(1e-6) else np.float32(255.0) / high)
        offset = 0.0
    with np.errstate(invalid="ignore"):
        scaled = image * dtype(scale) + dtype(offset)
    out = np.where(finite[..., None], scaled, 0).astype(np.uint8)
    out[~finite] = bad_color[:image.shape[-1]]
    return out


def _image_shape(tag, tensor, *, max_images, bad_color, T):
    return ()


@register_op("ImageSummary", shape=_image_shape, dtype=lambda *a, **k: _dtypes.string,
             differentiable=False)
def _image_summary(tag, tensor, *, max_images, bad_color, T):
    tensor = np.asarray(tensor)
    if tensor.ndim != 4 or tensor.shape[3] not in (1, 3, 4):
        raise errors.InvalidArgumentError(
            None, None, "Tensor must be 4-D with last dim 1, 3, or 4, not "
            f"[{','.join(map(str, tensor.shape))}]")
    base, summary = as_text(tag), Summary()
    for i in range(min(max_images, tensor.shape[0])):
        image = tensor[i]
        if image.dtype != np.uint8:
            image = _to_uint8(image, np.asarray(bad_color, dtype=np.uint8))
        value = summary.value.add(tag=f"{base}/image/{i}" if max_images > 1 else f"{base}/image")
        value.image.height, value.image.width, value.image.colorspace = image.shape
        value.image.encoded_image_string = encode_png(image)
    return np.array(summary.SerializeToString(), dtype=object)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """Outputs a `Summary` protocol buffer with images (PNG-encoded).

    Float images are scaled as TF scales them: to [0, 255] by their maximum when no value is
    negative, else to [0, 255] around 128 by their largest magnitude; uint8 images are kept.
    The tags are "tag/image/0", "tag/image/1", ... when `max_outputs` > 1, else "tag/image".

    Args:
      name: a name for the op, the base of the tags.
      tensor: a uint8, float16, float32 or float64 Tensor [batch, height, width, channels]
        with 1 (grayscale), 3 (RGB) or 4 (RGBA) channels.
      max_outputs: the most images of the batch to summarize.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: an optional prefix of the tags and the op's name.

    Returns:
      A scalar string Tensor: the serialized `Summary`.
    """
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert_to_tensor(tensor, name="tensor")
        check_dtype(tensor, _IMAGE_TYPES, "tensor", "ImageSummary")
        val = _image_summary.apply(
            [convert_to_tensor(tag, name="tag"), tensor], name=scope, max_images=max_outputs,
            bad_color=(255, 0, 0, 255), T=tensor.dtype.base_dtype)
        collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def encode_wav(samples, sample_rate):
    """Encodes float samples [frames, channels] in [-1, 1] as a 16-bit PCM WAV file.

    Args:
      samples: a float array [frames, channels].
      sample_rate: the integer sample rate in Hz.

    Returns:
      The WAV file's bytes.
    """
    samples = np.asarray(samples, dtype=np.float32)
    # TF's FloatToInt16Sample: x * 2^15 rounded half away from zero, clamped to int16
    scaled = samples * np.float32(32768.0)
    rounded = np.copysign(np.floor(np.abs(scaled) + np.float32(0.5)), scaled)
    pcm = np.clip(rounded, -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(samples.shape[1])
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    return out.getvalue()


@register_op("AudioSummaryV2", shape=lambda *a, **k: (), dtype=lambda *a, **k: _dtypes.string,
             differentiable=False)
def _audio_summary(tag, tensor, sample_rate, *, max_outputs):
    tensor = np.asarray(tensor, dtype=np.float32)
    if tensor.ndim not in (2, 3):
        raise errors.InvalidArgumentError(
            None, None, f"Tensor must be 3-D or 2-D, got: [{','.join(map(str, tensor.shape))}]")
    rate = float(np.float32(sample_rate))
    if not rate > 0:
        raise errors.InvalidArgumentError(None, None, "sample_rate must be > 0")
    clips = tensor.reshape(tensor.shape[0], tensor.shape[1], -1)
    base, summary = as_text(tag), Summary()
    for i in range(min(max_outputs, clips.shape[0])):
        value = summary.value.add(tag=f"{base}/audio/{i}" if max_outputs > 1 else f"{base}/audio")
        audio = value.audio
        audio.sample_rate, audio.num_channels = rate, clips.shape[2]
        audio.length_frames, audio.content_type = clips.shape[1], "audio/wav"
        audio.encoded_audio_string = encode_wav(clips[i], max(int(np.rint(rate)), 1))
    return np.array(summary.SerializeToString(), dtype=object)


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """Outputs a `Summary` protocol buffer with audio clips (16-bit WAV).

    Args:
      name: a name for the op, the base of the tags ("tag/audio/0", ... or "tag/audio").
      tensor: a float32 Tensor [batch, frames] or [batch, frames, channels] in [-1, 1].
      sample_rate: the sample rate in Hz, a float scalar (or Tensor).
      max_outputs: the most clips of the batch to summarize.
      collections: the graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: an optional prefix of the tags and the op's name.

    Returns:
      A scalar string Tensor: the serialized `Summary`.
    """
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        sample_rate = convert_to_tensor(sample_rate, dtype=_dtypes.float32, name="sample_rate")
        tensor = convert_to_tensor(tensor, name="tensor")
        check_dtype(tensor, (_dtypes.float32,), "tensor", "AudioSummaryV2")
        val = _audio_summary.apply([convert_to_tensor(tag, name="tag"), tensor, sample_rate],
                                   name=scope, max_outputs=max_outputs)
        collect(val, collections, [GraphKeys.SUMMARIES])
    return val
