"""The GIL is released while the core hashes: other Python threads run, several calls run at
once, and a forked child can still fingerprint."""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import kosli

BIG = 1 << 30  # a sparse GiB: no disk, but a real second or so of SHA-256


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A big file, and a folder holding another."""
    folder = tmp_path_factory.mktemp("big")
    (folder / "d").mkdir()
    for path in (folder / "one", folder / "d" / "two"):
        with open(path, "wb") as f:
            f.truncate(BIG)
    return [folder / "one", folder / "d"]


def run_while_observing(calls: list[Callable[[], object]]) -> tuple[list[tuple[float, float]], float]:
    """Runs each call on its own thread while this thread keeps taking timestamps (sleeping 1 ms
    between them, which needs the GIL back each time). Returns each call's (start, end) and the
    longest stretch inside the calls' span during which this thread could not run."""
    windows: list[tuple[float, float]] = [(0.0, 0.0)] * len(calls)
    go = threading.Barrier(len(calls) + 1)

    def worker(i: int) -> None:
        go.wait()
        start = time.perf_counter()
        calls[i]()
        windows[i] = (start, time.perf_counter())

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    go.wait()
    stamps = []
    while any(t.is_alive() for t in threads):
        stamps.append(time.perf_counter())
        time.sleep(0.001)
    for t in threads:
        t.join()
    first = min(w[0] for w in windows)
    last = max(w[1] for w in windows)
    points = [first, *(s for s in stamps if first < s < last), last]
    longest_gap = max(b - a for a, b in zip(points, points[1:]))
    return windows, longest_gap


def test_other_threads_run_while_one_hashes(big_files: list[Path]) -> None:
    windows, gap = run_while_observing([lambda: kosli.fingerprint_file(big_files[0])])
    (start, end), = windows
    duration = end - start
    assert duration > 0.1, "hashing was too quick to tell: enlarge BIG"
    # Holding the GIL would stop this thread for the whole call.
    assert gap < 0.5 * duration, (gap, duration)


def test_calls_from_two_threads_run_at_once(big_files: list[Path]) -> None:
    windows, gap = run_while_observing(
        [
            lambda: kosli.fingerprint_file(big_files[0]),
            lambda: kosli.fingerprint_dir(big_files[1], threads=1),
        ]
    )
    (s1, e1), (s2, e2) = windows
    overlap = min(e1, e2) - max(s1, s2)
    shorter = min(e1 - s1, e2 - s2)
    assert shorter > 0.1, "hashing was too quick to tell: enlarge BIG"
    # With the GIL held, the second call could only start once the first returned.
    assert overlap > 0.5 * shorter, windows
    assert gap < 0.5 * shorter, (gap, windows)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_fingerprints(tree: Path) -> None:
    expected = str(kosli.fingerprint_dir(tree, threads=2))  # the parent's hashing pool exists
    with warnings.catch_warnings():
        # Python >= 3.12 warns that forking a process with threads may deadlock the child: the
        # library's pools are built to survive exactly that, which is what this checks.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 3
        try:
            got = str(kosli.fingerprint_dir(tree, threads=2))
            got_file = str(kosli.fingerprint_file(tree / "a.txt"))
            code = 0 if got == expected and len(got_file) == 64 else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung while fingerprinting")
        time.sleep(0.01)
    assert os.waitstatus_to_exitcode(status) == 0
