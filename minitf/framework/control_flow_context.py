"""Control-flow contexts: the ops built inside a `cond` branch or a `while_loop`, run by one op.

minitf runs control flow functionally. The ops a branch function or a loop body builds live in
the graph under TF1's names (`cond/mul`, `while/add`) but belong to a Context: the outer plan
never runs them; the If or While op that closes the context runs them as a sub-plan
(minitf/plan.py `compile_function`), only when the branch is taken, once per iteration.

While a context is open (`Graph._control_flow(ctx)`), each new op is recorded in it, and each
input made outside it is *captured*: it becomes an input of the closing op, so the outer plan
computes it first, and gradients reach it through that op. A captured ref variable is read where
it is used inside (as TF reads refs), not before the op. A control input from outside orders the
closing op instead.

A gradient context has a `forward` context: the branch or body it differentiates. Of a cond
branch, its sub-plan recomputes the stateless ops from the same captures; the outputs of
stateful ones (random draws, updates, nested loops with such ops) are not run twice but saved
by the forward op's run in its record (`saved`) and fed to the gradient. Of a loop body, every
value the gradient reads is saved so (but constants): recomputing them made an LSTM's gradient
loop run the cell's forward ops a second time each iteration.

`control_dependencies(None)` leaves every context, as in TF: a variable made inside a branch has
its ops (and initializer) outside.
"""
from minitf.framework import errors

__all__ = ["Context", "recomputable"]


def recomputable(op):
    """Whether a gradient may run `op` again instead of feeding its recorded outputs."""
    return not op._opdef.stateful or op._attrs.get("_pure", False)


class Context:
    """The ops of one branch, loop, or gradient of either.

    Args:
      graph: the Graph.
      kind: "cond", "while" or "function" (a gradient context has its forward context's
        kind).
      forward: for a gradient context, the Context it differentiates.
    """

    def __init__(self, graph, kind, forward=None):
        self.graph, self.kind, self.forward = graph, kind, forward
        self.parent = graph._control_flow_context()
        self.ops = []
        self.captures = {}  # outer tensor -> whether it is read at use (a ref), in order
        self.control_captures = {}  # outer ops that must run before the closing op
        self.saved = {}  # tensors of this context a gradient takes from a forward run
        self.fed = {}  # (gradient contexts) forward tensors fed from the forward op's record
        self.outputs = []

        self.chain = [self] + (forward.chain if forward is not None else [])

    def holds(self, op):
        """Whether `op` was made in this context or the ones it differentiates (or in one nested
        in them)."""
        c = op._cf_context
        while c is not None:
            if c in self.chain:
                return True
            c = c.parent
        return False

    def in_loop(self):
        c = self
        while c is not None:
            if c.kind == "while":
                return True
            c = c.parent
        return False

    def check_input(self, t, op_name):
        """Raises if `t`, made in a loop this context is not in, cannot be used here."""
        _check_reachable(self, t, op_name)

    def add_op(self, op):
        op._cf_context = self
        self.ops.append(op)
        if self.kind == "function" and getattr(self, "ordered", False) and (
                op._opdef.stateful and not op._opdef.read_at_use):
            # TF's automatic control dependencies: a function's stateful ops run in program
            # order, each after the one before (and the last runs whether returned or not)
            last = self.effects[-1] if self.effects else None
            if last is not None and last not in op._control_inputs:
                op._control_inputs.append(last)
            self.effects[-1:] = [op]
        refs = op._opdef.refs_of(op)
        for i, t in enumerate(op._inputs):
            if i not in refs and not self.holds(t._op):
                self.captures.setdefault(t, t._op._opdef.read_at_use)
        for c in op._control_inputs:
            if not self.holds(c):
                self.control_captures[c] = None

    def close_gradient(self, targets):
        """For a gradient context: finds what its sub-plan needs beyond its own ops.

        Walks back from `targets` through this context's ops and the forward ops it may run
        again (a cond's stateless ops, a loop's constants): any other forward op's outputs are
        saved by the forward run (`forward.saved`) and fed here (`fed`); an input from outside
        both is captured.
        """
        seen, stack = set(getattr(self, "args", ())), list(targets)  # (arguments are fed)
        while stack:
            t = stack.pop()
            if t in seen:
                continue
            seen.add(t)
            op, owner = t._op, t._op._cf_context
            if owner is self or (owner in self.chain and recomputable(op)
                                 and (owner.kind != "while" or not op._inputs)):
                refs = op._opdef.refs_of(op)
                stack.extend(x for i, x in enumerate(op._inputs) if i not in refs)
            elif owner in self.chain:
                owner.saved[t] = None  # (a forward op's record carries it to every gradient)
                self.fed[t] = None
            elif not self.holds(op) and t not in self.captures:
                self.captures[t] = op._opdef.read_at_use
        return self

    def runnable_ops(self):
        """The ops a sub-plan of this context may run: its own, and the stateless ones of the
        contexts it differentiates."""
        ops = set(self.ops)
        for c in self.chain[1:]:
            ops.update(op for op in c.ops if recomputable(op))
        return ops


def _check_reachable(ctx, t, op_name):
    c = t._op._cf_context
    while c is not None:
        if c.kind == "while" and not _encloses(c, ctx):
            raise ValueError(f"Cannot use '{t._op.name}' as input to '{op_name}' because "
                             f"'{t._op.name}' is in a while loop.")
        c = c.parent


def _encloses(loop, ctx):
    """Whether `ctx` is `loop`, inside it, or a gradient of (something inside) it."""
    while ctx is not None:
        if ctx is loop or any(_encloses(loop, c) for c in ctx.chain[1:]):
            return True
        ctx = ctx.parent
    return False


def check_inputs(context, inputs, op_name):
    """Raises ValueError if an input of an op made in `context` (None: outside every context)
    is inside a while loop the op is not in (TF: loop tensors exist only in iterations)."""
    for t in inputs:
        if t._op is not None and t._op._cf_context is not None:
            _check_reachable(context, t, op_name)


def not_runnable(op):
    """The error for running a loop's variable outside its loop."""
    return errors.InvalidArgumentError(
        None, op, f"{op.name} is a variable of a while loop: it has a value only inside the "
                  "loop's iterations, and cannot be fetched or used outside it")


# -- TF's control flow v2 switch: minitf's cond and while_loop are functional ops (If, While) in
# both modes; the switch gives them TF2's names (`cond` and `cond/Identity` for `cond/If` and
# `cond/Merge`; `while` and `while/Identity_<k+2>` for `while/While` and `while/Exit`)
_v2 = [False]


def enable_control_flow_v2():
    """Names cond and while_loop ops as TF2's control flow v2 does (`cond/Identity:0`).

    minitf runs control flow the same way either way (an If or While op running the branch or
    body's ops); TF1 programs that look ops up by TF2's names find them.
    """
    _v2[0] = True


def disable_control_flow_v2():
    """Names cond and while_loop ops as TF1 does (`cond/Merge:0`, `while/Exit:0`): the default.
    """
    _v2[0] = False


def control_flow_v2_enabled():
    """Returns whether cond and while_loop take TF2's names (`enable_control_flow_v2`)."""
    return _v2[0]
