"""The benchmark: `python -m minitf.benchmark --help`."""
