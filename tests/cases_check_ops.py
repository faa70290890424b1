"""Guard-test cases of tf.print's ops (minitf/ops/print_ops.py): StringFormat is stateless and
runs eagerly as in a graph; PrintV2 prints, eagerly too, in tests/test_check_ops.py."""
import minitf as tf
from minitf.ops.print_ops import _string_format

STATELESS = {
    "StringFormat": lambda: _string_format.apply(
        [tf.constant([[1.5, 2.0]]), tf.constant(["a"])], T=(tf.float32, tf.string),
        template="x: {} s: {}", placeholder="{}", summarize=3),
}
EAGER_ELSEWHERE = {"PrintV2": "test_check_ops.py::test_print_prints_at_once_eagerly"}
