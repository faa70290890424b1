"""Drawing a graph: `to_dot` (DOT text clustered by name scope) and the command line
`python -m minitf.viz script.py -o graph.svg` (minitf/viz/cli.py)."""
from minitf.viz.dot import to_dot

__all__ = ["to_dot"]
