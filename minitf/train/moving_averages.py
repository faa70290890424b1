"""`tf.train.ExponentialMovingAverage`: shadow variables (`v/ExponentialMovingAverage`) that
track variables or tensors, each update `shadow -= (1 - decay) * (shadow - value)`."""
from minitf.control_flow.cond import cond
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops import array_ops, control_flow_ops, math_ops
from minitf.variable_ops import global_variables, is_variable_initialized, trainable_variables
from minitf.variables import Variable

__all__ = ["ExponentialMovingAverage"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.bfloat16)


class ExponentialMovingAverage:
    """Maintains moving averages of variables (or tensors) by exponential decay.

    `apply(var_list)` makes, per item, a shadow variable `<name>/ExponentialMovingAverage`
    (starting at the variable's initial value, or zeros for a tensor) and returns an op that
    updates every shadow: `shadow -= (1 - decay) * (shadow - value)`. With `num_updates`, the
    decay is `min(decay, (1 + num_updates) / (10 + num_updates))`, so it is low early on.

    >>> v = tf.Variable([1.0], name="v")
    >>> ema = tf.train.ExponentialMovingAverage(0.5)
    >>> update = ema.apply([v])
    >>> print(ema.average(v).name, ema.average_name(v))
    v/ExponentialMovingAverage:0 v/ExponentialMovingAverage
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     _ = sess.run(v.assign([3.0]))
    ...     sess.run(update)  # 1 - 0.5 * (1 - 3)
    ...     print(sess.run(ema.average(v)))
    [2.]
    """

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        """Creates the moving-average keeper.

        Args:
          decay: a float (or scalar float Tensor), typically close to 1, e.g. 0.999.
          num_updates: an optional integer Tensor (e.g. the global step) that lowers the
            decay early on.
          zero_debias: whether tensors' averages are debiased from their zero start (as
            TF, only tensors, not variables).
          name: the scope of the update ops and the suffix of the shadow variables' names.
        """
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        """The name given at construction."""
        return self._name

    def apply(self, var_list=None):
        """Makes shadow variables for `var_list` and returns the op that updates them.

        Args:
          var_list: Variables or Tensors of a float dtype (default: the trainable
            variables). An item applied before keeps its shadow variable.

        Returns:
          An Operation (a NoOp named after this object's scope) that updates every average.

        Raises:
          TypeError: an item is not of a float dtype.
        """
        if var_list is None:
            var_list = trainable_variables()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
        debias = set()
        for var in var_list:
            if var in self._averages:
                continue
            self._averages[var] = self._shadow(var)
            if isinstance(var, Variable):
                get_default_graph().add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
            elif self._zero_debias:
                debias.add(var)
        with name_scope(self._name) as scope:
            decay = self._decay_tensor()
            updates = [_assign_moving_average(self._averages[v], v, decay, v in debias)
                       for v in var_list]
            return control_flow_ops.group(*updates, name=scope)

    def _shadow(self, var):
        # TF's slot: `<var>/<name>`, made unique, outside the caller's name scope
        is_variable = isinstance(var, Variable)
        op_name = var._op_name if is_variable else var.op.name
        with name_scope(None):
            scope = get_default_graph().unique_name(f"{op_name}/{self._name}")
            if is_variable:  # starts at the variable's value if it has one (TF's slot)
                return Variable(lambda: _initialized_value(var), name=scope + "/",
                                trainable=False, use_resource=hasattr(var, "handle"))
            shape, dtype = var.shape, var.dtype.base_dtype
            return Variable(lambda: array_ops.zeros(shape, dtype), name=scope + "/",
                            trainable=False)

    def _decay_tensor(self):
        decay = convert_to_tensor(self._decay, dtypes.float32, name="decay")
        if self._num_updates is None:
            return decay
        n = math_ops.cast(self._num_updates, dtypes.float32, name="num_updates")
        return math_ops.minimum(decay, (1.0 + n) / (10.0 + n))

    def average(self, var):
        """Returns the shadow variable of `var`, or None if `apply` has not seen it.

        Args:
          var: a Variable or Tensor given to `apply`.
        """
        return self._averages.get(var)

    def average_name(self, var):
        """Returns the name (no `:0`) of `var`'s shadow variable, made or to be made.

        Args:
          var: a Variable or Tensor.

        Returns:
          The shadow's op name, e.g. `v/ExponentialMovingAverage`: the checkpoint key to
          restore the average from.
        """
        if var in self._averages:
            return self._averages[var].op.name
        op_name = var._op_name if isinstance(var, Variable) else var.op.name
        # (TF does not make it unique: a shadow from another average of the same name, as in
        # an eval graph restoring the averages, shares it)
        return f"{op_name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None):
        """Returns a map from checkpoint names to variables that restores the averages.

        Each moving-averaged variable is mapped from its average's name, so a `Saver` built
        with the map loads the averages into the variables; other global variables map from
        their own names.

        Args:
          moving_avg_variables: the averaged variables (default: the trainable variables and
            the MOVING_AVERAGE_VARIABLES collection).

        Returns:
          A dict from names to variables, for `tf.train.Saver(var_list=...)`.
        """
        if moving_avg_variables is None:
            moving_avg_variables = (trainable_variables()
                                    + get_default_graph().get_collection(
                                        GraphKeys.MOVING_AVERAGE_VARIABLES))
        averaged = set(moving_avg_variables)
        names = {self.average_name(v): v for v in averaged}
        for v in global_variables():
            if v not in averaged and v.op.name not in names:
                names[v.op.name] = v
        return names


def _initialized_value(var):
    """The variable's value if it is initialized in the session, else its initial value."""
    init = var.initial_value
    return cond(is_variable_initialized(var), var.read_value, lambda: init)


def _assign_moving_average(shadow, value, decay, zero_debias):
    """shadow -= (1 - decay) * (shadow - value), or its zero-debiased form (TF's)."""
    with name_scope(None, "AssignMovingAvg") as scope:
        rate = 1.0 - decay
        if rate.dtype.base_dtype != shadow.dtype.base_dtype:
            rate = math_ops.cast(rate, shadow.dtype.base_dtype)
        if zero_debias:
            return shadow.assign(_debiased(shadow, value, rate), name=scope)
        delta = (shadow - value) * rate
        return shadow.assign_sub(delta, name=scope)


def _debiased(shadow, value, rate):
    """The debiased average: a biased average and a step count, both from zero."""
    shape, dtype = shadow.shape, shadow.dtype.base_dtype
    with name_scope(None):
        biased = Variable(lambda: array_ops.zeros(shape, dtype),
                          name=shadow._op_name + "/biased/", trainable=False)
        step = Variable(lambda: array_ops.zeros([], dtype),
                        name=shadow._op_name + "/local_step/", trainable=False)
    new_biased = biased.assign_sub((biased - value) * rate)
    new_step = step.assign_add(1.0)
    return new_biased / (1.0 - math_ops.pow(1.0 - rate, new_step))
