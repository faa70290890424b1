"""`tf.train.Example` and its parts (tensorflow/core/example/example.proto and feature.proto),
with TF's field numbers, so their serialized bytes are the records TF programs write.

>>> example = tf.train.Example(features=tf.train.Features(feature={
...     "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[1])),
...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 2.0]))}))
>>> example.features.feature["x"].float_list.value
[0.5, 2.0]
>>> example.features.feature["label"].WhichOneof("kind")
'int64_list'
>>> tf.train.Example.FromString(example.SerializeToString()) == example
True
"""
from minitf.framework.proto import Field, MapField, Message

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
           "FeatureLists", "Example", "SequenceExample"]

_PACKAGE = "tensorflow"


class BytesList(Message):
    """A list of byte strings."""

    value = Field(1, "bytes", repeated=True)


class FloatList(Message):
    """A list of float32 values."""

    value = Field(1, "float", repeated=True)


class Int64List(Message):
    """A list of int64 values."""

    value = Field(1, "int64", repeated=True)


class Feature(Message):
    """One feature: a BytesList, FloatList or Int64List (the oneof `kind`)."""

    bytes_list = Field(1, BytesList, oneof="kind")
    float_list = Field(2, FloatList, oneof="kind")
    int64_list = Field(3, Int64List, oneof="kind")


class Features(Message):
    """Named features: {name: Feature}."""

    feature = MapField(1, "string", Feature)


class FeatureList(Message):
    """A sequence of features (one per step of a SequenceExample)."""

    feature = Field(1, Feature, repeated=True)


class FeatureLists(Message):
    """Named feature sequences: {name: FeatureList}."""

    feature_list = MapField(1, "string", FeatureList)


class Example(Message):
    """One record of named features."""

    features = Field(1, Features)


class SequenceExample(Message):
    """A record of context features and named feature sequences."""

    context = Field(1, Features)
    feature_lists = Field(2, FeatureLists)
