"""`python -m minitf.viz script.py -o graph.svg [-- script args]`: runs a script, then draws the
graph it built.

Which graph: the one whose `as_default()` was entered last while the script ran. Op functions
enter their graph to add an op, and sessions enter theirs, so that is the graph the script
last built into or ran, also when it built inside `with tf.Graph().as_default():` (as the
examples do), after which the default graph is the empty global one. A script that enters no
graph gets the default graph drawn.
"""
import argparse
import contextlib
import os
import runpy
import shutil
import subprocess
import sys

from minitf.framework.graph import Graph, get_default_graph
from minitf.viz.dot import to_dot

__all__ = ["main", "run_script"]


@contextlib.contextmanager
def _recording_graphs():
    """Records each graph whose `as_default` is called, by wrapping the method while open."""
    entered, original = [], Graph.as_default

    def as_default(graph):
        entered.append(graph)
        return original(graph)

    Graph.as_default = as_default
    try:
        yield entered
    finally:
        Graph.as_default = original


def run_script(path, argv=()):
    """Runs the Python script `path` as `__main__` with `sys.argv` `[path, *argv]`.

    As `python path` would, it puts the script's directory first on `sys.path`.

    Args:
      path: the script's file name.
      argv: the script's arguments.

    Returns:
      A pair (the graph it built, as the module docstring says, its exit status: 0 unless it
      raised SystemExit with another).
    """
    saved_argv, saved_path, status = sys.argv, list(sys.path), 0
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # as `python path` has it
    try:
        with _recording_graphs() as entered:
            runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:  # (tf.app.run always exits)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return (entered[-1] if entered else get_default_graph()), status


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m minitf.viz", description="Run a minitf script and draw the graph it "
        "built, clustered by name scope. Arguments after `--` go to the script.")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("-o", "--output", help="the picture (.svg, .png) or .dot file to write "
                        "(default: the script's name with .dot)")
    parser.add_argument("--max-depth", type=int, help="draw clusters this many scopes deep")
    parser.add_argument("--expand", action="store_true",
                        help="collapse nothing (by default gradients, optimizer and "
                        "Initializer scopes are one node each)")
    parser.add_argument("--collapse", action="append", metavar="SCOPE",
                        help="draw this scope as one node (repeatable; replaces the default)")
    return parser


def main(argv=None):
    """The command line: runs the script, writes the DOT file and, if asked, the picture.

    Args:
      argv: the arguments (default: `sys.argv[1:]`); those after `--` go to the script.

    Returns:
      The exit status: 0, or `dot`'s status when it failed.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    split = argv.index("--") if "--" in argv else len(argv)
    args = _parser().parse_args(argv[:split])
    graph, status = run_script(args.script, argv[split + 1:])
    if status:
        print(f"minitf.viz: {args.script} exited with status {status}; drawing its graph anyway",
              file=sys.stderr)
    collapse = () if args.expand else args.collapse or "auto"
    output = args.output or os.path.splitext(os.path.basename(args.script))[0] + ".dot"
    stem, ext = os.path.splitext(output)
    dot_file = output if ext == ".dot" else stem + ".dot"
    with open(dot_file, "w") as f:
        f.write(to_dot(graph, max_depth=args.max_depth, collapse=collapse) + "\n")
    if ext == ".dot":
        n = len(graph.get_operations())
        print(f"minitf.viz: wrote {dot_file} ({n} op{'s' * (n != 1)})")
        return 0
    return _render(dot_file, output, ext[1:])


def _render(dot_file, output, fmt):
    dot = shutil.which("dot")
    if fmt not in ("svg", "png") or dot is None:
        why = "the Graphviz `dot` program was not found" if dot is None else f"no .{fmt} output"
        print(f"minitf.viz: {why}; wrote {dot_file} instead of {output} "
              f"(render it with `dot -T{fmt or 'svg'} {dot_file} -o {output}`)")
        return 0
    done = subprocess.run([dot, f"-T{fmt}", dot_file, "-o", output], capture_output=True,
                          text=True)
    if done.returncode:
        print(f"minitf.viz: dot failed: {done.stderr.strip()}", file=sys.stderr)
        return done.returncode
    print(f"minitf.viz: wrote {output} (and {dot_file})")
    return 0
