"""Checks that TensorFlow imports and runs GraphDefs minitf writes with cond and while_loop
(their bodies as FunctionDefs of the GraphDef's library, issue 20).

Run by hand from the repository's root, with the reference TensorFlow venv's Python, naming a
Python that has minitf installed:

    ~/tfref/bin/python tests/data/tf_imports_minitf_functions.py /tmp/dev/bin/python

It runs itself under that Python (`--write DIR`) to build, with minitf, the graphs of `build`
(a cond, a while_loop reading a variable in its body, a cond nested in a while_loop, a
switch_case, a tf.function call, a cond updating a resource variable, a tf.function updating
one it does not return, loops over a TensorArray, of a growing shape and with
maximum_iterations, the gradients of a cond and of a tf.function), and write each one's
`as_graph_def()` and the values minitf's Session gives. Then, in TensorFlow 2.21 graph mode
(`disable_v2_behavior` and `enable_control_flow_v2`), it imports each GraphDef with
`tf.import_graph_def`, runs it and checks TensorFlow's values are minitf's, bit for bit. It
prints the values (tests/test_function_library.py has them as literals) and "ok" at the end,
or fails an assert.

It also writes TF's own GraphDefs of the same graphs (control flow v2: StatelessIf, While) as
tests/data/tf-cfv2-<graph>.pb, which minitf's importer tests read; not for "loops" and the
gradients, which TF writes with TensorList and Optional ops minitf has not.
"""
import json
import os
import subprocess
import sys
import tempfile

FEEDS = [3.0, -4.0, 0.5]


def build(tf, which):
    """Builds graph `which` in the default graph; returns (the fetched tensor, the init op)."""
    x = tf.compat.v1.placeholder(tf.float32, [], name="x")
    if which == "cond":
        return tf.cond(x > 0.0, lambda: x * 2.0, lambda: -x), None
    if which == "switch_case":  # (an index out of range runs the last branch)
        k = tf.cast(x, tf.int32)
        return tf.switch_case(k, [lambda: x + 1.0, lambda: x * x, lambda: x - 10.0]), None
    if which == "function":  # a tf.function capturing a tensor of the graph
        y = x * 2.0

        @tf.function
        def f(a):
            return a * 3.0 + y
        return f(x), None
    if which == "grad":  # the gradient of a cond: an If of the branches' gradients
        y = tf.cond(x > 0.0, lambda: x * x * 2.0, lambda: -x * 3.0)
        return tf.gradients(y, x)[0], None
    if which == "fgrad":  # the gradient of a tf.function's call: a call of its gradient
        c = tf.constant(2.0)

        @tf.function
        def h(a):
            return a * a * c
        return tf.gradients(h(x), x)[0], None
    if which == "loops":  # a TensorArray, a growing shape, maximum_iterations
        ta = tf.TensorArray(tf.float32, 4)
        ta = tf.while_loop(lambda i, ta: i < 4, lambda i, ta: (
            i + 1, ta.write(i, x * tf.cast(i, tf.float32))), [0, ta])[1]
        grow = tf.while_loop(lambda v: tf.shape(v)[0] < 5,
                             lambda v: tf.concat([v, v[-1:] * x], 0), [tf.reshape(x, [1])],
                             shape_invariants=[tf.TensorShape([None])])
        grow = grow[0] if isinstance(grow, list) else grow
        bounded = tf.while_loop(lambda i, s: s < 100.0, lambda i, s: (i + 1, s * 2.0), [0, x],
                                maximum_iterations=3)[1]
        return tf.reduce_sum(ta.stack() * [1.0, 2.0, 3.0, 4.0]) + tf.reduce_sum(
            grow) + bounded, None
    if which == "effect":  # a tf.function updating a variable it does not return
        r = tf.compat.v1.get_variable("r", initializer=1.0, use_resource=True)

        @tf.function
        def g(a):
            r.assign_add(a)
            return a * 3.0
        with tf.control_dependencies([g(x)]):
            return r.read_value() + 0.0, r.initializer
    if which == "stateful":  # a resource variable updated in a branch, run after run
        r = tf.compat.v1.get_variable("r", initializer=1.0, use_resource=True)
        return tf.cond(x > 0.0, lambda: r.assign_add(x), lambda: r * 2.0), r.initializer
    v = tf.compat.v1.get_variable("v", initializer=1.5, use_resource=False)
    if which == "while":
        body = lambda i, s: (i + 1, s * v + 1.0)  # noqa: E731
    else:  # a cond in the loop's body, reading the variable in one branch
        body = lambda i, s: (i + 1, tf.cond(s > 3.0, lambda: s - v,  # noqa: E731
                                            lambda: s * 2.0 + v))
    out = tf.while_loop(lambda i, s: i < 4, body, [tf.constant(0), x])
    return out[1], v.initializer


def write(directory):
    """Under minitf: writes <which>.pb and values.json into `directory`."""
    import minitf as tf
    found = {}
    for which in ("cond", "while", "nested", "switch_case", "function", "stateful", "effect",
                  "loops", "grad", "fgrad"):
        g = tf.Graph()
        with g.as_default():
            y, init = build(tf, which)
            with tf.Session() as sess:
                if init is not None:
                    sess.run(init)
                found[which] = {"fetch": y.name, "init": init.name if init else None,
                                "values": [float(sess.run(y, {"x:0": f})) for f in FEEDS]}
        with open(os.path.join(directory, which + ".pb"), "wb") as f:
            f.write(g.as_graph_def().SerializeToString())
    with open(os.path.join(directory, "values.json"), "w") as f:
        json.dump(found, f)


def check(directory):
    """Under TensorFlow: imports each GraphDef and runs it to minitf's values."""
    import tensorflow as tf
    tf.compat.v1.disable_v2_behavior()
    tf.compat.v1.enable_control_flow_v2()
    with open(os.path.join(directory, "values.json")) as f:
        found = json.load(f)
    for which, want in found.items():
        gd = tf.compat.v1.GraphDef()
        with open(os.path.join(directory, which + ".pb"), "rb") as f:
            gd.ParseFromString(f.read())
        assert len(gd.library.function) >= 1, which
        g = tf.Graph()
        with g.as_default():
            tf.import_graph_def(gd, name="")
            with tf.compat.v1.Session() as sess:
                if want["init"]:
                    sess.run(want["init"])
                got = [float(sess.run(want["fetch"], {"x:0": f})) for f in FEEDS]
        print(which, [f.signature.name for f in gd.library.function], got)
        assert got == want["values"], (which, got, want["values"])
        if which not in ("loops", "grad", "fgrad"):
            write_tf_graph(tf, which, want["values"])
    print("ok")


def write_tf_graph(tf, which, values):
    """Writes TF's own GraphDef of graph `which` (control flow v2) into tests/data, for
    minitf's importer to read, after checking TF runs it to `values`."""
    g = tf.Graph()
    with g.as_default():
        y, init = build(tf, which)
        with tf.compat.v1.Session() as sess:
            if init is not None:
                sess.run(init)
            assert [float(sess.run(y, {"x:0": f})) for f in FEEDS] == values
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, f"tf-cfv2-{which}.pb"), "wb") as f:
        f.write(g.as_graph_def().SerializeToString())
    print(which, "TF's fetch", y.name, "init", init.name if init is not None else None)


def main():
    if sys.argv[1] == "--write":
        write(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([sys.argv[1], os.path.abspath(__file__), "--write", directory],
                       check=True)
        check(directory)


if __name__ == "__main__":
    main()
