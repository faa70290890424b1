"""`python -m minitf.viz script.py -o graph.svg`: see minitf/viz/cli.py."""
import sys

from minitf.viz.cli import main

sys.exit(main())
