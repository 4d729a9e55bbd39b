"""fingerprint_file and fingerprint_dir: the CLI's digests, excludes, progress and cancel."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import kosli


def test_the_clis_vectors_through_python(
    fingerprint_corpus: Path,
    fingerprint_vectors: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked = 0
    for v in fingerprint_vectors:
        if v.get("informational") or v.get("known_disagreement"):
            continue
        monkeypatch.chdir(fingerprint_corpus / v["cwd"])

        def call(v: dict[str, Any] = v) -> kosli.Fingerprint:
            if v["artifact_type"] == "file":
                return kosli.fingerprint_file(v["path"])
            return kosli.fingerprint_dir(v["path"], v["excludes"])

        if "expected_sha256" in v and v.get("cli_stderr"):
            # The CLI printed a warning beside the digest: Python gets a KosliWarning.
            with pytest.warns(kosli.KosliWarning):
                assert str(call()) == v["expected_sha256"], v["case"]
        elif "expected_sha256" in v:
            assert str(call()) == v["expected_sha256"], v["case"]
        else:
            with pytest.raises(kosli.KosliError) as info:
                call()
            for name in v.get("error_names", []):
                assert name in str(info.value), v["case"]
        checked += 1
    assert checked >= 55


def test_file_fingerprint_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    data = os.urandom(3 << 20)
    (tmp_path / "blob").write_bytes(data)
    fp = kosli.fingerprint_file(tmp_path / "blob")
    assert str(fp) == hashlib.sha256(data).hexdigest()
    assert fp.digest() == hashlib.sha256(data).digest()
    assert kosli.fingerprint_file(str(tmp_path / "blob")) == fp


def test_excludes_and_thread_counts(tree: Path) -> None:
    whole = kosli.fingerprint_dir(tree)
    without_logs = kosli.fingerprint_dir(tree, ["**/*.log"])
    assert whole != without_logs
    (tree / "sub" / "b.log").unlink()
    (tree / "sub" / "c.log").write_text("gamma\n")
    assert kosli.fingerprint_dir(tree, excludes=("**/*.log",)) == without_logs
    for threads in (1, 2, 8):
        assert kosli.fingerprint_dir(tree, ["**/*.log"], threads=threads) == without_logs


def test_excluding_the_ignore_file_warns(tree: Path) -> None:
    (tree / ".kosli_ignore").write_text("*.txt\n")
    with pytest.warns(kosli.KosliWarning, match="is excluded by a flag"):
        kosli.fingerprint_dir(tree, [".kosli_ignore"])


def many_files(root: Path, count: int, size: int = 4096) -> Path:
    root.mkdir(exist_ok=True)
    for i in range(count):
        (root / f"f{i:05}").write_bytes(i.to_bytes(4, "little") * (size // 4))
    return root


def test_progress_reports_until_the_totals(tmp_path: Path) -> None:
    folder = many_files(tmp_path / "d", 300)
    seen: list[kosli.Progress] = []
    kosli.fingerprint_dir(folder, progress=seen.append)
    assert seen, "no progress report"
    last = seen[-1]
    assert (last.files_done, last.files_total) == (300, 300)
    assert last.bytes_done == 300 * 4096
    assert [p.files_done for p in seen] == sorted(p.files_done for p in seen)
    assert last.to_dict() == {
        "bytes_done": 300 * 4096, "files_done": 300, "bytes_total": None, "files_total": 300,
    }  # fmt: skip
    assert repr(last).startswith("Progress(bytes_done=1228800, files_done=300")

    file_seen: list[kosli.Progress] = []
    kosli.fingerprint_file(folder / "f00001", progress=file_seen.append)
    assert file_seen[-1].to_dict() == {
        "bytes_done": 4096, "files_done": 1, "bytes_total": 4096, "files_total": 1,
    }  # fmt: skip


def test_returning_false_cancels(tmp_path: Path) -> None:
    folder = many_files(tmp_path / "d", 300)
    calls = 0

    def stop(p: kosli.Progress) -> bool:
        nonlocal calls
        calls += 1
        return False

    with pytest.raises(kosli.CancelledError, match="was cancelled"):
        kosli.fingerprint_dir(folder, threads=2, progress=stop)
    assert calls == 1
    with pytest.raises(kosli.CancelledError):
        kosli.fingerprint_file(folder / "f00001", progress=stop)
    # None (and anything but False) goes on.
    kosli.fingerprint_dir(folder, progress=lambda p: None)
    kosli.fingerprint_dir(folder, progress=lambda p: 0)


class Stop(Exception):
    pass


def test_an_exception_in_the_callback_cancels_and_propagates(tmp_path: Path) -> None:
    folder = many_files(tmp_path / "d", 300)

    def boom(p: kosli.Progress) -> None:
        raise Stop(p.files_done)

    with pytest.raises(Stop):
        kosli.fingerprint_dir(folder, threads=2, progress=boom)
    with pytest.raises(Stop):
        kosli.fingerprint_file(folder / "f00001", progress=boom)
    # The call left nothing behind: the next one works.
    assert kosli.fingerprint_dir(folder) == kosli.fingerprint_dir(folder, threads=1)


class Interrupted(Exception):
    pass


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_ctrl_c_interrupts_a_long_fingerprint_without_a_callback(tmp_path: Path) -> None:
    """SIGINT during hashing: the handler runs at the next progress report although the GIL is
    released and no callback was given, and its exception comes out of the call."""
    folder = many_files(tmp_path / "d", 2000, size=128 << 10)
    main = threading.get_ident()

    def handler(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGINT, handler)
    returned = False
    try:
        timer = threading.Timer(0.05, signal.pthread_kill, (main, signal.SIGINT))
        timer.start()
        with pytest.raises(Interrupted):
            kosli.fingerprint_dir(folder, threads=1)
            returned = True
            time.sleep(10)  # where the signal lands if the call was too quick
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not returned, "the fingerprint finished before the signal came: enlarge the folder"
