"""minitf.distribute.horovod (issue 22): Horovod's TF1 API over MPI. Each test launches
`mpirun -np 2` on tests/horovod/rank_cases.py and compares what the ranks saved."""
import importlib
import os
import pathlib
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

import minitf as tf
from minitf.framework.registry import REGISTRY

HERE = pathlib.Path(__file__).parent / "horovod"
MPIRUN = shutil.which("mpirun", path=f"{pathlib.Path(sys.executable).parent}{os.pathsep}"
                      f"{os.environ.get('PATH', '')}")
try:
    import mpi4py  # noqa: F401
    HAVE_MPI4PY = True
except ImportError:
    HAVE_MPI4PY = False
needs_mpi = pytest.mark.skipif(not (HAVE_MPI4PY and MPIRUN),
                               reason="needs mpi4py and mpirun: pip install 'minitf[mpi]'")


@pytest.fixture(autouse=True)
def _horovod_unloaded_after():
    """Importing minitf.distribute.horovod registers its ops; the registry-wide tests of other
    modules (test_eager, test_graph_def) must not see them, whatever the test order."""
    before = set(REGISTRY)
    yield
    for op_type in set(REGISTRY) - before:
        del REGISTRY[op_type]
    for name in [m for m in sys.modules if m.startswith("minitf.distribute")]:
        del sys.modules[name]


def run_ranks(case, tmp_path, np_=2, extra=(), env=None, timeout=90):
    command = [MPIRUN, "--oversubscribe", *extra, "-np", str(np_), sys.executable,
               str(HERE / "rank_cases.py"), case, str(tmp_path)]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               **(env or {}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    ranks = []
    for r in range(np_):
        path = tmp_path / f"rank{r}.npz"
        if path.exists():
            with np.load(path) as data:
                ranks.append({k: data[k] for k in data})
    return done, ranks


def check_ranks(case, tmp_path, **kwargs):
    done, ranks = run_ranks(case, tmp_path, **kwargs)
    assert done.returncode == 0 and len(ranks) == 2, done.stdout + done.stderr
    return ranks


@needs_mpi
def test_two_half_batches_match_one_full_batch(tmp_path):
    cases = _rank_cases()
    x, y = cases.sgd_data()
    train, variables = cases.sgd_model(tf.constant(x), tf.constant(y))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        initial = sess.run(variables)
        for _ in range(cases.STEPS):
            sess.run(train)
        expected = sess.run(variables)
    for rank in check_ranks("sgd", tmp_path):
        for name, want, start in zip(cases.NAMES, expected, initial):
            assert rank[name].shape == want.shape
            np.testing.assert_allclose(rank[name], want, rtol=1e-5, atol=1e-6)
            assert np.abs(rank[name] - start).max() > 0.01  # the steps did move the weights


@needs_mpi
def test_broadcast_makes_differently_initialized_ranks_equal(tmp_path):
    r0, r1 = check_ranks("broadcast", tmp_path)
    np.testing.assert_array_equal(r0["before"], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(r1["before"], [11.0, 11.0, 11.0])
    for rank in (r0, r1):  # broadcast_global_variables(1): rank 1's values everywhere
        np.testing.assert_array_equal(rank["v"], [11.0, 11.0, 11.0])
        assert rank["k"] == 8
        np.testing.assert_array_equal(rank["rv"], [4.0, 4.0])  # a resource variable
        np.testing.assert_array_equal(rank["parts"], np.full((4, 2), 1.25))  # both partitions
        # BroadcastGlobalVariablesHook(0) in a MonitoredTrainingSession: rank 0's values
        np.testing.assert_array_equal(rank["hook_u"], np.full((2, 2), 0.5))


@needs_mpi
def test_sparse_embedding_gradients_combine_as_the_dense_sum(tmp_path):
    # rank 0 looks up rows [0, 1, 1] with weight 1, rank 1 rows [1, 4] with weight 2
    dense_sum = np.zeros((6, 2), np.float32)
    for ids, coef in (([0, 1, 1], 1.0), ([1, 4], 2.0)):
        np.add.at(dense_sum, ids, coef)
    for rank in check_ranks("sparse", tmp_path):
        assert rank["Sum_is_slices"] and rank["Average_is_slices"]
        np.testing.assert_array_equal(rank["Sum_dense"], dense_sum)
        np.testing.assert_array_equal(rank["Average_dense"], dense_sum / 2)
        np.testing.assert_array_equal(rank["as_dense"], dense_sum / 2)
        np.testing.assert_array_equal(
            rank["table"], np.arange(12, dtype=np.float32).reshape(6, 2) - dense_sum / 2)


@needs_mpi
def test_allgather_fp16_sum_average_and_order_checks(tmp_path):
    x = np.array([1.5, -2.0, 3.25], np.float32)
    fp16 = sum(np.float16(x * (r + 1) * np.float32(1.001)) for r in range(2))
    r0, r1 = check_ranks("collectives", tmp_path)
    for r, rank in enumerate((r0, r1)):
        np.testing.assert_array_equal(rank["sum"], x * 3)
        np.testing.assert_array_equal(rank["avg"], x * 1.5)
        np.testing.assert_array_equal(rank["avg_false"], x * 3)
        np.testing.assert_array_equal(rank["int_sum"], [3, 20])
        assert str(rank["fp16_dtype"]) == "<dtype: 'float32'>"
        np.testing.assert_array_equal(rank["fp16"], fp16.astype(np.float32))
        assert not np.array_equal(rank["fp16"], x * 3 * np.float32(1.001))  # it went as fp16
        assert str(rank["gathered_static"]) == "(?, 3)"
        np.testing.assert_array_equal(rank["gathered"], [[0, 0, 0], [1, 1, 1], [1, 1, 1]])
        # d/dsrc sum(allgather(src) * 3), summed over 2 ranks: 6, in this rank's rows only
        np.testing.assert_array_equal(rank["gathered_grad"], np.full((r + 1, 2), 6.0))
        assert rank["bcast"] == 2.0
        assert rank["bcast_grad"] == (10.0 if r == 0 else 0.0)
        order = str(rank["order_error"])
        assert "different order" in order and "rank 0 ran allreduce" in order
        assert "rank 1 ran broadcast" in order
        shape = str(rank["shape_error"])
        assert "Mismatched Horovod allreduce" in shape and "float32 [2]" in shape
        assert "float32 [3]" in shape
        np.testing.assert_array_equal(rank["after"], x * 3)


@needs_mpi
def test_rank_death_raises_on_the_survivor_within_the_timeout(tmp_path):
    # --enable-recovery: PRRTE keeps the survivors running when a rank dies (its default
    # aborts the whole job, which would hide the survivor's error)
    start = time.monotonic()
    done, ranks = run_ranks("death", tmp_path, extra=["--enable-recovery"],
                            env={"MINITF_HOROVOD_TIMEOUT": "3"}, timeout=60)
    assert time.monotonic() - start < 30
    assert len(ranks) == 1, done.stdout + done.stderr  # rank 1 killed itself
    survivor = ranks[0]
    np.testing.assert_array_equal(survivor["first"], [2, 2, 2, 2])
    message = str(survivor["error"])
    assert "did not complete within 3 s" in message and "a rank may have died" in message
    assert "MINITF_HOROVOD_TIMEOUT" in message and "allreduce 'HorovodAllreduce'" in message
    assert 2.9 < float(survivor["elapsed"]) < 10


@pytest.mark.skipif(not HAVE_MPI4PY, reason="needs mpi4py: pip install 'minitf[mpi]'")
def test_one_process_without_mpirun_is_a_single_rank(tmp_path):
    done = subprocess.run([sys.executable, str(HERE / "rank_cases.py"), "single", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with np.load(tmp_path / "rank0.npz") as rank:
        assert (rank["size"], rank["rank"], rank["local_size"], rank["local_rank"]) == (1, 0, 1, 0)
        for key in ("sum", "gathered", "bcast", "grad"):
            np.testing.assert_array_equal(rank[key], [1.0, 2.0])
        errors = [str(rank[f"bad_comm_{i}"]) for i in range(5)]
    assert errors[0] == ("TypeError: comm must be None, an mpi4py communicator or a list of "
                         "ranks of MPI_COMM_WORLD, got '01'.")
    assert errors[1].startswith("TypeError: comm must be None") and "got [True]" in errors[1]
    for error, ranks in zip(errors[2:], ["[0, 0]", "[1]", "[]"]):
        assert error == (f"ValueError: comm={ranks} must list distinct ranks of MPI_COMM_WORLD, "
                         "each in 0..0.")


@needs_mpi
def test_shutdown_then_init_and_communicators_of_listed_ranks(tmp_path):
    r0, r1 = check_ranks("lifecycle", tmp_path)
    for rank in (r0, r1):
        assert not rank["after_shutdown"]
        np.testing.assert_array_equal(rank["again"], [0.0, 1.0])
        np.testing.assert_array_equal(rank["listed_gather"], [1.0, 0.0])
        np.testing.assert_array_equal(rank["split_gather"], [1.0, 0.0])
    assert (list(r0["listed"]), list(r1["listed"])) == ([1, 2], [0, 2])
    assert (list(r0["split"]), list(r1["split"])) == ([1, 2], [0, 2])
    assert list(r1["alone"]) == [0, 1, 1.0] and "left_out" not in r1
    assert str(r0["left_out"]) == ("This process is rank 0 of MPI_COMM_WORLD, which comm=[1] "
                                   "leaves out: only the listed ranks may call init with it.")


@needs_mpi
def test_spirals_example_trains_on_two_ranks_and_rank_0_alone_saves(tmp_path):
    example = HERE.parent.parent / "examples" / "horovod_spirals.py"
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    args = [example, "--steps", "200", "--log_every", "100"]
    done = subprocess.run([MPIRUN, "--oversubscribe", "-np", "2", sys.executable, *args,
                           "--checkpoint_dir", tmp_path], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("step   200  loss") == 1  # rank 0 prints
    assert "2 rank(s):" in done.stdout and "150 per rank" in done.stdout
    assert (tmp_path / "model.ckpt-200.npz").exists()
    single = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                            timeout=120, env=env)
    assert single.returncode == 0, single.stderr
    assert "1 rank(s):" in single.stdout
    two, one = (next(line for line in out.splitlines() if line.startswith("step   200"))
                for out in (done.stdout, single.stdout))
    assert two.split()[5] == one.split()[5]  # the same accuracy after 200 steps


def test_missing_mpi4py_names_the_extra(monkeypatch):
    import minitf.distribute.horovod as hvd
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    monkeypatch.delitem(sys.modules, "mpi4py.MPI", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'minitf\[mpi\]'"):
        hvd.init()
    assert not hvd.is_initialized()
    with pytest.raises(ValueError, match="Horovod has not been initialized; use hvd.init()"):
        hvd.size()


def test_reduction_op_arguments():
    import minitf.distribute.horovod as hvd
    with pytest.raises(NotImplementedError, match="Adasum is not supported"):
        hvd.allreduce(tf.constant(1.0), op=hvd.Adasum)
    with pytest.raises(ValueError, match="op parameter supersedes average"):
        hvd.allreduce(tf.constant(1.0), average=True, op=hvd.Sum)
    with pytest.raises(NotImplementedError, match="Adasum"):
        hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(1.0), op=hvd.Adasum)


def test_distributed_optimizer_delegates_apply_and_slots_to_the_wrapped_one():
    import minitf.distribute.horovod as hvd
    inner = tf.train.MomentumOptimizer(0.5, momentum=0.9)
    opt = hvd.DistributedOptimizer(inner)
    assert opt.get_name() == "DistributedMomentumOptimizer"
    w = tf.Variable([1.0, 2.0], name="w")
    train = opt.apply_gradients([(tf.constant([2.0, 4.0]), w)])
    assert opt.get_slot_names() == inner.get_slot_names() == ["momentum"]
    assert opt.get_slot(w, "momentum") is inner.get_slot(w, "momentum")
    assert opt.variables() == inner.variables() and opt.variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.0, 0.0])


def _rank_cases():
    spec = importlib.util.spec_from_file_location("_horovod_rank_cases", HERE / "rank_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
