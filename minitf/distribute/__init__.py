"""Training past one process. `minitf.distribute.horovod` is Horovod's TensorFlow 1 API
(`import minitf.distribute.horovod as hvd`) over MPI through mpi4py: install it with
`pip install 'minitf[mpi]'` and launch with `mpirun -np N python train.py`.

Nothing is imported here, so `import minitf` never needs MPI.
"""
