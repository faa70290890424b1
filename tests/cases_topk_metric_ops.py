"""Guard-test cases of TopKHits, the top-k metrics' set counts (see tests/opcases.py)."""
from minitf.ops.topk_metric_ops import top_k_hits

# integer counts: no gradient; it runs eagerly here
STATELESS = {
    "TopKHits": lambda: top_k_hits([[3, 1, 1], [0, 2, 2]], [[1, 5, 5], [0, 2, -1]]),
}
