"""Compiling a Session.run into a plan: the ops a fetch needs, scheduled once, then generated
into one straight-line Python function (a line per op) so a run costs one call per kernel.

At compile time, Const ops and ops whose inputs are all constant (and that are neither stateful
nor fed) are evaluated once and their values baked in (read-only). What else a plan does follows
the OpDef flags (minitf/framework/registry.py), never op types: an op that forwards its input
(Identity) and a stateless op without outputs (NoOp) cost nothing; an op read at use (VariableV2)
is read where each consumer runs, as TF's ref aliasing reads it, so a read ordered after an
update sees the new value; an op's `kernel_error` turns its kernel's exception into TF's error.
Each local is deleted on the line of its last use (`del` on that same line): a value no op
needs any more holds no reference, so an in-place update of a variable (ops/state_ops.py)
finds its stored array unshared and need not copy it.

Debugging: a plan keeps its generated source (`Plan.source`), registered with linecache under
`Plan.filename` (`<minitf plan N>`) so tracebacks show the generated line, and each line names
its op: `v7_0 = f3(v5_0, v6_0); del v5_0  # MatMul 'dense/MatMul'`.
"""
import itertools
import linecache
import weakref

import numpy as np

from minitf import plan_fusion
from minitf.framework import errors, interrupts
from minitf.framework.ops import Operation

_plan_numbers = itertools.count(1)

try:  # np.errstate(all="ignore") costs ~0.7 µs a run; setting its context variable, ~0.08 µs
    from numpy._core import umath as _umath

    _IGNORE, _ERRSTATE = _umath._make_extobj(all="ignore"), _umath._extobj_contextvar
except (ImportError, AttributeError):  # another NumPy: the public, slower way
    _IGNORE = _ERRSTATE = None


class Plan:
    """A compiled run: `run(feed values) -> fetch values in the fetch structure`."""

    __slots__ = ("function", "source", "filename", "ops", "rebuild", "checks", "atomic",
                 "__weakref__")

    def run(self, feed_values):
        values = [check(v) for check, v in zip(self.checks, feed_values)]
        atomic = self.atomic  # a step that changes state: applied whole or not at all
        if atomic:
            interrupts.hold()
        # IEEE results (inf, nan) as in TF, not warnings
        token = _ERRSTATE.set(_IGNORE) if _ERRSTATE else None
        try:
            if token is None:
                with np.errstate(all="ignore"):
                    results = self.function(*values)
            else:
                results = self.function(*values)
        except errors.OpError:
            raise
        except Exception as exc:
            error, cause = self._error(exc)
            raise error from cause
        finally:
            if token is not None:
                _ERRSTATE.reset(token)
            if atomic:
                interrupts.release()
        return self.rebuild([_owned(v) for v in results])

    def _error(self, exc):
        """(the OpError for a kernel's exception `exc`, its cause to show)."""
        op = self._failed_op(exc)
        translate = op._opdef.kernel_error if op is not None else None
        error = translate(op, exc) if translate is not None else None
        if error is not None:
            return error, None  # the op's own translation says it all
        where = f"\n\t [[node {op.name}]]" if op is not None else ""
        return errors.InvalidArgumentError(None, op, f"{type(exc).__name__}: {exc}{where}"), exc

    def _failed_op(self, exc):
        # the innermost plan's line: a failure inside a cond branch or loop body names its op
        op, tb = None, exc.__traceback__
        while tb is not None:
            ops = tb.tb_frame.f_globals.get("__plan_ops__")
            if ops is not None and tb.tb_frame.f_code.co_name == "run":
                op = ops[tb.tb_lineno - 2]
            tb = tb.tb_next
        return op


def _owned(value):
    # Constants and stored values are read-only arrays; the caller gets its own copy of those.
    # A rank-0 value is fetched as a NumPy scalar (bytes for a string), as TF fetches it.
    if value.__class__ is np.ndarray:
        if not value.shape:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


def _frozen(value):
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, list):
        for v in value:
            _frozen(v)
    return value


class _Builder:
    """Names every value: a feed argument, a baked constant, or a local of the function."""

    def __init__(self, state, fed, trace=None):
        self.state, self.names, self.consts, self.lines, self.ops = state, {}, {}, [], []
        self.locals = []  # per line: the locals it defines or uses
        self.namespace = {}
        self.trace = trace  # a traced plan's recorder (plan_tracing.Trace), else None
        for i, t in enumerate(fed):
            self.names[t] = f"feed{i}"
            if trace is not None:  # (TF's _Arg node of the feed)
                self._mark(t, t._op, [f"feed{i}"])
        self.fed = fed

    def add_op(self, op):
        opdef = op._opdef
        if opdef.read_at_use or (opdef.outputs == 0 and not opdef.stateful):
            if self.trace is not None and not opdef.read_at_use:
                self._mark(op, op, [])
            return  # read where it is used (see value); or it only orders other ops
        refs = opdef.refs_of(op)
        ins = [None if i in refs else self.value(t) for i, t in enumerate(op._inputs)]
        if opdef.forwards_input:
            self._bind_outputs(op, ins[:1])
            if self.trace is not None:
                self._mark(op, op, [n for n in ins[:1] if n is not None])
            return
        if self._foldable(op, ins):
            self._fold(op, ins)
            if self.trace is not None:
                self._mark(op, op, [self.names[t] for t in op._outputs if t in self.names])
            return
        fn = f"f{len(self.namespace)}"
        self.namespace[fn] = self._kernel(op)
        outs = [f"v{op._id}_{i}" for i in range(len(op._outputs))]
        call = f"{fn}({', '.join('None' if n is None else n for n in ins)})"
        # an op of n outputs returns a list, even of one (IdentityN of one tensor, PyFunc)
        target = ("" if not outs else outs[0] + " = " if opdef.outputs == 1
                  else ", ".join(outs) + (", = " if len(outs) == 1 else " = "))
        self._emit(target + call, op, outs + [n for n in ins if n is not None])
        self._bind_outputs(op, outs)

    def value(self, t):
        """The name of t's value at this point of the function."""
        if t._op._opdef.read_at_use and t not in self.fed:
            name = f"r{len(self.lines)}"  # a fresh read of the variable, now
            fn = f"f{len(self.namespace)}"
            self.namespace[fn] = self._kernel(t._op)
            self._emit(f"{name} = {fn}()", t._op, [name])
            return name
        return self.names[t]

    def _kernel(self, op):
        kernel = op._opdef.bind(op, self.state)
        return kernel if self.trace is None else self.trace.timed(kernel, op)

    def _mark(self, node, op, names):
        # a traced plan's line recording `node` (an op that runs no kernel here, or a feed)
        # with the values of `names` as its outputs
        fn = f"f{len(self.namespace)}"
        self.namespace[fn] = self.trace.marker(node)
        self._emit(f"{fn}({', '.join(names)})", op, names)

    def _emit(self, line, op, names):
        self.lines.append((line, f"  # {op.type} {op.name!r}"))
        self.locals.append([n for n in names if n[0] in "vr"])  # (not feeds nor constants)
        self.ops.append(op)

    def _bind_outputs(self, op, names):
        for t, name in zip(op._outputs, names):
            if t not in self.fed:
                self.names[t] = name

    def _foldable(self, op, ins):
        opdef = op._opdef
        # (not an op with control inputs: what it waits for, an Assert say, must run first;
        # but a Const's value cannot fail, whatever it waits for)
        return (not opdef.stateful and opdef.outputs != 0
                and (not op._control_inputs or op.type == "Const")
                and all(n in self.consts for n in ins))

    def _fold(self, op, ins):
        kernel = op._opdef.bind(op, self.state)
        try:
            with np.errstate(all="ignore"):
                value = kernel(*[self.consts[n] for n in ins])
        except errors.OpError:
            raise
        except Exception as exc:
            translate = op._opdef.kernel_error  # (a folded op fails with its own text too)
            error = translate(op, exc) if translate is not None else None
            if error is not None:
                raise error from None
            raise errors.InvalidArgumentError(
                None, op, f"{type(exc).__name__}: {exc}\n\t [[node {op.name}]]") from exc
        values = [value] if op._opdef.outputs == 1 else list(value)
        names = []
        for i, v in enumerate(values):
            name = f"c{op._id}_{i}"
            self.consts[name] = self.namespace[name] = _frozen(v)
            names.append(name)
        self._bind_outputs(op, names)

    def source(self, results):
        """The generated function's source: line 1 the def, line i + 2 the i-th emitted line."""
        args = ", ".join(self.names[t] for t in self.fed)
        last = {n: i for i, names in enumerate(self.locals) for n in names}
        dead = [[] for _ in self.lines]
        for n, i in last.items():
            if n not in results:
                dead[i].append(n)
        body = [f"def run({args}):"] + [
            f"    {line}{'; del ' + ', '.join(d) if d else ''}{comment}"
            for (line, comment), d in zip(self.lines, dead)]
        body.append(f"    return ({''.join(r + ', ' for r in results)})")
        return "\n".join(body) + "\n"


def _build(state, targets, fed, within, trace=None):
    builder = _Builder(state, list(fed), trace)
    order = schedule(targets, fed, within)
    for op in order if trace is not None else plan_fusion.fuse(order, targets, fed):
        builder.add_op(op)
    plan = Plan()
    plan.source = builder.source(["None" if isinstance(t, Operation) else builder.value(t)
                                  for t in targets])
    plan.filename = f"<minitf plan {next(_plan_numbers)}>"
    builder.namespace["__plan_ops__"] = builder.ops  # (errors name the op of a failed line)
    exec(compile(plan.source, plan.filename, "exec"), builder.namespace)
    plan.function = builder.namespace["run"]
    plan.ops = builder.ops
    _show_in_tracebacks(plan)
    return plan


def compile_plan(state, targets, fed, rebuild, trace=None):
    """The Plan running `targets` (Tensors or Operations) with the tensors `fed` fed (in order),
    each feed checked by the matching function of `fed` (a dict tensor -> check). With `trace`
    (a plan_tracing.Trace) the plan is a traced one: unfused, each op's line recorded there.

    Raises:
      ValueError: a target is inside a while loop (it has values only in iterations).
    """
    for t in targets:
        op = t if isinstance(t, Operation) else t._op
        if op._cf_context is not None and op._cf_context.in_loop():
            raise ValueError(f"Operation {op.name} has been marked as not fetchable.")
    plan = _build(state, targets, fed, None, trace)
    plan.rebuild, plan.checks = rebuild, list(fed.values())
    plan.atomic = any(op._opdef.stateful for op in plan.ops)
    return plan


def compile_function(state, targets, fed, within):
    """A sub-plan, as a cond branch or a loop body runs it: a function of the values of the
    tensors `fed` (in order) returning the tuple of the values of `targets`, running only ops of
    the set `within`. (Its Plan stays alive as long as the function: tracebacks show its lines.)
    """
    plan = _build(state, targets, list(fed), set(within))
    function = plan.function
    function.__plan__ = plan
    return function


_collected = []  # the linecache entries of collected plans, removed when the next plan is made


def _show_in_tracebacks(plan):
    # linecache keeps an entry without a modification time until it is removed: here, after the
    # plan is collected (tracebacks of its runs that outlive it show no source line then). Not
    # in the collection itself: a garbage collection inside linecache.checkcache's loop over its
    # keys would make it raise KeyError
    while _collected:
        linecache.cache.pop(_collected.pop(), None)
    linecache.cache[plan.filename] = (len(plan.source), None, plan.source.splitlines(True),
                                      plan.filename)
    weakref.finalize(plan, _collected.append, plan.filename)


def schedule(targets, fed, within=None):
    """The ops needed for `targets`, in dependency order, each once (iterative post-order DFS);
    with `within` (a set of ops), only those (a sub-plan's: outside values are fed to it)."""
    roots = [t if isinstance(t, Operation) else t._op for t in targets
             if isinstance(t, Operation) or t not in fed]

    def deps(op):
        return [d for d in op_deps(op, fed) if within is None or d in within]
    return post_order(roots, deps)


def op_deps(op, fed):
    """The ops `op` waits for: its inputs' (not the refs it takes, nor fed tensors) and its
    control inputs (one whose outputs are all fed has run, as TF's: a fed placeholder)."""
    ref = op._opdef.refs_of(op)
    deps = [t._op for i, t in enumerate(op._inputs) if i not in ref and t not in fed]
    deps.extend(c for c in op._control_inputs
                if not c._outputs or any(t not in fed for t in c._outputs))
    return deps


def post_order(roots, deps):
    """The nodes reached from `roots` by `deps(node)`, each after the ones it depends on, each
    once (an iterative DFS, in the roots' and deps' order).

    Raises:
      ValueError: a cycle.
    """
    order, done, on_path = [], set(), set()
    stack = [(root, False) for root in reversed(roots)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            on_path.discard(node)
            if node not in done:
                done.add(node)
                order.append(node)
            continue
        if node in done:
            continue
        if node in on_path:
            raise ValueError(f"The graph has a cycle through op {node.name}.")
        on_path.add(node)
        stack.append((node, True))
        stack.extend((d, False) for d in reversed(deps(node)) if d not in done)
    return order
