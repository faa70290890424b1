"""The examples reach the numbers they promise (full runs: each takes about a second)."""
import importlib.util
import pathlib

import pytest

import minitf as tf

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mlp_spirals_reaches_95_percent(capsys):
    assert load("mlp_spirals").main() >= 0.95
    out = capsys.readouterr().out
    assert "step  2000  loss" in out and "largest kernel column norm" in out


def test_linear_regression_recovers_the_weights():
    assert load("linear_regression").main() < 1e-3


def test_partitioned_embeddings_loss_falls_by_90_percent(capsys):
    assert load("partitioned_embeddings").main() >= 0.9
    assert "update ops: ['Mul', 'ScatterSub']" in capsys.readouterr().out


def test_shared_towers_train_one_copy_of_the_weights(capsys):
    first, last = load("shared_towers").main()
    assert last < 0.1 * first
    assert "towers agree: True" in capsys.readouterr().out


def test_two_towers_template_shares_one_module_and_learns(capsys):
    first, last = load("two_towers_template").main()
    assert last < 0.2 * first
    out = capsys.readouterr().out
    assert "towers: tower/embedding/add:0 tower_1/embedding/add:0" in out
    assert ("shared variables: ['tower/hidden/w:0', 'tower/hidden/b:0', 'tower/embedding/w:0', "
            "'tower/embedding/b:0']") in out
    losses = [float(line.split()[-1]) for line in out.splitlines() if "held-out loss" in line]
    assert len(losses) == 4 and losses == sorted(losses, reverse=True)


def test_eager_regression_trains_in_a_store(capsys):
    with tf.eager_mode():  # (the script enables eager execution before it calls main)
        assert load("eager_regression").main() < 0.01
    out = capsys.readouterr().out
    assert "variables: ['hidden/b:0', 'hidden/w:0', 'out/b:0', 'out/w:0']" in out
    losses = [float(line.split()[-1]) for line in out.splitlines() if "held-out loss" in line]
    assert len(losses) == 4 and losses == sorted(losses, reverse=True)


@pytest.mark.parametrize("name", ["placeholder_graph"])
def test_other_examples_run(name):
    load(name).main()


def test_convnet_digits_reaches_95_percent_held_out(capsys):
    assert load("convnet_digits").main() >= 0.95
    out = capsys.readouterr().out
    losses = [float(line.split()[-1]) for line in out.splitlines() if "training loss" in line]
    assert len(losses) == 3 and losses[-1] < 0.25 * losses[0]


def test_convnet_digits_first_steps_are_tensorflows(capsys):
    # TF1 running the same file (its tf.data shuffle included) prints these losses
    load("convnet_digits").main(steps=4, log_every=1)
    losses = [float(line.split()[-1]) for line in capsys.readouterr().out.splitlines()
              if "training loss" in line]
    assert losses == pytest.approx([2.8964, 2.7098, 2.6668, 2.7014], abs=2e-4)


def test_convnet_digits_writes_its_summaries_where_tf_does(tmp_path, capsys):
    load("convnet_digits").main(steps=5, log_every=2, logdir=str(tmp_path))
    (events,) = tmp_path.glob("events.out.tfevents.*")
    values = [(e.step, v.tag, round(v.simple_value, 4))
              for e in tf.train.summary_iterator(str(events)) for v in e.summary.value]
    # TF1 running the example writes these steps, tags and values (the training batch's)
    assert values == [(1, "loss", 2.8964), (1, "accuracy", 0.0781), (3, "loss", 2.6668),
                      (3, "accuracy", 0.0781), (5, "loss", 2.3564), (5, "accuracy", 0.0781)]
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()
            if "training loss" in line] == ["2", "4"]  # (the printing is unchanged)


def test_mlp_spirals_resumes_from_its_checkpoint_dir(tmp_path, capsys):
    spirals = load("mlp_spirals")
    spirals.main(steps=300, log_every=100, checkpoint_dir=str(tmp_path))
    first = capsys.readouterr().out
    spirals.main(steps=500, log_every=100, checkpoint_dir=str(tmp_path))
    resumed = capsys.readouterr().out
    spirals.main(steps=500, log_every=100)
    unbroken = capsys.readouterr().out

    def steps(out):
        return [line for line in out.splitlines() if line.startswith("step")]
    assert [line.split()[1] for line in steps(first)] == ["100", "200", "300"]
    assert steps(resumed) == steps(unbroken)[3:]  # steps 400 and 500, to the digit
    assert (tmp_path / "checkpoint").exists()
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-500")


def test_mlp_spirals_writes_its_summaries_where_tf_does(tmp_path, capsys):
    load("mlp_spirals").main(steps=40, log_every=20, logdir=str(tmp_path))
    (events,) = tmp_path.glob("events.out.tfevents.*")
    values = [(e.step, v.tag, round(v.simple_value, 4))
              for e in tf.train.summary_iterator(str(events)) for v in e.summary.value]
    # TF1 running the example writes these steps, tags and first values
    assert [v[:2] for v in values] == [(1, "loss"), (1, "accuracy"), (21, "loss"),
                                       (21, "accuracy")]
    assert values[:2] == [(1, "loss", 1.1118), (1, "accuracy", 0.4067)]


def test_mlp_spirals_takes_tf_flags():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(EXAMPLES / "mlp_spirals.py"), "--steps", "20",
                           "--log_every=10"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()
            if line.startswith("step")] == ["10", "20"]
    bad = subprocess.run([sys.executable, str(EXAMPLES / "mlp_spirals.py"), "--steps=abc"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and ("IllegalFlagValueError: flag --steps=abc: invalid literal "
                                    "for int() with base 10: 'abc'") in bad.stderr


def test_lstm_sequences_remembers_the_first_symbol(capsys):
    assert load("lstm_sequences").main() >= 0.95
    out = capsys.readouterr().out
    assert "cell variables: ['rnn/lstm_cell/kernel:0', 'rnn/lstm_cell/bias:0']" in out


def test_word2vec_nce_learns_the_topics(capsys):
    assert load("word2vec_nce").main() >= 0.9
    out = capsys.readouterr().out
    shards = [f"'word2vec/embeddings/part_{i}:0'" for i in range(4)]
    assert f"embedding shards: [{', '.join(shards)}]" in out
    losses = [float(line.split()[-1]) for line in out.splitlines() if "average loss" in line]
    assert len(losses) == 4 and losses[-1] < 0.6 * losses[0]


def test_seq2seq_reverse_decodes_held_out_sequences(capsys):
    greedy, beam = load("seq2seq_reverse").main()
    assert greedy >= 0.95 and beam >= greedy - 0.02
    out = capsys.readouterr().out
    wrapper = "decoder/attention_wrapper"
    decoder = [f"'decoder/{name}:0'" for name in (
        "memory_layer/kernel", f"{wrapper}/lstm_cell/kernel", f"{wrapper}/lstm_cell/bias",
        f"{wrapper}/attention_layer/kernel", "decoder/output_projection/kernel",
        "decoder/output_projection/bias")]
    assert ("variables: ['embeddings:0', 'encoder/rnn/lstm_cell/kernel:0', "
            f"'encoder/rnn/lstm_cell/bias:0', {', '.join(decoder)}]") in out  # one copy of each
    losses = [float(line.split()[-1]) for line in out.splitlines() if "training loss" in line]
    assert len(losses) == 3 and losses[-1] < 0.05 * losses[0]
