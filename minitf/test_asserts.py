"""The array assertions of `tf.test.TestCase` (a mixin of unittest.TestCase), with the
failure messages TF's TestCase gives ("Not equal to tolerance ...", "not close where = ...").
Tensors given to them are evaluated in the test's session."""
import math

import numpy as np

from minitf.framework import device as _device, proto_text
from minitf.framework.ops import Operation, Tensor
from minitf.framework.proto import Message

__all__ = ["ArrayAssertions"]


class ArrayAssertions:
    """Assertions on arrays, tensors, nested structures and protocol messages."""

    def _nd(self, a):
        if isinstance(a, (Tensor, Operation)) or hasattr(a, "_as_graph_element"):
            a = self.evaluate(a)
        return a if isinstance(a, np.ndarray) else np.array(a)

    # -- closeness -----------------------------------------------------------------------------
    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """Asserts that two arrays or nested structures of them are elementwise close.

        Close means |a - b| <= atol + rtol * |b|, NaNs equal. Tensors are evaluated; lists,
        tuples, dicts and namedtuples are compared item by item when they are not arrays.

        Args:
          a: the actual value.
          b: the expected value.
          rtol: the relative tolerance.
          atol: the absolute tolerance.
          msg: added to the failure message.

        Raises:
          AssertionError: the values differ (TF's "Not equal to tolerance" message), or
            their shapes or dict keys do.
          ValueError: a dict is compared with a non-dict, or sequences of other lengths.
        """
        self._all_close_recursive(a, b, rtol, atol, [], msg)

    def _all_close_recursive(self, a, b, rtol, atol, path, msg):
        where = "".join(f"[{p}]" for p in path)
        msg = msg or ""
        a, b = (x._asdict() if hasattr(x, "_asdict") else x for x in (a, b))
        is_dict = isinstance(a, dict)
        if is_dict != isinstance(b, dict):
            raise ValueError(f"Can't compare dict to non-dict, a{where} vs b{where}. {msg}")
        if is_dict:
            self.assertCountEqual(a.keys(), b.keys(), msg=(
                f"mismatched keys: a{where} has keys {a.keys()}, but b{where} has keys "
                f"{b.keys()}. {msg}"))
            for key in a:
                self._all_close_recursive(a[key], b[key], rtol, atol, path + [key], msg)
            return
        value_msg = f"Mismatched value: a{where} is different from b{where}. {msg}"
        if isinstance(a, (list, tuple)):
            try:  # as arrays when they are regular; item by item when not
                self._array_all_close(self._nd(a), self._nd(b), rtol, atol, value_msg)
                return
            except (ValueError, TypeError, NotImplementedError):
                if len(a) != len(b):
                    raise ValueError(f"Mismatched length: a{where} has {len(a)} items, but "
                                     f"b{where} has {len(b)} items. {msg}") from None
            for i, (x, y) in enumerate(zip(a, b)):
                self._all_close_recursive(x, y, rtol, atol, path + [str(i)], msg)
            return
        try:
            self._array_all_close(a, b, rtol, atol, value_msg)
        except TypeError as exc:
            exc.args = (f"{exc.args[0]} : Error: a{where} has {type(a)}, but b{where} has "
                        f"{type(b)}. {msg}",) + exc.args[1:]
            raise

    def _array_all_close(self, a, b, rtol, atol, msg):
        a, b = self._nd(a), self._nd(b)
        shown = f" with contents {b}" if b.ndim <= 3 or b.size < 500 else ""
        self.assertEqual(a.shape, b.shape,
                         f"Shape mismatch: expected {a.shape}, got {b.shape}{shown}.")
        if np.allclose(a, b, rtol=rtol, atol=atol):
            return
        msgs = [msg]
        bad = np.logical_or(np.abs(a - b) > atol + rtol * np.abs(b), np.isnan(a) != np.isnan(b))
        x, y = (a[np.where(bad)], b[np.where(bad)]) if a.ndim else (a, b)
        if a.ndim:
            msgs.append(f"not close where = {np.where(bad)}")
        msgs += [f"not close lhs = {x}", f"not close rhs = {y}",
                 f"not close dif = {np.abs(x - y)}", f"not close tol = {atol + rtol * np.abs(y)}",
                 f"dtype = {a.dtype}, shape = {a.shape}"]
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg="\n".join(msgs),
                                   equal_nan=True)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6,
                                      float_atol=1e-6, half_rtol=1e-3, half_atol=1e-3,
                                      bfloat16_rtol=1e-2, bfloat16_atol=1e-2, msg=None):
        """Asserts closeness with tolerances widened for float32 and float16 values.

        Args:
          a: the actual value.
          b: the expected value.
          rtol: the relative tolerance.
          atol: the absolute tolerance.
          float_rtol: the least relative tolerance for float32/complex64.
          float_atol: the least absolute tolerance for float32/complex64.
          half_rtol: the least relative tolerance for float16.
          half_atol: the least absolute tolerance for float16.
          bfloat16_rtol: accepted (minitf has no bfloat16 arrays).
          bfloat16_atol: accepted (minitf has no bfloat16 arrays).
          msg: added to the failure message.
        """
        a, b = self._nd(a), self._nd(b)
        dtypes = (a.dtype, b.dtype)
        if np.float32 in dtypes or np.complex64 in dtypes:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.float16 in dtypes:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """Asserts that two values differ somewhere by more than the tolerance.

        Args:
          a: the actual value.
          b: the value it must not be close to.
          rtol: the relative tolerance.
          atol: the absolute tolerance.
          msg: added to the failure message.
        """
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    def assertNear(self, f1, f2, err, msg=None):
        """Asserts that two floats are within `err` of each other.

        Args:
          f1: a float.
          f2: a float.
          err: the largest allowed difference.
          msg: added to the failure message.
        """
        self.assertTrue(f1 == f2 or math.fabs(f1 - f2) <= err,
                        f"{f1:f} != {f2:f} +/- {err:f} (difference: {math.fabs(f1 - f2)})"
                        + (f" ({msg})" if msg is not None else ""))

    def assertArrayNear(self, farray1, farray2, err, msg=None):
        """Asserts two float lists have one length and are elementwise within `err`.

        Args:
          farray1: a list of floats.
          farray2: a list of floats.
          err: the largest allowed difference.
          msg: added to the failure message.
        """
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):
        """Asserts the norm of the difference of two arrays is at most `err`.

        Args:
          ndarray1: an array.
          ndarray2: an array.
          err: the largest allowed norm of the difference.
          msg: added to the failure message.
        """
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) <= err, msg=msg)

    # -- equality, shapes, ranges --------------------------------------------------------------
    def assertAllEqual(self, a, b, msg=None):
        """Asserts that two arrays have the same shape and elements (NaNs equal).

        Args:
          a: the actual value (a Tensor is evaluated).
          b: the expected value.
          msg: added to the failure message.
        """
        a, b = self._nd(a), self._nd(b)
        if b.ndim <= 3 or b.size < 500:
            shape_msg = (f"Shape mismatch: expected {a.shape}, got {b.shape}. Contents: {b!r}. "
                         f"\n{msg}.")
        else:
            shape_msg = f"Shape mismatch: expected {a.shape}, got {b.shape}. \n{msg}."
        self.assertEqual(a.shape, b.shape, shape_msg)
        if a.dtype.kind in "SU" and b.dtype.kind in "SUO" and a.dtype.kind != b.dtype.kind:
            a, b = (np.char.encode(x.astype(str)) if x.dtype.kind == "U" else x for x in (a, b))
        same = a == b
        if a.dtype.kind == "f":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if np.all(same):
            return
        msgs = [msg or ""]
        diff = np.logical_not(same)
        x, y = (a[np.where(diff)], b[np.where(diff)]) if a.ndim else (a, b)
        if a.ndim:
            msgs.append(f"not equal where = {np.where(diff)}")
        msgs += [f"not equal lhs = {x!r}", f"not equal rhs = {y!r}"]
        np.testing.assert_array_equal(a, b, err_msg="\n".join(msgs))

    def assertShapeEqual(self, input_a, input_b, msg=None):
        """Asserts that an array and a tensor (or two of either) have the same shape.

        Args:
          input_a: an array or Tensor.
          input_b: an array or Tensor.
          msg: added to the failure message.
        """
        shapes = [list(x.get_shape().as_list()) if isinstance(x, Tensor) else list(np.shape(x))
                  for x in (input_a, input_b)]
        self.assertAllEqual(shapes[0], shapes[1], msg=msg)

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False,
                         open_upper_bound=False):
        """Asserts every element of `target` is in a range (closed by default).

        Args:
          target: a numeric array or Tensor.
          lower_bound: the lower bound.
          upper_bound: the upper bound.
          open_lower_bound: whether the lower bound is excluded.
          open_upper_bound: whether the upper bound is excluded.

        Raises:
          AssertionError: some elements are outside, listed with their subscripts.
        """
        target = self._nd(target)
        if target.dtype.kind not in "iuf":
            raise AssertionError(f"The value of {target} does not have an ordered numeric type, "
                                 f"instead it has type: {target.dtype}")
        low = target <= lower_bound if open_lower_bound else target < lower_bound
        high = target >= upper_bound if open_upper_bound else target > upper_bound
        bad = np.logical_or(low, high)
        if not np.any(bad):
            return
        where = np.argwhere(bad) if target.ndim else np.zeros((1, 0), int)
        lines = "\n".join(f"  [{', '.join(str(i) for i in index)}] : {target[tuple(index)]}"
                          for index in where)
        span = (f"{'(' if open_lower_bound else '['}{lower_bound}, {upper_bound}"
                f"{')' if open_upper_bound else ']'}")
        raise AssertionError(f"{len(where)} of the {target.size} element(s) are outside the range "
                             f"{span}. Subscript(s) and value(s) of the offending elements:\n"
                             f"{lines}")

    def assertAllGreater(self, a, comparison_target):
        """Asserts every element of `a` is greater than `comparison_target`.

        Args:
          a: an array or Tensor.
          comparison_target: the number to compare with.
        """
        self.assertGreater(np.min(self._nd(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):
        """Asserts every element of `a` is at least `comparison_target`.

        Args:
          a: an array or Tensor.
          comparison_target: the number to compare with.
        """
        self.assertGreaterEqual(np.min(self._nd(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):
        """Asserts every element of `a` is less than `comparison_target`.

        Args:
          a: an array or Tensor.
          comparison_target: the number to compare with.
        """
        self.assertLess(np.max(self._nd(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):
        """Asserts every element of `a` is at most `comparison_target`.

        Args:
          a: an array or Tensor.
          comparison_target: the number to compare with.
        """
        self.assertLessEqual(np.max(self._nd(a)), comparison_target)

    def assertDeviceEqual(self, device1, device2, msg=None):
        """Asserts two device strings name the same device ("/cpu:0" is "/device:CPU:0").

        Args:
          device1: a device string or DeviceSpec.
          device2: a device string or DeviceSpec.
          msg: added to the failure message.
        """
        d1, d2 = _device.canonical_name(device1), _device.canonical_name(device2)
        self.assertEqual(d1, d2, f"Devices {d1} and {d2} are not equal. {msg}")

    def assertStartsWith(self, actual, expected_start, msg=None):
        """Asserts `actual` starts with `expected_start`.

        Args:
          actual: a string.
          expected_start: its expected beginning.
          msg: added to the failure message.
        """
        if not actual.startswith(expected_start):
            self.fail(f"{actual!r} does not start with {expected_start!r}"
                      + (f" : {msg!r}" if msg else ""))

    def assertProtoEquals(self, expected_message_maybe_ascii, message, msg=None):
        """Asserts a message equals another, or the message a text format describes.

        Args:
          expected_message_maybe_ascii: a message, or the text format of one of `message`'s
            class.
          message: the message to check.
          msg: added to the failure message.

        Raises:
          AssertionError: the messages differ (their text formats are shown).
          TypeError: `expected_message_maybe_ascii` is neither text nor a message.
        """
        expected = expected_message_maybe_ascii
        if isinstance(expected, str):
            expected = proto_text.Merge(expected, type(message)())
        elif not isinstance(expected, Message):
            raise TypeError(f"Can't compare protos of type {type(expected)} and "
                            f"{type(message)}.")
        if expected != message:
            self.assertMultiLineEqual(str(expected), str(message), msg)
            self.fail(msg or "The messages differ in fields the text format does not show.")

    def assertLen(self, container, expected_len, msg=None):
        """Asserts `container` has `expected_len` items.

        Args:
          container: a sized container.
          expected_len: the expected length.
          msg: added to the failure message.
        """
        if len(container) != expected_len:
            self.fail(f"{container!r} has length of {len(container)}, expected "
                      f"{expected_len}." + (f" : {msg}" if msg else ""))

    def assertEmpty(self, container, msg=None):
        """Asserts `container` is empty.

        Args:
          container: a sized container.
          msg: added to the failure message.
        """
        self.assertLen(container, 0, msg)

    def assertNotEmpty(self, container, msg=None):
        """Asserts `container` is not empty.

        Args:
          container: a sized container.
          msg: added to the failure message.
        """
        if not len(container):
            self.fail(f"{container!r} has length of 0." + (f" : {msg}" if msg else ""))
