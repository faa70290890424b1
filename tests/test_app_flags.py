"""tf.flags and tf.app.run: the command lines TF1 (absl) parses, its values, errors and exits.

Expected results were taken from TF 2.21's tf.compat.v1.flags / tf.compat.v1.app.run.
"""
import subprocess
import sys
import textwrap

import pytest

import minitf as tf

F = tf.flags


@pytest.fixture
def fv():
    values = F.FlagValues()
    F.DEFINE_string("name", "x", "a name", flag_values=values)
    F.DEFINE_integer("n", 3, "count", lower_bound=0, flag_values=values)
    F.DEFINE_float("lr", 0.1, "rate", flag_values=values)
    F.DEFINE_boolean("verbose", False, "v", flag_values=values)
    F.DEFINE_bool("fast", True, "f", flag_values=values)
    F.DEFINE_list("items", "a,b", "items", flag_values=values)
    F.DEFINE_enum("mode", "train", ["train", "eval"], "mode", flag_values=values)
    F.DEFINE_multi_string("ms", None, "ms", flag_values=values)
    F.DEFINE_multi_integer("mi", [1], "mi", flag_values=values)
    return values


def test_a_full_command_line_parses_as_absl_parses_it(fv):
    rest = fv(["prog", "--name=bob", "--n", "5", "--noverbose", "--nofast", "pos", "--lr=2",
               "--items=c,d", "--mode", "eval", "--ms=a", "--ms", "b", "--mi=3", "--mi=4", "--",
               "--x"])
    assert rest == ["prog", "pos", "--x"]
    assert (fv.name, fv.n, fv.lr, fv.verbose, fv.fast) == ("bob", 5, 2.0, False, False)
    assert (fv.items, fv.mode, fv.ms, fv.mi) == (["c", "d"], "eval", ["a", "b"], [3, 4])
    assert isinstance(fv.lr, float)


def test_defaults_and_flag_objects(fv):
    fv.mark_as_parsed()
    assert (fv.name, fv.n, fv.lr, fv.verbose, fv.fast) == ("x", 3, 0.1, False, True)
    assert (fv.items, fv.mode, fv.ms, fv.mi) == (["a", "b"], "train", None, [1])
    assert (fv["n"].help, fv["n"].default) == ("count", 3)
    assert "n" in fv and "zz" not in fv
    assert fv.flag_values_dict()["items"] == ["a", "b"]


def test_booleans(fv):
    assert fv(["prog", "--verbose=false"]) == ["prog"] and fv.verbose is False
    # a bare boolean flag does not take the next argument
    assert fv(["prog", "--verbose", "false"]) == ["prog", "false"] and fv.verbose is True
    for text, value in [("t", True), ("1", True), ("F", False), ("0", False), ("TRUE", True)]:
        fv(["prog", f"--fast={text}"])
        assert fv.fast is value
    with pytest.raises(F.IllegalFlagValueError, match=r"flag --verbose=maybe: \('Non-boolean "
                       r"argument to boolean flag', 'maybe'\)"):
        fv(["prog", "--verbose=maybe"])


def test_single_dash_and_setting_attributes(fv):
    assert fv(["prog", "-n", "4"]) == ["prog"] and fv.n == 4
    fv.n = 9
    assert fv.n == 9
    with pytest.raises(AttributeError, match="nonexist"):
        fv.nonexist


@pytest.mark.parametrize("argv, error, message", [
    (["--n=abc"], F.IllegalFlagValueError,
     "flag --n=abc: invalid literal for int() with base 10: 'abc'"),
    (["--n=-1"], F.IllegalFlagValueError, "flag --n=-1: -1 is not a non-negative integer"),
    (["--mode=zz"], F.IllegalFlagValueError, "flag --mode=zz: value should be one of <train|eval>"),
    (["--unknown=1"], F.UnrecognizedFlagError, "Unknown command line flag 'unknown'"),
    (["--name"], F.Error, "Missing value for flag --name"),
])
def test_bad_command_lines(fv, argv, error, message):
    with pytest.raises(error) as info:
        fv(["prog"] + argv)
    assert str(info.value) == message


def test_known_only_keeps_unknown_flags(fv):
    assert fv(["prog", "--unknown=1", "a", "--n=2"], known_only=True) == ["prog", "--unknown=1",
                                                                          "a"]
    assert fv.n == 2


def test_duplicate_definition(fv):
    with pytest.raises(F.DuplicateFlagError) as info:
        F.DEFINE_string("name", "y", "dup", flag_values=fv)
    assert str(info.value) == ("The flag 'name' is defined twice. First from test_app_flags.py, "
                               "second from test_app_flags.py. Description from first occurrence: "
                               "a name")


def test_required_flag(fv):
    F.DEFINE_string("req", None, "required", flag_values=fv)
    F.mark_flag_as_required("req", flag_values=fv)
    with pytest.raises(F.IllegalFlagValueError) as info:
        fv(["prog"])
    assert str(info.value) == "flag --req=None: Flag --req must have a value other than None."
    assert fv(["prog", "--req=r"]) == ["prog"] and fv.req == "r"


def test_unparsed_access(fv):
    with pytest.raises(F.UnparsedFlagAccessError,
                       match="Trying to access flag --n before flags were parsed."):
        fv.n
    fv(["prog", "--n=1"])
    fv.unparse_flags()
    assert not fv.is_parsed()
    fv.mark_as_parsed()
    assert fv.n == 3


def test_help_text(fv):
    help_text = fv.get_help()
    assert "test_app_flags.py:\n" in help_text
    assert "  --n: count\n    (default: '3')\n    (an integer)" in help_text
    assert "  --[no]verbose: v\n    (default: 'false')" in help_text
    assert "  --mode: <train|eval>: mode\n    (default: 'train')" in help_text
    assert "  --items: items\n    (default: 'a,b')\n    (a comma separated list)" in help_text
    assert ("  --mi: mi;\n    repeat this option to specify a list of values\n"
            "    (default: '[1]')\n    (an integer)") in help_text
    assert "  --ms: ms;\n    repeat this option to specify a list of values\n  --n" in help_text


def test_app_flags_is_tf_flags():
    assert tf.app.flags is tf.flags
    assert isinstance(tf.flags.FLAGS, tf.flags.FlagValues)


_PROGRAM = textwrap.dedent("""
    import minitf as tf
    tf.flags.DEFINE_integer("n", 3, "count")
    FLAGS = tf.flags.FLAGS

    def main(argv):
        print("main", argv, FLAGS.n)
        return 0 if FLAGS.n != 7 else "bye"

    tf.app.run(main)
""")


def _run(tmp_path, *args):
    program = tmp_path / "prog.py"
    program.write_text(_PROGRAM)
    return subprocess.run([sys.executable, str(program), *args], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)


def test_app_run_passes_the_arguments_left_and_tolerates_unknown_flags(tmp_path):
    done = _run(tmp_path, "--n=5", "x", "--zz=1")
    assert done.returncode == 0
    assert done.stdout.endswith("main ['" + str(tmp_path / "prog.py") + "', 'x', '--zz=1'] 5\n")


def test_app_run_exits_with_mains_result(tmp_path):
    done = _run(tmp_path, "--n=7")
    assert (done.returncode, done.stderr.strip().splitlines()[-1]) == (1, "bye")


def test_app_run_bad_value_raises(tmp_path):
    done = _run(tmp_path, "--n=abc")
    assert done.returncode == 1
    assert ("IllegalFlagValueError: flag --n=abc: invalid literal for int() with base 10: 'abc'"
            in done.stderr)


def test_app_run_help(tmp_path):
    done = _run(tmp_path, "--helpshort")
    assert done.returncode == 0
    assert done.stdout == ("\n       USAGE: " + str(tmp_path / "prog.py") + " [flags]\nflags:\n\n"
                           "prog.py:\n  --n: count\n    (default: '3')\n    (an integer)\n\n"
                           "Try --helpfull to get a list of all flags.\n")


def test_app_run_in_process(monkeypatch):
    seen = []
    monkeypatch.setattr(tf.flags, "FLAGS", tf.flags.FlagValues(auto_parse=True))
    tf.flags.DEFINE_string("who", "w", "who", flag_values=tf.flags.FLAGS)
    with pytest.raises(SystemExit) as info:
        tf.app.run(lambda argv: seen.append((argv, tf.flags.FLAGS.who)) or 3,
                   argv=["p", "--who=me", "rest"])
    assert info.value.code == 3
    assert seen == [(["p", "rest"], "me")]


def test_module_flags_parse_sys_argv_on_first_read(monkeypatch):
    # TF1's tf.flags.FLAGS parses sys.argv (unknown flags tolerated) when a flag is first read
    values = tf.flags.FlagValues(auto_parse=True)
    tf.flags.DEFINE_integer("k", 1, "k", flag_values=values)
    monkeypatch.setattr(sys, "argv", ["prog", "--k=4", "--other=1"])
    assert values.k == 4 and values.is_parsed()
