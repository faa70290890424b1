"""tf.gfile on local paths: TF1's results and TF's error types and messages (TF 2.21)."""
import os

import pytest

import minitf as tf

G = tf.gfile
E = tf.errors


@pytest.fixture
def d(tmp_path):
    G.MakeDirs(str(tmp_path / "a" / "b"))
    with G.GFile(str(tmp_path / "a" / "f.txt"), "w") as f:
        f.write("hello\nworld\n")
    return str(tmp_path)


def test_write_then_read_text(d):
    path = os.path.join(d, "a", "f.txt")
    f = G.GFile(path)
    assert (f.size(), f.readline(), f.tell(), f.read(3)) == (12, "hello\n", 6, "wor")
    f.seek(0)
    assert list(f) == ["hello\n", "world\n"]
    assert (f.mode, f.name) == ("r", path)
    f.close()
    assert G.GFile(path, "rb").read() == b"hello\nworld\n"
    assert G.GFile(path, "rb").readline() == b"hello\n"
    assert G.Open(path).readlines() == ["hello\n", "world\n"]
    assert G.FastGFile(path).read() == "hello\nworld\n"


def test_write_tell_append_and_modes(d):
    path = os.path.join(d, "g.txt")
    with G.GFile(path, "w") as f:
        f.write("hello\nworld\n")
        assert f.tell() == 12
    with G.GFile(path, "a") as f:
        f.write("x")
    with G.GFile(path, "a") as f:
        f.write(b"y")
        f.flush()
        assert f.size() == 14
    assert G.GFile(path).read() == "hello\nworld\nxy"
    with G.GFile(path, "wb") as f:
        f.write("s")
    assert G.GFile(path).read() == "s"
    with G.GFile(path, "w+") as f:
        f.write("ab")
        f.seek(0)
        assert f.read() == "ab"


def test_unicode_text(d):
    path = os.path.join(d, "u.txt")
    with G.GFile(path, "w") as f:
        f.write("é✓\n")
    assert G.GFile(path).read() == "é✓\n"
    assert G.GFile(path, "rb").read() == "é✓\n".encode()
    assert G.Stat(path).length == 6


@pytest.mark.parametrize("call, error, message", [
    (lambda d: G.GFile(d + "/w.txt", "w").read(), E.PermissionDeniedError,
     "File isn't open for reading"),
    (lambda d: G.GFile(d + "/a/f.txt", "r").write("q"), E.PermissionDeniedError,
     "File isn't open for writing"),
    (lambda d: G.GFile(d + "/a/f.txt", "z"), E.InvalidArgumentError,
     "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"),
])
def test_mode_errors(d, call, error, message):
    with pytest.raises(error) as info:
        call(d)
    assert str(info.value) == message


def test_missing_files(d):
    missing = d + "/missing.txt"
    f = G.GFile(missing)  # opening is lazy: the read fails
    for call in (f.read, lambda: G.Stat(missing), lambda: G.Remove(missing),
                 lambda: G.Copy(missing, d + "/h.txt"), lambda: G.Rename(missing, d + "/z")):
        with pytest.raises(E.NotFoundError) as info:
            call()
        assert str(info.value) == f"{missing}; No such file or directory"
    with pytest.raises(E.NotFoundError, match=f"^Could not find directory {d}/nope$"):
        G.ListDirectory(d + "/nope")
    with pytest.raises(E.NotFoundError, match=f"^{d}/nope not found$"):
        G.DeleteRecursively(d + "/nope")
    with pytest.raises(E.NotFoundError, match=f"^{d}/x/y; No such file or directory$"):
        G.MkDir(d + "/x/y")
    assert list(G.Walk(d + "/nope")) == [] and G.Glob(d + "/zz/*.txt") == []


def test_directories(d):
    assert G.MakeDirs(d + "/a/b") is None and G.MkDir(d + "/a") is None  # existing: fine
    G.MkDir(d + "/c")
    assert G.IsDirectory(d + "/c") and not G.IsDirectory(d + "/a/f.txt")
    assert not G.IsDirectory(d + "/nope")
    assert G.Exists(d + "/a/f.txt") and not G.Exists(d + "/nope")
    assert sorted(G.ListDirectory(d + "/a")) == ["b", "f.txt"]
    with pytest.raises(E.FailedPreconditionError, match=f"^{d}/a/b; Is a directory$"):
        G.Remove(d + "/a/b")
    G.DeleteRecursively(d + "/a")
    assert not G.Exists(d + "/a")


def test_copy_and_rename(d):
    src, dst = d + "/a/f.txt", d + "/a/g.txt"
    G.Copy(src, dst)
    with pytest.raises(E.AlreadyExistsError, match="^file already exists$"):
        G.Copy(src, dst)
    G.Copy(src, dst, overwrite=True)
    with pytest.raises(E.AlreadyExistsError, match="^file already exists$"):
        G.Rename(dst, src)
    G.Rename(dst, d + "/a/h.txt")
    assert sorted(G.ListDirectory(d + "/a")) == ["b", "f.txt", "h.txt"]
    G.Rename(d + "/a/h.txt", src, overwrite=True)
    assert sorted(G.ListDirectory(d + "/a")) == ["b", "f.txt"]
    G.Remove(src)
    assert not G.Exists(src)


def test_glob_walk_stat(d):
    with G.GFile(d + "/a/h.txt", "w") as f:
        f.write("x")
    assert sorted(G.Glob(d + "/a/*.txt")) == [d + "/a/f.txt", d + "/a/h.txt"]
    assert sorted(G.Glob([d + "/a/f*", d + "/a/h*"])) == [d + "/a/f.txt", d + "/a/h.txt"]
    walked = [(r, sorted(ds), sorted(fs)) for r, ds, fs in G.Walk(d)]
    assert walked == [(d, ["a"], []), (d + "/a", ["b"], ["f.txt", "h.txt"]), (d + "/a/b", [], [])]
    post = [r for r, _, _ in G.Walk(d, in_order=False)]
    assert post == [d + "/a/b", d + "/a", d]
    s = G.Stat(d + "/a/f.txt")
    assert (s.length, s.is_directory, type(s).__name__) == (12, False, "FileStatistics")
    assert s.mtime_nsec == os.stat(d + "/a/f.txt").st_mtime_ns
    assert G.Stat(d + "/a").is_directory


def test_delete_recursively_on_a_file(d):
    G.DeleteRecursively(d + "/a/f.txt")
    assert not G.Exists(d + "/a/f.txt")


def test_tf2_names_are_the_same_functions():
    pairs = [("exists", "Exists"), ("makedirs", "MakeDirs"), ("mkdir", "MkDir"),
             ("rmtree", "DeleteRecursively"), ("glob", "Glob"), ("listdir", "ListDirectory"),
             ("copy", "Copy"), ("rename", "Rename"), ("remove", "Remove"), ("walk", "Walk"),
             ("stat", "Stat"), ("isdir", "IsDirectory")]
    for new, old in pairs:
        assert getattr(G, new) is getattr(G, old)
    assert G.Open is G.GFile and issubclass(G.FastGFile, G.GFile)
    assert G.join("a", "b") == os.path.join("a", "b")
