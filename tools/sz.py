"""Lines of code per module (non-blank, non-comment); fails past the per-module ceiling."""
import pathlib
import sys

CEILING = 800  # STYLE.md: past ~800 lines a module should be split by idea
ROOT = pathlib.Path(__file__).resolve().parent.parent


def count(path):
    return sum(1 for line in path.read_text().splitlines()
               if line.strip() and not line.strip().startswith("#"))


def main():
    files = sorted([*(ROOT / "minitf").rglob("*.py"), *(ROOT / "csrc").glob("*.pyx"),
                    *(ROOT / "csrc").glob("*.pxi"), *(ROOT / "csrc").glob("*.pxd")])
    sizes = [(count(f), f.relative_to(ROOT)) for f in files]
    for n, f in sizes:
        print(f"{n:6d}  {f}")
    print(f"{sum(n for n, _ in sizes):6d}  total")
    over = [str(f) for n, f in sizes if n > CEILING]
    if over:
        print(f"over the {CEILING}-line ceiling: {', '.join(over)}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
