"""tf.summary's ops (minitf/summary_ops.py, summary_media.py): op names and types, tags with
name scopes and families, collections, and the serialized Summary bytes, which are TF's (the
literals were printed by TensorFlow 2.21's tf.compat.v1 for the same inputs)."""
import hashlib
import io
import struct
import wave
import zlib

import numpy as np
import pytest

import minitf as tf
from minitf.summary_media import encode_png
from minitf.summary_ops import histogram_proto

TF_SCALAR = b"\n\x0b\n\x04loss\x15\x00\x00\x80>"
TF_HIST = (
    b'\n\xa7\x01\n\x01h*\xa1\x01\t\x00\x00\x00\x00\x00\x00\xf0\xbf\x11\x00\x00\x00\x00\x00\x00'
    b'\x00@\x19\x00\x00\x00\x00\x00\x00\x10@!\x00\x00\x00\x00\x00\x00\x0c@)\x00\x00\x00\x00\x00'
    b'\x80"@28+\x14\xfa\xcd\xbe$\xf0\xbf\x08\x99i\x19\x15Z\xed\xbf\xfa\xe5Z%\xd3\x1f\xde?\xb01%'
    b'\xee\x80\x91\xe0?\xdc\x94\xcd.\x8du\xff?\xe0\x11\xf1\x0ctM\x01@\xff\xff\xff\xff\xff\xff'
    b'\xef\x7f:8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0?\x00\x00\x00\x00'
    b'\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0?\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
    b'\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00\x00')
TF_HIST_EMPTY = (b"\n+\n\x01e*&\t\xff\xff\xff\xff\xff\xff\xef\x7f\x11\xff\xff\xff\xff\xff\xff"
                 b"\xef\xff2\x08\xff\xff\xff\xff\xff\xff\xef\x7f:\x08\x00\x00\x00\x00\x00\x00"
                 b"\x00\x00")
TF_TEXT = (b"\n*\n\x05notesB\x17\x08\x07\x12\x04\x12\x02\x08\x02B\x05helloB\x06w\xc3\xb6rldJ"
           b"\x08\n\x06\n\x04text")
TF_TENSOR = (b'\n/\n\x01tB\x1e\x08\x03\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02"\x10\x01\x00\x00'
             b'\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00J\n\x12\x02dn\x1a\x04desc')
TF_IMAGE_U8 = (
    b'\nd\n\timg/image"W\x08\x02\x10\x02\x18\x03"O\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00'
    b'\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as\x00\x00\x00\x16IDAT\x08\x99cd'
    b'\x10\xd1\xb0\xb1\xb1a\xa8\xe8Y\xb0\xe5\xc4\x1d\x00\x15\xac\x04\xee\xdd\xad\x85\xae\x00\x00'
    b'\x00\x00IEND\xaeB`\x82')
TF_IMAGE_F = (
    b'\n^\n\x0bimf/image/0"O\x08\x02\x10\x02\x18\x01"G\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00'
    b'\x00\x00\x02\x00\x00\x00\x02\x08\x00\x00\x00\x00W\xddR\xf8\x00\x00\x00\x0eIDAT\x08\x99ct'
    b'\x88g\xfc\xcf\x00\x00\x04\xc9\x01\xa1\xc8)\xd8\x03\x00\x00\x00\x00IEND\xaeB`\x82')
TF_AUDIO = (
    b'\nW\n\tsnd/audio2J\r\x00\x00\xfaE\x10\x01\x18\x04"4RIFF,\x00\x00\x00WAVEfmt \x10\x00\x00'
    b'\x00\x01\x00\x01\x00@\x1f\x00\x00\x80>\x00\x00\x02\x00\x10\x00data\x08\x00\x00\x00\x00\x00'
    b'\x00@\x00\x80\xff\x7f*\taudio/wav')


def _run(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_each_op_serializes_the_summary_tf_does():
    ops = [
        (tf.summary.scalar("loss", tf.constant(0.25)), TF_SCALAR),
        (tf.summary.histogram("h", tf.constant([0.5, 2.0, 2.0, -1.0])), TF_HIST),
        (tf.summary.histogram("e", tf.constant([], tf.float32)), TF_HIST_EMPTY),
        (tf.summary.text("notes", tf.constant(["hello", "w\u00f6rld"])), TF_TEXT),
        (tf.summary.tensor_summary("t", tf.constant([[1, 2], [3, 4]]),
                                   summary_description="desc", display_name="dn"), TF_TENSOR),
        (tf.summary.image("img", tf.constant(
            np.arange(12, dtype=np.uint8).reshape(1, 2, 2, 3) * 20), max_outputs=1),
         TF_IMAGE_U8),
        (tf.summary.image("imf", tf.constant(
            np.array([[[[-1.0], [0.5]], [[np.nan], [2.0]]]], np.float32))), TF_IMAGE_F),
        (tf.summary.audio("snd", tf.constant([[0.0, 0.5, -1.0, 1.5]]), 8000.0, max_outputs=1),
         TF_AUDIO),
    ]
    results = _run([op for op, _ in ops])
    for (op, expected), got in zip(ops, results):
        assert op.dtype == tf.string and op.shape == () and got == expected, op.name


def test_op_names_types_tags_and_collections():
    x = tf.constant([1.0, 2.0], name="x")
    s1 = tf.summary.scalar("loss", tf.constant(0.25))
    s2 = tf.summary.scalar("acc", tf.constant(3), family="fam")
    with tf.name_scope("outer"):
        s3 = tf.summary.histogram("h x", x)
        s4 = tf.summary.histogram("h x", x, collections=["mine"])
    s5 = tf.summary.image("pic", tf.zeros([1, 2, 2, 1]))
    s6 = tf.summary.text("note", tf.constant("hi"))
    merged, merged_all = tf.summary.merge([s1, s2, s3]), tf.summary.merge_all()
    named = tf.summary.merge([s1], name="mm")
    got = [(t.name, t.op.type, [i.name for i in t.op.inputs])
           for t in (s1, s2, s3, s4, s5, s6, merged, merged_all, named)]
    assert got == [
        ("loss:0", "ScalarSummary", ["loss/tags:0", "Const:0"]),
        ("fam/acc:0", "ScalarSummary", ["fam/acc/tags:0", "Const_1:0"]),
        ("outer/h_x:0", "HistogramSummary", ["outer/h_x/tag:0", "x:0"]),
        ("outer/h_x_1:0", "HistogramSummary", ["outer/h_x_1/tag:0", "x:0"]),
        ("pic:0", "ImageSummary", ["pic/tag:0", "zeros:0"]),
        ("note:0", "TensorSummaryV2", ["note/tag:0", "Const_2:0",
                                       "note/serialized_summary_metadata:0"]),
        ("Merge/MergeSummary:0", "MergeSummary", ["loss:0", "fam/acc:0", "outer/h_x:0"]),
        ("Merge_1/MergeSummary:0", "MergeSummary",
         ["loss:0", "fam/acc:0", "outer/h_x:0", "pic:0", "note:0"]),
        ("mm/mm:0", "MergeSummary", ["loss:0"])]
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s1, s2, s3, s5, s6]
    assert tf.get_collection("mine") == [s4]
    tags = [v.tag for v in tf.Summary.FromString(_run(merged_all)).value]
    assert tags == ["loss", "fam/fam/acc", "outer/h_x", "pic/image/0", "note"]


def test_merge_all_of_nothing_is_none_and_scope_filters():
    assert tf.summary.merge_all() is None
    with tf.name_scope("a"):
        tf.summary.scalar("x", 1.0)
    tf.summary.scalar("y", 2.0)
    only_a = tf.summary.merge_all(scope="a")
    assert [v.tag for v in tf.Summary.FromString(_run(only_a)).value] == ["a/x"]


def test_histogram_buckets_are_tf_s():
    proto = histogram_proto([1.0, -2.5, 3.0, 0.0, 1e-13, 7.0])
    # TF adds the values one at a time
    assert (proto.min, proto.max, proto.num, proto.sum, proto.sum_squares) == (
        -2.5, 7.0, 6.0, ((((1.0 - 2.5) + 3.0) + 0.0) + 1e-13) + 7.0, 65.25)
    # edges 1e-12 * 1.1**k (and their negatives), 0 and DBL_MAX; a run of empty buckets
    # becomes one bucket ending where the run ends
    assert proto.bucket == [0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    assert proto.bucket_limit == [
        -2.6170109961884593, -2.379100905625872, 0.0, 1e-12, 0.917246389039776,
        1.0089710279437536, 2.8787120958073054, 3.1665833053880363, 6.7878525393626115,
        7.466637793298873, 1.7976931348623157e+308]


def test_histogram_and_scalar_errors():
    nan = tf.summary.histogram("n", tf.constant([1.0, np.nan, np.inf]))
    inf = tf.summary.histogram("n", tf.constant([1.0, np.inf, np.nan]))
    bad = tf.summary.scalar("bad", tf.constant([1.0, 2.0]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram "
                                                                 "for: n"):
            sess.run(nan)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Infinity in Histogram for: "
                                                                 "n_1"):
            sess.run(inf)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"tags and values are not the "
                           r"same shape: \[\] != \[2\] \(tag 'bad'\)"):
            sess.run(bad)
    with pytest.raises(ValueError, match="Expected tensor Const_3:0 to have dtype string, got "
                                         "<dtype: 'int32'>"):
        tf.summary.text("x", tf.constant(1))
    with pytest.raises(TypeError, match="parameter 'values' has DataType string not in list"):
        tf.summary.scalar("x", tf.constant("s"))


def test_merge_rejects_a_repeated_tag():
    a = tf.summary.scalar("a", 1.0)
    dup = tf.summary.merge([a, a])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag a found in "
                                                             "summary inputs"):
        _run(dup)


def test_scalar_of_a_double_and_a_python_number():
    s = tf.summary.scalar("v", tf.constant(np.float64(1) / 3))
    p = tf.summary.scalar("p", 1.0)
    assert [i.name for i in p.op.inputs] == ["p/tags:0", "p/values:0"]
    assert _run([s, p]) == [b"\n\x08\n\x01v\x15\xab\xaa\xaa>",
                            b"\n\x08\n\x01p\x15\x00\x00\x80?"]


def _png_pixels(data):
    """Decodes an 8-bit, non-interlaced PNG (the kind encode_png writes) to [h, w, c]."""
    width, height, _, color = struct.unpack(">IIBB", data[16:26])
    depth = {0: 1, 4: 2, 2: 3, 6: 4}[color]
    chunks, i = [], 8
    while i < len(data):
        (n,), kind = struct.unpack(">I", data[i:i + 4]), data[i + 4:i + 8]
        if kind == b"IDAT":
            chunks.append(data[i + 8:i + 8 + n])
        i += 12 + n
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), np.uint8).reshape(height, -1)
    out = np.zeros((height, width * depth), np.int32)
    for r in range(height):  # a test decoder: rows one by one is fine here
        kind, row = raw[r, 0], raw[r, 1:].astype(np.int32)
        prev = out[r - 1] if r else np.zeros_like(row)
        for c in range(row.size):
            a = out[r, c - depth] if c >= depth else 0
            b, up_left = prev[c], (prev[c - depth] if c >= depth else 0)
            p = a + b - up_left
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - up_left)
                    else b if abs(p - b) <= abs(p - up_left) else up_left][kind]
            out[r, c] = (row[c] + pred) & 0xFF
    return out.reshape(height, width, depth).astype(np.uint8)


@pytest.mark.parametrize("shape", [(7, 5, 3), (4, 9, 1), (6, 6, 4), (3, 8, 2), (1, 1, 3)])
def test_png_round_trips(shape):
    pixels = np.random.RandomState(sum(shape)).randint(0, 256, shape).astype(np.uint8)
    assert np.array_equal(_png_pixels(encode_png(pixels)), pixels)


def test_float_images_scale_as_tf():
    images = np.array([[[[0.0], [0.5]], [[1.0], [2.0]]],
                       [[[-1.0], [0.0]], [[0.5], [1.0]]]], np.float32)
    summary = tf.Summary.FromString(_run(tf.summary.image("f", images, max_outputs=5)))
    assert [v.tag for v in summary.value] == ["f/image/0", "f/image/1"]
    first, second = (_png_pixels(v.image.encoded_image_string)[..., 0] for v in summary.value)
    assert first.tolist() == [[0, 63], [127, 255]]      # by 255 / max
    assert second.tolist() == [[1, 128], [191, 255]]    # by 127 / max|x|, around 128


def test_audio_wav_is_readable():
    clip = np.stack([np.linspace(-1, 1, 6), np.zeros(6)], axis=1)[None].astype(np.float32)
    summary = tf.Summary.FromString(_run(tf.summary.audio("a", clip, 16000, family="sounds")))
    value = summary.value[0]
    assert value.tag == "sounds/sounds/a/audio/0"
    assert (value.audio.num_channels, value.audio.length_frames) == (2, 6)
    with wave.open(io.BytesIO(value.audio.encoded_audio_string)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getsampwidth()) == (2, 16000, 2)
        frames = np.frombuffer(wav.readframes(6), "<i2").reshape(6, 2)
    assert frames[:, 0].tolist() == [-32768, -19661, -6554, 6554, 19661, 32767]


def test_merge_and_the_writer_are_graph_only():
    with tf.eager_mode():
        value = tf.summary.scalar("x", 2.0).numpy()
        with pytest.raises(RuntimeError, match="Merging tf.summary.\\* ops is not compatible "
                                               "with eager execution"):
            tf.summary.merge([value])
        with pytest.raises(RuntimeError, match="FileWriter is not compatible with eager"):
            tf.summary.FileWriter("unused")
    assert value == b"\n\x08\n\x01x\x15\x00\x00\x00@"


def test_get_summary_description():
    node = tf.NodeDef(op="TensorSummary") if hasattr(tf, "NodeDef") else None
    if node is None:
        pytest.skip("no NodeDef message yet")
    node.attr["description"].s = b'{"type_hint": "scalar"}'
    assert tf.summary.get_summary_description(node).type_hint == "scalar"
    with pytest.raises(ValueError, match="Can't get_summary_description on Const"):
        tf.summary.get_summary_description(tf.NodeDef(op="Const"))


def test_large_png_bytes_are_tf_s():
    # md5 and length of the PNGs TF's ImageSummary wrote for the same pixels: several IDAT
    # chunks, stored deflate blocks for the noise, and zlib's memory level 9 as TF sets it
    rng = np.random.RandomState(3)
    noise = rng.randint(0, 256, (120, 100, 4)).astype(np.uint8)
    ramp = rng.rand(90, 70, 1).astype(np.float32) * np.linspace(0, 1, 70).astype(
        np.float32)[None, :, None]
    summaries = _run([tf.summary.image("r", noise[None], max_outputs=1),
                      tf.summary.image("g", ramp[None], max_outputs=1)])
    pngs = [tf.Summary.FromString(s).value[0].image.encoded_image_string for s in summaries]
    assert [(len(p), hashlib.md5(p).hexdigest()) for p in pngs] == [
        (48253, "f2849f33635f22077628cecaf20d81ee"), (6100, "a791a7ea424a511d97af341d15b9b89b")]
