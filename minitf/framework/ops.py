"""Operation and Tensor: the nodes and edges of a Graph.

An Operation is created only by Graph._create_op (through OpDef.apply); it keeps its inputs, attrs
and the OpDef whose kernel a Session runs. A Tensor is one output of an Operation; its static shape
is a plain tuple internally (None for an unknown dim, None for unknown rank) and becomes a
TensorShape only when the user asks. Python operators are bound onto Tensor by
ops/tensor_operators.py (and `[]` by ops/slicing.py). The default-session stack lives here, as in
TF: a Session pushes itself onto it, and `eval()` / `run()` read it.
"""
from minitf.framework import tensor_shape
from minitf.framework.default_stack import DefaultStack
from minitf.framework.errors import OperatorNotAllowedInGraphError as _NotAllowed


class Operation:
    """A node of a graph: one op of a registered type, with its inputs, attrs and outputs.

    Ops are made by op functions (`tf.matmul(...)` adds a `MatMul` op and returns its output);
    the constructor is minitf's own. Running an op (`Session.run(op)`) yields None.

    Args:
      graph: the Graph it belongs to.
      name: its full, unique name.
      opdef: the registered OpDef of its type.
      inputs: its input Tensors.
      attrs: a dict of its attributes (what `get_attr` reads).
      op_id: its position in the graph's creation order.
    """

    __slots__ = ("_graph", "_name", "_opdef", "_inputs", "_attrs", "_outputs", "_control_inputs",
                 "_device", "_id", "_fn", "_gradient_override", "_cf_context", "__weakref__")

    def __init__(self, graph, name, opdef, inputs, attrs, op_id):
        self._graph = graph
        self._name = name
        self._opdef = opdef
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._outputs = []
        self._control_inputs = []
        self._device = ""
        self._id = op_id
        self._fn = None  # the kernel with attrs bound, made when a plan first needs it (OpDef.bind)
        self._gradient_override = None  # a gradient name (Graph.gradient_override_map)
        self._cf_context = None  # the cond branch or loop that runs it (control_flow_context.py)

    name = property(lambda self: self._name, doc="The full name of this op, e.g. `scope/MatMul`.")
    type = property(lambda self: self._opdef.type, doc="The op's type, e.g. `MatMul`.")
    graph = property(lambda self: self._graph, doc="The Graph this op belongs to.")
    inputs = property(lambda self: self._inputs, doc="The input Tensors, in order.")
    outputs = property(lambda self: list(self._outputs), doc="The output Tensors, in order.")
    control_inputs = property(lambda self: list(self._control_inputs),
                              doc="The Operations that must run before this one.")
    device = property(lambda self: self._device, doc="The device string, '' when unplaced.")

    def values(self):
        """Returns the outputs as a tuple (TF1's Operation.values)."""
        return tuple(self._outputs)

    @property
    def node_def(self):
        """A dict in the form of TF's NodeDef: name, op, input (`^name` for control inputs),
        device and attr."""
        attrs = {**self._attrs, **self._graph._extra_attrs.get(self, {})}
        return {"name": self._name, "op": self.type, "input": [t.name for t in self._inputs]
                + ["^" + c.name for c in self._control_inputs], "device": self._device,
                "attr": attrs}

    def colocation_groups(self):
        """Returns the op's colocation groups, `[b"loc:@<name>", ...]`.

        They name the ops it was placed with (`tf.colocate_with`), else the op itself.
        """
        groups = self._graph._extra_attrs.get(self, {}).get("_class")
        return list(groups or [f"loc:@{self._name}".encode()])

    def get_attr(self, name):
        """Returns the value of one of this op's attributes, e.g. "transpose_a" of a MatMul.

        Args:
          name: the attribute's name.

        Returns:
          Its value.

        Raises:
          ValueError: this op has no attribute `name`.
        """
        try:
            return self._attrs[name]
        except KeyError:
            extra = self._graph._extra_attrs.get(self, {})
            if name in extra:
                return extra[name]
            if name == "container" and self.type in ("VariableV2", "VarHandleOp"):
                return b""
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def run(self, feed_dict=None, session=None):
        """Runs this op (and the ops it needs) in a session; the same as `session.run(op)`.

        Args:
          feed_dict: optional feeds, as for `Session.run`.
          session: the Session to use (default: the default session).

        Raises:
          ValueError: there is no default session, or the session runs another graph.
        """
        _session_for(self, session).run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self.type}>"

    __str__ = __repr__


class Tensor:
    """One output of an Operation: a symbolic value that `Session.run` computes.

    A Tensor has a dtype and a static shape (dims may be unknown) but no value until it is
    run. Python's operators make ops (`a + b`, `a @ b`, `a[1:, 0]`, `-a`, `a < b`, `a & b` for
    bools); `==` compares identity, so tensors can be dict keys (TF1). Tensors are made by op
    functions; the constructor is minitf's own.

    Args:
      op: the Operation that produces it.
      value_index: which output of `op` it is.
      dtype: its DType.
      shape: its static shape as a tuple (None for an unknown dim), or None (unknown rank).

    >>> t = tf.constant([[1.0, 2.0]]) * 2.0
    >>> t.name, t.shape, t.dtype
    ('mul:0', TensorShape([Dimension(1), Dimension(2)]), tf.float32)
    >>> with tf.Session():
    ...     print(t.eval())
    [[2. 4.]]
    """

    # (`aliases`: unset until tf.contrib.layers' collect_named_outputs names the tensor)
    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_name", "_consumers", "aliases",
                 "__weakref__")
    __array_priority__ = 100  # so `ndarray + tensor` defers to Tensor.__radd__, as in TF

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._name = None
        self._consumers = []

    op = property(lambda self: self._op, doc="The Operation that produces this tensor.")
    value_index = property(lambda self: self._value_index,
                           doc="Which output of its op this tensor is.")
    dtype = property(lambda self: self._dtype, doc="The DType of the elements.")
    graph = property(lambda self: self._op._graph, doc="The Graph of its op.")
    device = property(lambda self: self._op._device, doc="The device of its op.")

    @property
    def name(self):
        """`op_name:index`, e.g. `scope/MatMul:0`."""
        if self._name is None:
            self._name = f"{self._op._name}:{self._value_index}"
        return self._name

    @property
    def shape(self):
        """The static TensorShape (dims may be unknown)."""
        return tensor_shape.TensorShape._from_tuple(self._shape)

    def get_shape(self):
        """Returns the static TensorShape; the same as `shape` (TF1 spelling)."""
        return self.shape

    def set_shape(self, shape):
        """Refines the static shape with what the caller knows, e.g. a dim that was unknown.

        The new shape is the most specific one compatible with both. A value computed at run
        time is not checked against it (a fed value is).

        Args:
          shape: a TensorShape, list, tuple or None.

        Raises:
          ValueError: `shape` is not compatible with the current static shape.
        """
        merged = self.shape.merge_with(tensor_shape.as_shape(shape))
        self._shape = merged._as_tuple()

    def consumers(self):
        """Returns a list of the Operations that take this tensor as an input, oldest first."""
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Computes this tensor's value in a session; the same as `session.run(tensor)`.

        Args:
          feed_dict: optional feeds, as for `Session.run`.
          session: the Session to use (default: the default session).

        Returns:
          A NumPy value.

        Raises:
          ValueError: there is no default session, or the session runs another graph.
        """
        return _session_for(self, session).run(self, feed_dict)

    def _shape_str(self):
        return "<unknown>" if self._shape is None else str(self.shape)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape_str()} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape_str()}, dtype={self._dtype.name})'

    def __bool__(self):
        raise _NotAllowed(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
            f"None:` to test whether a tensor ({self.name}) is defined, and fetch its value with "
            "Session.run to branch on it.")

    def __iter__(self):
        raise _NotAllowed(
            f"Iterating over a symbolic `tf.Tensor` is not allowed. To iterate over this tensor "
            f"({self.name}) use tf.unstack, or fetch its value with Session.run.")

    def __len__(self):
        raise TypeError(
            f"len is not well defined for a symbolic Tensor ({self.name}). Please call "
            "`x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array. Evaluate it "
            "with Session.run first.")

    __hash__ = object.__hash__  # TF1: tensors compare and hash by identity

    def ref(self):
        """Returns a hashable reference to this tensor, equal only to references to it.

        It is the dict key to use where `==` is element-wise (`tf.enable_tensor_equality` in
        eager mode); `ref.deref()` gives the tensor back.
        """
        return _Reference(self)

    experimental_ref = ref


class _Reference:
    """A hashable reference to an object, compared and hashed by the object's identity."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def deref(self):
        """Returns the referenced object."""
        return self._wrapped

    def __eq__(self, other):
        if not isinstance(other, _Reference):
            raise TypeError("Cannot compare wrapped object with unwrapped object")
        return self._wrapped is other._wrapped

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return id(self._wrapped)

    def __repr__(self):
        return f"<Reference wrapping {self._wrapped!r}>"


# -- the default session: kept here, as TF does, so eval() and run() need nothing above the graph
_default_session_stack = DefaultStack()


def get_default_session():
    """Returns the default session of this thread, or None.

    That is the session of the innermost `with sess:` or `with sess.as_default():` block (or
    the newest open InteractiveSession); `Tensor.eval()` and `Operation.run()` use it.
    """
    return _default_session_stack.top()


def default_session(session):
    """Context manager making `session` the default session of this thread (Session.as_default)."""
    return _default_session_stack.controller(session)


def _session_for(element, session):
    session = session or get_default_session()
    if session is None:
        raise ValueError(
            "Cannot evaluate tensor using `eval()`: No default session is registered. Use "
            "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    if session.graph is not element.graph:
        raise ValueError(
            "Cannot use the given session to evaluate tensor: the tensor's graph is different "
            "from the session's graph.")
    return session
