"""`tf.train.ClusterSpec`: the jobs and task addresses of a (distributed) TF cluster.

minitf runs in one process; the class is here for the programs that build, read or pass one
on (`as_cluster_def()` gives TF's ClusterDef message, with TF's bytes).
"""
from minitf.framework.config_pb import ClusterDef

__all__ = ["ClusterSpec"]


class ClusterSpec:
    """A cluster: {job name: the network addresses of its tasks}.

    >>> cluster = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]})
    >>> cluster.num_tasks("worker"), cluster.task_address("worker", 1)
    (2, 'w1:2222')
    >>> cluster
    ClusterSpec({'ps': ['ps0:2222'], 'worker': ['w0:2222', 'w1:2222']})

    Args:
      cluster: a dict {job name: list of addresses, or {task index: address}}, a ClusterDef,
        or a ClusterSpec.

    Raises:
      TypeError: `cluster` is none of those, a job name is not a string, or a job's tasks
        are neither a list nor a dict.
    """

    def __init__(self, cluster):
        self._jobs = {}  # job name -> {task index: address}
        if isinstance(cluster, ClusterSpec):
            self._jobs = {job: dict(tasks) for job, tasks in cluster._jobs.items()}
        elif isinstance(cluster, ClusterDef):
            for job in cluster.job:
                self._jobs[job.name] = dict(job.tasks)
        elif isinstance(cluster, dict):
            for job, tasks in cluster.items():
                self._jobs[_job_name(job)] = _tasks(job, tasks)
        else:
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to "
                            "lists of network addresses, or a `ClusterDef` protocol buffer")

    def __bool__(self):
        return bool(self._jobs)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return "ClusterSpec(" + repr({job: self.as_dict()[job] for job in sorted(self._jobs)}) \
            + ")"

    __str__ = __repr__

    @property
    def jobs(self):
        """The job names, in the order they were given."""
        return list(self._jobs)

    def as_dict(self):
        """Returns the cluster as {job: list of addresses}.

        A job whose task indices are not 0..n-1 gives {task index: address} instead.
        """
        out = {}
        for job, tasks in self._jobs.items():
            indices = sorted(tasks)
            dense = indices == list(range(len(indices))) and indices
            out[job] = [tasks[i] for i in indices] if dense else dict(tasks)
        return out

    def _tasks_of(self, job_name):
        if job_name not in self._jobs:
            raise ValueError(f"No such job in cluster: {job_name!r}")
        return self._jobs[job_name]

    def num_tasks(self, job_name):
        """Returns the number of tasks of a job.

        Args:
          job_name: the job's name.

        Raises:
          ValueError: there is no such job.
        """
        return len(self._tasks_of(job_name))

    def task_indices(self, job_name):
        """Returns the sorted task indices of a job.

        Args:
          job_name: the job's name.

        Raises:
          ValueError: there is no such job.
        """
        return sorted(self._tasks_of(job_name))

    def task_address(self, job_name, task_index):
        """Returns the address of one task.

        Args:
          job_name: the job's name.
          task_index: the task's index.

        Raises:
          ValueError: there is no such job or task.
        """
        tasks = self._tasks_of(job_name)
        if task_index not in tasks:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}")
        return tasks[task_index]

    def job_tasks(self, job_name):
        """Returns a job's addresses by task index, with None where an index has no task.

        Args:
          job_name: the job's name.

        Raises:
          ValueError: there is no such job.
        """
        tasks = self._tasks_of(job_name)
        return [tasks.get(i) for i in range(max(tasks) + 1 if tasks else 0)]

    def as_cluster_def(self):
        """Returns the cluster as a tf.train.ClusterDef message (jobs sorted by name)."""
        out = ClusterDef()
        for job in sorted(self._jobs):
            job_def = out.job.add(name=job)
            for index, address in self._jobs[job].items():
                job_def.tasks[index] = address
        return out


def _job_name(job):
    if isinstance(job, bytes):
        return job.decode("utf-8")
    if not isinstance(job, str):
        raise TypeError(f"Job name {job!r} must be bytes or unicode")
    return job


def _tasks(job, tasks):
    if isinstance(tasks, (list, tuple)):
        return dict(enumerate(tasks))
    if isinstance(tasks, dict):
        return {int(i): address for i, address in tasks.items()}
    raise TypeError(f"The tasks for job {job!r} must be a list or a dictionary from integers "
                    "to strings.")
