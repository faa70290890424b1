"""`tf.custom_gradient`: a function that brings its own gradient.

The function's results pass through one IdentityN op (with its inputs and the resource variables
it read, so gradients can reach them), and that op's gradient is overridden by a gradient made
for this call from the function's `grad_fn` (`Graph.gradient_override_map`), as TF1 does it.
The function's own ops get no gradient. In eager mode the same op is recorded by the tapes.
"""
import functools
import inspect
import itertools

from minitf.framework import tape
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.registry import RegisterGradient
from minitf.ops._shared import identity_n

__all__ = ["custom_gradient"]

_call_ids = itertools.count(1)


class _VariableWatcher:
    """A tape that records no op, only which resource variables are read (in order)."""

    def __init__(self):
        self.variables = {}

    def __enter__(self):
        tape.push(self)
        return self

    def __exit__(self, *exc):
        tape.pop(self)

    def _record(self, op):
        pass

    def _variable_accessed(self, variable):
        self.variables[variable] = None


def custom_gradient(f):
    """Decorator: `f(*x)` returns `(y, grad_fn)`, and the gradient of y is `grad_fn`'s.

    `grad_fn(*dy)` gets the gradients of the results `y` (one per result) and returns those of
    the inputs `x` (one per input). If `f` reads resource variables, `grad_fn` must take a
    keyword argument `variables` (the variables read, in order) and return
    `(input gradients, variable gradients)`.

    >>> @tf.custom_gradient
    ... def clipped_identity(x):
    ...     return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)
    >>> x = tf.constant([2.0, 3.0])
    >>> y = clipped_identity(x) * 5.0
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.gradients(y, x)))
    [array([1., 1.], dtype=float32)]

    Args:
      f: the function, of Tensors only (positional arguments).

    Returns:
      The decorated function.
    """
    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if kwargs:
            raise ValueError("The custom_gradient decorator currently supports keywords "
                             "arguments only when eager execution is enabled.")
        args = [convert_to_tensor(a) for a in args]
        with _VariableWatcher() as watcher:
            result, grad_fn = f(*args)
        variables = [v for v in watcher.variables if v.trainable]
        if variables and "variables" not in inspect.signature(grad_fn).parameters:
            raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                            f"'variables', since function uses variables: {variables}")
        flat = [convert_to_tensor(r) for r in (result if isinstance(result, (list, tuple))
                                                else [result])]
        name = f"CustomGradient-{next(_call_ids)}"
        RegisterGradient(name)(_gradient(grad_fn, len(flat), len(args), variables))
        with get_default_graph().gradient_override_map({"IdentityN": name}):
            outs = identity_n(flat + args + [v.handle for v in variables])[:len(flat)]
        return type(result)(outs) if isinstance(result, (list, tuple)) else outs[0]
    return decorated


def _gradient(grad_fn, n_results, n_args, variables):
    def gradient(op, *grads):
        if variables:
            input_grads, variable_grads = grad_fn(*grads[:n_results], variables=variables)
        else:
            input_grads, variable_grads = grad_fn(*grads[:n_results]), []
        input_grads = list(input_grads) if isinstance(input_grads, (list, tuple)) else [
            input_grads]
        if len(input_grads) != n_args:
            raise ValueError(f"custom_gradient's grad_fn returned {len(input_grads)} gradients "
                             f"for {n_args} inputs")
        return [None] * n_results + input_grads + list(variable_grads)
    return gradient
