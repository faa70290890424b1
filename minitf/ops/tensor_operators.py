"""Binds Python operators onto Tensor, as TF's math_ops does: `+ - * / // % ** @`, their
reflected forms, unary `-` and `abs`, `< <= > >=`, and `& | ^ ~` for bools.

`==` and `!=` keep identity semantics (TF1), so tensors stay hashable dict keys.
"""
from minitf.framework.api import name_scope
from minitf.framework.ops import Tensor
from minitf.ops import batch_matmul_ops, math_ops


def _binary(fn, name):
    # TF opens the operator's scope first, so a composite op's parts land inside it (xor/...).
    def forward(self, other):
        with name_scope(None, name, [self, other]) as scope:
            return fn(self, other, name=scope)

    def reflected(self, other):
        with name_scope(None, name, [self, other]) as scope:
            return fn(other, self, name=scope)
    return forward, reflected


_BINARY = {"add": (math_ops.add, "add"), "sub": (math_ops.subtract, "sub"),
           "mul": (math_ops.multiply, "mul"), "truediv": (math_ops.truediv, "truediv"),
           "floordiv": (math_ops.floordiv, "floordiv"), "mod": (math_ops.floormod, "mod"),
           "pow": (math_ops.pow, "pow"), "matmul": (batch_matmul_ops.matmul, "matmul"),
           "and": (math_ops.logical_and, "and"), "or": (math_ops.logical_or, "or"),
           "xor": (math_ops.logical_xor, "xor")}

for _op, (_fn, _name) in _BINARY.items():
    _forward, _reflected = _binary(_fn, _name)
    setattr(Tensor, f"__{_op}__", _forward)
    setattr(Tensor, f"__r{_op}__", _reflected)

for _op, _fn in {"lt": math_ops.less, "le": math_ops.less_equal, "gt": math_ops.greater,
                 "ge": math_ops.greater_equal}.items():
    setattr(Tensor, f"__{_op}__", lambda self, other, _fn=_fn: _fn(self, other))

Tensor.__neg__ = lambda self: math_ops.negative(self)
Tensor.__abs__ = lambda self: math_ops.abs(self)
Tensor.__invert__ = lambda self: math_ops.logical_not(self)
