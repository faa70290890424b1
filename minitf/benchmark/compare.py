"""`--against`: minitf's MLP training steps side by side with other frameworks' (peer_steps.py),
each framework in its own process under its own interpreter (peers.py, run by path).

All the processes are started first, each building and warming up its steps while the others
wait on their pipes; then the timed blocks alternate between the frameworks, step by step and
round by round (each round in a rotated order), so a ratio of two frameworks' times is not
moved by the machine's load drifting during the run.
"""
import json
import pathlib
import statistics
import subprocess
import sys

from minitf.benchmark import cases, peer_steps

PEERS = pathlib.Path(__file__).with_name("peers.py")
MODULES = {"tensorflow": "tensorflow", "torch": "torch", "jax": "jax"}
FLAGS = {"tensorflow": "--tf-python", "torch": "--torch-python", "jax": "--jax-python"}


def parse_against(text):
    """The frameworks of a comma list such as 'numpy,tensorflow,torch,jax', in its order."""
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in peer_steps.KINDS[1:]]
    if unknown or not kinds:
        raise ValueError(f"--against takes a comma list of {', '.join(peer_steps.KINDS[1:])}; "
                         f"got {text!r}")
    return list(dict.fromkeys(kinds))


def importable(kind, python, env):
    """Whether `python` can import `kind`'s framework; prints why not when it cannot."""
    module = MODULES.get(kind, "numpy")
    try:
        check = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                               text=True, env=env)
    except OSError as error:
        check = error
    if getattr(check, "returncode", 1) == 0:
        return True
    flag = FLAGS.get(kind, "")
    print(f"{module} is not importable by {python}: skipping its column"
          + (f" (pass {flag} with an interpreter that has it)." if flag else "."),
          file=sys.stderr)
    return False


def rotated(items, r):
    """`items` starting from its (r mod length)th: round r's order, so no one always goes first."""
    r = r % len(items) if items else 0
    return items[r:] + items[:r]


class Served:
    """A worker process that answers each line it reads with one JSON line."""

    def __init__(self, kind, python, args, env):
        self.kind, self.python = kind, python
        self.process = subprocess.Popen([python, *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, command=None):
        """The next answer, after sending `command` (None: the one it sends unasked)."""
        if command is not None:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.kind} benchmark worker ({self.python}) failed "
                             f"(exit {self.process.wait()})")
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


class Peer(Served):
    """One framework's peers.py process, ready to time blocks of its steps."""

    def __init__(self, kind, python, env, threads, target):
        print(f"[{kind}] building and calibrating its steps", file=sys.stderr, flush=True)
        super().__init__(kind, python, [str(PEERS), kind, "--threads", str(threads),
                                        "--target", str(target)], env)
        self.ready = self.ask()

    def time(self, name):
        """ns per step of one timed block of `name`."""
        return self.ask(name)


def compare(workers, threads, quick):
    """{"threads", "repeats", "block_seconds", "frameworks": {kind: {"version", "python",
    "steps": {step: {"ns": fastest block, "median": median block, "samples": [...]}}}}}.

    `workers` maps each framework to compare (minitf first) to (its interpreter, the
    environment its process runs in: the thread variables, the minitf backend)."""
    target, repeats = (0.01, 2) if quick else (0.2, 7)
    peers = []
    try:
        for kind, (python, env) in workers.items():
            peers.append(Peer(kind, python, env, threads, target))
        samples = {peer.kind: {name: [] for name, _, _ in cases.PEER_STEPS} for peer in peers}
        for r in range(repeats):
            print(f"[peers] round {r + 1} of {repeats}", file=sys.stderr, flush=True)
            for name, _, _ in cases.PEER_STEPS:
                for peer in rotated(peers, r):
                    samples[peer.kind][name].append(peer.time(name))
    finally:
        for peer in peers:
            peer.close()
    frameworks = {}
    for peer in peers:
        steps = {name: {"ns": min(times), "median": statistics.median(times), "samples": times}
                 for name, times in samples[peer.kind].items()}
        frameworks[peer.kind] = {"version": peer.ready["version"], "python": peer.python,
                                 "steps": steps}
    return {"threads": threads, "repeats": repeats, "block_seconds": target,
            "frameworks": frameworks}
