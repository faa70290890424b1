"""The registry-wide guard tests' cases, kept beside each op family.

Every `tests/cases_<family>.py` may define any of:
  CASES           op type -> [(builder, input values[, tolerance])]  (tests/test_gradient_check.py)
  GRAD_ELSEWHERE  differentiable op types whose gradient is checked in the family's own tests
  STATELESS       op type -> builder, for ops without a gradient    (tests/test_eager.py)
  GRAPH_ONLY      op types that exist only in graph mode
  EAGER_ELSEWHERE op type -> the test that runs it eagerly
  NOT_TWICE       (op type, case index) -> the error a second derivative raises
  NAN_AT_ZEROS    {(op type, case index)} whose second derivative is NaN at exact zeros
  SECOND_ORDER_TOLERANCE  op type -> the tolerance of its second derivative (float32 inside)
The guard tests merge them, so a family's cases need no edit of the shared files (an op type
given twice is an error).
"""
import importlib
import pathlib


def families():
    return [importlib.import_module(p.stem)
            for p in sorted(pathlib.Path(__file__).parent.glob("cases_*.py"))]


def merged(name, into):
    """`into` (a dict or set) updated with every family's `name`; a key given twice raises."""
    for module in families():
        extra = getattr(module, name, None)
        if not extra:
            continue
        twice = set(extra) & set(into)
        if twice:
            raise AssertionError(f"{module.__name__}.{name} repeats {sorted(map(str, twice))}")
        into.update(extra)
    return into
