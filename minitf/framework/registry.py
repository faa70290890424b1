"""The op registry: an op type is one registration of its NumPy kernel, static shape rule, output
dtype rule, flags and (beside it, in the same module) its gradient.

    @register_op("MatMul", shape=_matmul_shape)
    def _matmul(a, b, transpose_a=False, transpose_b=False):      # NumPy kernel
        ...

    @_matmul.gradient
    def _matmul_grad(op, grad): ...                               # TF's (op, grad) signature

    def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
        return _matmul.apply([a, b], name=name, transpose_a=transpose_a, transpose_b=transpose_b)

Shape and dtype rules take the input Tensors and the attrs (static shapes are `t._shape` tuples,
None where unknown; `constant_value(t)` gives a Const input's value). A rule returns one shape /
dtype, or a list of them for an op with several outputs (`outputs="n"`). A stateful kernel
(`stateful=True`) runs as `kernel(state, op, *inputs, **attrs)` where `state` is the running
Session's dict of per-session values (variables, random streams). An op with no outputs
(`outputs=0`) runs only for its effect on that state; a stateless one (NoOp) only orders others.

The flags a plan and tf.gradients read (minitf/plan.py, minitf/gradients.py):
  ref_inputs      input indices the kernel takes by reference (a variable, not its value);
                  "attr": each op's own, in its attr "ref_inputs" (If, While: their captures)
  forwards_input  the output is input 0 itself (Identity): a plan emits no call for it
  read_at_use     the kernel reads state where each consumer uses the output (TF's ref tensors:
                  a read ordered after an update sees it), not once per run
  kernel_error    fn(op, exc) -> the OpError to raise for `exc` from the kernel, or None
  sparse_grads    the gradient takes IndexedSlices gradients as they are (others get them dense)
"""
import functools
import inspect
import weakref

import numpy as np

from minitf.framework import errors, graph as _graph
from minitf.framework.ops import Tensor

REGISTRY = {}
# the zeros tf.gradients passes for outputs no gradient reached (TF's `_is_zeros_tensor`): a
# gradient may skip work for them
FILLED_ZEROS = weakref.WeakSet()


def _first_input_dtype(*inputs, **attrs):
    return inputs[0]._dtype


class OpDef:
    """One registered op type: kernel, shape rule, dtype rule, flags and gradient."""

    def __init__(self, type, kernel, shape, dtype, outputs, differentiable, stateful, ref_inputs,
                 *, forwards_input, read_at_use, kernel_error, sparse_grads):
        self.type = type
        self.kernel = kernel
        self.shape_fn = shape
        self.dtype_fn = dtype or _first_input_dtype
        self.outputs = outputs  # 1, "n" (the rules return lists) or 0 (apply returns the op)
        self.differentiable = differentiable
        self.stateful = stateful
        self.ref_inputs = ref_inputs if ref_inputs == "attr" else tuple(ref_inputs)
        self.forwards_input = forwards_input
        self.read_at_use = read_at_use
        self.kernel_error = kernel_error
        self.sparse_grads = sparse_grads
        self.grad_fn = None
        self.fast_kernel = None  # (op, state) -> a faster kernel for this op, or None
        self.arg_names = _positional_names(kernel, stateful)

    def refs_of(self, op):
        """The input indices `op` takes by reference."""
        refs = self.ref_inputs
        return op._attrs["ref_inputs"] if refs == "attr" else refs

    def gradient(self, fn):
        """Decorator registering `fn(op, *grads) -> grads of the inputs` as this op's gradient."""
        if not self.differentiable:
            raise ValueError(f"Op {self.type} is registered as not differentiable.")
        self.grad_fn = fn
        return fn

    def apply(self, inputs, name=None, **attrs):
        """Adds one op of this type to the inputs' graph; returns its output(s).

        Inputs that are not Tensors become Consts named after the kernel's argument, inside the
        op's name scope (`add/y`), as TF's op wrappers name them. In eager mode the op runs at
        once (framework/eager.py); an eager tensor given to a graph op becomes a Const of its
        value, as TF captures it.
        """
        name = name or self.type
        graph, ready = _graph_of(inputs)
        if ready:
            return self._create(graph, inputs, name, attrs)
        with graph.as_default(), graph.name_scope(name) as scope:
            inputs = [_input(graph, v, self._arg_name(i)) for i, v in enumerate(inputs)]
            return self._create(graph, inputs, scope, attrs)

    def _create(self, graph, inputs, name, attrs):
        try:
            if self.outputs == 1:
                dtypes = [self.dtype_fn(*inputs, **attrs)]
                shapes = [self.shape_fn(*inputs, **attrs)]
            elif self.outputs == 0:
                dtypes = shapes = ()
            else:
                dtypes, shapes = self.dtype_fn(*inputs, **attrs), self.shape_fn(*inputs, **attrs)
        except ValueError as exc:
            if graph._eager:  # TF runs no shape inference eagerly: the kernel's error type
                raise errors.InvalidArgumentError(None, None, f"{exc} [Op:{self.type}]") from None
            raise
        op = graph._create_op(self, inputs, attrs, name, dtypes, shapes)
        if self.outputs == 1:
            return op._outputs[0]
        if self.outputs == 0:  # (an eager op without outputs has run: TF returns None)
            return None if graph._eager else op
        return list(op._outputs)

    def _arg_name(self, i):
        return self.arg_names[i] if i < len(self.arg_names) else f"input_{i}"

    def specialize(self, fn):
        """Decorator registering `fn(op, state) -> kernel or None`: a faster kernel for this op
        (say np.matmul for a MatMul without transposes), used when it gives one. `state` is
        the Session's state for a stateful op, None otherwise."""
        self.fast_kernel = fn
        return fn

    def bind(self, op, state):
        """The kernel of `op` with its attrs bound: a callable of the input values."""
        if self.stateful:
            fast = self.fast_kernel(op, state) if self.fast_kernel else None
            return fast or functools.partial(self.kernel, state, op, **op._attrs)
        if op._fn is None:
            fast = self.fast_kernel(op, None) if self.fast_kernel else None
            attrs = op._attrs
            op._fn = fast or (functools.partial(self.kernel, **attrs) if attrs else self.kernel)
        return op._fn

    def __repr__(self):
        return f"<OpDef {self.type}>"


def register_op(type, shape, dtype=None, outputs=1, differentiable=True, stateful=False,
                ref_inputs=(), *, forwards_input=False, read_at_use=False, kernel_error=None,
                sparse_grads=False):
    """Decorator registering a NumPy kernel as op `type`; returns its OpDef.

    Args:
      type: the op type, TF's name where TF has the op ("MatMul").
      shape: the static shape rule (None for an op without outputs).
      dtype: the output dtype rule (default: the first input's dtype).
      outputs: 1, "n" (the rules return lists) or 0 (`apply` returns the op).
      differentiable: False for ops without a gradient (TF's NotDifferentiable).
      stateful, ref_inputs, forwards_input, read_at_use, kernel_error, sparse_grads: see the
        module docstring.
    Raises:
      ValueError: `type` is already registered.
    """
    def wrap(kernel):
        if type in REGISTRY:
            raise ValueError(f"Op type {type!r} is already registered.")
        REGISTRY[type] = opdef = OpDef(
            type, kernel, shape, dtype, outputs, differentiable, stateful, ref_inputs,
            forwards_input=forwards_input, read_at_use=read_at_use, kernel_error=kernel_error,
            sparse_grads=sparse_grads)
        return opdef
    return wrap


# -- gradients by name: tf.RegisterGradient, tf.NotDifferentiable ---------------------------------
GRADIENTS = {}  # name -> fn(op, *grads), or None (no gradient): what an override map points at


class RegisterGradient:
    """Decorator registering a gradient function under a name (`tf.RegisterGradient`).

    The name is an op type that has no gradient yet (the function becomes that op type's
    gradient), or a new name for `Graph.gradient_override_map` to give to other ops.

    >>> @tf.RegisterGradient("ZeroGradForDoc")
    ... def _zero_grad(op, grad):
    ...     return [tf.zeros_like(op.inputs[0])]
    >>> x = tf.constant(3.0)
    >>> with tf.get_default_graph().gradient_override_map({"Square": "ZeroGradForDoc"}):
    ...     y = tf.square(x)
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.gradients(y, x)))
    [np.float32(0.0)]

    Args:
      op_type: the name (a string).

    Raises:
      TypeError: `op_type` is not a string.
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        """Registers `fn(op, *grads) -> input grads`; returns it.

        Raises:
          KeyError: a gradient is already registered under the name.
        """
        _register_gradient(self._op_type, fn)
        return fn


def NotDifferentiable(op_type):  # (TF's name)
    """Declares that ops of type `op_type` have no gradient: tf.gradients stops at them.

    Args:
      op_type: the op type (a string).

    Raises:
      TypeError: `op_type` is not a string.
      KeyError: the op type already has a gradient.
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _register_gradient(op_type, None)


NoGradient = NotDifferentiable


def _register_gradient(name, fn):
    opdef = REGISTRY.get(name)
    if name in GRADIENTS or opdef is not None and (opdef.grad_fn is not None
                                                   or not opdef.differentiable):
        raise KeyError(f"Registering two gradient with name '{name}'! (Previous registration "
                       "was in minitf or this program.)")
    if opdef is not None and fn is not None:
        opdef.grad_fn = fn
    elif opdef is not None:
        opdef.differentiable = False
    else:
        GRADIENTS[name] = fn


def gradient_of(op):
    """(whether `op` has a gradient, its function): its override's, else its type's."""
    name = op._gradient_override
    opdef = op._opdef
    if name is None and (opdef.grad_fn is not None or opdef.type not in GRADIENTS):
        return opdef.differentiable, opdef.grad_fn
    name = opdef.type if name is None else name  # (an op type given a gradient by name)
    if name in GRADIENTS:
        fn = GRADIENTS[name]
        return fn is not None, fn
    opdef = REGISTRY.get(name)
    if opdef is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type}):"
                          f" its gradient_override_map names '{name}', which is not registered")
    return opdef.differentiable, opdef.grad_fn


def _positional_names(kernel, stateful):
    """The kernel's positional parameter names (TF's input names: x, y, a, b, ...)."""
    if isinstance(kernel, np.ufunc):  # element-wise: TF calls the inputs x, y
        return ("x", "y")
    params = inspect.signature(kernel).parameters.values()
    names = tuple(p.name for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                       p.POSITIONAL_OR_KEYWORD))
    return names[2:] if stateful else names


def _graph_of(inputs):
    """(the graph an op of `inputs` goes to, whether they all are Tensors of it already).

    The graph of the graph tensors among them (ValueError if several), else the default graph.
    An eager tensor is ready only for the eager graph; elsewhere it is captured as a Const.
    """
    graph = first = None
    ready, eager = True, False
    for t in inputs:
        if not isinstance(t, Tensor):
            ready = False
            continue
        op = t._op
        if op is None:  # an EagerTensor
            eager = True
            continue
        g = op._graph
        if graph is None:
            graph, first = g, t
        elif g is not graph:
            raise ValueError(f"{t} must be from the same graph as {first} "
                             f"(graphs are {g} and {graph}).")
    if graph is None:
        graph = _graph.get_default_graph()
        return graph, ready and (graph._eager or not eager)
    return graph, ready and not eager


def _input(graph, value, name):
    """`value` as an input of an op in `graph`: a Tensor of it, or a new Const."""
    if isinstance(value, Tensor):
        if value._op is not None or graph._eager:
            return value
        return _constant_op.constant(value._value, value._dtype, name=name)
    return _constant_op.convert_to_tensor(value, name=name)


from minitf.framework import constant_op as _constant_op  # noqa: E402  (it registers Const)
