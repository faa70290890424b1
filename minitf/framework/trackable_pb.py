"""TF's object-graph message (tensorflow/core/protobuf/trackable_object_graph.proto):
`TrackableObjectGraph`, which an object-based checkpoint (`tf.train.Checkpoint`) stores as its
`_CHECKPOINTABLE_OBJECT_GRAPH` string tensor, with TF's field names and numbers, so its bytes
are TF's.

>>> from minitf.framework.trackable_pb import TrackableObjectGraph
>>> g = TrackableObjectGraph()
>>> root = g.nodes.add()
>>> _ = root.children.add(node_id=1, local_name="v")
>>> g.nodes.add().attributes.add(name="VARIABLE_VALUE", full_name="v",
...                              checkpoint_key="v/.ATTRIBUTES/VARIABLE_VALUE").name
'VARIABLE_VALUE'
>>> TrackableObjectGraph.FromString(g.SerializeToString()) == g
True
"""
from minitf.framework.proto import Field, Message

__all__ = ["TrackableObjectGraph", "RegisteredSaver", "BoolValue"]

_PACKAGE = "tensorflow"


class BoolValue(Message):
    """A boolean that can be absent (`google.protobuf.BoolValue`)."""

    value = Field(1, "bool")


BoolValue._set_full_name("google.protobuf.BoolValue")


class RegisteredSaver(Message):
    """The saver registered for an object that saves itself (TF 2's registered savers)."""

    name = Field(1, "string")
    object_name = Field(2, "string")


class TrackableObjectGraph(Message):
    """The objects of an object-based checkpoint; node 0 is the root.

    Each node lists its children by local name, the tensors it saved (`attributes`) and, for
    an optimizer, its slot variables.
    """

    class TrackableObject(Message):
        """One object: its dependencies, its saved tensors and its slot variables."""

        class ObjectReference(Message):
            """A dependency: the child's node id and its local name."""

            node_id = Field(1, "int32")
            local_name = Field(2, "string")

        class SerializedTensor(Message):
            """A saved tensor of the object: its attribute name and checkpoint key."""

            name = Field(1, "string")
            full_name = Field(2, "string")
            checkpoint_key = Field(3, "string")

        class SlotVariableReference(Message):
            """An optimizer's slot: the variable it is for, its name and its node."""

            original_variable_node_id = Field(1, "int32")
            slot_name = Field(2, "string")
            slot_variable_node_id = Field(3, "int32")

        children = Field(1, ObjectReference, repeated=True)
        attributes = Field(2, SerializedTensor, repeated=True)
        slot_variables = Field(3, SlotVariableReference, repeated=True)
        registered_saver = Field(4, RegisteredSaver)
        has_checkpoint_values = Field(5, BoolValue)

    nodes = Field(1, TrackableObject, repeated=True)
