"""TF's meta graph messages (tensorflow/core/protobuf/meta_graph.proto): `MetaGraphDef` with
its MetaInfoDef, `CollectionDef`, `SignatureDef`, `TensorInfo` and `AssetFileDef`, with TF's
field names and numbers, so their bytes and text are TF's. `tf.train.export_meta_graph`
builds one (minitf/train/meta_graph.py).

>>> m = tf.MetaGraphDef()
>>> m.collection_def["train_op"].node_list.value.append("GradientDescent")
>>> print(m, end="")
collection_def {
  key: "train_op"
  value {
    node_list {
      value: "GradientDescent"
    }
  }
}

Left undeclared, so kept as unknown fields when parsed and written back unchanged: the
MetaInfoDef's stripped_op_list (minitf has no OpDefs to describe its ops with) and
function_aliases, a TensorInfo's composite_tensor, and the MetaGraphDef's object_graph_def
(SavedObjectGraph, TF2's object graph).
"""
from minitf.framework.graph_pb import GraphDef
from minitf.framework.proto import Field, MapField, Message
from minitf.framework.saver_pb import SaverDef
from minitf.framework.tensor_pb import DataType, TensorShapeProto

__all__ = ["Any", "MetaGraphDef", "CollectionDef", "TensorInfo", "SignatureDef",
           "AssetFileDef"]

_PACKAGE = "tensorflow"


class Any(Message):
    """A message of any type: its type's URL and its bytes (`google.protobuf.Any`)."""

    type_url = Field(1, "string")
    value = Field(2, "bytes")


Any._set_full_name("google.protobuf.Any")


class CollectionDef(Message):
    """A graph collection's items, as names of graph elements, bytes, ints, floats or Anys."""

    class NodeList(Message):
        """Names of ops or tensors."""

        value = Field(1, "string", repeated=True)

    class BytesList(Message):
        """Strings, or serialized messages such as VariableDefs."""

        value = Field(1, "bytes", repeated=True)

    class Int64List(Message):
        """Integers."""

        value = Field(1, "int64", repeated=True)

    class FloatList(Message):
        """Floats."""

        value = Field(1, "float", repeated=True)

    class AnyList(Message):
        """Messages of any type."""

        value = Field(1, Any, repeated=True)

    node_list = Field(1, NodeList, oneof="kind")
    bytes_list = Field(2, BytesList, oneof="kind")
    int64_list = Field(3, Int64List, oneof="kind")
    float_list = Field(4, FloatList, oneof="kind")
    any_list = Field(5, AnyList, oneof="kind")


class TensorInfo(Message):
    """A tensor of a signature: its name (or a sparse tensor's three names), dtype and shape."""

    class CooSparse(Message):
        """The names of a SparseTensor's values, indices and dense shape."""

        values_tensor_name = Field(1, "string")
        indices_tensor_name = Field(2, "string")
        dense_shape_tensor_name = Field(3, "string")

    name = Field(1, "string", oneof="encoding")
    coo_sparse = Field(4, CooSparse, oneof="encoding")
    dtype = Field(2, DataType)
    tensor_shape = Field(3, TensorShapeProto)


class SignatureDef(Message):
    """A computation's named inputs and outputs, and its method name."""

    inputs = MapField(1, "string", TensorInfo)
    outputs = MapField(2, "string", TensorInfo)
    method_name = Field(3, "string")


class AssetFileDef(Message):
    """An asset file: the tensor that holds its path, and its file name."""

    tensor_info = Field(1, TensorInfo)
    filename = Field(2, "string")


class MetaGraphDef(Message):
    """A graph with what is needed to run it again: saver, collections, signatures, assets."""

    class MetaInfoDef(Message):
        """Facts about the exported graph: versions, tags, whether default attrs were stripped."""

        meta_graph_version = Field(1, "string")
        any_info = Field(3, Any)
        tags = Field(4, "string", repeated=True)
        tensorflow_version = Field(5, "string")
        tensorflow_git_version = Field(6, "string")
        stripped_default_attrs = Field(7, "bool")

    meta_info_def = Field(1, MetaInfoDef)
    graph_def = Field(2, GraphDef)
    saver_def = Field(3, SaverDef)
    collection_def = MapField(4, "string", CollectionDef)
    signature_def = MapField(5, "string", SignatureDef)
    asset_file_def = Field(6, AssetFileDef, repeated=True)
