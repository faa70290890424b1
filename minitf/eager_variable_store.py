"""EagerVariableStore: sharing variables by name in eager mode.

In eager mode `get_variable` creates a new variable on every call, whatever `reuse` says (the
seed's rule: nothing keeps a variable alive behind the program's back). Inside
`with store.as_default():` the store keeps them, and TF forces `AUTO_REUSE`: a name asked for
again returns the stored variable, an unknown name is created (even under `reuse=True`), and
only a different shape or dtype raises.
"""
import contextlib

from minitf.framework.api import name_scope
from minitf.framework.eager import eager_mode
from minitf.variable_scope import _eager_stores, _VariableStore
from minitf.variables import Variable

__all__ = ["EagerVariableStore"]


class EagerVariableStore:
    """Keeps the variables that `get_variable` creates in eager mode, so they can be shared.

    Args:
      store: another EagerVariableStore's inner store to share, or None for a new one.

    Raises:
      ValueError: `store` is not an eager store.

    >>> store = tf.EagerVariableStore()
    >>> with tf.eager_mode(), store.as_default():
    ...     with tf.variable_scope("layer"):
    ...         w = tf.get_variable("w", [2])
    ...     with tf.variable_scope("layer", reuse=True):
    ...         same = tf.get_variable("w", [2])
    >>> same is w, [v.name for v in store.variables()]
    (True, ['layer/w:0'])
    """

    def __init__(self, store=None):
        if store is None:
            store = _VariableStore(None, keeps_eager=True)
        elif not (isinstance(store, _VariableStore) and store._keeps_eager):
            raise ValueError(f"Cannot construct EagerVariableStore from a store that is not an "
                             f"eager store: {store!r}")
        self._store = store

    @contextlib.contextmanager
    def as_default(self):
        """Returns a context manager in which eager `get_variable` calls use this store."""
        stack = _eager_stores.stack
        stack.append(self._store)
        try:
            yield self
        finally:
            if not stack or stack[-1] is not self._store:
                raise RuntimeError("EagerVariableStore.as_default() blocks must nest.")
            stack.pop()

    def variables(self):
        """Returns the stored variables, sorted by name."""
        kernel = self._store._store
        return sorted((kernel.get(n) for n in kernel.names()), key=lambda v: v.name)

    def trainable_variables(self):
        """Returns the stored trainable variables, sorted by name."""
        return [v for v in self.variables() if v.trainable]

    def non_trainable_variables(self):
        """Returns the stored variables that are not trainable, sorted by name."""
        return [v for v in self.variables() if not v.trainable]

    def copy(self):
        """Returns a new store of new variables with the same names, values and trainability.

        Changing one store's variables leaves the other's alone.
        """
        new = EagerVariableStore()
        kernel = self._store._store
        with eager_mode(), name_scope(None):  # (the names are full ones)
            for name in kernel.names():
                var = kernel.get(name)
                new._store._store.add(name, Variable(
                    var.read_value(), name=var.name.rpartition(":")[0],
                    trainable=var.trainable, use_resource=True))
        return new
