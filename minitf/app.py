"""`tf.app`: TF1's program entry point, `tf.app.run()`, and `tf.app.flags` (= `tf.flags`)."""
import sys

from minitf import flags

__all__ = ["run", "flags"]


def _help_requested(argv):
    return any(arg in ("--help", "-help", "--helpshort", "--helpfull", "-h", "-?")
               for arg in argv[1:argv.index("--") if "--" in argv else len(argv)])


def run(main=None, argv=None):
    """Parses the flags, runs `main(argv)` with the arguments left, and exits with its result.

    Unknown flags are tolerated, as in TF1: they stay in the arguments `main` receives. `--help`
    prints the flags' help and exits with status 0.

    Args:
      main: the function to run, called with the remaining arguments (`argv[0]` first); by
        default the `main` of the `__main__` module.
      argv: the command line to parse (by default `sys.argv`).

    Raises:
      SystemExit: always, with `main`'s return value (so `sys.exit` semantics apply).
      IllegalFlagValueError: a flag's value is bad, or a required flag has none.
    """
    argv = sys.argv if argv is None else argv
    if _help_requested(list(argv)):
        print(f"\n       USAGE: {argv[0]} [flags]\nflags:\n\n{flags.FLAGS.get_help()}\n\n"
              "Try --helpfull to get a list of all flags.")
        sys.exit(0)
    remaining = flags.FLAGS(argv, known_only=True)
    main = main or sys.modules["__main__"].main
    sys.exit(main(remaining))
