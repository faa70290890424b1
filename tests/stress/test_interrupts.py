"""Random Ctrl-C during training never leaves a step half applied (issue 15).

A child process trains a small MLP while a thread of its own sends it SIGINT at random times;
after each KeyboardInterrupt it reads global_step k and checks that every variable (weights,
slots, beta powers, global_step) is exactly as a second, never interrupted session has it after
k steps. It runs in a child because a SIGINT reaching pytest would end the run. The
deterministic unit tests are in tests/test_atomic_steps.py.
"""
import json

import pytest

# argv: optimizer ("adam": reference variables; "sgd": resource variables), interrupts, guard
# ("on"; "off" replaces the plans' hold/release with no-ops, to show the detector sees tearing)
_CHILD = r'''
import json, os, random, signal, sys, threading, time, types

import numpy as np

import minitf as tf
import minitf.plan
from minitf.framework import interrupts

optimizer, requested, guard = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = np.random.RandomState(0)


def layer(name, inputs, units, resource):
    with tf.variable_scope(name):
        init = tf.constant_initializer(data.randn(int(inputs.shape[1]), units))
        w = tf.get_variable("w", [inputs.shape[1], units], initializer=init,
                            use_resource=resource)
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer(),
                            use_resource=resource)
    return tf.matmul(inputs, w) + b


def model():
    x = tf.constant(data.randn(32, 4), tf.float32)
    y = tf.constant(data.randn(32, 1), tf.float32)
    resource = optimizer == "sgd"
    out = layer("out", tf.nn.relu(layer("hidden", x, 8, resource)), 1, resource)
    loss = tf.reduce_mean(tf.square(out - y))
    step = tf.train.get_or_create_global_step()
    opt = (tf.train.AdamOptimizer(0.01) if optimizer == "adam"
           else tf.train.GradientDescentOptimizer(0.01))
    return opt.minimize(loss, global_step=step), step


deferred = 0  # interrupts that arrived inside a step and were held to its end


def counting_release():
    global deferred
    if interrupts._main[0] == 1 and interrupts._main[1] is not None:  # (the main thread's)
        deferred += 1
    interrupts.release()


if guard == "off":
    minitf.plan.interrupts = types.SimpleNamespace(hold=lambda: None, release=lambda: None)
else:
    minitf.plan.interrupts = types.SimpleNamespace(hold=interrupts.hold,
                                                   release=counting_release)

armed = threading.Event()


def timer():
    # one SIGINT per arming, 0-2 ms later: a step takes ~0.1-0.2 ms, so it lands anywhere
    while True:
        armed.wait()
        armed.clear()
        time.sleep(random.uniform(0, 0.002))
        os.kill(os.getpid(), signal.SIGINT)


def train_until_interrupted(sess, train):
    deadline = time.monotonic() + 10
    try:
        armed.set()  # inside the try: the SIGINT may come at once
        while time.monotonic() < deadline:
            sess.run(train)
    except KeyboardInterrupt:
        return True
    return False  # the SIGINT was lost


train, step = model()
variables = tf.global_variables()
sys.setswitchinterval(1e-4)  # the timer thread gets the GIL soon after its sleep
threading.Thread(target=timer, daemon=True).start()
reference, sess = tf.Session(), tf.Session()
for s in (reference, sess):
    s.run(tf.global_variables_initializer())
# one step first: compiling the plan takes a few ms, longer than the timer's delays, so
# interrupting every compile would leave no step to tear (the reference catches up below)
sess.run(train)
done = landed = partial = 0
start = time.perf_counter()
while landed < requested and train_until_interrupted(sess, train):
    landed += 1
    k = sess.run(step)
    while done < k:  # global_step only grows: the reference follows step by step
        reference.run(train)
        done += 1
    want = reference.run(variables)
    if not all(np.array_equal(a, b) for a, b in zip(sess.run(variables), want)):
        partial += 1
        for v, value in zip(variables, want):  # repaired, so each torn step counts once
            v.load(value, sess)
print(json.dumps({"requested": requested, "landed": landed, "partial": partial,
                  "deferred": deferred, "steps": int(done), "variables": len(variables),
                  "seconds": round(time.perf_counter() - start, 2)}))
'''


def _interrupted_training(python_process, optimizer, interrupts, guard="on"):
    result = python_process(_CHILD, optimizer, str(interrupts), guard,
                            timeout=60 + interrupts * 0.1)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    print(optimizer, guard, figures)  # the figures RELIABILITY.md quotes (pytest -s)
    return figures


@pytest.mark.parametrize("optimizer, variables", [("adam", 15), ("sgd", 5)])
def test_random_ctrl_c_never_tears_a_training_step(python_process, size, optimizer,
                                                   variables):
    # adam: 4 reference variables, their 8 slots, beta1/2_power and global_step;
    # sgd: 4 resource variables and global_step
    requested = size(100, 2000)
    figures = _interrupted_training(python_process, optimizer, requested)
    assert figures["variables"] == variables, figures
    assert figures["landed"] == requested and figures["partial"] == 0, figures
    # most interrupts arrive inside a step (so the guard, not luck, kept the steps whole)
    assert 2 * figures["deferred"] > requested, figures


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_the_detector_sees_torn_steps_when_the_guard_is_off(python_process, optimizer):
    # the check above is only worth something if it catches tearing: without hold/release a
    # KeyboardInterrupt stops a step between two kernels (about every second one here)
    figures = _interrupted_training(python_process, optimizer, 100, guard="off")
    assert figures["landed"] == 100 and figures["partial"] > 10, figures
    assert figures["deferred"] == 0, figures
