"""summary_table (variables by name scope, with totals) and TF1 slim's model_analyzer (issue 20).

Slim is not in TF 2.21, so there is no tfdiff for it: the expected lines below are built by hand
from slim's code (tensorflow/contrib/slim/python/slim/model_analyzer.py, TF 1.15): a `---------`
header, `print(var.name, tensor_description(var), '[%d, bytes: %d]' % (size, bytes))` per
variable with `tensor_description` = `'(' + dtype.name + ' ' + 'x'.join(dims) + ')'`, then the
two totals; for ops, `print(op.name, '\\t->', ', '.join(shapes), '[' + str(size) + ']')`, where
an output of unknown rank has no description and an unknown size counts 0.
"""
import minitf as tf
from minitf.model_analyzer import summary_table

MODEL_TABLE = """\
Variable            Shape    Dtype    Size  Bytes  Parts  Trainable
------------------  -------  -------  ----  -----  -----  ---------
a/                                      55    220
  w                 (3, 4)   float32    12     48      1  yes
  emb               (10, 4)  float32    40    160      3  yes
  b/                                     2      8
    r               (2,)     float32     2      8      1  yes
  s                 ()       int32       1      4      1  no
global_step         ()       int64       1      8      1  no
------------------  -------  -------  ----  -----  -----  ---------
Total: 5 variables                      56    228"""


def _model():
    with tf.variable_scope("a"):
        w = tf.get_variable("w", [3, 4])
        emb = tf.get_variable("emb", [10, 4], partitioner=tf.fixed_size_partitioner(3))
        with tf.variable_scope("b"):
            r = tf.get_variable("r", [2], use_resource=True)
        s = tf.Variable(1, name="s", trainable=False)
    step = tf.train.get_or_create_global_step()
    return w, emb, r, s, step


def test_summary_table_groups_by_scope_with_a_partitioned_variable_once(capsys):
    _model()
    text = summary_table()
    assert text == MODEL_TABLE
    assert capsys.readouterr().out == MODEL_TABLE + "\n"


def test_summary_table_of_a_graph_or_a_list_and_without_printing(capsys):
    graph = tf.Graph()
    with graph.as_default():
        w, emb, *_ = _model()
    assert summary_table(graph, print_info=False) == MODEL_TABLE
    assert summary_table([emb, w], print_info=False) == "\n".join([
        "Variable            Shape    Dtype    Size  Bytes  Parts  Trainable",
        "------------------  -------  -------  ----  -----  -----  ---------",
        "a/                                      52    208",
        "  emb               (10, 4)  float32    40    160      3  yes",
        "  w                 (3, 4)   float32    12     48      1  yes",
        "------------------  -------  -------  ----  -----  -----  ---------",
        "Total: 2 variables                      52    208"])
    # the parts of a partitioned variable, given one by one, are still one row
    assert summary_table(list(emb)[1:], print_info=False).splitlines()[3] == (
        "  emb              (10, 4)  float32    24     96      2  yes")
    assert capsys.readouterr().out == ""


def test_summary_table_counts_local_variables_and_an_empty_graph():
    tf.Variable([1.0, 2.0], name="count", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    assert summary_table(print_info=False).splitlines()[2:] == [
        "count              (2,)   float32     2      8      1  yes",
        "-----------------  -----  -------  ----  -----  -----  ---------",
        "Total: 1 variable                     2      8"]
    assert summary_table(tf.Graph(), print_info=False) == "\n".join([
        "Variable            Shape  Dtype  Size  Bytes  Parts  Trainable",
        "------------------  -----  -----  ----  -----  -----  ---------",
        "------------------  -----  -----  ----  -----  -----  ---------",
        "Total: 0 variables                   0      0"])


def test_slim_analyze_vars_prints_slims_lines_and_returns_size_and_bytes(capsys):
    w, emb, r, s, step = _model()
    analyzer = tf.contrib.slim.model_analyzer
    assert analyzer.analyze_vars([w, r, s, emb]) == (55, 220)
    assert capsys.readouterr().out == ""
    assert analyzer.analyze_vars([w, r, s, emb], print_info=True) == (55, 220)
    assert capsys.readouterr().out == (
        "---------\n"
        "Variables: name (type shape) [size]\n"
        "---------\n"
        "a/w:0 (float32_ref 3x4) [12, bytes: 48]\n"
        "a/b/r:0 (float32 2) [2, bytes: 8]\n"
        "a/s:0 (int32_ref ) [1, bytes: 4]\n"
        "a/emb (float32 10x4) [40, bytes: 160]\n"
        "Total size of variables: 55\n"
        "Total bytes of variables: 220\n")
    assert analyzer.analyze_vars(tf.global_variables()) == (56, 228)


def test_slim_analyze_ops_sums_known_output_sizes(capsys):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.placeholder(tf.float32, name="u")
    c = tf.constant([[1.0], [2.0], [3.0]], name="c")
    tf.matmul(x, c, name="y")
    tf.unstack(tf.zeros([2, 2], name="z"), name="rows")
    tf.no_op(name="n")
    graph = tf.get_default_graph()
    assert tf.contrib.slim.model_analyzer.analyze_ops(graph) == 11
    assert capsys.readouterr().out == ""
    assert tf.contrib.slim.model_analyzer.analyze_ops(graph, print_info=True) == 11
    assert capsys.readouterr().out == (
        "---------\n"
        "Operations: name -> (type shapes) [size]\n"
        "---------\n"
        "x \t-> (float32 ?x3) [0]\n"
        "u \t->  [0]\n"
        "c \t-> (float32 3x1) [3]\n"
        "y \t-> (float32 ?x1) [0]\n"
        "z \t-> (float32 2x2) [4]\n"
        "rows \t-> (float32 2), (float32 2) [4]\n"
        "n \t->  [0]\n")


def test_slim_is_contrib_framework_and_layers_with_model_analyzer():
    import minitf.contrib.slim as slim

    assert tf.contrib.slim is slim and "model_analyzer" in slim.__all__
    assert slim.arg_scope is tf.contrib.framework.arg_scope
    assert slim.fully_connected is tf.contrib.layers.fully_connected
    assert slim.model_analyzer.tensor_description(tf.zeros([2, 5])) == "(float32 2x5)"
    assert sorted(slim.model_analyzer.__all__) == [
        "analyze_ops", "analyze_vars", "tensor_description"]
