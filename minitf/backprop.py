"""GradientTape: gradients in eager mode, from the same gradient registry as `tf.gradients`.

A recording tape keeps each eager op whose inputs it watches (the watched tensors, the handles of
the trainable variables read inside it, and what they reach); `gradient` walks those ops
backwards, calling each op's registered gradient, which runs eagerly too. Gradient computations
are recorded by the tapes around it, so nested tapes give higher derivatives.
"""
import contextlib

from minitf.framework import dtypes, tape
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.gradients import UnconnectedGradients, _op_grads, _unconnected, aggregate
from minitf.ops import array_ops

__all__ = ["GradientTape"]


def _flat(structure):
    if isinstance(structure, (list, tuple)):
        return [x for item in structure for x in _flat(item)]
    if isinstance(structure, dict):
        return [x for key in sorted(structure) for x in _flat(structure[key])]
    return [structure]


def _packed(structure, flat):
    """`flat` (an iterator) in the shape of `structure`."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(_packed(item, flat) for item in structure)
    if isinstance(structure, dict):
        return {key: _packed(structure[key], flat) for key in sorted(structure)}
    return next(flat)


def _is_variable(x):
    return hasattr(x, "_handle") and hasattr(x, "trainable")


def _differentiable(t):
    base = t._dtype.base_dtype
    return base.is_floating or base.is_complex or base == dtypes.resource


class GradientTape:
    """Records eager operations to differentiate them: `tape.gradient(target, sources)`.

    Inside `with tf.GradientTape() as tape:` the tape records the ops that use the tensors it
    watches: those passed to `watch`, and every trainable variable read inside (unless
    `watch_accessed_variables=False`). A tape gives one set of gradients and then releases
    what it recorded, unless it is `persistent`.

    Args:
      persistent: allow several `gradient` calls on this tape.
      watch_accessed_variables: watch the trainable variables read while recording.

    >>> with tf.eager_mode():
    ...     x = tf.constant(3.0)
    ...     with tf.GradientTape() as t:
    ...         t.watch(x)
    ...         y = x * x
    ...     print(t.gradient(y, x).numpy())
    6.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._reached = set()  # the watched tensors and the outputs of recorded ops
        self._ops = []  # recorded ops, in the order they ran
        self._variables = {}  # the watched variables, in order
        self._recording = False
        self._released = False
        self._computing = False  # inside gradient(): its own ops are not recorded here

    def __enter__(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter "
                             "an already-active tape.")
        tape.push(self)
        self._recording = True
        return self

    def __exit__(self, *exc):
        if self._recording:
            tape.pop(self)
            self._recording = False
        return False

    def watch(self, tensor):
        """Watches `tensor`, so gradients with respect to it can be asked for.

        Args:
          tensor: a Tensor, a variable, or a nested list, tuple or dict of them.

        Raises:
          ValueError: an item is neither a Tensor nor a variable.
        """
        for t in _flat(tensor):
            if _is_variable(t):
                self._watch_variable(t)
            elif isinstance(t, Tensor):
                self._reached.add(t)
            else:
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, not "
                                 "tf.Tensor or tf.Variable.")

    def _watch_variable(self, variable):
        self._variables[variable] = None
        self._reached.add(variable._handle)

    def _variable_accessed(self, variable):
        if self._watch_accessed and variable.trainable:
            self._watch_variable(variable)

    def _record(self, op):
        reached = self._reached
        if (not self._computing and (op._opdef.differentiable or op._gradient_override)
                and any(t in reached for t in op._inputs)):
            self._ops.append(op)
            reached.update(t for t in op._outputs if _differentiable(t))

    @contextlib.contextmanager
    def stop_recording(self):
        """Returns a context manager inside which no tape records (TF's: it pauses them all).

        Raises:
          RuntimeError: the tape is not recording.
        """
        if not self._recording:
            raise RuntimeError("Tape.stop_recording() can only be called when the tape is "
                               "recording.")
        with tape.paused():
            yield

    def reset(self):
        """Forgets everything recorded and watched so far; recording goes on."""
        self._reached, self._ops, self._variables = set(), [], {}

    def watched_variables(self):
        """Returns the variables this tape watches, in the order it first saw them."""
        return tuple(self._variables)

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """Returns the gradients of `target` with respect to `sources`, in their structure.

        Args:
          target: a Tensor, or a (nested) list of them (their sum is differentiated).
          sources: a Tensor or variable, or a (nested) list, tuple or dict of them.
          output_gradients: the gradients of `target`, one per target (default: ones).
          unconnected_gradients: `UnconnectedGradients.NONE` (or "none") gives None for a
            source that `target` does not depend on; `ZERO` (or "zero") gives zeros.

        Returns:
          A Tensor, IndexedSlices (from a gather) or None per source.

        Raises:
          RuntimeError: a non-persistent tape was already used once.
          ValueError: `unconnected_gradients` is not one of its values.
        """
        if self._released:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        unconnected = _unconnected(unconnected_gradients)
        flat_sources = [x._handle if _is_variable(x) else convert_to_tensor(x)
                        for x in _flat(sources)]
        targets = [convert_to_tensor(t) for t in _flat(target)]
        if self._recording and not self._persistent:
            self.__exit__(None, None, None)  # (TF: a one-shot tape stops when it is used)
        grads = self._backward(targets, output_gradients)
        if not self._persistent:
            self._released, self._ops, self._reached = True, None, None
        result = []
        for x in flat_sources:
            g = aggregate(grads.get(x, ()))
            if g is None and unconnected is UnconnectedGradients.ZERO:
                g = array_ops.zeros_like(x)
            result.append(g)
        return _packed(sources, iter(result))

    def _backward(self, targets, output_gradients):
        grads = {}
        seeds = [None] * len(targets) if output_gradients is None else _flat(output_gradients)
        for y, g in zip(targets, seeds):
            g = array_ops.ones_like(y) if g is None else convert_to_tensor(g, y.dtype)
            grads.setdefault(y, []).append(g)
        self._computing = True
        try:
            for op in reversed(self._ops):
                out_grads = [aggregate(grads[t]) if t in grads else None for t in op._outputs]
                if all(g is None for g in out_grads):
                    continue
                for t, g in zip(op._inputs, _op_grads(op, out_grads)):
                    if g is not None and t in self._reached:
                        grads.setdefault(t, []).append(g)
        finally:
            self._computing = False
        return grads
