"""TF1's gradient checker (`tf.test.compute_gradient`, `tf.test.compute_gradient_error`):
the Jacobian `tf.gradients` gives next to a central-difference one, both run in the default
session.

>>> x = tf.constant([1.0, 2.0], dtype=tf.float64)
>>> y = x * x
>>> with tf.Session():
...     theory, numeric = tf.test.compute_gradient(x, [2], y, [2],
...                                                x_init_value=np.array([1.0, 2.0]))
>>> theory
array([[2., 0.],
       [0., 4.]])
>>> bool(np.allclose(theory, numeric))
True
"""
import numpy as np

from minitf.framework.constant_op import constant
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import get_default_session
from minitf.gradients import gradients
from minitf.ops.array_ops import identity

__all__ = ["compute_gradient", "compute_gradient_error"]

_FLOATS = ("float16", "float32", "float64")


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


def _theoretical(sess, x, x_data, dy, dy_shape, dx, feeds):
    """Column j: the gradient for a one-hot dy at j, flattened."""
    x_size, row_size = _size(x_data.shape), _size(x_data.shape[1:])
    jacobian = np.zeros((x_size, _size(dy_shape)), dtype=x.dtype.as_numpy_dtype)
    dy_data = np.zeros(dy_shape, dtype=dy.dtype.as_numpy_dtype)
    for col in range(jacobian.shape[1]):
        dy_data.flat[col] = 1
        feed = {**feeds, x: x_data, dy: dy_data}
        if isinstance(dx, IndexedSlices):  # rows of x, by index
            indices, values = sess.run([dx.indices, dx.values], feed)
            for i, v in zip(indices, values):
                jacobian[i * row_size:(i + 1) * row_size, col] += v.ravel()
        else:
            jacobian[:, col] = sess.run(dx, feed).ravel()
        dy_data.flat[col] = 0
    return jacobian


def _numeric(sess, x, x_data, y, y_size, delta, feeds):
    """Row i: (y(x + delta e_i) - y(x - delta e_i)) / (2 delta), flattened."""
    jacobian = np.zeros((x_data.size, y_size), dtype=x.dtype.as_numpy_dtype)
    scale = np.asarray(2 * delta, dtype=y.dtype.as_numpy_dtype)
    for row in range(x_data.size):
        values = []
        for step in (delta, -delta):
            moved = x_data.copy()
            moved.flat[row] += step
            values.append(sess.run(y, {**feeds, x: moved}))
        jacobian[row] = ((values[0] - values[1]) / scale).ravel()
    return jacobian


def _one(x, x_shape, y, y_shape, x_init_value, delta, feeds):
    for t, role in ((x, "x"), (y, "y")):
        if t.dtype.base_dtype.name not in _FLOATS:
            raise TypeError(f"Don't support type {t.dtype.base_dtype.name} for {role}")
    with x.graph.as_default():
        dy = identity(constant(1.0, shape=y_shape, dtype=y.dtype))
    (dx,) = gradients(y, x, dy)
    if x_init_value is not None:
        if list(x_shape) != list(np.shape(x_init_value)):
            raise ValueError(f"x_shape = {list(x_shape)}, init_data shape = "
                             f"{list(np.shape(x_init_value))}")
        x_data = np.asarray(x_init_value, dtype=x.dtype.as_numpy_dtype)
    else:
        x_data = np.random.random_sample(x_shape).astype(x.dtype.as_numpy_dtype)
    sess = get_default_session()
    if sess is None:
        raise ValueError("compute_gradient needs a default session: call it inside "
                         "`with tf.Session():` (or a test's cached_session()).")
    return (_theoretical(sess, x, x_data, dy, y_shape, dx, feeds),
            _numeric(sess, x, x_data, y, _size(y_shape), delta, feeds))


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                     extra_feed_dict=None):
    """Computes the theoretical and numeric Jacobians of `y` with respect to `x`.

    Runs in the default session. Entry [i, j] is d y_j / d x_i over the flattened tensors.

    Args:
      x: a float Tensor (fed with the values to check at), or a list of them.
      x_shape: the shape of x (a list of shapes for a list of x).
      y: a float Tensor.
      y_shape: the shape of y.
      x_init_value: the value of x to check at (random in [0, 1) by default); a list for a
        list of x.
      delta: the central-difference step.
      init_targets: ops to run first (variable initializers).
      extra_feed_dict: more feeds for both computations.

    Returns:
      (theoretical, numeric) Jacobians of shape [x size, y size]; a list of them for a
      list of x.

    Raises:
      TypeError: x or y is not of a real float type.
      ValueError: `x_init_value`'s shape is not `x_shape`, or there is no default session.
    """
    feeds = dict(extra_feed_dict or {})
    for init in init_targets or ():
        get_default_session().run(init)
    if isinstance(x, list):
        inits = x_init_value if x_init_value is not None else [None] * len(x)
        return [_one(xi, si, y, y_shape, vi, delta, feeds)
                for xi, si, vi in zip(x, x_shape, inits)]
    return _one(x, x_shape, y, y_shape, x_init_value, delta, feeds)


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None):
    """Returns the largest difference between the theoretical and numeric Jacobians.

    The largest absolute difference of their entries, over every x of a list.

    Args:
      x: a float Tensor, or a list of them.
      x_shape: the shape of x (a list of shapes for a list of x).
      y: a float Tensor.
      y_shape: the shape of y.
      x_init_value: the value of x to check at (random by default).
      delta: the central-difference step.
      init_targets: ops to run first.
      extra_feed_dict: more feeds.

    Raises:
      TypeError, ValueError: as `compute_gradient`.
    """
    grads = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                             extra_feed_dict)
    error = 0
    for theory, numeric in grads if isinstance(grads, list) else [grads]:
        if theory.size or numeric.size:
            error = np.maximum(error, np.fabs(theory - numeric).max())
    return error
