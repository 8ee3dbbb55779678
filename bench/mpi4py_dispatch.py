"""Dispatch rate of mpi4py.futures on trivially cheap tasks, for bench/dispatch.sh.

    mpirun -np K /usr/bin/python3 -m mpi4py.futures bench/mpi4py_dispatch.py TASKS CHUNKSIZE [REPEATS]

Under `-m mpi4py.futures`, rank 0 runs this script and ranks 1..K-1 are the
pool's workers (K-1 workers). The pool is started and warmed with a short map
first, then MPIPoolExecutor.map runs TASKS tasks REPEATS times with the given
chunksize; the best repeat is printed as

    mpi4py_dispatch tasks=N chunk=C ranks=K seconds=S tasks_per_s=R

The task adds 0.5 to its argument: cheaper than synthetic.trivial's seeded
draw, so mpi4py is not held back by the work.
"""

import sys
import time

from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor


def trivial(x):
    return x + 0.5


def main():
    tasks = int(sys.argv[1])
    chunksize = int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    xs = [i / max(tasks - 1, 1) for i in range(tasks)]
    expected = sum(xs) + 0.5 * tasks
    best = float("inf")
    with MPIPoolExecutor() as executor:
        executor.bootup(wait=True)
        list(executor.map(trivial, xs[: min(tasks, 1000)], chunksize=chunksize))  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            results = list(executor.map(trivial, xs, chunksize=chunksize))
            seconds = time.perf_counter() - start
            if len(results) != tasks or abs(sum(results) - expected) > 1e-6 * max(1.0, expected):
                sys.exit(f"mpi4py_dispatch: wrong results ({len(results)} of {tasks} tasks)")
            best = min(best, seconds)
    print(f"mpi4py_dispatch tasks={tasks} chunk={chunksize} ranks={MPI.COMM_WORLD.Get_size()} "
          f"seconds={best:.6f} tasks_per_s={tasks / best:.1f}")


if __name__ == "__main__":
    main()
