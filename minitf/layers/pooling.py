"""`tf.layers`' pooling layers (TF1): Max/AveragePooling 1D, 2D and 3D, as classes and functions.

They have no variables; a call opens the name scope `max_pooling2d`, ... (made unique) and
runs TF's graph: `max_pooling2d/MaxPool`; the 1-D ones pool a height of 1
(`ExpandDims`, `MaxPool`, `Squeeze`); channels-first 1-D and 3-D pooling runs channels last
between two transposes, as TF does on a CPU.
"""
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.tensor_shape import TensorShape
from minitf.layers import conv_utils
from minitf.layers.base import Layer
from minitf.ops import manip_ops
from minitf.ops.pool3d_ops import avg_pool3d, max_pool3d
from minitf.ops.pool_ops import avg_pool, max_pool

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
           "AveragePooling2D", "AveragePooling3D", "max_pooling1d", "max_pooling2d",
           "max_pooling3d", "average_pooling1d", "average_pooling2d", "average_pooling3d"]


class _Pooling(Layer):
    """Pools windows of `pool_size` every `strides` over the `rank` spatial dimensions.

    Args:
      rank: the number of spatial dimensions, 1 to 3.
      pool_size: an int or `rank` ints, the window's size.
      strides: an int or `rank` ints (not None).
      padding: "valid" or "same" (any case).
      data_format: "channels_last" or "channels_first".
      name: the layer's name.
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid.
    """

    _max = True

    def __init__(self, rank, pool_size, strides, padding="valid",
                 data_format="channels_last", name=None, **kwargs):
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        super().__init__(name=name, **kwargs)
        self._base_name = conv_utils.default_name(type(self))
        self.rank = rank
        self.pool_size = conv_utils.normalize_tuple(pool_size, rank, "pool_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)

    def __call__(self, inputs, *args, **kwargs):
        """Checks the input's rank, then pools.

        Args:
          inputs: a Tensor of rank `rank + 2`.
          *args, **kwargs: passed to `call`.

        Returns:
          The pooled Tensor.

        Raises:
          ValueError: the rank is not `rank + 2`.
        """
        inputs = convert_to_tensor(inputs)
        if self._scope is not None:  # (the first call checks in `build`, in its scope, as TF)
            conv_utils.check_input_rank(self, inputs.shape, ndim=self.rank + 2)
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape):
        """Checks the input's rank (pooling has no variables).

        Args:
          input_shape: the input's TensorShape.

        Raises:
          ValueError: the rank is not `rank + 2`.
        """
        conv_utils.check_input_rank(self, input_shape, ndim=self.rank + 2)
        self.built = True

    apply = __call__

    def _pool2d(self, x, window, strides, layout):
        pool = max_pool if self._max else avg_pool
        return pool(x, window, strides, self.padding.upper(), data_format=layout)

    def call(self, inputs):
        """Returns the pooled `inputs`.

        Args:
          inputs: a Tensor of rank `rank + 2`.
        """
        first = self.data_format == "channels_first"
        if self.rank == 1:
            return self._call1d(inputs, first)
        if self.rank == 2:
            window, strides = list(self.pool_size), list(self.strides)
            return self._pool2d(inputs, [1, 1, *window] if first else [1, *window, 1],
                                [1, 1, *strides] if first else [1, *strides, 1],
                                "NCHW" if first else "NHWC")
        if first:  # (TF pools channels last here)
            inputs = manip_ops.transpose(inputs, (0, 2, 3, 4, 1))
        pool = max_pool3d if self._max else avg_pool3d
        outputs = pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1],
                       self.padding.upper())
        return manip_ops.transpose(outputs, (0, 4, 1, 2, 3)) if first else outputs

    def _call1d(self, inputs, first):
        axis = 3 if first else 2  # a size-1 axis after the width
        x = manip_ops.expand_dims(inputs, axis)
        window, strides = [1, self.pool_size[0], 1, 1], [1, self.strides[0], 1, 1]
        if first:  # [batch, channels, width, 1]: TF's CPU path pools it channels last
            x = manip_ops.transpose(x, (0, 2, 3, 1))
        outputs = self._pool2d(x, window, strides, "NHWC")
        if first:
            outputs = manip_ops.transpose(outputs, (0, 3, 1, 2))
        return manip_ops.squeeze(outputs, [axis])

    def compute_output_shape(self, input_shape):
        """The output's static shape for an input of shape `input_shape`.

        Args:
          input_shape: a TensorShape or list of rank `rank + 2`.

        Returns:
          A TensorShape.
        """
        dims = TensorShape(input_shape).as_list()
        first = self.data_format == "channels_first"
        spatial = range(2, self.rank + 2) if first else range(1, self.rank + 1)
        for i, axis in enumerate(spatial):
            dims[axis] = conv_utils.conv_output_length(dims[axis], self.pool_size[i],
                                                       self.padding, self.strides[i])
        return TensorShape(dims)


_CLASS_DOC = """{what} pooling over {n}-D windows (TF1's `tf.layers.{cls}`).

    Args:
      pool_size: an int or {n} ints, the window's size.
      strides: an int or {n} ints, the window's step (not None).
      padding: "valid" or "same" (any case).
      data_format: "channels_last" or "channels_first".
      name: the layer's name (default "{func}", made unique).
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid (`strides` None among them).
    """

_FUNC_DOC = """{what} pooling over {n}-D windows: `{cls}(...)(inputs)`.

    Args:
      inputs: a {rank}-D Tensor, {layout} (or channels first).
      pool_size: an int or {n} ints, the window's size.
      strides: an int or {n} ints, the window's step.
      padding: "valid" or "same" (any case).
      data_format: "channels_last" or "channels_first".
      name: the layer's name (default "{func}", made unique).

    Returns:
      The pooled Tensor.

    Raises:
      ValueError: an argument is invalid, or `inputs` is not {rank}-D.

    >>> y = tf.layers.{func}(tf.zeros({example}), 2, 2)
    >>> print(y.name, y.shape)
    {func}/{result}
    """

_LAYOUTS = {1: "[batch, width, channels]", 2: "[batch, height, width, channels]",
            3: "[batch, depth, height, width, channels]"}
_EXAMPLES = {1: ("[1, 5, 3]", "Squeeze:0 (1, 2, 3)"), 2: ("[1, 5, 5, 3]", "{op}:0 (1, 2, 2, 3)"),
             3: ("[1, 5, 5, 5, 3]", "{op}3D:0 (1, 2, 2, 2, 3)")}


def _define(cls_name, rank, is_max):
    """Makes a pooling class and its function (their docs filled in from the templates)."""
    what = "Max" if is_max else "Average"
    func = f"{what.lower()}_pooling{rank}d"
    words = dict(what=what, n=rank, cls=cls_name, func=func, rank=rank + 2,
                 layout=_LAYOUTS[rank], example=_EXAMPLES[rank][0],
                 result=_EXAMPLES[rank][1].format(op="MaxPool" if is_max else "AvgPool"))

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        _Pooling.__init__(self, rank, pool_size, strides, padding, data_format, name, **kwargs)

    cls = type(cls_name, (_Pooling,), {"__init__": __init__, "_max": is_max,
                                       "__doc__": _CLASS_DOC.format(**words),
                                       "__module__": __name__})

    def function(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None):
        return cls(pool_size, strides, padding, data_format, name)(inputs)

    function.__name__ = function.__qualname__ = func
    function.__doc__ = _FUNC_DOC.format(**words)
    function.__module__ = __name__
    return cls, function


MaxPooling1D, max_pooling1d = _define("MaxPooling1D", 1, True)
MaxPooling2D, max_pooling2d = _define("MaxPooling2D", 2, True)
MaxPooling3D, max_pooling3d = _define("MaxPooling3D", 3, True)
AveragePooling1D, average_pooling1d = _define("AveragePooling1D", 1, False)
AveragePooling2D, average_pooling2d = _define("AveragePooling2D", 2, False)
AveragePooling3D, average_pooling3d = _define("AveragePooling3D", 3, False)
