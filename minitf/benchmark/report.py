"""The benchmark's table and its targets, from the workers' JSON results."""

TARGETS = [  # (case, what, check(results) -> (value text, ok) or None when unmeasured)
    ("variable_scope enter+exit", "TF / minitf >= 17x", ("tf", 17)),
    ("get_variable existing (AUTO_REUSE)", "TF / minitf >= 30x", ("tf", 30)),
    ("get_variable create [4,4]", "TF / minitf >= 100x", ("tf", 100)),
    ("Graph.unique_name", "TF / minitf >= 4x", ("tf", 4)),
    ("Session.run constant", "TF / minitf >= 10x", ("tf", 10)),
    ("MLP 64-128-10 train step", "minitf / NumPy floor <= 1.3x", ("floor", 1.3)),
    ("MLP 64-128-10 train step", "TF / minitf > 1x", ("tf", 1.0)),
    ("tiny MLP 8-16-2 train step", "minitf / NumPy floor <= 3x", ("floor", 3)),
    ("tiny MLP 8-16-2 train step", "TF / minitf >= 3x", ("tf", 3)),
    ("convnet 16x16 train step", "minitf / NumPy floor <= 1.6x", ("floor", 1.6)),
    ("LSTM 10x32 train step", "minitf / NumPy floor <= 2.5x", ("floor", 2.5)),
    ("LSTM 10x32 train step", "TF / minitf > 1x", ("tf", 1.0)),
    ("Graph.unique_name", "pure Python / Cython >= 2x", ("python", 2)),
    ("get_variable existing (AUTO_REUSE)", "pure Python / Cython >= 2x", ("python", 2)),
]


PEER_LABELS = {"minitf": "minitf", "numpy": "NumPy by hand", "tensorflow": "TF graph",
               "torch": "PyTorch eager", "jax": "JAX jit"}
# issue 21's acceptance: (framework, steps, bound on its step time / minitf's)
PEER_TARGETS = [("numpy", "all", 1.0), ("jax", "all", 1.0),
                ("tensorflow", ("tiny MLP 8-16-2 train step", "MLP 64-128-10 train step"), 3.0)]


def fmt_time(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def _ratio(a, b):
    return None if a is None or b is None else a / b


def _fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def case_table(results):
    cy, py, tf = (results.get(k, {}) for k in ("cython", "python", "tensorflow"))
    base = cy or py
    floors = base.get("floors", {})
    rows = [("case", "cython", "python", "tensorflow", "python/cy", "TF/cy", "cy/NumPy")]
    for name in base["cases"]:
        c, p, t = (r.get("cases", {}).get(name) for r in (cy, py, tf))
        rows.append((name, fmt_time(c), fmt_time(p), fmt_time(t), _fmt_ratio(_ratio(p, c)),
                     _fmt_ratio(_ratio(t, c)), _fmt_ratio(_ratio(c, floors.get(name)))))
    for name, ns in floors.items():
        rows.append((f"  NumPy floor: {name}", fmt_time(ns), "", "", "", "", ""))
    return _layout(rows)


def series_table(results):
    rows = [("series (cost per item)", "n", "cython", "python", "tensorflow")]
    base = results.get("cython") or results.get("python")
    for name, by_n in base["series"].items():
        for n in by_n:
            rows.append((name, n) + tuple(fmt_time(results.get(k, {}).get("series", {}).get(
                name, {}).get(n)) for k in ("cython", "python", "tensorflow")))
    return _layout(rows)


def _layout(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)
                       for i, (v, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def check_targets(results):
    """[(case, target, measured text, ok or None)]"""
    cy = results.get("cython") or {}
    out = []
    for case, what, (kind, bound) in TARGETS:
        c = cy.get("cases", {}).get(case)
        if kind == "floor":
            r = _ratio(c, cy.get("floors", {}).get(case))
            ok = None if r is None else r <= bound
        else:
            other = results.get("tensorflow" if kind == "tf" else "python", {})
            r = _ratio(other.get("cases", {}).get(case), c)
            ok = None if r is None else r >= bound if bound > 1 else r > bound
        out.append((case, what, _fmt_ratio(r), ok))
    out.extend(_scaling_and_memory(cy))
    return out


def _scaling_and_memory(cy):
    out = []
    series = cy.get("series", {}).get("sibling default_name scopes", {})
    if series:
        first, last = series[min(series, key=int)], series[max(series, key=int)]
        out.append(("sibling default_name scopes", f"cost per scope at n={max(series, key=int)} "
                    f"<= 1.5x at n={min(series, key=int)}", _fmt_ratio(last / first),
                    last / first <= 1.5))
    if "bytes_per_variable" in cy:
        b = cy["bytes_per_variable"]
        out.append(("memory per variable [1]", "<= 2048 bytes", f"{b:.0f} B", b <= 2048))
    return out


def peers_table(peers):
    """The --against table: each framework's step time, and its ratio to minitf's (above 1x:
    minitf is faster)."""
    frameworks = peers["frameworks"]
    kinds = list(frameworks)
    rows = [("training step",) + tuple(PEER_LABELS[k] for k in kinds)]
    for name in frameworks["minitf"]["steps"]:
        mine = frameworks["minitf"]["steps"][name]["ns"]
        cells = [fmt_time(mine)]
        for kind in kinds[1:]:
            ns = frameworks[kind]["steps"][name]["ns"]
            cells.append(f"{fmt_time(ns)} ({_fmt_ratio(_ratio(ns, mine))})")
        rows.append((name,) + tuple(cells))
    versions = ", ".join(f"{PEER_LABELS[k]} {f['version']}" for k, f in frameworks.items())
    threads = f"{peers['threads']} thread{'s' if peers['threads'] > 1 else ''}"
    return "\n".join([
        f"against the peers: {versions}; {threads} each; the fastest of "
        f"{peers['repeats']} blocks of ~{peers['block_seconds']:g} s, alternating between the "
        "frameworks; (x) = its time / minitf's", "", _layout(rows)])


def check_peer_targets(peers):
    """[(case, target, measured text, ok or None)] of issue 21's acceptance."""
    frameworks = peers["frameworks"]
    mine = frameworks["minitf"]["steps"]
    out = []
    for kind, names, bound in PEER_TARGETS:
        for name in mine if names == "all" else names:
            theirs = frameworks.get(kind, {}).get("steps", {}).get(name, {}).get("ns")
            r = _ratio(theirs, mine[name]["ns"])
            out.append((name, f"{PEER_LABELS[kind]} / minitf >= {bound:g}x", _fmt_ratio(r),
                        None if r is None else r >= bound))
    return out


def _target_lines(checks):
    return [f"  {'n/a ' if ok is None else 'PASS' if ok else 'MISS'}  {case}: {what} "
            f"(measured {measured})" for case, what, measured, ok in checks]


def render(results):
    workers = {k: r for k, r in results.items() if k != "peers"}
    kinds = ", ".join(f"{k} ({r['version']})" for k, r in workers.items())
    quick = any(r.get("quick") for r in workers.values())
    parts = [f"minitf benchmark: {kinds}{' [quick]' if quick else ''}", "",
             case_table(results), "", series_table(results), "", "targets:"]
    parts += _target_lines(check_targets(results))
    if "peers" in results:
        parts += ["", peers_table(results["peers"]), "", "targets against the peers (issue 21):"]
        parts += _target_lines(check_peer_targets(results["peers"]))
    return "\n".join(parts)
