"""One framework's side of the `--against` comparison, run by path under that framework's
interpreter (so it needs no minitf there):

    python peers.py KIND --threads N [--target S]   serve timed blocks (below)
    python peers.py KIND --threads N --trained K    print the weights after K steps, as JSON

Serving, it builds and warms up every step of cases.PEER_STEPS, sizes a block of calls to last
about `--target` seconds, writes one JSON line {"kind", "version", "calls": {step: calls}},
then answers each line it reads naming a step with one JSON number: the ns per call of one
timed block of it (the last call's work waited for, so JAX's asynchronous dispatch is counted
once per block). The benchmark keeps every framework's process waiting on its pipe and asks
them in turn, so their blocks alternate and the machine's drift moves them all alike.
"""
import argparse
import gc
import json
import os
import sys
import time

if __package__:  # imported as minitf.benchmark.peers
    from minitf.benchmark import cases, peer_steps
else:  # run by path, also under interpreters without minitf
    import cases
    import peer_steps


def time_block(step, calls):
    """Seconds for `calls` steps, the last one's work finished."""
    start = time.perf_counter()
    for _ in range(calls):
        step.run()
    step.sync()
    return time.perf_counter() - start


def calibrate(step, target):
    """Calls per block so that one block lasts at least `target` s."""
    calls, elapsed = 1, time_block(step, 1)
    while elapsed < target:
        calls = max(2 * calls, int(calls * target / max(elapsed, 1e-9) * 1.1))
        elapsed = time_block(step, calls)
    return calls


def build_all(kind, threads):
    module, version = peer_steps.load(kind, threads)
    steps = {name: peer_steps.build(kind, module, sizes, batch)
             for name, sizes, batch in cases.PEER_STEPS}
    return steps, version


def pin(threads):
    """Keeps this process on `threads` CPUs: a runtime that starts threads of its own despite
    the thread settings (JAX's did: 1.5-1.6 cores busy with XLA's one-thread flags) then gets
    the cores the others get. The processes time their blocks in turn, never together."""
    if threads and hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, allowed[:threads])


def serve(kind, threads, target, channel, commands):
    steps, version = build_all(kind, threads)
    # the three models stay alive side by side; frozen, their objects are not walked by every
    # full garbage collection of the steps' temporaries (a process training one model has less)
    gc.collect()
    gc.freeze()
    try:
        calls = {name: calibrate(step, target) for name, step in steps.items()}
        _send(channel, {"kind": kind, "version": version, "calls": calls})
        for line in commands:
            name = line.strip()
            if not name:
                break
            _send(channel, time_block(steps[name], calls[name]) / calls[name] * 1e9)
    finally:
        gc.unfreeze()


def trained(kind, threads, count):
    """{step: its weights (nested lists) after `count` training steps}."""
    steps, _ = build_all(kind, threads)  # (each has run one warm-up step)
    out = {}
    for name, step in steps.items():
        for _ in range(count - 1):
            step.run()
        step.sync()
        out[name] = [p.tolist() for p in step.params()]
    return out


def _send(channel, value):
    channel.write(json.dumps(value) + "\n")
    channel.flush()


def main(argv):
    parser = argparse.ArgumentParser(prog="peers.py")
    parser.add_argument("kind", choices=peer_steps.KINDS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.2)
    parser.add_argument("--trained", type=int, metavar="K")
    args = parser.parse_args(argv)
    # the answers go to the original stdout; anything a framework prints goes to stderr
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if args.trained:
        _send(channel, trained(args.kind, args.threads, args.trained))
    else:
        pin(args.threads)  # (the worker's own process only: never a caller's)
        serve(args.kind, args.threads, args.target, channel, sys.stdin)
    if args.kind != "minitf" and "minitf" in sys.modules:  # a peer measured with minitf in it
        raise SystemExit(f"the {args.kind} benchmark worker imported minitf")


if __name__ == "__main__":
    main(sys.argv[1:])
