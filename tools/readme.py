"""Reads the README's code, so that CI and the tests run exactly what a reader sees.

    python tools/readme.py setup 1      # prints the main job's command (the "Set up" section)
    python tools/readme.py setup 2      # prints the test command

tests/test_readme.py imports this module to run every Python block and compare what it prints
with the comments shown beside it.
"""
import io
import pathlib
import re
import sys
import tokenize

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks(text, language):
    """Returns the code blocks of `text` fenced as `language` ("" for untyped), in order."""
    return [m.group(2) for m in _FENCE.finditer(text) if m.group(1) == language]


def section(text, title):
    """Returns the body of the `## title` section of `text`."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if match is None:
        raise ValueError(f"the README has no '## {title}' section")
    return match.group(1)


def setup_commands(text):
    """Returns the "Set up" section's two commands: the main job's, then the tests'."""
    commands = [block.strip() for block in blocks(section(text, "Set up"), "bash")]
    if len(commands) != 2 or any("\n" in command for command in commands):
        raise ValueError("the README's 'Set up' section must hold exactly two one-line bash "
                         f"blocks (the main job, then the tests); it holds {commands!r}")
    return commands


def comments(source):
    """Maps each line number of `source` to its comment's text (without '# ')."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {t.start[0]: t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT}


def main(argv):
    if len(argv) != 3 or argv[1] != "setup" or argv[2] not in ("1", "2"):
        raise SystemExit("usage: python tools/readme.py setup 1|2")
    print(setup_commands(README.read_text())[int(argv[2]) - 1])


if __name__ == "__main__":
    main(sys.argv)
