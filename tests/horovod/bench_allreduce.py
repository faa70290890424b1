"""Times HorovodAllreduce inside Session.run: `mpirun -np 2 python bench_allreduce.py`.

Prints, on rank 0, microseconds per call for float32 tensors of several sizes (each call a
Session.run of one HorovodAllreduce: its header exchange and the Iallreduce), then the cost per
call (the 4-byte tensor's time) and per MB (the slope from 4 bytes to 4 MB).
"""
import time

import numpy as np

import minitf as tf
import minitf.distribute.horovod as hvd

SIZES = [1, 1_000, 100_000, 1_000_000]  # float32 elements


def main(repeats=200):
    hvd.init()
    times = []
    for n in SIZES:
        with tf.Graph().as_default():
            x = tf.Variable(np.ones(n, np.float32))
            total = hvd.allreduce(x, op=hvd.Sum)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(total)
                count = max(5, repeats // max(1, n // 100_000))
                start = time.perf_counter()
                for _ in range(count):
                    sess.run(total.op)
                times.append((time.perf_counter() - start) / count)
    if hvd.rank() == 0:
        for n, t in zip(SIZES, times):
            print(f"{hvd.size()} ranks  {n * 4 / 1e6:9.3f} MB  {t * 1e6:9.1f} us/call")
        per_mb = (times[-1] - times[0]) / (SIZES[-1] * 4 / 1e6)
        print(f"{times[0] * 1e6:.1f} us per call + {per_mb * 1e3:.2f} ms per MB")


if __name__ == "__main__":
    main()
