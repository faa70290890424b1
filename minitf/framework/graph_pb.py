"""TF's graph messages: GraphDef (tensorflow/core/framework/graph.proto), NodeDef
(node_def.proto), AttrValue and NameAttrList (attr_value.proto), VersionDef (versions.proto)
and the FunctionDefLibrary (function_pb.py), with TF's field names and numbers, so their
bytes and text are TF's. `Graph.as_graph_def()` builds a GraphDef (graph_to_def.py).

>>> node = tf.NodeDef(name="x", op="Placeholder")
>>> node.attr["dtype"].type = tf.float32.as_datatype_enum
>>> print(node, end="")
name: "x"
op: "Placeholder"
attr {
  key: "dtype"
  value {
    type: DT_FLOAT
  }
}
>>> tf.NodeDef.FromString(node.SerializeToString()) == node
True

Fields minitf does not model (NodeDef's experimental_type, the graph's debug_info) are kept as
unknown fields when parsed and written back unchanged.
"""
from minitf.framework.proto import Field, MapField, Message
from minitf.framework.tensor_pb import DataType, TensorProto, TensorShapeProto

__all__ = ["AttrValue", "NameAttrList", "NodeDef", "VersionDef", "FunctionDefLibrary",
           "GraphDef"]

_PACKAGE = "tensorflow"


class AttrValue(Message):
    """The value of an op's attr.

    One of s, i, f, b, type, shape, tensor, list, func or placeholder (the oneof `value`).
    """

    class ListValue(Message):
        """A list attr's values (all of one kind)."""

        s = Field(2, "bytes", repeated=True)
        i = Field(3, "int64", repeated=True)
        f = Field(4, "float", repeated=True)
        b = Field(5, "bool", repeated=True)
        type = Field(6, DataType, repeated=True)
        shape = Field(7, TensorShapeProto, repeated=True)
        tensor = Field(8, TensorProto, repeated=True)
        func = Field(9, "NameAttrList", repeated=True)

    s = Field(2, "bytes", oneof="value")
    i = Field(3, "int64", oneof="value")
    f = Field(4, "float", oneof="value")
    b = Field(5, "bool", oneof="value")
    type = Field(6, DataType, oneof="value")
    shape = Field(7, TensorShapeProto, oneof="value")
    tensor = Field(8, TensorProto, oneof="value")
    list = Field(1, ListValue, oneof="value")
    func = Field(10, "NameAttrList", oneof="value")
    placeholder = Field(9, "string", oneof="value")


class NameAttrList(Message):
    """A function's name with its attrs (a `func` attr's value)."""

    name = Field(1, "string")
    attr = MapField(2, "string", AttrValue)


class NodeDef(Message):
    """One node of a GraphDef.

    Its name, op type, inputs (`"x"`, `"x:1"`, `"^ctrl"`), device and attrs.
    """

    class ExperimentalDebugInfo(Message):
        """The nodes and functions a node was made from."""

        original_node_names = Field(1, "string", repeated=True)
        original_func_names = Field(2, "string", repeated=True)

    name = Field(1, "string")
    op = Field(2, "string")
    input = Field(3, "string", repeated=True)
    device = Field(4, "string")
    attr = MapField(5, "string", AttrValue)
    experimental_debug_info = Field(6, ExperimentalDebugInfo)


class VersionDef(Message):
    """The version of the program that wrote data, and the oldest consumer that reads it."""

    producer = Field(1, "int32")
    min_consumer = Field(2, "int32")
    bad_consumers = Field(3, "int32", repeated=True)


class GraphDef(Message):
    """A graph as TF stores it: its nodes, versions and function library."""

    node = Field(1, NodeDef, repeated=True)
    versions = Field(4, VersionDef)
    version = Field(3, "int32")
    library = Field(2, "FunctionDefLibrary")


# (last: function_pb's messages hold NodeDefs and AttrValues)
from minitf.framework.function_pb import FunctionDefLibrary  # noqa: E402
