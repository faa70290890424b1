"""DOT export clustered by name scope and `python -m minitf.viz` (issue 20)."""
import os
import shutil
import subprocess
import sys

import pytest

import minitf as tf
from minitf.viz import cli, to_dot

TABLE = '<<table border="0" cellborder="1" cellspacing="0"{}><tr><td>{}</td></tr><tr><td>{}</td>' \
        '</tr></table>>'


def _node(name, op_type, shape, indent=1, fill=""):
    label = TABLE.format(fill and f' bgcolor="{fill}"', op_type, shape)
    return f'{"  " * indent}"{name}" [shape=plaintext, label={label}, tooltip="{name}"];'


def _small_model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 3])
        y = tf.matmul(x, w, name="y")
    with tf.control_dependencies([y]):
        tf.no_op(name="done")
    return tf.reduce_sum(y, name="loss")


def test_dot_clusters_scopes_and_draws_data_and_control_edges():
    _small_model()
    assert to_dot() == "\n".join([
        "digraph G {",
        '  graph [compound=true, fontname="Helvetica", fontsize=11, labeljust=l];',
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555", arrowsize=0.6];',
        _node("x", "Placeholder", "(?, 2)"),
        '  "done" [label="NoOp", tooltip="done"];',
        _node("loss", "Sum", "()"),
        '  subgraph "cluster_layer" {',
        '    label="layer";',
        _node("layer/y", "MatMul", "(?, 3)", 2),
        '    subgraph "cluster_layer/w" {',
        '      label="w";',
        '      "layer/w/Initializer/" [shape=box3d, style="filled", fillcolor="#dddddd", '
        'label="Initializer\\n(7 ops)", tooltip="layer/w/Initializer"];',
        _node("layer/w", "VariableV2", "(2, 3)", 3, fill="#fde9b7"),
        _node("layer/w/Assign", "Assign", "(2, 3)", 3),
        _node("layer/w/read", "Identity", "(2, 3)", 3),
        "    }",
        "  }",
        '  "layer/w" -> "layer/w/Assign";',
        '  "layer/w/Initializer/" -> "layer/w/Assign";',
        '  "layer/w" -> "layer/w/read";',
        '  "x" -> "layer/y";',
        '  "layer/w/read" -> "layer/y";',
        '  "layer/y" -> "done" [style=dashed];',
        '  "layer/y" -> "loss";',
        "}"])


def test_gradients_and_optimizer_scopes_are_one_node_each_unless_expanded():
    loss = _small_model()
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    text = to_dot()
    assert '"gradients/" [shape=box3d' in text and 'label="gradients\\n(6 ops)"' in text
    assert 'label="GradientDescent\\n(3 ops)"' in text and "cluster_gradients" not in text
    assert '  "layer/w/read" -> "gradients/";\n' in text
    assert '  "gradients/" -> "GradientDescent/";\n' in text
    expanded = to_dot(collapse=[])
    assert to_dot(collapse=None) == expanded
    assert 'subgraph "cluster_gradients" {' in expanded
    assert 'subgraph "cluster_layer/w/Initializer/random_uniform" {' in expanded
    assert '"GradientDescent" [label="NoOp", tooltip="GradientDescent"];' in expanded
    assert '"GradientDescent/update_layer/w/ApplyGradientDescent"' in expanded
    assert expanded.count(" -> ") > text.count(" -> ")


def test_max_depth_and_explicit_collapse():
    _small_model()
    text = to_dot(max_depth=1)
    assert '"layer/w/" [shape=box3d, style="filled", fillcolor="#fde9b7", label="w\\n(10 ops)"' \
        in text  # a collapsed scope holding a variable is filled as variables are
    assert '  "layer/w/" -> "layer/y";\n' in text and "cluster_layer/w" not in text
    top = to_dot(max_depth=0)
    assert '"layer/" [shape=box3d' in top and 'label="layer\\n(11 ops)"' in top
    assert "subgraph" not in top and '  "layer/" -> "done" [style=dashed];\n' in top
    with tf.name_scope("one"):
        tf.constant(1.0, name="c")
    chosen = to_dot(collapse=["layer/w", "one", "layer/y"])  # (layer/y is an op, no scope)
    assert 'label="w\\n(10 ops)"' in chosen and 'label="one\\n(1 op)"' in chosen
    assert "Initializer" not in chosen and '"layer/y" [shape=plaintext' in chosen


def test_dot_of_a_given_graph_with_a_multi_output_op():
    graph = tf.Graph()
    with graph.as_default():
        tf.unstack(tf.zeros([2, 3], name="z"), name="rows")
    assert ('  "rows" [shape=plaintext, label=<<table border="0" cellborder="1" cellspacing="0">'
            '<tr><td colspan="2">Unpack</td></tr><tr><td>(3,)</td><td>(3,)</td></tr></table>>, '
            'tooltip="rows"];') in to_dot(graph)
    assert to_dot().count("->") == 0  # (the default graph is another, empty one)


SCRIPT = '''\
import sys
import minitf as tf

with tf.Graph().as_default():
    with tf.name_scope("model"):
        a = tf.constant(2.0, name="a")
        b = tf.multiply(a, float(sys.argv[1]), name="b")
    with tf.Session() as sess:
        print("b =", sess.run(b))
tf.constant(0.0, name="after")  # the global default graph: not the one drawn
'''


@pytest.fixture
def script(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "tiny.py"
    path.write_text(SCRIPT)
    return path


def test_cli_without_dot_writes_the_dot_file_and_says_so(script, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    as_default = tf.Graph.as_default
    assert cli.main([str(script), "-o", "graph.svg", "--", "3"]) == 0
    assert tf.Graph.as_default is as_default  # (wrapped only while the script ran)
    out = capsys.readouterr().out
    assert out.startswith("b = 6.0\n")
    assert "the Graphviz `dot` program was not found; wrote graph.dot instead of graph.svg" in out
    assert not os.path.exists("graph.svg")
    text = (script.parent / "graph.dot").read_text()
    assert 'subgraph "cluster_model" {' in text and '  "model/a" -> "model/b";\n' in text
    assert '"after"' not in text


def test_cli_writes_dot_by_default_and_reports_a_failing_script(script, capsys):
    script.write_text(SCRIPT + "raise SystemExit(3)\n")
    assert cli.main([str(script), "--max-depth", "0", "--", "1"]) == 0
    captured = capsys.readouterr()
    assert "exited with status 3; drawing its graph anyway" in captured.err
    assert "wrote tiny.dot" in captured.out
    assert '"model/" [shape=box3d' in (script.parent / "tiny.dot").read_text()
    assert cli.main([str(script), "-o", "chosen.dot", "--collapse", "model", "--", "1"]) == 0
    assert 'label="model\\n(3 ops)"' in (script.parent / "chosen.dot").read_text()


def test_cli_runs_a_tf_app_script_that_imports_its_neighbours(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "helper.py").write_text(
        "def build(tf):\n    return tf.constant(1.0, name='h')\n")
    (tmp_path / "sub" / "app.py").write_text(
        "import minitf as tf\nimport helper\n\n\ndef main(argv):\n"
        "    with tf.Graph().as_default():\n        helper.build(tf)\n        print(argv)\n\n\n"
        "if __name__ == '__main__':\n    tf.app.run()\n")
    path = list(sys.path)
    assert cli.main(["sub/app.py", "-o", "app.dot", "--", "x"]) == 0
    assert capsys.readouterr().out == "['sub/app.py', 'x']\nminitf.viz: wrote app.dot (1 op)\n"
    assert sys.path == path and '"h" [shape=plaintext' in (tmp_path / "app.dot").read_text()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_cli_renders_svg_with_dot_as_a_module(script):
    done = subprocess.run([sys.executable, "-m", "minitf.viz", str(script), "-o", "graph.svg",
                           "--", "5"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "b = 10.0\nminitf.viz: wrote graph.svg (and graph.dot)\n"
    svg = (script.parent / "graph.svg").read_text()
    assert "<svg" in svg and "cluster_model" in svg and "Mul" in svg
