"""TF's function messages: FunctionDefLibrary, FunctionDef, GradientDef and RegisteredGradient
(tensorflow/core/framework/function.proto) and the OpDef a function's signature is
(op_def.proto), with TF's field names and numbers, so their bytes and text are TF's.

A GraphDef's `library` holds the bodies of its If, While and call nodes (function_library.py
writes and reads them). Inside a function a node's input is an argument's name (`x`) or
`op:out_arg:index`, an output arg of a node and the index in it (`mul:z:0`); `ret` maps each
output arg to such a name.

>>> from minitf.framework.function_pb import FunctionDef
>>> f = FunctionDef()
>>> f.signature.name = "double"
>>> arg = f.signature.input_arg.add(name="x", type=tf.float32.as_datatype_enum)
>>> f.ret["y"] = "mul:z:0"
>>> FunctionDef.FromString(f.SerializeToString()) == f
True
"""
from minitf.framework.proto import Field, MapField, Message
from minitf.framework.tensor_pb import DataType

__all__ = ["OpDef", "OpDeprecation", "FunctionDef", "GradientDef", "RegisteredGradient",
           "FunctionDefLibrary"]

_PACKAGE = "tensorflow"


class OpDeprecation(Message):
    """The GraphDef version from which an op is deprecated, and why."""

    version = Field(1, "int32")
    explanation = Field(2, "string")


class OpDef(Message):
    """An op's interface: its name, input and output args, attrs (a function's signature)."""

    class ArgDef(Message):
        """One input or output arg: a fixed type, or the attr giving its type or number."""

        name = Field(1, "string")
        description = Field(2, "string")
        type = Field(3, DataType)
        type_attr = Field(4, "string")
        number_attr = Field(5, "string")
        type_list_attr = Field(6, "string")
        is_ref = Field(16, "bool")
        # (handle_data, 7, and experimental_full_type, 17, are kept as unknown fields)

    class AttrDef(Message):
        """One attr: its name, kind, default and allowed values."""

        name = Field(1, "string")
        type = Field(2, "string")
        default_value = Field(3, "AttrValue")
        description = Field(4, "string")
        has_minimum = Field(5, "bool")
        minimum = Field(6, "int64")
        allowed_values = Field(7, "AttrValue")

    name = Field(1, "string")
    input_arg = Field(2, ArgDef, repeated=True)
    output_arg = Field(3, ArgDef, repeated=True)
    control_output = Field(20, "string", repeated=True)
    attr = Field(4, AttrDef, repeated=True)
    deprecation = Field(8, OpDeprecation)
    summary = Field(5, "string")
    description = Field(6, "string")
    is_commutative = Field(18, "bool")
    is_aggregate = Field(16, "bool")
    is_stateful = Field(17, "bool")
    allows_uninitialized_input = Field(19, "bool")
    is_distributed_communication = Field(21, "bool")


class FunctionDef(Message):
    """A function: its signature, body nodes, and which tensors its outputs are."""

    class ArgAttrs(Message):
        """Attrs of one argument (`_output_shapes`, `_user_specified_name`)."""

        attr = MapField(1, "string", "AttrValue")

    signature = Field(1, OpDef)
    attr = MapField(5, "string", "AttrValue")
    arg_attr = MapField(7, "uint32", ArgAttrs)
    resource_arg_unique_id = MapField(8, "uint32", "uint32")
    node_def = Field(3, "NodeDef", repeated=True)
    ret = MapField(4, "string", "string")
    control_ret = MapField(6, "string", "string")


class GradientDef(Message):
    """A function's gradient function, by name."""

    function_name = Field(1, "string")
    gradient_func = Field(2, "string")


class RegisteredGradient(Message):
    """An op type's gradient function, by name."""

    gradient_func = Field(1, "string")
    registered_op_type = Field(2, "string")


class FunctionDefLibrary(Message):
    """A graph's functions (the bodies of its If, While and call nodes) and gradients."""

    function = Field(1, FunctionDef, repeated=True)
    gradient = Field(2, GradientDef, repeated=True)
    registered_gradients = Field(3, RegisteredGradient, repeated=True)


# (last: graph_pb imports this module at its end, for the GraphDef's `library`)
from minitf.framework.graph_pb import AttrValue, NodeDef  # noqa: E402,F401
