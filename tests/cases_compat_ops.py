"""Guard-test cases of TF1's small top-level ops (minitf/ops/compat_ops.py, session_ops.py)."""
import minitf as tf

# GuaranteeConst's gradient raises LookupError, as TF has none (tests/test_compat_ops.py)
GRAD_ELSEWHERE = {"GuaranteeConst"}
STATELESS = {
    "GuaranteeConst": lambda: tf.guarantee_const([[1.0, 2.0]]),
    "Fingerprint": lambda: tf.fingerprint([[1, 2], [3, 4]]),
}
# a kept value lives in a Session's state
GRAPH_ONLY = {"GetSessionHandle", "GetSessionTensor", "DeleteSessionTensor"}
EAGER_ELSEWHERE = {"Timestamp": "test_compat_ops.py::test_timestamp_runs_eagerly"}
