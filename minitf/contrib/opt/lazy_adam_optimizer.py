"""`tf.contrib.opt.LazyAdamOptimizer` (TF 1.15): Adam whose sparse updates touch only the rows
the gradient names.

For IndexedSlices (duplicate indices summed first), only those rows of `m`, `v` and the
variable change: `m[i] = beta1 m[i] + (1 - beta1) g`, `v[i] = beta2 v[i] + (1 - beta2) g^2`,
`var[i] -= lr_t m[i] / (sqrt(v[i]) + epsilon)` with TF1's `lr_t = lr sqrt(1 - beta2^t) /
(1 - beta1^t)` (ScatterUpdate, ScatterUpdate, ScatterSub, as TF builds them). Dense gradients
take Adam's update.
"""
from minitf.ops import control_flow_ops, manip_ops, math_ops, scatter_ops
from minitf.train.adam import AdamOptimizer

__all__ = ["LazyAdamOptimizer"]


class LazyAdamOptimizer(AdamOptimizer):
    """Adam whose sparse updates change only the rows present (`tf.contrib.opt.LazyAdamOptimizer`).

    The rows a sparse gradient does not name keep their `m` and `v` (they are not decayed) and
    their value, unlike `tf.train.AdamOptimizer`'s. The constructor, slots ("m", "v":
    `<var>/Adam`, `<var>/Adam_1`) and `beta1_power`/`beta2_power` are Adam's.

    >>> from minitf.contrib.opt import LazyAdamOptimizer
    >>> emb = tf.Variable([[1.0], [1.0], [1.0]])
    >>> opt = LazyAdamOptimizer(0.1)
    >>> train = opt.minimize(tf.reduce_sum(tf.gather(emb, [0, 0, 2])))
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # rows 0 and 2 move by about 0.1; row 1 does not move
    ...     print(sess.run(emb).round(4).ravel())
    [0.9 1.  0.9]
    """

    def _apply_sparse(self, grad, var):
        dtype = var.dtype.base_dtype
        b1p, b2p = (math_ops.cast(p.value(), dtype) for p in self._powers())
        t = {k: math_ops.cast(v, dtype) for k, v in self._tensors.items()}
        lr = t["learning_rate"] * math_ops.sqrt(1 - b2p) / (1 - b1p)
        beta1, beta2, epsilon = t["beta1"], t["beta2"], t["epsilon"]
        m, v, indices, values = self.get_slot(var, "m"), self.get_slot(var, "v"), \
            grad.indices, grad.values
        m_rows = beta1 * manip_ops.gather(m.value(), indices) + (1 - beta1) * values
        v_rows = (beta2 * manip_ops.gather(v.value(), indices)
                  + (1 - beta2) * math_ops.square(values))
        m_t = scatter_ops.scatter_update(m, indices, m_rows, use_locking=self._use_locking)
        v_t = scatter_ops.scatter_update(v, indices, v_rows, use_locking=self._use_locking)
        if hasattr(var, "handle"):  # (TF's resource update: from the rows just computed)
            step = lr * m_rows / (math_ops.sqrt(v_rows) + epsilon)
        else:  # (TF's ref update: the rows read back from the updated slots)
            step = lr * manip_ops.gather(m_t, indices) / (
                math_ops.sqrt(manip_ops.gather(v_t, indices)) + epsilon)
        var_update = scatter_ops.scatter_sub(var, indices, step, use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)
